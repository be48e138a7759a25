from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "wangge.cases"
    verbose_name = "网格事件"

    def ready(self) -> None:
        from wangge.core.figures import register_figures

        from . import jobs, menu, notify, reference  # noqa: F401  (jobs registers itself)
        from .figures import figures, register_dashboard

        register_figures("cases", figures)
        reference.connect()
        register_dashboard()
        menu.register()
        notify.register()
