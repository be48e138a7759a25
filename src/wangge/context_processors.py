"""The project composes the back-office shell from what every app registered: the side menu
(`core.menu`), the page's place in it (breadcrumbs), who is signed in, as what, where, and how many of their notices are unread
(`core.notices`)."""

from wangge.core.menu import active_entry, menu_for, menu_sections_for
from wangge.core.notices import notices_unread_count
from wangge.geo.selectors import node_name


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or getattr(request, "drawing_without_database", False) or not user.is_authenticated:
        return {"menu": [], "menu_sections": [], "menu_active": None}
    entries = menu_for(user)
    return {
        "menu": entries,
        "menu_sections": menu_sections_for(user),
        "menu_active": active_entry(entries, request.path),
        "shell_role": user.get_role_display() if getattr(user, "role", "") else ("超级管理员" if user.is_superuser else ""),
        "shell_node": _node_name(user),
    }


def _node_name(user) -> str:
    code = getattr(user, "scope_code", "") or ""
    return (node_name(code) or code) if code else ""


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if getattr(request, "drawing_without_database", False):
        return {"inbox_unread": 0}
    return {"inbox_unread": notices_unread_count(user) if user is not None and user.is_authenticated else 0}
