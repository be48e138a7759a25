"""The redraw pages (included from the root urls at the site root)."""

from django.urls import path

from . import views

urlpatterns = [
    path("grids/redraw", views.redraw, name="grid-redraw"),
    path("grids/redraw/save", views.redraw_save, name="grid-redraw-save"),
    path("grids/redraw/saved", views.redraw_saved, name="grid-redraw-saved"),
    path("grids/redraw/switch", views.switch, name="grid-switch"),
    path("grids/redraw/switch/apply", views.switch_submit, name="grid-switch-apply"),
]
