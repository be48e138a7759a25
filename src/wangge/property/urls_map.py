from django.urls import path

from . import views_map

urlpatterns = [
    path("property/map", views_map.compound_map, name="property-map"),
]
