"""What every page may name: the site and its footer."""

from .site import footer_lines, site_name


def site(request) -> dict:
    return {"site_name": site_name(), "footer": footer_lines()}
