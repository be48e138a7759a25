from django.contrib import admin
from django.utils.html import format_html

from . import selectors
from .models import CalendarDay, Case, CasePhoto, Category, Deadline, Department


# The district's own lists. Cases themselves move only through the API's services, which record
# every transition; the admin would bypass them.
@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "concerns_property", "active", "order")
    list_filter = ("kind", "concerns_property", "active")
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")
    filter_horizontal = ("handlers",)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("category", "status", "working_hours")
    list_filter = ("status",)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


class CasePhotoInline(admin.TabularInline):
    """The photos of a case, read only. The files are not served here: the link goes to the API,
    which gives the copy without EXIF and the original only to the case's staff."""

    model = CasePhoto
    fields = ("image", "uploaded_at", "uploaded_by", "content_type", "size", "width", "height", "sha256", "client_id")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="照片")
    def image(self, photo):
        return format_html('<a href="/api/cases/{}/photos/{}" target="_blank" rel="noopener">查看</a>', photo.case_id, photo.pk)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases for reading only, in the user's data scope: they move through the services."""

    list_display = ("number", "status", "category", "grid_code", "department", "reported_at")
    list_filter = ("status", "category")
    search_fields = ("number",)
    fields = ("number", "status", "category", "description", "address", "grid_code", "department", "reported_at", "closed_at", "rating", "duplicate_of")
    readonly_fields = fields
    inlines = [CasePhotoInline]

    def get_queryset(self, request):
        return selectors.case_list(request.user).select_related("category", "department")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
