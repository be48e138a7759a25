"""The residents' needs in the back office: an official reads those of their own area only,
with names and phones masked."""

import io

import openpyxl
import pytest

from wangge.matching.models import Need
from wangge.matching.services import need_submit


@pytest.fixture
def needs(people) -> tuple[Need, Need]:
    home = need_submit(category="养老服务", description="希望上门助浴", community_code=people.home_grid.community.code, name="王小明", phone="13712345678")
    other = need_submit(category="儿童关爱", description="希望开设四点半课堂", community_code=people.other_grid.community.code, name="赵大山", phone="13698765432")
    return home, other


def test_a_community_official_reads_their_communitys_needs_masked(client, people, needs):
    client.force_login(people.community_official.user)
    page = client.get("/portal/needs").content.decode()
    assert "希望上门助浴" in page and needs[0].number in page
    assert "王**" in page and "137****5678" in page
    assert "王小明" not in page and "13712345678" not in page
    assert "希望开设四点半课堂" not in page and needs[1].number not in page


def test_a_district_official_reads_every_communitys_needs(client, people, needs):
    client.force_login(people.district_official.user)
    page = client.get("/portal/needs").content.decode()
    assert "希望上门助浴" in page and "希望开设四点半课堂" in page and "赵**" in page and "赵大山" not in page


def test_it_filters_needs_by_state(client, people, needs):
    Need.objects.filter(pk=needs[0].pk).update(state=Need.State.MATCHED)
    client.force_login(people.district_official.user)
    assert "希望上门助浴" in client.get("/portal/needs?state=matched").content.decode()
    assert "希望上门助浴" not in client.get("/portal/needs?state=new").content.decode()


def test_a_community_officials_export_is_their_communitys_masked(client, people, needs):
    client.force_login(people.community_official.user)
    response = client.get("/portal/needs", {"q": "希望", "export": "xlsx"})
    header, *rows = openpyxl.load_workbook(io.BytesIO(response.content))["数据"].iter_rows(values_only=True)
    assert [row[0] for row in rows] == [needs[0].number]
    mine = dict(zip(header, rows[0], strict=True))
    assert mine["社区"] == people.home_grid.community.name and mine["联系人"] == "王**" and mine["电话"] == "137****5678"
    assert "王小明" not in str(rows) and "13712345678" not in str(rows)


@pytest.mark.parametrize("persona", ["grid_worker", "department_handler", "resident"])
def test_others_are_refused(client, people, needs, persona):
    client.force_login(getattr(people, persona).user)
    assert client.get("/portal/needs").status_code == 403
    assert client.get("/portal/needs", {"export": "xlsx"}).status_code == 403
