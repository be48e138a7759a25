"""What a back-office form or API body says, turned into the publishing services' arguments.
Errors name the field, in Chinese, before anything is written."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..publishing import ARTICLE_FIELDS, DISCLOSURE_FIELDS, YEARS

FIELD_LABELS = {
    "section": "栏目", "title": "标题", "summary": "摘要", "body": "正文", "source": "来源", "author": "作者",
    "meta_keywords": "关键词", "meta_description": "页面描述", "kind": "公开类型", "subject_type": "公开对象类型",
    "subject_id": "公开对象编号", "area_code": "所属区域", "shown_from": "公示开始", "shown_until": "公示结束",
}  # fmt: skip


def when(value, field: str) -> datetime | None:
    """A moment from a form ("2026-03-01T09:00") or the API; naive ones are local time."""
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value).strip())
    if moment is None:
        raise ValidationError({field: f"{FIELD_LABELS[field]}不是有效的时间"})
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise ValidationError({field: f"{FIELD_LABELS[field]}应在 {YEARS[0]} 至 {YEARS[1]} 年之间"})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def article_fields(data: dict, *, creating: bool) -> dict:
    fields = {name: data[name] for name in ARTICLE_FIELDS if name in data and data[name] is not None}
    if (creating and not fields.get("section")) or ("section" in fields and not fields["section"]):
        raise ValidationError({"section": "请选择栏目"})
    return fields


def disclosure_fields(data: dict) -> dict:
    fields = {name: data[name] for name in DISCLOSURE_FIELDS if name in data and data[name] is not None}
    for name in ("shown_from", "shown_until"):
        if name in fields:
            fields[name] = when(fields[name], name)
    if "area_code" in fields:
        fields["area_code"] = str(fields["area_code"]).strip()
    return fields
