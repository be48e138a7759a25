from django.urls import path

from . import views_from

urlpatterns = [
    path("projects/from/match/<int:match_id>", views_from.from_match, name="projects-from-match"),
    path("projects/from/resolution/<int:deliberation_id>", views_from.from_resolution, name="projects-from-resolution"),
    path("projects/from/<int:project_id>", views_from.project_page, name="projects-from-page"),
]
