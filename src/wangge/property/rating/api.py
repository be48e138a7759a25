"""The rating's public answers: a company's published results, year by year."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from wangge.core.errors import ErrorOut

from ..models.companies import PropertyCompany
from . import selectors

router = Router(tags=["星级评定"])


class ResultOut(Schema):
    year: int
    compound: str
    total: Decimal | None
    stars: int | None
    cases: int | None
    cases_per_100: Decimal | None
    on_time_rate: Decimal | None
    reopen_rate: Decimal | None
    case_satisfaction: Decimal | None
    survey_votes: int | None
    survey_satisfaction: Decimal | None


class HistoryOut(Schema):
    company: str
    results: list[ResultOut]


@router.get("/companies/{company_id}/history", response={200: HistoryOut, 404: ErrorOut}, auth=None)
def company_history(request, company_id: int):
    """What the portal discloses of a company: its results in the published rounds, with the
    case-derived and survey inputs beside each score. Companies are public; unpublished rounds are not shown."""
    company = get_object_or_404(PropertyCompany, pk=company_id)
    rows = [
        ResultOut(year=e.round.year, compound=e.compound.name, **{f: getattr(e, f) for f in ResultOut.model_fields if f not in ("year", "compound")})
        for e in selectors.company_history(company.pk)
    ]
    return {"company": company.name, "results": rows}
