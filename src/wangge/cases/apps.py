from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "wangge.cases"
    verbose_name = "网格事件"

    def ready(self) -> None:
        from wangge.core.figures import register_figures
        from wangge.core.outbox import log_only, sender

        from . import jobs, menu, reference  # noqa: F401  (jobs registers itself)
        from .figures import figures, register_dashboard

        register_figures("cases", figures)
        reference.connect()
        register_dashboard()
        menu.register()
        for kind in ("case.alert", "case.summons", "case.whistle_unassigned", "case.summons_overdue"):
            sender(kind)(log_only)
