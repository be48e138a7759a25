from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "wangge.geo"
    verbose_name = "区划与网格"

    def ready(self) -> None:
        from wangge.core.figures import register_figures

        from .figures import figures, register_dashboard

        register_figures("geo", figures)
        register_dashboard()
