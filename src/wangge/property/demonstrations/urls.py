from django.urls import path

from . import views

urlpatterns = [path("property/demonstrations", views.demonstrations_page, name="property-demonstrations")]
