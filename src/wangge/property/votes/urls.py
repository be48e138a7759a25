from django.urls import path

from . import views

urlpatterns = [
    path("property/compounds/<int:compound_id>/votes", views.compound_votes, name="property-compound-votes"),
    path("property/votes/<int:vote_id>", views.vote_page, name="property-vote"),
]
