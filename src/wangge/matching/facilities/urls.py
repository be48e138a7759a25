from django.urls import path

from . import public

urlpatterns = [
    path("services/facilities", public.facility_map, name="portal-facility-map"),
]
