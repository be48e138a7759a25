from django.urls import path

from . import public, views

urlpatterns = [
    path("services/facilities", public.facility_map, name="portal-facility-map"),
    path("matching/facilities", views.facility_list, name="facility-list"),
    path("matching/facilities/new", views.facility_form, name="facility-new"),
    path("matching/facilities/<int:facility_id>", views.facility_form, name="facility-edit"),
]
