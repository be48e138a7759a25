"""Unmasked bulk exports: requested with a reason, approved by a second person, used once.

A workbook export is masked (`people/masks.py`). Personal information in full leaves in bulk
only against an `ExportApproval`: the requester states why (PIPL art. 6, 51), the security
administrator approves (三员分立; the database refuses approval by the requester), and the
requester alone may use it, for its kind, once, within `VALID_FOR` of the approval. Every step,
refusals included, is in the audit trail (GB/T 22239-2019 8.1.4.3).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from wangge.core.audit import audit_record
from wangge.core.models import AuditRecord
from wangge.core.reasons import reason_checked
from wangge.geo.scope import scope_of

from . import permissions
from .models import ExportApproval

REASON_MIN_LENGTH = 4
VALID_FOR = timedelta(hours=24)


def reason_required(reason: str | None, *, field: str = "reason") -> str:
    """The stated purpose of a disclosure of personal information, stripped; refused when too short."""
    limit = ExportApproval._meta.get_field("reason").max_length
    return reason_checked(reason, min_length=REASON_MIN_LENGTH, max_length=limit, field=field, noun="事由")


def _refused(*, action: str, approval_id, problem: Exception) -> Exception:
    """Record a refused step (outside the refused transaction, so the row stays) and hand the error back."""
    message = problem.messages[0] if isinstance(problem, ValidationError) else (str(problem) or "未找到该对象")
    audit_record(action=action, result=AuditRecord.Result.DENIED, object_type="accounts.exportapproval", object_id=str(approval_id or ""), detail=message)
    return problem


@transaction.atomic
def export_approval_request(*, kind, reason: str, actor) -> ExportApproval:
    """`kind` is a workbook kind (`people.workbooks.Kind`); the caller has checked that it exists."""
    if not kind.may_write(actor) or scope_of(actor).prefix is None:
        raise PermissionDenied(f"没有权限导出{kind.title}")
    approval = ExportApproval(kind=kind.name, reason=reason_required(reason), requested_by=actor)
    approval.full_clean()
    approval.save()
    audit_record(action="export.requested", obj=approval, after={"kind": kind.name}, detail=f"事由：{approval.reason}")
    return approval


def export_approval_approve(*, approval_id: int, actor) -> ExportApproval:
    try:
        return _approve(approval_id=approval_id, actor=actor)
    except (PermissionDenied, ValidationError, Http404) as problem:
        raise _refused(action="export.approved", approval_id=approval_id, problem=problem) from None


@transaction.atomic
def _approve(*, approval_id: int, actor) -> ExportApproval:
    if not permissions.can_approve_exports(actor):
        raise PermissionDenied("只有安全管理员可以审批导出申请")
    approval = ExportApproval.objects.select_for_update().filter(pk=approval_id).first()
    if approval is None:
        raise Http404
    if approval.requested_by_id == actor.pk:
        raise ValidationError({"approval": "不能审批自己提出的申请"})
    if approval.approved_at is not None:
        raise ValidationError({"approval": "该申请已审批"})
    approval.approved_by, approval.approved_at = actor, timezone.now()
    approval.full_clean()
    approval.save(update_fields=["approved_by", "approved_at"])
    audit_record(action="export.approved", obj=approval, after={"kind": approval.kind, "requested_by": approval.requested_by.get_username()})
    return approval


def export_approval_use(*, approval_id: int, kind, actor) -> ExportApproval:
    """Use up the approval for one unmasked export of `kind` by `actor`. Committed before the
    workbook is written: should writing fail, the approval is spent rather than reusable."""
    try:
        return _use(approval_id=approval_id, kind=kind, actor=actor)
    except (PermissionDenied, ValidationError, Http404) as problem:
        raise _refused(action="export.unmasked", approval_id=approval_id, problem=problem) from None


@transaction.atomic
def _use(*, approval_id: int, kind, actor) -> ExportApproval:
    # Someone else's approval answers as a missing one: its existence is not theirs to learn.
    approval = ExportApproval.objects.select_for_update().filter(pk=approval_id, requested_by=actor).first()
    if approval is None:
        raise Http404
    now = timezone.now()
    if approval.kind != kind.name:
        raise ValidationError({"approval": f"该审批用于导出“{approval.kind}”，不能用于“{kind.name}”"})
    if approval.approved_at is None:
        raise ValidationError({"approval": "该申请尚未审批"})
    if approval.used_at is not None:
        raise ValidationError({"approval": "该审批已使用，每次审批只能导出一次"})
    if now - approval.approved_at > VALID_FOR:
        raise ValidationError({"approval": "该审批已过期（批准后 24 小时内有效）"})
    if not kind.may_write(actor):
        raise PermissionDenied(f"没有权限导出{kind.title}")
    approval.used_at = now
    approval.save(update_fields=["used_at"])
    return approval


def export_approval_list(*, actor):
    """The security administrator sees every request (to approve them); anyone else their own."""
    approvals = ExportApproval.objects.select_related("requested_by", "approved_by")
    if permissions.can_approve_exports(actor):
        return approvals
    return approvals.filter(requested_by=actor)
