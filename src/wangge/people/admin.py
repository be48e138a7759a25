from django.contrib import admin

from wangge.geo.admin_scope import ScopedAdmin

from .models import Building, CareCategory, Duty
from .selectors.buildings import building_list


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ("address", "community", "grid_code", "households", "population")
    search_fields = ("address", "name", "grid_code")
    readonly_fields = ("grid_code",)

    def scoped(self, scope):
        return building_list(scope).select_related("community")


# The district's own lists. Persons and their organisations are kept through the API and the
# workbooks, never in the admin, whose forms would show personal fields unmasked.
@admin.register(CareCategory)
class CareCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "new_employment", "order")
    list_filter = ("kind", "new_employment")
