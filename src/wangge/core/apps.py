from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wangge.core"
    verbose_name = "公共基础"

    def ready(self) -> None:
        from . import audit_writes, housekeeping, notify  # noqa: F401  (the floor's jobs and senders register themselves)
        from .menu import register_menu_entry

        audit_writes.connect()
        # Everyone signed in has an inbox; its section is the one most notices are about.
        register_menu_entry("消息", "inbox", section="cases", order=75, visible=lambda user: user.is_authenticated)
