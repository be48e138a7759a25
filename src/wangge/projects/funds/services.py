"""Every write to the projects' money: allocations, budget lines, disbursements and reversals.

Locking order, the same in every write so that two never wait on each other: the project, then
the allocation (community, year, source), then the budget line, then the disbursement. Amounts move with
F() under those locks, and the models' CheckConstraints refuse any overspend that got past a
check, so money can never be spent twice, even by code that skips these services.
"""

import hashlib
import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wangge.core.audit import audit_record
from wangge.core.reasons import reason_checked
from wangge.core.uploads import EXTENSIONS
from wangge.geo.scope import scope_of

from ..models import (
    Allocation,
    BudgetLine,
    Disbursement,
    ExpenseRule,
    ExpenseType,
    FundSource,
    Project,
)
from ..rules import edit_refusal, spending_refusal
from .permissions import (
    require_budget_keeper,
    require_disburser,
    require_district_keeper,
    require_finance,
)
from .receipts import receipt_checked
from .rules import fen_checked, forbidden_by, trigger_words, yuan

OUT_OF_SCOPE = "只能处理本辖区项目的资金"


def _in_scope(actor, community_code: str) -> None:
    if actor is not None and not scope_of(actor).covers(community_code):
        raise PermissionDenied(OUT_OF_SCOPE)


def _source(source: FundSource | str) -> FundSource:
    if isinstance(source, FundSource):
        return source
    found = FundSource.objects.filter(code=str(source), active=True).first()
    if found is None:
        raise ValidationError({"source": f"未知的资金来源：{str(source)[:32]}"})
    return found


