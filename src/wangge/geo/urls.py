"""Back-office pages of the grid layers (included from the root urls at the site root)."""

from django.urls import path

from . import views_redraw

urlpatterns = [
    path("grids/redraw", views_redraw.redraw, name="grid-redraw"),
    path("grids/redraw/save", views_redraw.redraw_save, name="grid-redraw-save"),
    path("grids/redraw/saved", views_redraw.redraw_saved, name="grid-redraw-saved"),
    path("grids/redraw/reattach", views_redraw.reattach, name="grid-reattach"),
    path("grids/redraw/reattach/apply", views_redraw.reattach_submit, name="grid-reattach-apply"),
]
