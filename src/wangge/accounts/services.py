"""Writes to accounts."""

from django.conf import settings
from django.db import transaction

from .models import Role, User


@transaction.atomic
def admin_ensure(*, username: str, password: str) -> bool:
    """The district-wide administrator of a development or demo install; True when created."""
    user, created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = user.is_superuser = user.is_active = True
    user.role = Role.DISTRICT_OFFICIAL
    user.full_name = user.full_name or "系统管理员"
    user.scope_code = f"{settings.WANGGE_DISTRICT_CODE}000000"
    user.save()
    return created