def _year(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationError({"year": "年度应为 2000 至 2100 之间的整数"})
    return value


def _locked_allocation(community_code: str, year: int, source: FundSource) -> Allocation:
    found = Allocation.objects.select_for_update().filter(community_code=community_code, year=year, source=source).first()
    if found is None:
        raise ValidationError({"source": f"本社区 {year} 年尚未下达{source.name}额度"})
    return found


@transaction.atomic
def allocation_set(*, actor, community_code: str, year: int, source: FundSource | str, amount_fen) -> Allocation:
    """A community's allocation for a year from one source, created or changed; never below
    what its projects have already been budgeted."""
    require_finance(actor)
    _in_scope(actor, community_code)
    source, year = _source(source), _year(year)
    amount_fen = fen_checked(amount_fen, field="amount_fen")
    Allocation.objects.get_or_create(community_code=community_code, year=year, source=source, defaults={"amount_fen": amount_fen, "set_by": actor})
    allocation = _locked_allocation(community_code, year, source)
    if amount_fen < allocation.budgeted_fen:
        raise ValidationError({"amount_fen": f"额度不能低于已安排的项目预算 {yuan(allocation.budgeted_fen)}"})
    before = allocation.amount_fen
    allocation.amount_fen, allocation.set_by = amount_fen, actor
    allocation.full_clean(validate_unique=False)
    allocation.save(update_fields=["amount_fen", "set_by", "updated_at"])
    audit_record(action="funds.allocation_set", obj=allocation, before={"amount_fen": before}, after={"amount_fen": amount_fen}, user=actor)
    return allocation


@transaction.atomic
def budget_line_set(*, actor, project: Project, source: FundSource | str, amount_fen) -> BudgetLine | None:
    """A project's budget from one source, set while its money may change (draft, proposed) and
    within what its community's allocation of that year and source has not budgeted yet. Zero
    removes the line. Returns the line (None when removed)."""
    require_budget_keeper(actor)
    _in_scope(actor, project.community_code)
    source = _source(source)
    amount_fen = fen_checked(amount_fen, field="amount_fen")
    project = Project.objects.select_for_update().get(pk=project.pk)  # its stage cannot move meanwhile
    if refusal := edit_refusal(project):
        raise ValidationError({"project": refusal})
    allocation = _locked_allocation(project.community_code, project.year, source)
    line = BudgetLine.objects.select_for_update().filter(project=project, source=source).first()
    old = line.amount_fen if line else 0
    room = allocation.amount_fen - allocation.budgeted_fen + old
    if amount_fen > room:
        raise ValidationError({"amount_fen": f"超出本社区 {project.year} 年{source.name}可安排额度，剩余 {yuan(room)}"})
    if line and amount_fen < line.spent_fen:
        raise ValidationError({"amount_fen": f"预算不能低于已支出 {yuan(line.spent_fen)}"})
    Allocation.objects.filter(pk=allocation.pk).update(budgeted_fen=F("budgeted_fen") + (amount_fen - old))
    audit_record(action="funds.budget_line_set", object_type="projects.project", object_id=str(project.pk),
                 before={"source": source.code, "amount_fen": old}, after={"source": source.code, "amount_fen": amount_fen}, user=actor)
    if amount_fen == 0 and line and not line.disbursements.exists():
        line.delete()
        return None
    if line is None:
        line = BudgetLine(project=project, source=source, amount_fen=amount_fen)
    line.amount_fen = amount_fen
    line.full_clean(validate_unique=False)
    line.save()
    return line


def _text(value, *, field: str, label: str, max_length: int) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 个字"})
    return value


def _paid_on(value) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({"paid_on": "支付日期格式应为 YYYY-MM-DD"}) from None
    if not isinstance(value, date):
        raise ValidationError({"paid_on": "请填写支付日期"})
    if value > timezone.localdate():
        raise ValidationError({"paid_on": "支付日期不能晚于今天"})
    return value


def _expense_checked(expense_type: str, purpose: str) -> str:
    expense_type = str(expense_type or "").strip()
    rule = forbidden_by(ExpenseRule.objects.filter(active=True), expense_type=expense_type, purpose=purpose)
    if rule is not None:
        field = "expense_type" if rule.code == expense_type else "purpose"
        raise ValidationError({field: f"按区级规定，项目资金不得用于：{rule.name}"})
    if expense_type not in ExpenseType.values:
        known = "、".join(f"{value}（{label}）" for value, label in ExpenseType.choices)
        raise ValidationError({"expense_type": f"未知的支出类别：{expense_type[:32]}；应为以下之一：{known}"})
    return expense_type


def disbursement_record(*, actor, project: Project, source: FundSource | str, payee, purpose, expense_type, paid_on, amount_fen,
                        invoice_number, receipt) -> Disbursement:
    """Pay out of a filed project's budget line, with the receipt. Refused, changing nothing,
    before filing, past the line's or the allocation's remainder, for expenditure the district
    forbids, and for an invoice of the payee already claimed."""
    require_disburser(actor)
    _in_scope(actor, project.community_code)
    if refusal := spending_refusal(project):
        raise ValidationError({"project": refusal})
    source = _source(source)
    payee = _text(payee, field="payee", label="收款方", max_length=100)
    purpose = _text(purpose, field="purpose", label="用途", max_length=200)
    expense_type = _expense_checked(expense_type, purpose)
    paid_on = _paid_on(paid_on)
    amount_fen = fen_checked(amount_fen, field="amount_fen", positive=True)
    invoice_number = _text(invoice_number, field="invoice_number", label="发票（收据）号", max_length=40).upper()
    data, content_type = receipt_checked(receipt)
    item = Disbursement(
        project=project, community_code=project.community_code, year=project.year, source=source, payee=payee, purpose=purpose,
        expense_type=expense_type, paid_on=paid_on, amount_fen=amount_fen, invoice_number=invoice_number, receipt_type=content_type,
        receipt_sha256=hashlib.sha256(data).hexdigest(), created_by=actor,
    )
    item.full_clean(exclude=["receipt", "line"], validate_constraints=False)  # before any lock is taken
    # The file is written before the row, so that the row never names a missing file, and
    # removed again when the row is not written.
    item.receipt.save(f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}", ContentFile(data), save=False)
    try:
        return _disbursement_save(item)
    except BaseException:
        default_storage.delete(item.receipt.name)
        raise


@transaction.atomic
def _disbursement_save(item: Disbursement) -> Disbursement:
    project = Project.objects.select_for_update().get(pk=item.project_id)
    if refusal := spending_refusal(project):  # it moved on while the receipt was read
        raise ValidationError({"project": refusal})
    allocation = Allocation.objects.select_for_update().filter(community_code=item.community_code, year=item.year, source=item.source).first()
    line = BudgetLine.objects.select_for_update().filter(project=project, source=item.source).first()
    if line is None:
        raise ValidationError({"source": f"该项目没有{item.source.name}预算"})
    if item.amount_fen > line.amount_fen - line.spent_fen:
        raise ValidationError({"amount_fen": f"超出该来源预算，剩余 {yuan(line.amount_fen - line.spent_fen)}"})
    allocation_room = 0 if allocation is None else min(allocation.amount_fen, allocation.budgeted_fen) - allocation.spent_fen
    if item.amount_fen > allocation_room:
        raise ValidationError({"amount_fen": f"超出本社区 {item.year} 年{item.source.name}额度，剩余 {yuan(max(allocation_room, 0))}"})
    if Disbursement.objects.filter(payee=item.payee, invoice_number=item.invoice_number, reversed_at__isnull=True).exists():
        raise ValidationError({"invoice_number": "该收款方的这张发票（收据）已经报销过，不能重复报销"})
    item.line = line
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # The same invoice claimed at the same moment for another project: the index decides.
        raise ValidationError({"invoice_number": "该收款方的这张发票（收据）已经报销过，不能重复报销"}) from None
    BudgetLine.objects.filter(pk=line.pk).update(spent_fen=F("spent_fen") + item.amount_fen)
    Allocation.objects.filter(pk=allocation.pk).update(spent_fen=F("spent_fen") + item.amount_fen)
    audit_record(action="funds.disbursement", obj=item, after={"amount_fen": item.amount_fen, "source": item.source.code, "payee": item.payee}, user=item.created_by)
    return item


@transaction.atomic
def disbursement_reverse(*, actor, disbursement: Disbursement, reason: str) -> Disbursement:
    """冲销: a disbursement undone by finance, with the reason; its amount is back in the line and
    the allocation, and its invoice may be claimed again."""
    require_finance(actor)
    _in_scope(actor, disbursement.community_code)
    reason = reason_checked(reason, max_length=500, min_length=2, noun="冲销原因")
    Project.objects.select_for_update().filter(pk=disbursement.project_id).first()
    Allocation.objects.select_for_update().filter(community_code=disbursement.community_code, year=disbursement.year, source_id=disbursement.source_id).first()
    BudgetLine.objects.select_for_update().filter(pk=disbursement.line_id).first()
    item = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if item.reversed_at is not None:
        raise ValidationError({"reason": "该笔支出已经冲销"})
    item.reversed_at, item.reversed_by, item.reversal_reason = timezone.now(), actor, reason
    item.save(update_fields=["reversed_at", "reversed_by", "reversal_reason"])
    BudgetLine.objects.filter(pk=item.line_id).update(spent_fen=F("spent_fen") - item.amount_fen)
    Allocation.objects.filter(community_code=item.community_code, year=item.year, source_id=item.source_id).update(spent_fen=F("spent_fen") - item.amount_fen)
    audit_record(action="funds.disbursement_reverse", obj=item, after={"amount_fen": item.amount_fen}, detail=reason, user=actor)
    return item


@transaction.atomic
def expense_rule_save(*, actor, code: str, name: str, words: str, active: bool = True) -> ExpenseRule:
    """Add or change one of the district's rules of forbidden expenditure, by its code."""
    require_district_keeper(actor)
    code = _text(code, field="code", label="规则代码", max_length=32)
    if not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
        raise ValidationError({"code": "规则代码只能包含英文字母、数字、下划线和连字符"})
    name = _text(name, field="name", label="不得列支的支出", max_length=40)
    words = _text(words, field="words", label="触发词", max_length=300)
    if any(len(word) < 2 for word in trigger_words(words)):
        raise ValidationError({"words": "每个触发词至少 2 个字，以免误拦正常支出"})
    if code in ExpenseType.values:
        raise ValidationError({"code": "规则代码与允许的支出类别重名"})
    if ExpenseRule.objects.filter(name=name).exclude(code=code).exists():
        raise ValidationError({"name": "已有同名的规则"})
    rule = ExpenseRule.objects.select_for_update().filter(code=code).first() or ExpenseRule(code=code)
    rule.name, rule.words, rule.active = name, words, bool(active)
    rule.full_clean()
    rule.save()
    audit_record(action="funds.expense_rule_save", obj=rule, after={"name": name, "words": words, "active": rule.active}, user=actor)
    return rule
