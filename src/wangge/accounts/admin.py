from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .admin_scope import ScopedAdmin
from .models import ApiToken, User


@admin.register(User)
class ScopedUserAdmin(ScopedAdmin, UserAdmin):
    list_display = ("username", "full_name", "role", "scope_code", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "scope_code")
    fieldsets = (*UserAdmin.fieldsets, ("网格化治理", {"fields": ("full_name", "role", "scope_code")}))

    def scoped(self, scope):
        return User.objects.filter(scope.q("scope_code"))


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ("user", "created_at", "last_used_at")
    readonly_fields = ("user", "digest", "created_at", "last_used_at")

    def scoped(self, scope):
        return ApiToken.objects.filter(scope.q("user__scope_code")).select_related("user")

    def has_add_permission(self, request):
        return False
