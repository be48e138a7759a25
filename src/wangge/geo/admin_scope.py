"""The admin's share of the data scope: every scoped model admin reads through a selector."""

from django.contrib import admin

from .scope import scope_of


class ScopedAdmin(admin.ModelAdmin):
    """Subclasses name the selector that limits their rows to the user's subtree."""

    def scoped(self, scope):
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scoped(scope_of(request.user))
