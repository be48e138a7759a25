from django.contrib import admin

from wangge.accounts.admin_scope import ScopedAdmin

from .models import Building
from .selectors.buildings import building_list


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ("address", "community", "grid_code", "households", "population")
    search_fields = ("address", "name", "grid_code")
    readonly_fields = ("grid_code",)

    def scoped(self, scope):
        return building_list(scope).select_related("community")
