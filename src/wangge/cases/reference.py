"""Per-process copies of the small tables that every report reads: the work calendar and the
stage deadlines (a few hundred rows between them, changed a few times a year).

A copy is dropped as soon as this process writes one of those tables, and in any case after
REFERENCE_SECONDS: that bounds how long another process (another gunicorn worker) may go on
using a copy from before someone changed the calendar or a deadline elsewhere.
"""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db.models.signals import post_delete, post_save

REFERENCE_SECONDS = 60

T = TypeVar("T")
_lock = threading.Lock()
_copies: dict[object, tuple[float, object]] = {}


def reference(key: object, load: Callable[[], T]) -> T:
    """The copy of `key`, loaded by `load` when there is none or it is too old."""
    now = time.monotonic()
    with _lock:
        held = _copies.get(key)
        if held is not None and now - held[0] < REFERENCE_SECONDS:
            return held[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _copies[key] = (now, value)
    return value


def reference_clear(**kwargs) -> None:
    with _lock:
        _copies.clear()


def connect() -> None:
    from .models import CalendarDay, Category, Deadline

    for model in (CalendarDay, Deadline, Category):
        post_save.connect(reference_clear, sender=model, dispatch_uid=f"reference-save-{model.__name__}")
        post_delete.connect(reference_clear, sender=model, dispatch_uid=f"reference-delete-{model.__name__}")
