"""The back office's portal pages: writing, reviewing and publishing."""

from django.urls import path

from .office import views

urlpatterns: list = [
    path("articles", views.article_list, name="office-articles"),
    path("articles/new", views.article_new, name="office-article-new"),
    path("articles/<int:article_id>", views.article_page, name="office-article"),
    path("articles/<int:article_id>/edit", views.article_edit, name="office-article-edit"),
    path("disclosures", views.disclosure_list, name="office-disclosures"),
    path("disclosures/new", views.disclosure_new, name="office-disclosure-new"),
    path("disclosures/<int:disclosure_id>", views.disclosure_page, name="office-disclosure"),
    path("disclosures/<int:disclosure_id>/edit", views.disclosure_edit, name="office-disclosure-edit"),
    path("objections", views.objection_queue, name="office-objections"),
    path("needs", views.need_list, name="office-needs"),
    path("words", views.sensitive_words, name="office-words"),
]
