from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wangge.people"
    verbose_name = "人口与组织"

    def ready(self) -> None:
        from wangge.core.figures import register_figures
        from wangge.geo import hooks

        from . import menu
        from .figures import figures, register_dashboard
        from .selectors.buildings import building_totals_by_grid
        from .services.buildings import buildings_regrid

        register_figures("people", figures)
        hooks.on_layer_activated(buildings_regrid)
        hooks.add_grid_totals(building_totals_by_grid)
        register_dashboard()
        menu.register()
