"""Defacement detection: every published page re-rendered and compared with the digest sealed
at its publication, and scanned again with the lexicon in force. `wangge portal verify` runs it
by hand and exits non-zero on a finding; `wangge worker` runs it every
WANGGE_PORTAL_VERIFY_MINUTES and sends what it finds to the outbox."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.core.outbox import outbox_enqueue

from .models import Article, Disclosure, Stage, VerifyRun
from .render import digest_of
from .words import active_matcher, flag_words, flags_of


@dataclass(frozen=True)
class Finding:
    kind: str  # "article" or "disclosure"
    id: int
    title: str
    path: str
    problem: str


def _path(item) -> str:
    name = "portal-article" if isinstance(item, Article) else "portal-disclosure"
    return reverse(name, args=[item.pk])


def _check(item, matcher) -> list[Finding]:
    kind = "article" if isinstance(item, Article) else "disclosure"
    found = []
    if digest_of(item) != item.digest:
        found.append(Finding(kind, item.pk, item.title, _path(item), "内容与发布时封存的摘要不一致，可能已被篡改"))
    if flags := flags_of(item, matcher):
        if not (item.flags_accepted and {f.word for f in flags} <= {f["word"] for f in item.flags}):
            found.append(Finding(kind, item.pk, item.title, _path(item), f"含敏感词：{flag_words(flags)}"))
    return found


def verify_published() -> tuple[int, list[Finding]]:
    """(pages checked, findings)."""
    checked, findings, matcher = 0, [], active_matcher()
    for model in (Article, Disclosure):
        for item in model.objects.filter(stage=Stage.PUBLISHED).order_by("pk").iterator(chunk_size=200):
            checked += 1
            findings.extend(_check(item, matcher))
    return checked, findings


def verify_run(*, now: datetime) -> VerifyRun:
    run = VerifyRun.objects.create(started_at=now)
    run.checked, findings = verify_published()
    run.findings = [asdict(f) for f in findings]
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
        if findings:
            outbox_enqueue(kind="portal.defaced", payload={"run": run.pk, "findings": run.findings}, due_at=now)
    return run


def verify_if_due(*, now: datetime) -> VerifyRun | None:
    last = VerifyRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    if last is not None and now - last < timedelta(minutes=settings.WANGGE_PORTAL_VERIFY_MINUTES):
        return None
    return verify_run(now=now)
