"""The checks resources and needs share: kinds, counts, days and hours, each error naming its field."""

from django.core.exceptions import ValidationError

from .kinds import Kind

MAX_UNITS = 100_000
MAX_TEXT = 1000


def text_checked(value, *, field: str, noun: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise ValidationError({field: f"{noun}应为文字"})
    if required and not value:
        raise ValidationError({field: f"请填写{noun}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{noun}不能超过 {max_length} 字"})
    return value


def choice_checked(value, choices, *, field: str, noun: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: f"请选择{noun}（可选：{'、'.join(choices.labels)}）"})
    return value


def count_checked(value, *, field: str, noun: str, low: int = 1, high: int = MAX_UNITS) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({field: f"{noun}应为 {low} 至 {high} 之间的整数"})
    return value


def kinds_checked(values, *, field: str) -> list[str]:
    if not isinstance(values, list | tuple) or any(v not in Kind.values for v in values):
        raise ValidationError({field: f"类型应为以下之一：{'、'.join(Kind.labels)}"})
    return [k for k in Kind.values if k in values]


def weekdays_checked(values, *, field: str, empty_allowed: bool) -> list[int]:
    if not isinstance(values, list | tuple) or any(isinstance(d, bool) or d not in range(1, 8) for d in values):
        raise ValidationError({field: "日子应为 1（周一）至 7（周日）的整数"})
    if not values and not empty_allowed:
        raise ValidationError({field: "请至少选择一天"})
    return sorted(set(values))


def hours_checked(start, end, *, fields: tuple[str, str]) -> tuple[int, int]:
    start = count_checked(start, field=fields[0], noun="开始时间", low=0, high=23)
    end = count_checked(end, field=fields[1], noun="结束时间", low=1, high=24)
    if end <= start:
        raise ValidationError({fields[1]: "结束时间应晚于开始时间"})
    return start, end
