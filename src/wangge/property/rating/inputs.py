"""A round's inputs, computed from the records and never typed: each compound's year of cases
(one GROUP BY over the case links, `links.py`), its registry households and its survey. They
are written on the entries when scoring ends, so that review, publicity and the portal show the
figures the stars were computed from."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from wangge.people.models import Household

from ..models.rating import CompoundCase, RatingEntry, RatingRound, SurveyVote
from .links import compound_cases_link
from .scoring import CaseInputs

FOUR_PLACES = Decimal("0.0001")


def _ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(FOUR_PLACES) if whole else None


def _mean(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def case_inputs(*, year: int, compound_ids: list[int]) -> dict[int, CaseInputs]:
    """Each compound's cases reported in `year` (merged duplicates left out): how many, the
    share of the closed ones closed on time, the share reopened, the mean rating."""
    counted = (
        CompoundCase.objects.filter(compound_id__in=compound_ids, case__reported_at__year=year, case__duplicate_of__isnull=True)
        .values("compound_id")
        .annotate(
            cases=Count("id"), closed=Count("id", filter=Q(case__on_time__isnull=False)), on_time=Count("id", filter=Q(case__on_time=True)),
            reopened=Count("id", filter=Q(case__reopen_count__gt=0)), satisfaction=Avg("case__rating"),
        )
    )
    found = {
        row["compound_id"]: CaseInputs(
            cases=row["cases"], on_time_rate=_ratio(row["on_time"], row["closed"]), reopen_rate=_ratio(row["reopened"], row["cases"]),
            satisfaction=_mean(row["satisfaction"]),
        )
        for row in counted
    }
    return {pk: found.get(pk, CaseInputs(0, None, None, None)) for pk in compound_ids}


def households_of(compound_ids: list[int]) -> dict[int, int]:
    """The registry households living in each compound's buildings."""
    counted = (
        Household.objects.filter(building__compound_holding__compound_id__in=compound_ids)
        .values("building__compound_holding__compound_id").annotate(n=Count("id"))
    )
    found = {row["building__compound_holding__compound_id"]: row["n"] for row in counted}
    return {pk: found.get(pk, 0) for pk in compound_ids}


def survey_of(rating_round: RatingRound) -> dict[int, tuple[int, Decimal | None]]:
    """Each entry's survey: how many households answered, and their mean satisfaction."""
    counted = SurveyVote.objects.filter(round=rating_round).values("entry_id").annotate(n=Count("id"), mean=Avg("satisfaction"))
    return {row["entry_id"]: (row["n"], _mean(row["mean"])) for row in counted}


def entries_inputs_compute(rating_round: RatingRound) -> None:
    """Write every entry's inputs (cases, households, survey) from the records."""
    start = datetime(rating_round.year, 1, 1, tzinfo=timezone.get_current_timezone())
    compound_cases_link(since=start, until=start.replace(year=rating_round.year + 1))
    entries = list(rating_round.entries.all())
    ids = [e.compound_id for e in entries]
    cases, households, survey = case_inputs(year=rating_round.year, compound_ids=ids), households_of(ids), survey_of(rating_round)
    for entry in entries:
        record = cases[entry.compound_id]
        entry.households = households[entry.compound_id]
        entry.cases = record.cases
        entry.cases_per_100 = (Decimal(record.cases) * 100 / entry.households).quantize(Decimal("0.01")) if entry.households else None
        entry.on_time_rate, entry.reopen_rate, entry.case_satisfaction = record.on_time_rate, record.reopen_rate, record.satisfaction
        entry.survey_votes, entry.survey_satisfaction = survey.get(entry.pk, (0, None))
    RatingEntry.objects.bulk_update(
        entries, ["households", "cases", "cases_per_100", "on_time_rate", "reopen_rate", "case_satisfaction", "survey_votes", "survey_satisfaction"],
    )


def entry_case_inputs(entry: RatingEntry) -> CaseInputs:
    return CaseInputs(cases=entry.cases or 0, on_time_rate=entry.on_time_rate, reopen_rate=entry.reopen_rate, satisfaction=entry.case_satisfaction)
