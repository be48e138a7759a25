from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "wangge.dashboard"
    verbose_name = "数据看板"

    def ready(self) -> None:
        from . import menu

        menu.register()
