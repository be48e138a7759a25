from django.apps import AppConfig


def _signed_in(user) -> bool:
    return user.is_authenticated


class GeoConfig(AppConfig):
    name = "wangge.geo"
    verbose_name = "区划与网格"

    def ready(self) -> None:
        from wangge.core.figures import register_figures
        from wangge.core.menu import register_menu_entry

        from .figures import figures, register_dashboard

        register_figures("geo", figures)
        register_menu_entry("网格地图", "grid-map", section="geo", order=10, visible=_signed_in)
        register_dashboard()
