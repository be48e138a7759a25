from django.urls import path

from . import views

urlpatterns = [
    path("projects", views.project_list, name="projects-list"),
    path("projects/new", views.project_form, name="projects-new"),
    path("projects/<int:project_id>", views.project_page, name="projects-page"),
    path("projects/<int:project_id>/edit", views.project_form, name="projects-edit"),
]
