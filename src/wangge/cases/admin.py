from django.contrib import admin

from .models import CalendarDay, Category, Deadline, Department


# The district's own lists. Cases themselves move only through the API's services, which record
# every transition; the admin would bypass them.
@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "active", "order")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "active")
    list_filter = ("active",)
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
