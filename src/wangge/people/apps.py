from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wangge.people"
    verbose_name = "人口与组织"

    def ready(self) -> None:
        from wangge.accounts.persons import PersonRegistry, register_person_registry
        from wangge.core.figures import register_figures
        from wangge.core.pii import register_blind_index
        from wangge.geo import hooks

        from . import menu, notify
        from .figures import figures, register_dashboard
        from .selectors.buildings import building_totals_by_grid
        from .services.buildings import buildings_regrid
        from .services.persons import id_digest

        register_figures("people", figures)
        hooks.on_layer_activated(buildings_regrid)
        hooks.add_grid_totals(building_totals_by_grid)
        register_dashboard()
        menu.register()
        notify.register()
        register_blind_index("people.Person", digest="id_digest", source="id_number", compute=id_digest)
        register_person_registry(PersonRegistry(by_id_number=_by_id_number, find_or_create=_find_or_create, mobile_of=_mobile_of))


# What accounts asks of the registry (`wangge.accounts.persons`): the system administrator and
# the console work district-wide.
def _by_id_number(id_number: str):
    from wangge.geo.scope import Scope

    from .selectors.persons import person_by_id_number
    from .services.persons import id_digest

    return person_by_id_number(Scope.district(), id_digest(id_number))


def _find_or_create(id_number: str, name: str):
    from wangge.geo.scope import Scope

    from .services.persons import person_find_or_create

    return person_find_or_create(scope=Scope.district(), id_number=id_number, name=name)


def _mobile_of(user) -> str:
    from .models import Person

    return Person.objects.filter(user=user).values_list("phone", flat=True).first() or ""
