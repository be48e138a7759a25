from django.urls import path

from . import views

urlpatterns = [
    path("matching/deliberations", views.deliberation_list, name="deliberation-list"),
    path("matching/deliberations/<int:deliberation_id>", views.deliberation_page, name="deliberation-page"),
]
