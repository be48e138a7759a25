"""The project composes the navigation from the entries every app registered (`core.menu`), and
tells the shell how many of the user's notices are unread (`core.notices`)."""

from wangge.core.menu import menu_for
from wangge.core.notices import notices_unread_count


def navigation(request) -> dict:
    return {"menu": menu_for(request.user)}


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    return {"inbox_unread": notices_unread_count(user) if user is not None and user.is_authenticated else 0}
