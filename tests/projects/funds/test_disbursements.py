"""Disbursements: each refusal changes nothing and says why in Chinese; what is paid raises the
line's and the allocation's spending, and a reversal gives it back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from tests.projects.funds import making
from wangge.projects.funds import services
from wangge.projects.models import Allocation, BudgetLine, Disbursement, ExpenseRule, Status


def _message(refused: ValidationError, field: str) -> str:
    return "；".join(refused.message_dict[field])


def _unchanged(line: BudgetLine, spent: int = 0) -> None:
    line.refresh_from_db()
    allocation = Allocation.objects.get(community_code=line.project.community_code, year=line.project.year, source=line.source)
    assert (line.spent_fen, allocation.spent_fen) == (spent, spent)
    assert Disbursement.objects.filter(line=line, reversed_at__isnull=True).count() == (1 if spent else 0)


def test_it_pays_and_raises_the_line_and_the_allocation(people, home):
    line = making.funded(home, 100_000)
    paid = making.pay(line, 30_000, actor=people.community_official.user)
    assert (paid.community_code, paid.year, paid.source_id, paid.created_by) == (home, making.YEAR, line.source_id, people.community_official.user)
    assert paid.receipt_type == "image/png" and paid.receipt.read() == making.png()
    _unchanged(line, 30_000)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PROPOSED, Status.VOTING, Status.NOTICE, Status.ACCEPTED, Status.CLOSED, Status.WITHDRAWN])
def test_it_refuses_spending_before_filing_or_after_the_work(people, home, status):
    line = making.funded(home, 100_000, status=status)
    with pytest.raises(ValidationError) as refused:
        making.pay(line, 1_000, actor=people.community_official.user)
    before_filing = status in (Status.DRAFT, Status.PROPOSED, Status.VOTING, Status.NOTICE)
    assert _message(refused.value, "project") == ("项目备案前不能支出资金" if before_filing else f"「{Status(status).label}」的项目不能再支出资金")
    _unchanged(line)


def test_it_refuses_a_payment_over_what_the_line_has_left(people, home):
    line = making.funded(home, 50_000)
    making.pay(line, 40_000)
    with pytest.raises(ValidationError) as refused:
        making.pay(line, 10_001)
    assert _message(refused.value, "amount_fen") == "超出该来源预算，剩余 ¥100.00"
    _unchanged(line, 40_000)
    making.pay(line, 10_000)  # exactly what is left
    line.refresh_from_db()
    assert line.spent_fen == line.amount_fen


def test_it_refuses_a_payment_over_the_allocation_even_when_a_line_was_written_past_the_services(people, home):
    line = making.funded(home, 50_000)
    # A line written without the budget service: the allocation never counted it as budgeted.
    stray = BudgetLine.objects.create(project=making.project(home, status=Status.IMPLEMENTING), source=line.source, amount_fen=90_000)
    making.pay(line, 45_000)
    with pytest.raises(ValidationError) as refused:
        making.pay(stray, 6_000)
    assert _message(refused.value, "amount_fen") == f"超出本社区 {making.YEAR} 年社区服务群众专项经费额度，剩余 ¥50.00"
    stray.refresh_from_db()
    assert stray.spent_fen == 0 and not stray.disbursements.exists()


def test_it_refuses_a_source_the_project_has_no_budget_from(people, home):
    line = making.funded(home, 50_000)
    with pytest.raises(ValidationError) as refused:
        services.disbursement_record(actor=None, project=line.project, source="donation", payee="某公司", purpose="活动物资", expense_type="goods",
                                     paid_on="2026-01-05", amount_fen=100, invoice_number="A1", receipt=making.receipt())
    assert _message(refused.value, "source") == "该项目没有社会捐赠预算"


@pytest.mark.parametrize(("code", "name"), [("office", "办公经费"), ("staff_pay", "人员工资"), ("debt", "偿还债务"),
                                            ("residents_own", "居民个人应承担的费用"), ("paid_elsewhere", "已由其他预算支付的项目")])
def test_it_refuses_a_forbidden_expense_type_naming_the_rule(people, home, code, name):
    line = making.funded(home, 50_000)
    with pytest.raises(ValidationError) as refused:
        making.pay(line, 1_000, expense_type=code)
    assert _message(refused.value, "expense_type") == f"按区级规定，项目资金不得用于：{name}"
    _unchanged(line)


@pytest.mark.parametrize(("purpose", "name"), [("购买打印机一台", "办公经费"), ("发放社区工作者十一月工资", "人员工资"), ("偿还去年活动欠款", "偿还债务"),
                                               ("代缴困难户物业费", "居民个人应承担的费用"), ("该活动已由财政专项支付的场地费", "已由其他预算支付的项目")])
def test_it_refuses_a_purpose_that_names_forbidden_expenditure(people, home, purpose, name):
    line = making.funded(home, 50_000)
    with pytest.raises(ValidationError) as refused:
        making.pay(line, 1_000, purpose=purpose, expense_type="goods")
    assert _message(refused.value, "purpose") == f"按区级规定，项目资金不得用于：{name}"
    _unchanged(line)


def test_the_district_keeps_the_rule_list(people, home):
    line = making.funded(home, 50_000)
    keeper = people.district_official.user
    office = ExpenseRule.objects.get(code="office")
    services.expense_rule_save(actor=keeper, code="office", name=office.name, words=office.words, active=False)
    making.pay(line, 1_000, purpose="购买打印机一台", expense_type="goods")  # no longer forbidden
    services.expense_rule_save(actor=keeper, code="banquet", name="宴请", words="宴请、聚餐")
    with pytest.raises(ValidationError) as refused:
        making.pay(line, 1_000, purpose="志愿者聚餐")
    assert _message(refused.value, "purpose") == "按区级规定，项目资金不得用于：宴请"
    with pytest.raises(ValidationError) as refused:
        making.pay(line, 1_000, expense_type="banquet")
    assert _message(refused.value, "expense_type") == "按区级规定，项目资金不得用于：宴请"


@pytest.mark.parametrize(("values", "field"), [
    ({"code": "goods", "name": "采购", "words": "采购物品"}, "code"),  # an allowed type cannot be forbidden by a rule of its name
    ({"code": "x", "name": "人员工资", "words": "工资"}, "name"),
    ({"code": "x", "name": "宴请", "words": "宴、请客"}, "words"),  # one character would refuse half of all purposes
    ({"code": "宴请", "name": "宴请", "words": "宴请"}, "code"),
])
def test_a_rule_is_refused_naming_its_bad_field(people, values, field):
    with pytest.raises(ValidationError) as refused:
        services.expense_rule_save(actor=people.district_official.user, **values)
    assert field in refused.value.message_dict
    assert not ExpenseRule.objects.filter(code=values["code"]).exists()


def test_only_district_officials_keep_the_rules(people):
    for persona in (people.subdistrict_official, people.community_official, people.resident):
        with pytest.raises(PermissionDenied):
            services.expense_rule_save(actor=persona.user, code="banquet", name="宴请", words="宴请")
    assert not ExpenseRule.objects.filter(code="banquet").exists()


def test_it_refuses_an_unknown_expense_type(people, home):
    line = making.funded(home, 50_000)
    with pytest.raises(ValidationError) as refused:
        making.pay(line, 1_000, expense_type="gifts")
    assert "未知的支出类别：gifts" in _message(refused.value, "expense_type")


def test_an_invoice_of_a_payee_is_claimed_once_until_its_claim_is_reversed(people, home):
    line = making.funded(home, 100_000)
    other = making.funded(home, 100_000, code="donation")
    first = making.pay(line, 1_000, invoice="fp-001")
    with pytest.raises(ValidationError) as refused:
        making.pay(other, 1_000, invoice=" FP-001 ")  # another project, the same invoice as typed differently
    assert _message(refused.value, "invoice_number") == "该收款方的这张发票（收据）已经报销过，不能重复报销"
    making.pay(other, 1_000, invoice="FP-001", payee="另一家服务机构")  # another payee's invoice of that number
    services.disbursement_reverse(actor=people.subdistrict_official.user, disbursement=first, reason="重复录入")
    making.pay(line, 1_000, invoice="FP-001")


def test_the_invoice_index_refuses_a_second_claim_that_skipped_the_check(people, home):
    line = making.funded(home, 100_000)
    first = making.pay(line, 1_000, invoice="FP-9")
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("amount_fen", 0, "金额必须大于 0"), ("amount_fen", "12.5", "金额应为以分为单位的整数"), ("amount_fen", 1.5, "金额应为以分为单位的整数"),
    ("amount_fen", True, "金额应为以分为单位的整数"), ("payee", "  ", "请填写收款方"), ("purpose", "", "请填写用途"),
    ("paid_on", "2026-13-01", "支付日期格式应为 YYYY-MM-DD"), ("paid_on", "2999-01-01", "支付日期不能晚于今天"),
    ("invoice_number", "", "请填写发票（收据）号"), ("source", "lottery", "未知的资金来源：lottery"),
])
def test_it_names_the_field_of_bad_input_and_changes_nothing(people, home, field, value, reason):
    line = making.funded(home, 50_000)
    values = {"amount_fen": 1_000, field: value}
    with pytest.raises(ValidationError) as refused:
        making.pay(line, **values)
    assert _message(refused.value, field) == reason
    _unchanged(line)


def test_only_the_projects_community_officials_record_payments(people, home, away):
    line = making.funded(away, 50_000)
    for persona in (people.community_official, people.subdistrict_official, people.district_official, people.grid_worker, people.resident):
        with pytest.raises(PermissionDenied):
            making.pay(line, 1_000, actor=persona.user)
    _unchanged(line)


def test_a_reversal_gives_the_money_back_once_with_its_reason(people, home):
    line = making.funded(home, 50_000)
    paid = making.pay(line, 20_000)
    with pytest.raises(PermissionDenied):
        services.disbursement_reverse(actor=people.community_official.user, disbursement=paid, reason="录错金额")
    with pytest.raises(ValidationError):
        services.disbursement_reverse(actor=people.subdistrict_official.user, disbursement=paid, reason="")
    reversed_ = services.disbursement_reverse(actor=people.subdistrict_official.user, disbursement=paid, reason="录错金额")
    assert (reversed_.reversal_reason, reversed_.reversed_by) == ("录错金额", people.subdistrict_official.user)
    _unchanged(line)
    with pytest.raises(ValidationError) as again:
        services.disbursement_reverse(actor=people.subdistrict_official.user, disbursement=paid, reason="再次冲销")
    assert _message(again.value, "reason") == "该笔支出已经冲销"
    _unchanged(line)


def test_the_constraints_refuse_an_overspend_written_directly(people, home):
    line = making.funded(home, 50_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(spent_fen=F("amount_fen") + 1)
    allocation = Allocation.objects.get(community_code=home, year=making.YEAR, source=line.source)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(spent_fen=F("budgeted_fen") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(budgeted_fen=F("amount_fen") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(spent_fen=-1)
    _unchanged(line)
