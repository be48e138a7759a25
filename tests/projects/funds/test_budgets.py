"""Allocations and budget lines: a project's budget fits what its community's allocation has left
unbudgeted, changes only while the project is a draft or proposed, and allocations never fall
below what they have budgeted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.projects.funds import making
from wangge.projects.funds import services
from wangge.projects.models import Allocation, BudgetLine, Project, Status
from wangge.projects.rules import (
    FILED_CHANGE,
    edit_refusal,
    money_and_scope_editable,
    spending_allowed,
)


def _allocation(code: str, source: str = "community_service") -> Allocation:
    return Allocation.objects.get(community_code=code, year=making.YEAR, source__code=source)


def test_the_stages_that_allow_money_moves():
    assert {s for s in Status.values if spending_allowed(Project(status=s))} == {Status.FILED, Status.IMPLEMENTING}
    assert {s for s in Status.values if money_and_scope_editable(Project(status=s))} == {Status.DRAFT, Status.PROPOSED}


def test_budget_lines_are_counted_in_the_allocation_and_fit_what_it_has_left(people, home):
    making.allocation(home, 100_000)
    first, second = making.project(home), making.project(home)
    official = people.community_official.user
    services.budget_line_set(actor=official, project=first, source="community_service", amount_fen=70_000)
    with pytest.raises(ValidationError) as refused:
        services.budget_line_set(actor=official, project=second, source="community_service", amount_fen=30_001)
    assert refused.value.message_dict["amount_fen"] == [f"超出本社区 {making.YEAR} 年社区服务群众专项经费可安排额度，剩余 ¥300.00"]
    assert not BudgetLine.objects.filter(project=second).exists() and _allocation(home).budgeted_fen == 70_000
    services.budget_line_set(actor=official, project=second, source="community_service", amount_fen=30_000)
    services.budget_line_set(actor=official, project=first, source="community_service", amount_fen=60_000)  # lowered: room for others again
    assert _allocation(home).budgeted_fen == 90_000
    assert services.budget_line_set(actor=official, project=first, source="community_service", amount_fen=0) is None
    assert _allocation(home).budgeted_fen == 30_000 and not BudgetLine.objects.filter(project=first).exists()


def test_a_budget_needs_an_allocation_of_its_year_and_source(people, home):
    making.allocation(home, 100_000, code="donation")
    with pytest.raises(ValidationError) as refused:
        services.budget_line_set(actor=None, project=making.project(home), source="party_service", amount_fen=1)
    assert refused.value.message_dict["source"] == [f"本社区 {making.YEAR} 年尚未下达党组织服务群众经费额度"]


@pytest.mark.parametrize("status", [Status.VOTING, Status.NOTICE, Status.FILED, Status.IMPLEMENTING, Status.CLOSED])
def test_the_money_of_a_project_past_its_proposal_does_not_change_without_a_new_notice(people, home, status):
    line = making.funded(home, 50_000, status=status)
    with pytest.raises(ValidationError) as refused:
        services.budget_line_set(actor=people.community_official.user, project=line.project, source="community_service", amount_fen=40_000)
    assert refused.value.message_dict["project"] == [edit_refusal(line.project)]
    assert (status in (Status.FILED, Status.IMPLEMENTING)) == (edit_refusal(line.project) == FILED_CHANGE)
    line.refresh_from_db()
    assert line.amount_fen == 50_000 and _allocation(home).budgeted_fen == 50_000


def test_only_officials_of_the_projects_subtree_budget_it(people, home, away):
    making.allocation(away, 100_000)
    project = making.project(away)
    for persona in (people.community_official, people.subdistrict_official, people.grid_worker, people.resident, people.department_handler):
        with pytest.raises(PermissionDenied):
            services.budget_line_set(actor=persona.user, project=project, source="community_service", amount_fen=1_000)
    services.budget_line_set(actor=people.district_official.user, project=project, source="community_service", amount_fen=1_000)


def test_an_allocation_is_set_by_finance_and_never_below_what_it_budgeted(people, home, away):
    for persona in (people.community_official, people.grid_worker, people.resident):
        with pytest.raises(PermissionDenied):
            services.allocation_set(actor=persona.user, community_code=home, year=making.YEAR, source="community_service", amount_fen=1)
    with pytest.raises(PermissionDenied):
        services.allocation_set(actor=people.subdistrict_official.user, community_code=away, year=making.YEAR, source="community_service", amount_fen=1)
    assert not Allocation.objects.filter(community_code__in=[home, away]).exists()
    allocation = services.allocation_set(actor=people.subdistrict_official.user, community_code=home, year=making.YEAR, source="community_service", amount_fen=80_000)
    assert (allocation.amount_fen, allocation.set_by) == (80_000, people.subdistrict_official.user)
    services.budget_line_set(actor=None, project=making.project(home), source="community_service", amount_fen=50_000)
    with pytest.raises(ValidationError) as refused:
        services.allocation_set(actor=people.district_official.user, community_code=home, year=making.YEAR, source="community_service", amount_fen=49_999)
    assert refused.value.message_dict["amount_fen"] == ["额度不能低于已安排的项目预算 ¥500.00"]
    assert _allocation(home).amount_fen == 80_000
    services.allocation_set(actor=people.district_official.user, community_code=home, year=making.YEAR, source="community_service", amount_fen=50_000)
    assert _allocation(home).amount_fen == 50_000


@pytest.mark.parametrize(("field", "value", "reason"), [("amount_fen", -1, "金额不能为负数"), ("amount_fen", 10**14, "金额超过上限 ¥100,000,000,000.00"),
                                                        ("year", 1999, "年度应为 2000 至 2100 之间的整数"), ("source", "lottery", "未知的资金来源：lottery")])
def test_an_allocation_names_its_bad_field(home, field, value, reason, db):
    values = {"community_code": home, "year": making.YEAR, "source": "community_service", "amount_fen": 1_000, field: value}
    with pytest.raises(ValidationError) as refused:
        services.allocation_set(actor=None, **values)
    assert refused.value.message_dict[field] == [reason]
    assert not Allocation.objects.filter(community_code=home).exists()
