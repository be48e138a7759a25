"""The redraw pages (included from the root urls at the site root)."""

from django.urls import path

from . import views

urlpatterns = [
    path("grids/redraw", views.redraw, name="grid-redraw"),
    path("grids/redraw/save", views.redraw_save, name="grid-redraw-save"),
    path("grids/redraw/saved", views.redraw_saved, name="grid-redraw-saved"),
    path("grids/redraw/reattach", views.reattach, name="grid-reattach"),
    path("grids/redraw/reattach/apply", views.reattach_submit, name="grid-reattach-apply"),
]
