"""Receipt numbers (受理编号) for what residents submit: a prefix, the day, and a six-digit
sequence of that day, e.g. XQ20261125000042."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from wangge.core import rows

ATTEMPTS = 50


def next_number(model: type[Model], prefix: str, day: date) -> str:
    """The number after the highest of `day` (read, not reserved: the unique index decides)."""
    start = f"{prefix}{day:%Y%m%d}"
    with rows.cursor() as cursor:  # plain SQL: every report asks, and compiling cost more than running
        cursor.execute(f"SELECT number FROM {model._meta.db_table} WHERE number LIKE %s ORDER BY number DESC LIMIT 1", [start + "%"])  # noqa: S608
        found = cursor.fetchone()
    last = found[0] if found else None
    return f"{start}{(int(last[len(start):]) + 1 if last else 1):06d}"


def save_numbered(item: Model, *, prefix: str) -> Model:
    """Insert `item` with the next free number of today. Two submissions at the same moment may
    read the same last number; the unique index refuses the second, which takes the next."""
    for _ in range(ATTEMPTS):
        item.number = next_number(type(item), prefix, timezone.localdate())
        try:
            with transaction.atomic():
                item.save(force_insert=True)
            return item
        except IntegrityError:
            item.pk = None
    raise IntegrityError("受理编号连续冲突，请稍后重试")
