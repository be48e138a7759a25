"""The project composes the navigation from the entries every app registered (`core.menu`)."""

from wangge.core.menu import menu_for


def navigation(request) -> dict:
    return {"menu": menu_for(request.user)}
