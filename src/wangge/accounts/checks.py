"""System checks of the account policy."""

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError


@register("security")
def no_superuser_in_production(app_configs=None, **kwargs) -> list[Error]:
    """三员分立: in production nobody holds every right; a superuser would hold all three
    officers' rights at once and pass every permission check."""
    if settings.WANGGE_ENV != "production":
        return []
    from .models import User

    try:
        names = list(User.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)[:5])
    except DatabaseError:  # tables not there yet (before the first migrate)
        return []
    if not names:
        return []
    return [
        Error(
            f"生产环境存在启用的超级管理员账号：{'、'.join(names)}",
            hint="停用这些账号（is_active=False）或取消超级管理员，并用 `wangge officers create` 设立系统管理员、安全管理员、安全审计员",
            id="accounts.E001",
        )
    ]
