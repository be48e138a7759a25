"""Reads for the public pages: only what is published, and disclosures by their period.

The public is one audience, so nothing here takes a user: a piece is shown to everyone once it
is published, and to no one before or after (a withdrawn piece answers 404).
"""

from datetime import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from wangge.geo.models import Division
from wangge.geo.scope import Scope
from wangge.geo.selectors import division_list

from .models import Article, Disclosure, Section, Stage

SEARCH_LIMIT = 500


def article_published_list() -> QuerySet[Article]:
    return Article.objects.filter(stage=Stage.PUBLISHED).select_related("section")


def article_published_get(pk: int) -> Article:
    return get_object_or_404(article_published_list(), pk=pk)


def article_page_key(pk: int) -> tuple | None:
    """What the cached article page depends on, in one query by primary key: its last change,
    its sealed digest and its section's code and name (shown in the breadcrumb). None if not
    published. Plain SQL: it runs on every article request, and building it through the ORM
    costs more than running it."""
    article, section = Article._meta.db_table, Section._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.updated_at, a.digest, s.code, s.name FROM {article} a JOIN {section} s ON s.id = a.section_id "  # noqa: S608
            "WHERE a.id = %s AND a.stage = %s",
            [pk, Stage.PUBLISHED],
        )
        return cursor.fetchone()


def section_list() -> list[Section]:
    return list(Section.objects.order_by("order", "code"))


def section_get(code: str) -> Section:
    return get_object_or_404(Section, code=code)


def sections_with_latest(count: int) -> list[tuple[Section, list[Article]]]:
    """Each section with its `count` newest published articles: one small query per section,
    each served by the index (section, stage, -published_at)."""
    published = article_published_list().order_by("-published_at", "-pk")
    return [(section, list(published.filter(section=section)[:count])) for section in section_list()]


def disclosure_published_list() -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(stage=Stage.PUBLISHED)


def disclosure_published_get(pk: int) -> Disclosure:
    return get_object_or_404(disclosure_published_list(), pk=pk)


def disclosures_current(now: datetime, kind: str = "") -> QuerySet[Disclosure]:
    shown = disclosure_published_list().filter(shown_from__lte=now, shown_until__gt=now)
    return (shown.filter(kind=kind) if kind else shown).order_by("-shown_from", "-pk")


def disclosures_past(now: datetime, kind: str = "") -> QuerySet[Disclosure]:
    """往期公示: the period is over, the record stays readable."""
    past = disclosure_published_list().filter(shown_until__lte=now)
    return (past.filter(kind=kind) if kind else past).order_by("-shown_until", "-pk")


def _matching(queryset: QuerySet, query: str) -> QuerySet:
    return queryset.filter(Q(title__icontains=query) | Q(body_text__icontains=query))


def search_published(query: str, now: datetime) -> list[dict]:
    """Published articles and disclosures whose title or text holds `query`, newest first
    (at most SEARCH_LIMIT of each). A disclosure whose period has not begun is not found."""
    fields = ("pk", "title", "body_text", "published_at")
    articles = _matching(article_published_list(), query).order_by("-published_at", "-pk").values(*fields, "section__name")[:SEARCH_LIMIT]
    shown = disclosure_published_list().filter(shown_from__lte=now)
    disclosures = _matching(shown, query).order_by("-published_at", "-pk").values(*fields, "kind")[:SEARCH_LIMIT]
    found = [{**a, "type": "article"} for a in articles] + [{**d, "type": "disclosure"} for d in disclosures]
    return sorted(found, key=lambda hit: (hit["published_at"], hit["pk"]), reverse=True)


def communities() -> list[Division]:
    """Every community of the district with its subdistrict, for residents to choose from."""
    return list(division_list(Scope.district()).filter(kind=Division.Kind.COMMUNITY).select_related("parent").order_by("parent__code", "code"))
