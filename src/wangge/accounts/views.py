"""Signing in and out of the back office and the grid worker's pages."""

from django.contrib.auth.views import LoginView
from django.urls import reverse

from .models import Role


class SignIn(LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # A grid worker's day starts at their own grid; everyone else at the district map.
        return reverse("my-grid") if self.request.user.role == Role.GRID_WORKER else reverse("grid-map")
