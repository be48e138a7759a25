from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

from wangge.geo.admin_scope import ScopedAdmin

from .models import ApiToken, Role, User
from .models.users import OFFICERS

# An officer's account is kept from the console and by the other two officers (三员分立), never
# through the admin: neither its role, scope and status nor its password are editable here.
OFFICER_LOCKED = ("role", "scope_code", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class ScopedUserAdmin(ScopedAdmin, UserAdmin):
    list_display = ("username", "full_name", "role", "scope_code", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "scope_code")
    fieldsets = (*UserAdmin.fieldsets, ("网格化治理", {"fields": ("full_name", "role", "scope_code")}))

    def scoped(self, scope):
        return User.objects.filter(scope.q("scope_code"))

    def get_readonly_fields(self, request, obj=None):
        locked = OFFICER_LOCKED if obj is not None and obj.role in OFFICERS else ()
        return (*super().get_readonly_fields(request, obj), *locked)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = [("", "---------"), *((value, label) for value, label in Role.choices if value not in OFFICERS)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        if User.objects.filter(pk=id, role__in=OFFICERS).exists():
            raise PermissionDenied("三员的密码只能由另外两名三员共同重置，或在服务器上用 `wangge officers reset` 重置")
        return super().user_change_password(request, id, form_url)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ("user", "created_at", "last_used_at", "expires_at")
    readonly_fields = ("user", "digest", "created_at", "last_used_at", "expires_at")

    def scoped(self, scope):
        return ApiToken.objects.filter(scope.q("user__scope_code")).select_related("user")

    def has_add_permission(self, request):
        return False
