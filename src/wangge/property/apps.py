from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "wangge.property"
    label = "property"
    verbose_name = "红色物业"

    def ready(self) -> None:
        from wangge.cases.routing import register_dispatch_router
        from wangge.core.figures import register_figures
        from wangge.people.workbooks import Kind, register_kind

        from . import menu, workbook
        from .figures import figures, register_dashboard
        from .headline import register_red_property
        from .permissions import can_keep_property
        from .rating import apps as rating_apps
        from .routing import property_route

        register_dispatch_router(property_route)
        register_figures("property", figures)
        register_dashboard()
        register_kind(Kind("compounds", "小区（楼院）", workbook, can_keep_property))
        menu.register()
        register_red_property()
        rating_apps.ready()
