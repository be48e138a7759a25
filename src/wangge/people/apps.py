from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wangge.people"
    verbose_name = "人口与组织"

    def ready(self) -> None:
        from wangge.core.figures import register_figures

        from . import menu
        from .figures import figures, register_dashboard

        register_figures("people", figures)
        register_dashboard()
        menu.register()
