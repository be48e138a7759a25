"""The cases' pages: reporting (phone and portal) and the back office's queues and case page."""

from django.urls import path  # noqa: F401  (the pages add their paths here)

urlpatterns: list = []
