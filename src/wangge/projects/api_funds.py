"""The projects' funds over the API: sources, allocations, budget lines, disbursements with their
receipts (multipart, with the Idempotency-Key protocol), reversals and the ledger.

Every route refuses by role first (the same 403 whichever object is named), then finds what it
names within the caller's subtree (404 otherwise). Money is integer fen; `*_yuan` fields show it.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import FileResponse
from django.utils import timezone
from ninja import File, Form, Header, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.responses import NinjaJSONEncoder

from wangge.core.errors import ErrorOut
from wangge.core.idempotency import idempotent
from wangge.core.tables import table_export

from .funds import selectors, services
from .funds.permissions import require_disburser, require_finance, require_funds_reader
from .funds.rules import yuan
from .models import Disbursement, ExpenseRule, ExpenseType, FundSource

router = Router(tags=["项目资金"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class SourceOut(Schema):
    code: str
    name: str


class ExpenseRuleIO(Schema):
    code: str
    name: str
    words: str
    active: bool = True


class AllocationIn(Schema):
    community_code: str
    year: int
    source: str
    amount_fen: int


class AllocationOut(Schema):
    id: int
    community_code: str
    year: int
    source: str
    source_name: str
    amount_fen: int
    budgeted_fen: int
    spent_fen: int
    amount_yuan: str


class BudgetLineIn(Schema):
    source: str
    amount_fen: int


class BudgetLineOut(Schema):
    source: str
    source_name: str
    amount_fen: int
    spent_fen: int
    remaining_fen: int
    remaining_yuan: str


class ProjectFundsOut(Schema):
    project_id: int
    number: str
    status: str
    budgeted_fen: int
    spent_fen: int
    lines: list[BudgetLineOut]


class DisbursementOut(Schema):
    id: int
    project_id: int
    source: str
    source_name: str
    payee: str
    purpose: str
    expense_type: str
    paid_on: date
    amount_fen: int
    amount_yuan: str
    invoice_number: str
    receipt_url: str
    receipt_type: str
    created_at: datetime
    reversed_at: datetime | None
    reversal_reason: str


class ReverseIn(Schema):
    reason: str


class LedgerRowOut(Schema):
    community_code: str
    community_name: str
    source: str
    source_name: str
    allocated_fen: int
    budgeted_fen: int
    spent_fen: int
    unspent_fen: int
    unbudgeted_fen: int


class LedgerProjectOut(Schema):
    project_id: int
    number: str
    title: str
    status: str
    budgeted_fen: int
    spent_fen: int


def _allocation_out(a) -> dict:
    return {"id": a.pk, "community_code": a.community_code, "year": a.year, "source": a.source.code, "source_name": a.source.name,
            "amount_fen": a.amount_fen, "budgeted_fen": a.budgeted_fen, "spent_fen": a.spent_fen, "amount_yuan": yuan(a.amount_fen)}


def _line_out(line) -> dict:
    return {"source": line.source.code, "source_name": line.source.name, "amount_fen": line.amount_fen, "spent_fen": line.spent_fen,
            "remaining_fen": line.remaining_fen, "remaining_yuan": yuan(line.remaining_fen)}


def _disbursement_out(d: Disbursement) -> dict:
    return {
        "id": d.pk, "project_id": d.project_id, "source": d.source.code, "source_name": d.source.name, "payee": d.payee, "purpose": d.purpose,
        "expense_type": d.expense_type, "paid_on": d.paid_on, "amount_fen": d.amount_fen, "amount_yuan": yuan(d.amount_fen),
        "invoice_number": d.invoice_number, "receipt_url": f"/api/funds/disbursements/{d.pk}/receipt", "receipt_type": d.receipt_type,
        "created_at": d.created_at, "reversed_at": d.reversed_at, "reversal_reason": d.reversal_reason,
    }


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


@router.get("/sources", response={200: list[SourceOut], 403: ErrorOut})
def source_list(request):
    require_funds_reader(request.user)
    return list(FundSource.objects.filter(active=True).values("code", "name"))


@router.get("/expense-rules", response={200: list[ExpenseRuleIO], 403: ErrorOut})
def expense_rule_list(request):
    """The district's list of what the projects' money may not pay for, with the trigger words."""
    require_funds_reader(request.user)
    return list(ExpenseRule.objects.order_by("pk").values("code", "name", "words", "active"))


@router.post("/expense-rules", response={200: ExpenseRuleIO, 400: ErrorOut, 403: ErrorOut})
def expense_rule_save(request, payload: ExpenseRuleIO):
    """Add or change a rule by its code (active false retires it): district officials."""
    rule = services.expense_rule_save(actor=request.user, **payload.dict())
    return {"code": rule.code, "name": rule.name, "words": rule.words, "active": rule.active}


@router.get("/allocations", response={200: list[AllocationOut], 403: ErrorOut, 404: ErrorOut})
def allocation_list(request, year: int | None = None, community_code: str | None = None):
    """The allocations of the caller's subtree (a community its own) for a year."""
    require_funds_reader(request.user)
    allocations = selectors.allocations_visible(request.user).filter(year=_year(year))
    if community_code:
        allocations = allocations.filter(community_code=selectors.community_get(request.user, community_code).code)
    return [_allocation_out(a) for a in allocations.order_by("community_code", "source__order")]


