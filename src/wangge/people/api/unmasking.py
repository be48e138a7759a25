"""The one body of the unmask endpoints (a resident, a staff member): the role is refused
before the lookup, the lookup goes through the caller's scope, and the service audits."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from ninja import Schema

from wangge.core.errors import ErrorOut
from wangge.geo.scope import Scope, scope_of

from .. import permissions

REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class UnmaskIn(Schema):
    reason: str = ""


def unmask_answer(request, *, find: Callable[[Scope], object], show: Callable[[object], dict]) -> dict:
    """`show(find(scope))` for a caller allowed to unmask, else 403."""
    # The role is refused before the lookup: the same 403 for any id, so nothing leaks.
    if not permissions.can_unmask(request.user):
        raise PermissionDenied("没有权限查看完整个人信息")
    return show(find(scope_of(request.user)))
