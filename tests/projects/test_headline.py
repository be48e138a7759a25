"""The service projects' figures in /api/stats/headline: computed from the records at request
time, scoped to the caller, each with the records behind it on /dashboard."""

import itertools

import pytest

from wangge.geo.scope import scope_of
from wangge.projects.models import Category, Project, Status

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
