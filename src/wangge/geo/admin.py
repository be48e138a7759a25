from django.contrib import admin

from .admin_scope import ScopedAdmin
from .models import Division, Grid, GridLayer, GridLayerActivation
from .selectors import division_list, grids_in_scope


@admin.register(Division)
class DivisionAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    readonly_fields = ("geometry",)

    def scoped(self, scope):
        return division_list(scope).select_related("parent")


@admin.register(Grid)
class GridAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "layer", "households", "population")
    list_filter = ("level", "layer")
    search_fields = ("code", "name")
    readonly_fields = ("layer", "code", "level", "parent", "community", "geometry", "households", "population")

    def scoped(self, scope):
        return grids_in_scope(scope, Grid.objects.select_related("layer"))

    def has_add_permission(self, request):
        return False  # grids come in whole layers, through import


@admin.register(GridLayer)
class GridLayerAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "is_active", "source_crs", "created_at", "created_by")
    readonly_fields = ("is_active", "source_crs", "created_at", "created_by")

    def has_add_permission(self, request):
        return False  # layers are imported (wangge grids import, POST /api/grids/layers)


@admin.register(GridLayerActivation)
class GridLayerActivationAdmin(admin.ModelAdmin):
    list_display = ("at", "layer", "previous", "actor", "reason")
    readonly_fields = ("at", "layer", "previous", "actor", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
