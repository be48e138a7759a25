from django.apps import AppConfig


class RedrawConfig(AppConfig):
    name = "wangge.redraw"
    label = "redraw"
    verbose_name = "网格重新划分"

    def ready(self) -> None:
        from wangge.geo import hooks

        from . import menu
        from .reattach import staff_follow

        menu.register()
        # Staff, organisations and scopes follow every activation, in its transaction.
        hooks.on_layer_activated(staff_follow)
