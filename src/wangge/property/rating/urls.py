"""The rating's pages: the back office under /property/ratings, the public site under /ratings."""

from django.urls import path

from . import public_views, views

urlpatterns = [
    path("property/ratings", views.rounds_page, name="rating-rounds"),
    path("property/ratings/scheme", views.scheme_page, name="rating-scheme"),
    path("property/ratings/mine", views.company_results, name="rating-mine"),
    path("property/ratings/visits", views.survey_visits, name="rating-survey-visits"),
    path("property/ratings/<int:round_id>", views.round_page, name="rating-round"),
    path("property/ratings/entries/<int:entry_id>", views.entry_page, name="rating-entry"),
    path("ratings", public_views.ratings_public, name="portal-ratings"),
    path("ratings/survey", public_views.survey_public, name="portal-rating-survey"),
]
