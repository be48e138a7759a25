from django.urls import path

from . import public, views

urlpatterns = [
    path("projects", views.project_list, name="projects-list"),
    path("projects/new", views.project_form, name="projects-new"),
    path("projects/ledger", views.ledger, name="projects-ledger"),
    path("projects/rounds", views.rounds, name="projects-rounds"),
    path("projects/<int:project_id>", views.project_page, name="projects-page"),
    path("projects/<int:project_id>/edit", views.project_form, name="projects-edit"),
]

# The portal's side (names start with `portal-`: their error pages take the portal's look).
urlpatterns += [
    path("services/projects", public.project_list, name="portal-projects"),
    path("services/projects/<int:project_id>", public.project_page, name="portal-project"),
    path("services/projects/rounds/<int:round_id>", public.round_page, name="portal-project-round"),
]