@router.post("/allocations", response={200: AllocationOut, **ERRORS})
def allocation_set(request, payload: AllocationIn):
    """Set a community's allocation for a year from one source: district and subdistrict officials."""
    require_finance(request.user)
    community = selectors.community_get(request.user, payload.community_code)
    allocation = services.allocation_set(actor=request.user, community_code=community.code, year=payload.year, source=payload.source, amount_fen=payload.amount_fen)
    return _allocation_out(allocation)


def _project_funds(project) -> dict:
    lines = [_line_out(line) for line in selectors.project_lines(project)]
    return {"project_id": project.pk, "number": project.number, "status": project.status, "lines": lines,
            "budgeted_fen": sum(line["amount_fen"] for line in lines), "spent_fen": sum(line["spent_fen"] for line in lines)}


@router.get("/projects/{project_id}", response={200: ProjectFundsOut, 403: ErrorOut, 404: ErrorOut})
def project_funds(request, project_id: int):
    """A project's budget per source: budgeted, spent, remaining."""
    require_funds_reader(request.user)
    return _project_funds(selectors.project_get(request.user, project_id))


@router.post("/projects/{project_id}/budget-lines", response={200: ProjectFundsOut, **ERRORS})
def budget_line_set(request, project_id: int, payload: BudgetLineIn):
    """Set a project's budget from one source (0 removes it), while the project is a draft or proposed."""
    require_funds_reader(request.user)
    project = selectors.project_get(request.user, project_id)
    services.budget_line_set(actor=request.user, project=project, source=payload.source, amount_fen=payload.amount_fen)
    return _project_funds(project)


@router.get("/projects/{project_id}/disbursements", response={200: list[DisbursementOut], 403: ErrorOut, 404: ErrorOut})
def disbursement_list(request, project_id: int):
    require_funds_reader(request.user)
    project = selectors.project_get(request.user, project_id)
    return [_disbursement_out(d) for d in project.disbursements.select_related("source").order_by("paid_on", "pk")]


def _text(description: str, max_length: int = 200):
    return Annotated[str, Form(max_length=max_length, description=description)]


ReceiptFile = Annotated[UploadedFile | None, File(description="发票或收据：JPEG、PNG、WebP 图片或 PDF（按文件内容判断）")]
EXPENSE_TYPES = "、".join(f"{value}（{label}）" for value, label in ExpenseType.choices)


def _digest_of(upload) -> str:
    if upload is None:
        return ""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@router.post("/projects/{project_id}/disbursements", response={201: DisbursementOut, **ERRORS, 409: ErrorOut, 422: ErrorOut})
