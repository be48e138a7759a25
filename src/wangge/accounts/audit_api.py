"""The audit trail over the API: for the auditor, and nobody else (三员分立)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from wangge.core.audit import audit_record, audit_verify
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


@router.get("", response=list[AuditOut])
@paginate(Paged)
def audit_list(request, action: str | None = None, username: str | None = None, since: datetime | None = None, until: datetime | None = None):
    _require_auditor(request.user)
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
