"""The dashboards' pages."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("dashboard", views.headline_page, name="dashboard"),
    path("dashboard/map", views.map_page, name="dashboard-map"),
    path("dashboard/charts", views.charts_page, name="dashboard-charts"),
    path("dashboard/charts/download", views.chart_file, name="dashboard-chart-file"),
    path("dashboard/records", views.records_page, name="dashboard-records"),
]
