"""Who may read the people reports, for the pages and the API alike (one rule, one place)."""

from django.core.exceptions import PermissionDenied

from wangge.accounts import permissions


def require_report_reader(user) -> None:
    """The staffing and party-organisation reports name every grid short of staff in the
    caller's scope: officials read them, grid workers see their own grid's pages instead."""
    if not permissions.can_read_reports(user):
        raise PermissionDenied("只有区、街道、社区干部可以查看此报表")
