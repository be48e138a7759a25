"""The reason a person gives for a move or a disclosure: stripped, and within its length."""

from django.core.exceptions import ValidationError


def reason_checked(reason: str | None, *, max_length: int, min_length: int = 0, field: str = "reason", noun: str = "原因") -> str:
    """`reason` stripped; refused, naming `field`, when shorter than `min_length` or longer than `max_length`."""
    reason = (reason or "").strip()
    if len(reason) < min_length:
        raise ValidationError({field: f"请填写{noun}，至少 {min_length} 个字"})
    if len(reason) > max_length:
        raise ValidationError({field: f"{noun}不能超过 {max_length} 个字"})
    return reason