def disbursement_record(
    request, project_id: int, receipt: ReceiptFile = None, source: _text("资金来源代码", 32) = "", payee: _text("收款方", 100) = "",
    purpose: _text("用途") = "", expense_type: _text(f"支出类别：{EXPENSE_TYPES}", 32) = "", paid_on: _text("支付日期 YYYY-MM-DD", 10) = "",
    amount_fen: _text("金额（分）", 20) = "", invoice_number: _text("发票（收据）号", 40) = "",
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Record a payment of a filed project from one of its budget lines, with the receipt (multipart).
    With an Idempotency-Key a retry gets the first answer and pays nothing twice. The form's fields
    are optional in the schema only so that a project out of scope answers 404 before they are judged."""
    require_disburser(request.user)
    project = selectors.project_get(request.user, project_id)
    fields = {"source": source, "payee": payee, "purpose": purpose, "expense_type": expense_type, "paid_on": paid_on,
              "amount_fen": amount_fen, "invoice_number": invoice_number}

    def handle() -> tuple[int, dict]:
        item = services.disbursement_record(actor=request.user, project=project, receipt=receipt, **fields)
        # As the API renders it: the stored answer of the Idempotency-Key, which a retry gets again.
        return 201, json.loads(json.dumps(_disbursement_out(item), cls=NinjaJSONEncoder))

    if idempotency_key is None:
        status, answer = handle()
    else:
        payload = {**fields, "project_id": project.pk, "receipt": _digest_of(receipt)}
        status, answer = idempotent(user=request.user, key=idempotency_key, payload=payload, handle=handle)
    return Status(status, answer)


@router.post("/disbursements/{disbursement_id}/reverse", response={200: DisbursementOut, **ERRORS})
def disbursement_reverse(request, disbursement_id: int, payload: ReverseIn):
    """冲销: undo a disbursement with a reason; district and subdistrict officials."""
    require_finance(request.user)
    item = selectors.disbursement_get(request.user, disbursement_id)
    return _disbursement_out(services.disbursement_reverse(actor=request.user, disbursement=item, reason=payload.reason))


RECEIPT_ANSWER = {"200": {"description": "票据", "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ("image/jpeg", "image/png", "image/webp", "application/pdf")}}}


@router.get("/disbursements/{disbursement_id}/receipt", openapi_extra={"responses": RECEIPT_ANSWER})
def disbursement_receipt(request, disbursement_id: int):
    """The receipt as it was sent; never cached by a shared cache. A PDF is a download, never
    opened in the page (a PDF may carry scripts)."""
    require_funds_reader(request.user)
    item = selectors.disbursement_get(request.user, disbursement_id)
    response = FileResponse(item.receipt.open("rb"), content_type=item.receipt_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    shown = "attachment" if item.receipt_type == "application/pdf" else "inline"
    response["Content-Disposition"] = f'{shown}; filename="receipt-{item.pk}.{item.receipt.name.rsplit(".", 1)[-1]}"'
    return response


def _ledger_out(row: selectors.LedgerRow) -> dict:
    return {"community_code": row.community_code, "community_name": row.community_name, "source": row.source_code, "source_name": row.source_name,
            "allocated_fen": row.allocated_fen, "budgeted_fen": row.budgeted_fen, "spent_fen": row.spent_fen,
            "unspent_fen": row.unspent_fen, "unbudgeted_fen": row.unbudgeted_fen}


@router.get("/ledger", response={200: list[LedgerRowOut], 403: ErrorOut, 404: ErrorOut})
def ledger(request, year: int | None = None, community_code: str | None = None):
    """Per community and source of the caller's subtree for a year: allocated, budgeted, spent."""
    require_funds_reader(request.user)
    return [_ledger_out(row) for row in selectors.community_ledger(request.user, year=_year(year), community_code=community_code)]


@router.get("/ledger/projects", response={200: list[LedgerProjectOut], 403: ErrorOut, 404: ErrorOut})
def ledger_projects(request, community_code: str, year: int | None = None):
    """A community's projects of a year with their budget and spending."""
    require_funds_reader(request.user)
    rows = selectors.ledger_projects(request.user, year=_year(year), community_code=community_code)
    return [{"project_id": r["project_id"], "number": r["project__number"], "title": r["project__title"], "status": r["project__status"],
             "budgeted_fen": r["budgeted_fen"], "spent_fen": r["spent_fen"]} for r in rows]


LEDGER_COLUMNS = ("社区代码", "社区", "资金来源", "下达额度（元）", "已安排预算（元）", "已支出（元）", "预算结余（元）", "未安排额度（元）")


def _in_yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


@router.get("/ledger.xlsx", openapi_extra={"responses": {"200": {"description": "台账 .xlsx"}}})
def ledger_export(request, year: int | None = None, community_code: str | None = None):
    """The ledger as an .xlsx file, through the back office's one export (capped and audited)."""
    require_funds_reader(request.user)
    year = _year(year)
    rows = selectors.community_ledger(request.user, year=year, community_code=community_code)
    return table_export(
        request, rows, table="funds.ledger", title=f"{year}年项目资金台账", columns=LEDGER_COLUMNS,
        cells=lambda chunk: [(r.community_code, r.community_name, r.source_name, *map(_in_yuan, (r.allocated_fen, r.budgeted_fen, r.spent_fen, r.unspent_fen, r.unbudgeted_fen)))
                             for r in chunk],
    )
