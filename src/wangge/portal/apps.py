import logging

from django.apps import AppConfig

logger = logging.getLogger("wangge.portal")


class PortalConfig(AppConfig):
    name = "wangge.portal"
    verbose_name = "门户网站"

    def ready(self) -> None:
        from wangge.core.outbox import sender

        from . import jobs, menu, notify  # noqa: F401  (jobs registers itself)

        menu.register()
        notify.register()
        from wangge.core.publication import register_objection_counter, register_publisher

        from .publication import publish_for_app, unanswered_objections

        register_publisher(publish_for_app)
        register_objection_counter(unanswered_objections)

        @sender("portal.defaced")
        def _alert(message) -> None:
            # Until an SMS or 政务微信 gateway is registered, the alert goes to the error log,
            # which operations watch.
            for finding in message.payload.get("findings", []):
                logger.error("门户页面异常：%s %s（%s）", finding["path"], finding["title"], finding["problem"])
