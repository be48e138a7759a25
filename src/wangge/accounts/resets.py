"""Resetting an officer's password or second factor (三员分立): no officer may do it alone.

One of the two other officers asks, with a reason; the third approves, and only then is the
reset carried out and the one-time password sent to the officer's own mobile. The requester,
the approver and the officer reset hold the three different officer roles; the database also
refuses an approval by the requester or by the officer reset. A request not approved within
`VALID_FOR` lapses. Every step, refusals included, is in the audit trail.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from wangge.core.audit import audit_record
from wangge.core.models import AuditRecord

from .delivery import require_mobile
from .exports import reason_required
from .models import OfficerReset, User
from .models.users import OFFICERS
from .services import password_reset_carry_out

VALID_FOR = timedelta(hours=24)
OFFICERS_ONLY = "只有三员（系统管理员、安全管理员、安全审计员）可以办理三员的重置"


def is_officer(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in OFFICERS


def _refused(*, action: str, obj=None, object_id: str = "", actor, problem: Exception) -> Exception:
    """Record a refused step (outside the refused transaction, so the row stays) and hand the error back."""
    message = problem.messages[0] if isinstance(problem, ValidationError) else (str(problem) or "未找到该对象")
    audit_record(action=action, result=AuditRecord.Result.DENIED, obj=obj, object_type="" if obj else "accounts.officerreset", object_id=object_id, user=actor, detail=message)
    return problem


def officer_reset_request(*, target: User, kind: str, reason: str, actor: User) -> OfficerReset:
    try:
        return _request(target=target, kind=kind, reason=reason, actor=actor)
    except (PermissionDenied, ValidationError) as problem:
        raise _refused(action="officer_reset.requested", obj=target, actor=actor, problem=problem) from None


@transaction.atomic
def _request(*, target: User, kind: str, reason: str, actor: User) -> OfficerReset:
    if not is_officer(actor):
        raise PermissionDenied(OFFICERS_ONLY)
    if target.pk == actor.pk:
        raise PermissionDenied("不能申请重置自己的账号")
    if target.role not in OFFICERS:
        raise ValidationError({"account": ["该账号不是三员：其密码和动态口令由系统管理员重置"]})
    if target.role == actor.role:
        raise PermissionDenied("三员的重置须由另外两种三员角色办理，同一角色的账号不能申请")
    if kind not in OfficerReset.Kind.values:
        raise ValidationError({"kind": ["应为 password（重置密码）或 totp（重置动态口令）"]})
    require_mobile(target)
    reset = OfficerReset(target=target, kind=kind, reason=reason_required(reason), requested_by=actor, expires_at=timezone.now() + VALID_FOR)
    reset.full_clean()
    reset.save()
    audit_record(action="officer_reset.requested", obj=reset, user=actor, after={"target": target.username, "kind": kind}, detail=f"事由：{reset.reason}")
    return reset


def officer_reset_approve(*, reset_id: int, actor: User) -> tuple[OfficerReset, str]:
    """Carry out the reset; returns it and the mobile the one-time password was sent to, masked."""
    try:
        return _approve(reset_id=reset_id, actor=actor)
    except (PermissionDenied, ValidationError, Http404) as problem:
        raise _refused(action="officer_reset.approved", object_id=str(reset_id), actor=actor, problem=problem) from None


@transaction.atomic
def _approve(*, reset_id: int, actor: User) -> tuple[OfficerReset, str]:
    if not is_officer(actor):
        raise PermissionDenied(OFFICERS_ONLY)
    reset = OfficerReset.objects.select_for_update().select_related("target", "requested_by").filter(pk=reset_id).first()
    if reset is None:
        raise Http404
    if actor.pk in (reset.requested_by_id, reset.target_id):
        raise PermissionDenied("不能审批自己提出的申请或对自己账号的重置")
    if actor.role in (reset.requested_by.role, reset.target.role):
        raise PermissionDenied("须由第三种三员角色审批：申请人和被重置账号之外的另一名三员")
    if reset.approved_at is not None:
        raise ValidationError({"reset": ["该申请已审批"]})
    now = timezone.now()
    if now >= reset.expires_at:
        raise ValidationError({"reset": ["该申请已过期（申请后 24 小时内有效），请重新申请"]})
    reset.approved_by, reset.approved_at = actor, now
    reset.full_clean()
    reset.save(update_fields=["approved_by", "approved_at"])
    audit_record(action="officer_reset.approved", obj=reset, user=actor, after={"target": reset.target.username, "kind": reset.kind, "requested_by": reset.requested_by.username})
    detail = f"三员共同重置：{reset.requested_by.username} 申请，{actor.username} 审批"
    delivered_to = password_reset_carry_out(user=reset.target, totp_too=reset.kind == OfficerReset.Kind.TOTP, actor=actor, detail=detail)
    return reset, delivered_to


def officer_reset_list(*, actor: User):
    if not is_officer(actor):
        raise PermissionDenied(OFFICERS_ONLY)
    return OfficerReset.objects.select_related("target", "requested_by", "approved_by")
