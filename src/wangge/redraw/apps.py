from django.apps import AppConfig


class RedrawConfig(AppConfig):
    name = "wangge.redraw"
    label = "redraw"
    verbose_name = "网格重新划分"

    def ready(self) -> None:
        from . import menu

        menu.register()
