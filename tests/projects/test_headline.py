"""The service projects' figures in /api/stats/headline: computed from the records at request
time, scoped to the caller, each with the records behind it on /dashboard."""

import itertools

import pytest

from tests.projects.funds import making
from wangge.geo.scope import scope_of
from wangge.projects.funds.services import disbursement_reverse
from wangge.projects.models import BudgetLine, Category, Disbursement, Project, Status

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _project(category: Category, community_code: str, status: str) -> Project:
    return Project.objects.create(number=f"XMT{next(_numbers):06d}", title=f"测试项目{status}", category=category,
                                  community_code=community_code, scope="服务内容", year=2026, status=status)


@pytest.fixture
def projects(people):
    home, other = people.home_grid.community.code, people.other_grid.community.code
    care = Category.objects.create(code="t-care", name="测试关爱类", order=90)
    venue = Category.objects.create(code="t-venue", name="测试场所类", order=91)
    Category.objects.create(code="t-old", name="测试停用类", order=92, active=False)
    made = [
        _project(care, home, Status.PROPOSED), _project(care, home, Status.FILED), _project(venue, home, Status.CLOSED),
        _project(venue, home, Status.DRAFT),  # a draft is nobody's project yet
        _project(care, other, Status.NOTICE), _project(venue, other, Status.IMPLEMENTING),
    ]
    return {"home": home, "other": other, "care": care, "venue": venue, "made": made}


def _direct(prefix: str) -> dict:
    """The same figures counted straight from the records, without the figures module."""
    counted = [p for p in Project.objects.all() if p.community_code.startswith(prefix) and p.status != Status.DRAFT]
    return {
        "project_categories": sum(1 for c in Category.objects.all() if c.active),
        "service_projects": len(counted),
        "projects_by_category": {c.code: sum(1 for p in counted if p.category_id == c.pk) for c in Category.objects.all()},
        "projects_by_status": {s.value: sum(1 for p in counted if p.status == s) for s in Status if s != Status.DRAFT},
    }


def _headline(api, token=None) -> dict:
    figures = api.get("/api/stats/headline", token=token).json()
    return {key: figures[key] for key in ("project_categories", "service_projects", "projects_by_category", "projects_by_status")}


def test_it_counts_the_projects_from_the_records(api, people, projects):
    district = _headline(api)
    assert district == _direct(projects["home"][:6])
    assert district["projects_by_category"]["t-care"] == 3
    before = district["service_projects"]
    _project(projects["care"], projects["other"], Status.ACCEPTED)
    after = _headline(api)
    assert after["service_projects"] == before + 1
    assert after["projects_by_status"]["accepted"] == district["projects_by_status"]["accepted"] + 1


def test_it_scopes_every_figure_to_the_caller(api, people, projects):
    community = _headline(api, people.community_official.token)
    assert community == _direct(projects["home"])
    assert community["service_projects"] == 3  # the home community's three, not its draft, not the other subdistrict's
    assert community["projects_by_category"]["t-venue"] == 1
    assert _headline(api, people.subdistrict_official.token) == _direct(scope_of(people.subdistrict_official.user).prefix)


def test_the_records_behind_a_category_are_the_callers_own(client, people, projects):
    client.force_login(people.community_official.user)
    page = client.get("/dashboard/records", {"figure": "projects_by_category.t-care"}).content.decode()
    assert "测试关爱类" in page
    home_numbers = [p.number for p in projects["made"] if p.community_code == projects["home"] and p.category == projects["care"]]
    other_numbers = [p.number for p in projects["made"] if p.community_code == projects["other"]]
    assert all(n in page for n in home_numbers) and not any(n in page for n in other_numbers)
    headline = client.get("/dashboard").content.decode()
    assert "测试关爱类项目" in headline and "社区服务项目" in headline


# The money figures: budget lines and standing disbursements of the counted projects, exact.


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _money(prefix: str) -> tuple[str, str]:
    """funds_budgeted and funds_spent summed straight from the rows, in Python."""
    counted = {p.pk for p in Project.objects.all() if p.community_code.startswith(prefix) and p.status != Status.DRAFT}
    budgeted = sum(line.amount_fen for line in BudgetLine.objects.all() if line.project_id in counted)
    spent = sum(d.amount_fen for d in Disbursement.objects.all() if d.project_id in counted and d.reversed_at is None)
    return _yuan(budgeted), _yuan(spent)


@pytest.fixture
def money(people):
    home, other = people.home_grid.community.code, people.other_grid.community.code
    meals = making.funded(home, 1_234_567)  # 12,345.67 yuan
    making.pay(meals, 100_001)
    making.pay(meals, 20_050)
    reversed_one = making.pay(meals, 9_999)
    disbursement_reverse(actor=people.subdistrict_official.user, disbursement=reversed_one, reason="重复登记，冲销")
    party = making.funded(home, 300_000, code="party_service")
    making.pay(party, 45_678, payee="管城区银龄社会工作服务中心")
    making.funded(home, 777_700, allocated_fen=1_234_567 + 777_700, status=Status.DRAFT)  # a draft's budget is counted to nobody
    away = making.funded(other, 5_000_000)
    making.pay(away, 2_500_003, payee="郑州外区服务有限公司")
    return {"home": home, "other": other, "meals": meals}


def _funds(api, token=None) -> tuple[str, str]:
    figures = api.get("/api/stats/headline", token=token).json()
    return figures["funds_budgeted"], figures["funds_spent"]


def test_the_money_figures_equal_the_sums_of_the_rows_to_the_fen(api, people, money):
    district = _funds(api)
    assert district == _money("")
    home = _funds(api, people.community_official.token)
    assert home == _money(money["home"]) == ("15345.67", "1657.29")  # the reversal and the draft left out
    assert _funds(api, people.subdistrict_official.token) == _money(scope_of(people.subdistrict_official.user).prefix)
    making.pay(money["meals"], 1)
    assert _funds(api, people.community_official.token) == ("15345.67", "1657.30")
    assert _funds(api)[1] == _yuan(int(district[1].replace(".", "")) + 1)


def test_the_records_behind_the_money_are_the_callers_own(client, people, money):
    client.force_login(people.community_official.user)
    spent = client.get("/dashboard/records", {"figure": "funds_spent"}).content.decode()
    assert "管城区银龄社会工作服务中心" in spent and "456.78" in spent and "郑州外区服务有限公司" not in spent
    assert "99.99" not in spent  # the reversed payment stands no more
    budgeted = client.get("/dashboard/records", {"figure": "funds_budgeted"}).content.decode()
    assert "12345.67" in budgeted and "50000.00" not in budgeted and "7777.00" not in budgeted
    headline = client.get("/dashboard").content.decode()
    assert "项目预算总额" in headline and "15345.67" in headline


def test_the_spending_chart_sums_per_category_and_source(api, people, money):
    charts = {c["key"]: c for c in api.get("/api/stats/charts", token=people.community_official.token).json()["charts"]}
    chart = charts["project_spending_by_category_source"]
    assert chart["columns"][:3] == ["类别", "社区服务群众专项经费（元）", "党组织服务群众经费（元）"]
    rows = {row[0]: row[1:] for row in chart["rows"]}
    assert set(rows) == set(Category.objects.values_list("name", flat=True))
    assert rows["生活服务类"][:2] == [1200.51, 456.78]  # the home community's, the reversal left out
    district = {c["key"]: c for c in api.get("/api/stats/charts", token=people.district_official.token).json()["charts"]}
    assert {row[0]: row[1:] for row in district["project_spending_by_category_source"]["rows"]}["生活服务类"][:2] == [(120_051 + 2_500_003) / 100, 456.78]
