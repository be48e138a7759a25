from django.urls import path

from . import views
from .fair import views as fair_views

urlpatterns = [
    path("matching/resources", views.resource_list, name="matching-resources"),
    path("matching/needs", views.need_list, name="matching-needs"),
    path("matching/fairs", fair_views.fair_list, name="matching-fairs"),
    path("matching/fairs/<int:fair_id>", fair_views.fair_page, name="matching-fair"),
    path("matching/proposals", views.proposals, name="matching-proposals"),
]
