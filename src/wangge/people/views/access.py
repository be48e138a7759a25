"""Who may open the people pages at all. Which rows they then see is the data scope's business."""

from django.core.exceptions import PermissionDenied

from wangge.people import permissions


def require_grid_reader(user) -> None:
    if not permissions.can_read_grid_pages(user):
        raise PermissionDenied("只有网格员和干部可以查看网格页面")
