"""What every page may name: the site."""

from .site import site_name


def site(request) -> dict:
    return {"site_name": site_name()}
