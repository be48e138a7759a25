"""The party report: every organisation in scope, a page at a time, judged by the same rules as
a single organisation, in a number of queries that does not grow with the organisations."""

import io
import re

import openpyxl
import pytest
from django.test import Client

from wangge.geo.scope import scope_of
from wangge.people.models import GridPost, PartyOrganisation
from wangge.people.selectors.party import party_organisation_list, party_report
from wangge.people.services.party import organisation_rule_errors, organisations_rule_errors

ROW = re.compile(r'<tr id="organisation-(\d+)"')


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _listed_across_pages(client) -> list[int]:
    first = client.get("/people/party").content.decode()
    pages = int(re.search(r"第 1 / (\d+) 页", first).group(1)) if "第 1 / " in first else 1
    ids = [int(i) for i in ROW.findall(first)]
    for number in range(2, pages + 1):
        ids += [int(i) for i in ROW.findall(client.get("/people/party", {"page": number}).content.decode())]
    return ids


def test_it_lists_every_organisation_in_scope_once_across_its_pages(people):
    official = people.district_official.user
    listed = _listed_across_pages(_client(official))
    expected = set(party_organisation_list(scope_of(official)).values_list("pk", flat=True))
    assert len(expected) > 50  # more than one page on the demo district
    assert len(listed) == len(set(listed)) and set(listed) == expected


def test_a_community_official_sees_only_their_communitys_organisations(people):
    official = people.community_official.user
    listed = set(_listed_across_pages(_client(official)))
    other = PartyOrganisation.objects.get(grids=people.other_grid)
    assert listed and other.pk not in listed
    assert listed == set(party_organisation_list(scope_of(official)).values_list("pk", flat=True))


def test_a_page_past_the_end_shows_the_last_page(people):
    client = _client(people.district_official.user)
    last = client.get("/people/party", {"page": 9999})
    assert last.status_code == 200 and ROW.search(last.content.decode())
    assert client.get("/people/party", {"page": "x"}).status_code == 200


def test_the_page_shows_the_problems_of_an_organisation_that_breaks_a_rule(people):
    grid = people.home_grid
    organisation = PartyOrganisation.objects.get(grids=grid)
    GridPost.objects.filter(grid=grid, person=organisation.secretary, role__in=["leader", "deputy"]).delete()
    html = _client(people.community_official.user).get("/people/party").content.decode()
    row = re.search(rf'<tr id="organisation-{organisation.pk}".*?</tr>', html, re.S).group(0)
    assert "不是本网格的网格长或副网格长" in row and "breaking" in row


def test_the_rules_judged_together_equal_the_rules_judged_one_by_one(people):
    grid = people.home_grid
    organisation = PartyOrganisation.objects.get(grids=grid)
    GridPost.objects.filter(grid=grid, person=organisation.secretary, role__in=["leader", "deputy"]).delete()
    organisation.memberships.filter(person__party="full").exclude(person=organisation.secretary).first().delete()
    together = organisations_rule_errors(PartyOrganisation.objects.filter(community=grid.community))
    assert together[organisation.pk]
    for one in PartyOrganisation.objects.filter(community=grid.community):
        assert together[one.pk] == organisation_rule_errors(one), one.name


@pytest.mark.parametrize("persona", ["community_official", "district_official"])
def test_the_report_takes_the_same_queries_for_a_community_and_for_the_district(people, persona, django_assert_max_num_queries):
    """A community has a handful of organisations, the district hundreds: the bound is the same."""
    user = getattr(people, persona).user
    client = _client(user)
    client.get("/people/party")  # the session's first request writes its clock
    with django_assert_max_num_queries(20):  # 17 for the report, 3 for the shell (menu node, unread count)
        assert client.get("/people/party").status_code == 200
    with django_assert_max_num_queries(8):
        report = party_report(scope_of(user))
    assert isinstance(report["organisations_breaking_rules"], list)


def test_the_staffing_report_pages_the_grids_short_of_staff(people, settings):
    """Every grid short of staff once across the pages; the demo keeps the rule, so a higher bar
    makes every grid short of specialists."""
    from wangge.people.selectors.staff import staffing_by_grid

    settings.WANGGE_STAFFING_MIN_SPECIALISTS = 99
    official = people.district_official.user
    short = {row.code for row in staffing_by_grid(scope_of(official)) if row.problems}
    assert len(short) > 50
    client, grid = _client(official), re.compile(r'class="breaking-grid" data-grid="(\d+)"')
    first = client.get("/people/staffing").content.decode()
    pages = int(re.search(r"第 1 / (\d+) 页", first).group(1))
    listed = grid.findall(first)
    for number in range(2, pages + 1):
        listed += grid.findall(client.get("/people/staffing", {"page": number}).content.decode())
    assert len(listed) == len(set(listed)) and set(listed) == short


@pytest.mark.parametrize("persona", ["community_official", "district_official"])
def test_the_export_holds_the_rows_of_every_page_and_no_other(people, persona):
    client = _client(getattr(people, persona).user)
    listed = _listed_across_pages(client)
    response = client.get("/people/party", {"export": "xlsx"})
    header, *rows = openpyxl.load_workbook(io.BytesIO(response.content))["数据"].iter_rows(values_only=True)
    names = dict(PartyOrganisation.objects.filter(pk__in=listed).values_list("pk", "name"))
    assert header[:3] == ("党组织", "社区", "类型")
    assert [row[0] for row in rows] == [names[pk] for pk in listed]
    if persona == "community_official":
        assert {row[1] for row in rows} == {people.home_grid.community.name}
