"""The audit trail over the API: for the auditor, and nobody else (三员分立)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from wangge.core.audit import audit_record, audit_verify
from wangge.core.errors import ErrorOut
from wangge.core.models import AuditRecord
from wangge.core.pagination import Paged

from . import permissions

router = Router(tags=["审计"])


class AuditOut(Schema):
    chain: int
    seq: int
    at: datetime
    user_id: int | None
    username: str
    action: str
    object_type: str
    object_id: str
    result: str
    address: str | None
    before: dict | list | str | None
    after: dict | list | str | None
    detail: str


class VerdictOut(Schema):
    ok: bool
    checked: int
    first_bad: int | None
    reason: str
    chain: int | None


def _require_auditor(user) -> None:
    if not permissions.can_read_audit(user):
        raise PermissionDenied("只有安全审计员可以查看审计记录")


MOMENT_HELP = "日期（如 2026-03-01，当天 0 时起）或 ISO 8601 时间（如 2026-03-01T09:00:00+08:00）"
FILTER_LABELS = {"since": "起始时间", "until": "截止时间"}


def _moment(field: str, text: str | None) -> datetime | None:
    """A filter's moment: a date (its midnight here) or an ISO 8601 time (naive: here); a 400
    naming the field otherwise, rather than a filter silently dropped."""
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime(day.year, day.month, day.day)
    if moment is None:
        raise ValidationError({field: f"{FILTER_LABELS[field]}格式不正确，应为{MOMENT_HELP}"})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@router.get("", response={200: list[AuditOut], 400: ErrorOut, 403: ErrorOut})
@paginate(Paged)
def audit_list(
    request, action: str | None = None, username: str | None = None,
    since: str | None = Query(None, description=f"起始时间（含）：{MOMENT_HELP}"),
    until: str | None = Query(None, description=f"截止时间（不含）：{MOMENT_HELP}"),
):
    _require_auditor(request.user)
    since, until = _moment("since", since), _moment("until", until)
    rows = AuditRecord.objects.order_by("-at", "-id")
    if action:
        rows = rows.filter(action__startswith=action)
    if username:
        rows = rows.filter(username=username)
    if since:
        rows = rows.filter(at__gte=since)
    if until:
        rows = rows.filter(at__lt=until)
    audit_record(action="audit.read", detail=f"action={action or ''} username={username or ''}")
    return rows


@router.get("/verify", response=VerdictOut)
def audit_check(request):
    _require_auditor(request.user)
    verdict = audit_verify()
    audit_record(action="audit.verified", result="ok" if verdict.ok else "failed", detail=verdict.reason)
    return verdict.__dict__
