"""The district's categories of service projects: added, renamed and switched off by
district-wide officials. A category in use is never deleted; switched off, it takes no new
projects."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from ..models import Category
from ..permissions import require_category_keeper


def _saved(category: Category) -> Category:
    category.name = (category.name or "").strip()
    if not category.name:
        raise ValidationError({"name": "请填写类别名称"})
    category.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise ValidationError({"name": f"已有名为「{category.name}」或代码相同的类别"}) from None
    return category


@transaction.atomic
def category_add(*, actor, code: str, name: str) -> Category:
    require_category_keeper(actor)
    code = slugify(code or "")
    if not code:
        raise ValidationError({"code": "请填写类别代码（小写字母、数字或连字符）"})
    last = Category.objects.order_by("-order").values_list("order", flat=True).first() or 0
    return _saved(Category(code=code, name=name, order=last + 10))


@transaction.atomic
def category_change(*, actor, category: Category, name: str | None = None, active: bool | None = None) -> Category:
    require_category_keeper(actor)
    category = Category.objects.select_for_update().get(pk=category.pk)
    if name is not None:
        category.name = name
    if active is not None:
        category.active = active
    return _saved(category)
