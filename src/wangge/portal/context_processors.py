"""What every page may name: the site and its footer."""

from .site import footer_lines, site_name


def site(request) -> dict:
    # An error page drawn after the database failed does not ask it again (core.error_shape).
    return {"site_name": site_name(ask_database=not getattr(request, "drawing_without_database", False)), "footer": footer_lines()}
