"""Every write of Red Property, by concept: compounds and their committees (`compounds.py`),
companies, their accounts, services, staff and backstops (`companies.py`), party work (`party.py`)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def period_end(row, ended_on: datetime.date | None, *, noun: str, start_noun: str) -> None:
    """End a row with a `started_on` (a company's service, an instructor's posting) on
    `ended_on` (today when not given), never before it started; saved."""
    ended_on = ended_on or timezone.localdate()
    if ended_on < row.started_on:
        raise ValidationError({"ended_on": f"{noun}不能早于{start_noun} {row.started_on:%Y-%m-%d}"})
    row.ended_on = ended_on
    row.save(update_fields=["ended_on"])
