"""The publication port: how an app makes a record of its own public on the portal without
importing it (the portal and the apps whose records it discloses stand on one floor).

The portal registers the one function that publishes (`register_publisher`, from its
`ready()`); an app calls `publish` with what to show, generated from its records, once its own
workflow has decided it may be made public (a rating round's review, for instance). The answer
is the disclosure's id, which the app keeps to link to it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Publication:
    kind: str  # a disclosure kind the portal knows ("rating" ...)
    subject_type: str  # what is disclosed, and its id: the record the page is generated from
    subject_id: str
    title: str
    body: str  # HTML; the portal cleans it like any other
    area_code: str  # "" for the whole district
    shown_from: datetime
    shown_until: datetime


_publishers: list[Callable[..., str]] = []


def register_publisher(publisher: Callable[..., str]) -> None:
    """`publisher(publication, *, actor) -> id`: the portal's, registered once."""
    _publishers[:] = [publisher]


def publish(publication: Publication, *, actor) -> str:
    """Publish on the portal as `actor`, who decided it in the app's own workflow; the id of
    what the portal shows."""
    if not _publishers:
        raise ImproperlyConfigured("门户未接入发布端口：wangge.portal 须在 INSTALLED_APPS 中")
    return _publishers[0](publication, actor=actor)


_objection_counters: list[Callable[[str], int]] = []


def register_objection_counter(counter: Callable[[str], int]) -> None:
    """`counter(disclosure_id) -> int`: the portal's count of a disclosure's unanswered objections."""
    _objection_counters[:] = [counter]


def unanswered_objections(disclosure_id: str) -> int:
    """How many objections to a published disclosure still wait for an answer."""
    if not _objection_counters:
        raise ImproperlyConfigured("门户未接入发布端口：wangge.portal 须在 INSTALLED_APPS 中")
    return _objection_counters[0](disclosure_id)
