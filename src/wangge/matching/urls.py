from django.urls import path

from . import views

urlpatterns = [
    path("matching/resources", views.resource_list, name="matching-resources"),
    path("matching/needs", views.need_list, name="matching-needs"),
    path("matching/fairs", views.fair_list, name="matching-fairs"),
    path("matching/proposals", views.proposals, name="matching-proposals"),
]
