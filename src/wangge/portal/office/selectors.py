"""Reads for the back office, always through the caller's scope.

Articles speak for the whole district: only those who may write them see them. Disclosures,
their objections and residents' needs belong to an area: an official sees those of their
subtree, a district-wide official (or the superuser) all of them, including the district's own
('' area). Anyone else is refused before any lookup, so a missing and a hidden object answer
alike.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from wangge.geo.models import Division
from wangge.geo.scope import scope_of
from wangge.matching.models import Need

from ..areas import area_name  # noqa: F401  (the pages name areas through the selectors)
from ..models import Article, Disclosure, Objection, Publishable, SensitiveWord, Stage
from ..permissions import may_use_office, may_write_articles
from ..workflow import workflow_of


def _area_q(user, field: str) -> Q:
    if user.is_superuser:
        return Q()
    scope = scope_of(user)
    return Q() if scope.is_district else scope.q(field)


def _office(user) -> None:
    if not may_use_office(user):
        raise PermissionDenied("只有区、街道、社区干部可以使用门户后台")


def article_list(user, stage: str = "") -> QuerySet[Article]:
    if not may_write_articles(user):
        raise PermissionDenied("只有区级干部可以管理新闻稿件")
    articles = Article.objects.select_related("section", "created_by", "submitted_by", "reviewed_by")
    return (articles.filter(stage=stage) if stage else articles).order_by("-updated_at", "-pk")


def article_get(user, pk: int) -> Article:
    return get_object_or_404(article_list(user), pk=pk)


def disclosure_list(user, stage: str = "") -> QuerySet[Disclosure]:
    _office(user)
    disclosures = Disclosure.objects.filter(_area_q(user, "area_code")).select_related("created_by", "submitted_by", "reviewed_by")
    return (disclosures.filter(stage=stage) if stage else disclosures).order_by("-updated_at", "-pk")


def disclosure_get(user, pk: int) -> Disclosure:
    return get_object_or_404(disclosure_list(user), pk=pk)


def stage_counts(items: QuerySet) -> list[dict]:
    """Each stage with how many of `items` are in it, in the workflow's order."""
    counts = dict(items.order_by().values_list("stage").annotate(n=Count("pk")))
    return [{"stage": stage.value, "label": stage.label, "count": counts.get(stage.value, 0)} for stage in Stage]


def publication_history(item: Publishable) -> list[dict]:
    """Every move of a piece, oldest first: who, when, from, to and why, with the stages' names.
    `item` was read through the caller's scope (`article_get`, `disclosure_get`)."""
    flow = workflow_of(item)
    return [
        {"at": step.at, "actor": str(step.actor) if step.actor else "系统", "from_label": flow.label(step.from_status),
         "to_label": flow.label(step.to_status), "reason": step.reason}
        for step in item.transitions.select_related("actor").order_by("at", "pk")
    ]


def objection_pending(user) -> QuerySet[Objection]:
    _office(user)
    mine = Objection.objects.filter(_area_q(user, "disclosure__area_code"), state=Objection.State.PENDING)
    return mine.select_related("disclosure").order_by("submitted_at", "pk")


def objection_get(user, pk: int) -> Objection:
    _office(user)
    return get_object_or_404(Objection.objects.filter(_area_q(user, "disclosure__area_code")).select_related("disclosure"), pk=pk)


def need_list(user, state: str = "") -> QuerySet[Need]:
    _office(user)
    needs = Need.objects.filter(_area_q(user, "community_code"))
    return (needs.filter(state=state) if state else needs).order_by("-submitted_at", "-pk")


def area_choices(user) -> list[tuple[str, str]]:
    """The areas the user may publish a disclosure for: '' (the whole district) for a
    district-wide official, then every division of their subtree."""
    _office(user)
    choices = [("", "全区")] if user.is_superuser or scope_of(user).is_district else []
    divisions = Division.objects.filter(_area_q(user, "code")).exclude(kind=Division.Kind.DISTRICT).order_by("code")
    return choices + [(d.code, f"{d.name}（{d.code}）") for d in divisions.only("code", "name")]


def division_names(codes: set[str]) -> dict[str, str]:
    return dict(Division.objects.filter(code__in=codes).values_list("code", "name"))


def sensitive_word_list() -> QuerySet[SensitiveWord]:
    return SensitiveWord.objects.order_by("-active", "category", "word")
