"""Writes to supply and demand: a need stated on the portal."""

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.core.contacts import clean_contact
from wangge.core.receipts import save_numbered
from wangge.geo.models import Division

from .models import Need

CATEGORIES = ("养老服务", "助残服务", "儿童关爱", "医疗健康", "就业帮扶", "文体活动", "法律服务", "环境改善", "其他")
MAX_TEXT = 1000


@transaction.atomic
def need_submit(*, category: str, description: str, community_code: str, name: str, phone: str, user=None) -> Need:
    if category not in CATEGORIES:
        raise ValidationError({"category": "请选择需求类别"})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "请填写需求内容"})
    if len(description) > MAX_TEXT:
        raise ValidationError({"description": f"需求内容不能超过 {MAX_TEXT} 字"})
    if not Division.objects.filter(kind=Division.Kind.COMMUNITY, code=community_code).exists():
        raise ValidationError({"community_code": "请选择所在社区"})
    name, phone = clean_contact(name, phone, required=True)
    need = Need(category=category, description=description, community_code=community_code, name=name, phone=phone,
                submitted_by=user if user is not None and user.is_authenticated else None)
    return save_numbered(need, prefix="XQ")
