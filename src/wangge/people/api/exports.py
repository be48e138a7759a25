"""Approvals for unmasked bulk exports (services in `accounts.exports`): requested by whoever
may export the kind, approved by the security administrator, used once through
`GET /api/workbooks/{kind}/export?approval={id}`."""

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.accounts import exports as services
from wangge.core.errors import ErrorOut
from wangge.core.pagination import Paged, Shown

from ..workbooks import KINDS

router = Router(tags=["导出审批"])


class ApprovalIn(Schema):
    kind: str
    reason: str = ""


class ApprovalOut(Schema):
    id: int
    kind: str
    reason: str
    requested_by: str
    requested_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    expires_at: datetime | None
    used_at: datetime | None


def _out(approval) -> dict:
    approved = approval.approved_at
    return {
        "id": approval.pk,
        "kind": approval.kind,
        "reason": approval.reason,
        "requested_by": approval.requested_by.get_username(),
        "requested_at": approval.requested_at,
        "approved_by": approval.approved_by.get_username() if approval.approved_by else None,
        "approved_at": approved,
        "expires_at": approved + services.VALID_FOR if approved else None,
        "used_at": approval.used_at,
    }


@router.get("/approvals", response=list[ApprovalOut], summary="导出审批列表")
@paginate(Paged)
def approval_list(request):
    """安全管理员看到全部申请；其他人只看到本人的申请。"""
    return Shown(services.export_approval_list(actor=request.user).order_by("-requested_at", "-pk"), _out)


@router.post("/approvals", response={201: ApprovalOut, 400: ErrorOut, 403: ErrorOut}, summary="申请导出完整信息")
def approval_request(request, payload: ApprovalIn):
    """申请导出一种表格的完整（不脱敏）信息，须说明事由；由安全管理员审批后，申请人可在 24 小时内导出一次。"""
    if payload.kind not in KINDS:
        raise ValidationError({"kind": f"没有这种表格：{payload.kind}（可选：{'、'.join(KINDS)}）"})
    approval = services.export_approval_request(kind=KINDS[payload.kind], reason=payload.reason, actor=request.user)
    return Status(201, _out(approval))


@router.post("/approvals/{approval_id}/approve", response={200: ApprovalOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}, summary="批准导出申请")
def approval_approve(request, approval_id: int):
    """安全管理员批准他人的导出申请；不能批准本人的申请。"""
    return _out(services.export_approval_approve(approval_id=approval_id, actor=request.user))
