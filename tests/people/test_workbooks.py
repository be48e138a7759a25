"""Workbooks (.xlsx): templates, imports that write every row or none, exports scoped and masked."""

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest
from django.db import connection

from wangge.geo.models import Grid
from wangge.geo.scope import scope_of
from wangge.people.models import (
    Building,
    GridPost,
    Household,
    PartyMembership,
    PartyOrganisation,
    Person,
    SocialMembership,
    SocialOrganisation,
)
from wangge.people.selectors.persons import resident_list
from wangge.people.services.persons import id_digest
from wangge.people.services.staff import post_remove
from wangge.people.workbooks import Problem

from .ids import id_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
RESIDENT_HEADINGS = ["姓名*", "身份证号*", "联系电话", "民族", "宗教信仰", "健康状况", "人口类型*", "政治面貌", "离退休干部", "关怀类别",
                     "网格编码*", "街路巷或小区", "楼栋*", "单元", "户室*"]
STAFF_HEADINGS = ["姓名*", "身份证号*", "联系电话", "政治面貌", "网格编码*", "岗位*", "具体职责"]
PARTY_HEADINGS = ["组织名称*", "组织类型*", "网格编码*", "姓名*", "身份证号*", "职务"]
SOCIAL_HEADINGS = ["组织名称*", "联结类型*", "登记状态*", "所属社区代码*", "服务网格编码", "负责人身份证号"]
NOT_XLSX = "文件不是有效的 .xlsx 工作簿"


# --- helpers ---------------------------------------------------------------------------------

def _xlsx(headings: list[str], rows: list[dict | None]) -> bytes:
    """A workbook with `headings`; each row a dict by heading (without *), None for a blank row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append([(row or {}).get(h.rstrip("*"), "") for h in headings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(content: bytes, name: str | None = None) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    sheet = workbook[name] if name else workbook.worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _upload(api, token: str, kind: str, content: bytes, filename: str = "名单.xlsx"):
    return api.post(f"/api/workbooks/{kind}/import", token=token, files={"file": (filename, content, XLSX)})


def _counts() -> dict[str, int]:
    models = (Person, Household, Person.care_categories.through, GridPost, PartyOrganisation, PartyMembership, SocialOrganisation, SocialMembership)
    return {model.__name__: model.objects.count() for model in models}


def _refused(response, lines: list[str]) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["report"] == lines
    assert body["detail"] == f"导入失败：共 {len(lines)} 处错误，未导入任何数据"
    assert [Problem(**e).line for e in body["errors"]] == lines


def _home_building(people) -> Building:
    return Building.objects.filter(grid_code=people.home_grid.code).order_by("pk").first()


def _resident(building: Building, **values) -> dict:
    return {
        "姓名": "张明", "身份证号": id_number(born=date(1950, 3, 4)), "联系电话": "13912345678", "民族": "回族", "健康状况": "高血压",
        "人口类型": "户籍人口", "网格编码": building.grid_code, "街路巷或小区": building.compound, "楼栋": building.name, "单元": "9",
        "户室": "9901", **values,
    }


def _neighbours(people, n: int) -> list[Grid]:
    """`n` grids of the home community, each without its full-time grid worker."""
    grids = list(Grid.objects.filter(layer__is_active=True, level=3, community=people.home_grid.community).order_by("code")[:n])
    for post in GridPost.objects.filter(grid__in=grids, role="full_time"):
        post_remove(post=post)
    return grids


# --- templates and a round trip ----------------------------------------------------------------

def test_it_imports_a_filled_template_and_keeps_personal_fields_encrypted(api, people):
    template = api.get("/api/workbooks/residents/template", token=people.grid_worker.token)
    assert template.status_code == 200 and template.headers["Content-Type"] == XLSX
    assert _sheet(template.content) == [tuple(RESIDENT_HEADINGS)]
    notes = {row[0]: row[1:] for row in _sheet(template.content, "填写说明")}
    assert notes["人口类型"][:2] == ("必填", "户籍人口、流动人口") and notes["联系电话"][0] == "选填"
    assert "独居老人" in notes["关怀类别"][1]

    building = _home_building(people)
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    first, second = _resident(building, 政治面貌="中共党员", 关怀类别="独居老人、低保户"), _resident(building, 姓名="李芳", 人口类型="流动人口", 联系电话="")
    for row in (first, second):
        workbook.worksheets[0].append([row.get(h.rstrip("*"), "") for h in RESIDENT_HEADINGS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = _counts()

    response = _upload(api, people.grid_worker.token, "residents", buffer.getvalue())
    assert response.status_code == 200, response.text
    assert response.json() == {"imported": 2, "report": ["登记居民 2 人", "新登记住户 1 户"]}
    after = _counts()
    assert (after["Person"], after["Household"], after["Person_care_categories"]) == (before["Person"] + 2, before["Household"] + 1, before["Person_care_categories"] + 2)
    person = Person.objects.get(id_digest=id_digest(first["身份证号"]))
    assert (person.name, person.phone, person.party, person.residence, person.birth_date) == ("张明", "13912345678", "full", "registered", date(1950, 3, 4))
    assert person.household.building == building and (person.household.unit, person.household.room) == ("9", "9901")
    assert sorted(c.name for c in person.care_categories.all()) == ["低保户", "独居老人"]
    assert Person.objects.get(id_digest=id_digest(second["身份证号"])).household == person.household

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, ethnicity, health FROM people_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()
    assert all(value.startswith("sm4:") for value in stored)
    assert not {first["身份证号"], "13912345678", "回族", "高血压"} & set(stored)


def test_every_signed_in_user_may_download_every_template(api, people):
    for kind, headings in (("residents", RESIDENT_HEADINGS), ("staff", STAFF_HEADINGS), ("party", PARTY_HEADINGS), ("social", SOCIAL_HEADINGS)):
        response = api.get(f"/api/workbooks/{kind}/template", token=people.resident.token)
        assert response.status_code == 200
        assert _sheet(response.content)[0] == tuple(headings)
        assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[1] == "填写说明"


# --- bad workbooks: refused whole, every problem named by row and column ------------------------

def _registered_id(people) -> str:
    return resident_list(scope_of(people.grid_worker.user)).first().id_number


BAD_ROWS = {
    "bad checksum": (lambda p, row: {"身份证号": row["身份证号"][:-1] + ("0" if row["身份证号"][-1] != "0" else "1")}, "身份证号: 校验位错误"),
    "unknown grid": (lambda p, row: {"网格编码": "410104999999999"}, "网格编码: 网格 410104999999999 不存在或不在您负责的范围内"),
    "grid out of scope": (lambda p, row: {"网格编码": p.other_grid.code}, "网格编码: 网格 {other} 不存在或不在您负责的范围内"),
    "unknown building": (lambda p, row: {"楼栋": "99号楼"}, "楼栋: 网格 {home} 内没有登记楼栋“{compound}99号楼”"),
    "duplicate ID in file": (lambda p, row: {"身份证号": row["身份证号"]}, "身份证号: 与第 2 行重复"),
    "already registered": (lambda p, row: {"身份证号": _registered_id(p)}, "身份证号: 该身份证号已登记"),
    "missing name": (lambda p, row: {"姓名": ""}, "姓名: 不能为空"),
    "missing room": (lambda p, row: {"户室": None}, "户室: 不能为空"),
    "bad phone": (lambda p, row: {"联系电话": "1234"}, "联系电话: 格式错误，应为11位手机号或带区号的固定电话"),
    "bad choice": (lambda p, row: {"人口类型": "外地人口"}, "人口类型: “外地人口”不是可选值，应为 户籍人口、流动人口 之一"),
    "unknown care category": (lambda p, row: {"关怀类别": "独居老人、孤寡"}, "关怀类别: 未知的关怀类别：孤寡"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_it_refuses_a_workbook_with_one_bad_row_and_writes_nothing(api, people, case):
    change, expected = BAD_ROWS[case]
    building = _home_building(people)
    good = _resident(building)
    bad = _resident(building, 姓名="王强", 户室="9902") | change(people, good)
    before = _counts()
    response = _upload(api, people.grid_worker.token, "residents", _xlsx(RESIDENT_HEADINGS, [good, bad]))
    line = "第 3 行 " + expected.format(other=people.other_grid.code, home=people.home_grid.code, compound=building.compound)
    if case == "unknown care category":  # the service's message goes on to list the valid names
        assert response.status_code == 400 and response.json()["report"][0].startswith(line + "（可选：独居老人、")
    else:
        _refused(response, [line])
    assert _counts() == before


def test_it_reports_every_bad_row_in_spreadsheet_rows(api, people):
    building = _home_building(people)
    rows = [
        _resident(building, 身份证号="110101195003040000"),
        None,  # a blank row is skipped, and the rows after it keep their numbers
        _resident(building, 联系电话="555", 人口类型="", 网格编码="410104999999999"),
        _resident(building),
    ]
    before = _counts()
    response = _upload(api, people.community_official.token, "residents", _xlsx(RESIDENT_HEADINGS, rows))
    _refused(response, [
        "第 2 行 身份证号: 校验位错误",
        "第 4 行 联系电话: 格式错误，应为11位手机号或带区号的固定电话",
        "第 4 行 人口类型: 不能为空",
        "第 4 行 网格编码: 网格 410104999999999 不存在或不在您负责的范围内",
    ])
    assert _counts() == before


def test_it_refuses_missing_and_unknown_headings(api, people):
    headings = [h for h in RESIDENT_HEADINGS if h != "身份证号*"] + ["籍贯"]
    before = _counts()
    response = _upload(api, people.grid_worker.token, "residents", _xlsx(headings, [_resident(_home_building(people))]))
    _refused(response, ["第 1 行 身份证号: 缺少必填列", "第 1 行 籍贯: 不是本表的列，请使用下载的模板"])
    assert _counts() == before


@pytest.mark.parametrize("content", ["name,id_number\n张三,110101195003040012\n".encode(), b"", b"PK\x03\x04broken"], ids=["csv", "empty", "broken zip"])
def test_it_refuses_a_file_that_is_not_xlsx(api, people, content):
    before = _counts()
    response = _upload(api, people.grid_worker.token, "residents", content, filename="名单.xlsx")
    _refused(response, [NOT_XLSX])
    assert response.json()["errors"] == [{"row": None, "field": None, "reason": NOT_XLSX}]
    assert _counts() == before


def test_it_refuses_a_zip_that_holds_no_workbook(api, people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    _refused(_upload(api, people.community_official.token, "staff", buffer.getvalue()), [NOT_XLSX])


def test_it_refuses_a_workbook_without_data_rows(api, people):
    template = api.get("/api/workbooks/social/template", token=people.community_official.token).content
    _refused(_upload(api, people.community_official.token, "social", template), ["第 2 行: 工作簿中没有数据行"])


# --- exports: scoped and masked --------------------------------------------------------------

def _all_cells(rows: list[tuple]) -> list[str]:
    return [str(value) for row in rows[1:] for value in row if value is not None]


def test_a_grid_workers_export_holds_his_grids_residents_masked(api, people):
    response = api.get("/api/workbooks/residents/export", token=people.grid_worker.token)
    assert response.status_code == 200 and response.headers["Content-Type"] == XLSX
    rows = _sheet(response.content)
    assert rows[0] == tuple(h.rstrip("*") for h in RESIDENT_HEADINGS) + ("性别", "年龄", "地址")
    residents = resident_list(scope_of(people.grid_worker.user))
    assert len(rows) - 1 == residents.count() > 0
    assert {row[10] for row in rows[1:]} == {people.home_grid.code}
    cells = _all_cells(rows)
    assert not [c for c in cells if FULL_ID.search(c) or FULL_PHONE.search(c)]
    names = {p.name for p in residents}
    assert not names & set(cells)  # residents' names are masked too
    assert all("*" in row[0] for row in rows[1:] if len(row[0]) > 1)

    wider = _sheet(api.get("/api/workbooks/residents/export", token=people.community_official.token).content)
    assert len(wider) > len(rows) and people.home_grid.code in {row[10] for row in wider[1:]}
    assert people.other_grid.code not in {row[10] for row in wider[1:]}


@pytest.mark.parametrize("kind", ["staff", "party", "social"])
def test_organisation_exports_are_scoped_and_show_no_full_id_or_phone(api, people, kind):
    response = api.get(f"/api/workbooks/{kind}/export", token=people.community_official.token)
    assert response.status_code == 200
    rows = _sheet(response.content)
    assert len(rows) > 1
    cells = _all_cells(rows)
    assert not [c for c in cells if FULL_ID.search(c) or FULL_PHONE.search(c)]
    community = people.home_grid.community.code
    codes = {code for row in rows[1:] for code in re.findall(r"\d{15}", " ".join(str(v) for v in row if v))}
    assert codes and all(code.startswith(community) for code in codes)


# --- permissions: role x action ---------------------------------------------------------------

ACTIONS = {
    "template": lambda api, kind, token: api.get(f"/api/workbooks/{kind}/template", token=token),
    "export": lambda api, kind, token: api.get(f"/api/workbooks/{kind}/export", token=token),
    "import": lambda api, kind, token: _upload(api, token, kind, b"not even a workbook"),
}
# (role, kind, action) -> status; import answers 400 when allowed, since the file is not a workbook.
GRID = [
    ("resident", "residents", "template", 200), ("resident", "residents", "export", 403), ("resident", "residents", "import", 403),
    ("grid_worker", "residents", "export", 200), ("grid_worker", "residents", "import", 400),
    ("grid_worker", "staff", "template", 200), ("grid_worker", "staff", "export", 403), ("grid_worker", "staff", "import", 403),
    ("grid_worker", "party", "import", 403), ("grid_worker", "social", "export", 403),
    ("community_official", "staff", "export", 200), ("community_official", "party", "import", 400), ("community_official", "social", "import", 400),
    ("department_handler", "residents", "import", 403), ("department_handler", "staff", "export", 403),
    ("community_official", "people", "template", 404), ("community_official", "people", "export", 404), ("community_official", "people", "import", 404),
]


@pytest.mark.parametrize(("role", "kind", "action", "status"), GRID)
def test_who_may_do_what(api, people, role, kind, action, status):
    assert ACTIONS[action](api, kind, getattr(people, role).token).status_code == status


@pytest.mark.parametrize("action", list(ACTIONS))
def test_anonymous_callers_are_asked_to_sign_in(api, action):
    assert ACTIONS[action](api, "residents", None).status_code == 401


# --- staff: 一格一干, also across the rows of one file -------------------------------------------

def _staff(grid: Grid, role: str, **values) -> dict:
    return {"姓名": "赵刚", "身份证号": id_number(), "联系电话": "13900001111", "网格编码": grid.code, "岗位": role, **values}


def test_it_imports_staff_registering_new_people_but_not_as_residents(api, people):
    new = _staff(people.home_grid, "专业力量", 具体职责="社区民警")
    response = _upload(api, people.district_official.token, "staff", _xlsx(STAFF_HEADINGS, [new]))
    assert response.status_code == 200, response.text
    assert response.json() == {"imported": 1, "report": ["新增网格岗位 1 个", "新登记人员 1 人"]}
    person = Person.objects.get(id_digest=id_digest(new["身份证号"]))
    assert person.household is None and person.posts.get().duty.name == "社区民警"


def test_staff_import_refuses_a_second_cadre_for_a_grid(api, people):
    cadre = GridPost.objects.get(grid=people.home_grid, role="full_time").person
    before = _counts()
    response = _upload(api, people.district_official.token, "staff", _xlsx(STAFF_HEADINGS, [_staff(people.home_grid, "专职网格员")]))
    _refused(response, [f"第 2 行 岗位: 网格 {people.home_grid.code} 已有专职网格员：{cadre.name}"])
    assert _counts() == before


def test_staff_rules_hold_across_the_rows_of_one_file(api, people):
    first, second = _neighbours(people, 2)
    one, other = _staff(first, "专职网格员", 姓名="钱一"), _staff(first, "专职网格员", 姓名="孙二")
    twice = _staff(second, "专职网格员", 姓名="钱一", 身份证号=one["身份证号"])
    specialist = _staff(second, "专业力量")
    before = _counts()
    response = _upload(api, people.district_official.token, "staff", _xlsx(STAFF_HEADINGS, [one, other, twice, specialist]))
    _refused(response, [
        f"第 3 行 岗位: 网格 {first.code} 已有专职网格员：钱一",
        f"第 4 行 姓名: 钱一 已是网格 {first.code} 的专职网格员，一人只能专职一个网格",
        "第 5 行 具体职责: 专业力量须注明具体职责",
    ])
    assert _counts() == before


# --- party organisations ------------------------------------------------------------------------

def _party_rows(grid: Grid, kind: str, secretary: Person, members: list[Person]) -> list[dict]:
    return [
        {"组织名称": "测试党组织", "组织类型": kind, "网格编码": grid.code, "姓名": p.name, "身份证号": p.id_number, "职务": "书记" if p == secretary else ""}
        for p in [secretary, *members]
    ]


def _free_home_grid(people) -> tuple[Person, Person]:
    """The home grid without its demo organisation; its leader and cadre (both full members)."""
    PartyOrganisation.objects.filter(grids=people.home_grid).delete()
    leader = GridPost.objects.get(grid=people.home_grid, role="leader").person
    cadre = GridPost.objects.get(grid=people.home_grid, role="full_time").person
    assert leader.party == cadre.party == "full"
    return leader, cadre


def test_party_import_refuses_a_branch_with_fewer_than_three_full_members(api, people):
    leader, cadre = _free_home_grid(people)
    before = _counts()
    response = _upload(api, people.community_official.token, "party", _xlsx(PARTY_HEADINGS, _party_rows(people.home_grid, "党支部", leader, [cadre])))
    _refused(response, ["第 2 行 组织类型: 党支部至少需要3名正式党员，现有2名；不足时应成立党小组或联合党支部"])
    assert _counts() == before


def test_party_import_forms_a_party_group_of_known_members(api, people):
    leader, cadre = _free_home_grid(people)
    rows = _party_rows(people.home_grid, "党小组", leader, [cadre])
    response = _upload(api, people.community_official.token, "party", _xlsx(PARTY_HEADINGS, rows))
    assert response.status_code == 200, response.text
    organisation = PartyOrganisation.objects.get(name="测试党组织")
    assert (organisation.kind, organisation.secretary, set(organisation.members.all())) == ("group", leader, {leader, cadre})

    export = _sheet(api.get("/api/workbooks/party/export", token=people.community_official.token).content)
    mine = [row for row in export[1:] if row[0] == "测试党组织"]
    assert mine == [("测试党组织", "党小组", people.home_grid.code, leader.name, leader.id_number[:6] + "********" + leader.id_number[-4:], "组长"),
                    ("测试党组织", "党小组", people.home_grid.code, cadre.name, cadre.id_number[:6] + "********" + cadre.id_number[-4:], "党员")]


def test_party_import_names_unknown_members_and_inconsistent_rows(api, people):
    leader, cadre = _free_home_grid(people)
    rows = _party_rows(people.home_grid, "党小组", leader, [cadre])
    rows.append({**rows[1], "姓名": "无名", "身份证号": id_number()})
    rows.append({**rows[1], "组织类型": "党支部"})
    before = _counts()
    response = _upload(api, people.community_official.token, "party", _xlsx(PARTY_HEADINGS, rows))
    _refused(response, ["第 4 行 身份证号: 该身份证号未登记，请先登记该人员", "第 5 行 组织类型: 与第 2 行的组织类型不一致", "第 5 行 身份证号: 与第 3 行重复"])
    assert _counts() == before


# --- social organisations -------------------------------------------------------------------------

def test_social_import_creates_organisations_with_their_leader(api, people):
    community = people.home_grid.community
    leader = resident_list(scope_of(people.grid_worker.user)).first()
    rows = [
        {"组织名称": "测试志愿服务队", "联结类型": "地缘", "登记状态": "备案", "所属社区代码": community.code, "服务网格编码": people.home_grid.code, "负责人身份证号": leader.id_number},
        {"组织名称": "测试书画社", "联结类型": "趣缘", "登记状态": "登记", "所属社区代码": community.code},
    ]
    response = _upload(api, people.community_official.token, "social", _xlsx(SOCIAL_HEADINGS, rows))
    assert response.status_code == 200, response.text
    organisation = SocialOrganisation.objects.get(name="测试志愿服务队")
    assert (organisation.bond, organisation.status, list(organisation.grids.all())) == ("place", "filed", [people.home_grid])
    assert organisation.memberships.get().person == leader

    export = _sheet(api.get("/api/workbooks/social/export", token=people.community_official.token).content)
    assert export[0][-2:] == ("成员数", "活动数")
    row = next(r for r in export if r[0] == "测试志愿服务队")
    assert row[5] == leader.id_number[:6] + "********" + leader.id_number[-4:] and row[6:] == (1, 0)


def test_social_import_refuses_unknown_communities_and_repeated_names(api, people):
    community = people.home_grid.community
    row = {"组织名称": "测试舞蹈队", "联结类型": "趣缘", "登记状态": "备案", "所属社区代码": community.code}
    rows = [row, row, {**row, "组织名称": "另一队", "所属社区代码": people.other_grid.community.code, "负责人身份证号": id_number()}]
    before = _counts()
    response = _upload(api, people.community_official.token, "social", _xlsx(SOCIAL_HEADINGS, rows))
    _refused(response, [
        "第 3 行 组织名称: 与第 2 行重复",
        f"第 4 行 所属社区代码: 社区 {people.other_grid.community.code} 不存在或不在您负责的范围内",
        "第 4 行 负责人身份证号: 该身份证号未登记，请先登记该人员",
    ])
    assert _counts() == before


# --- the page ----------------------------------------------------------------------------------

def test_the_page_offers_what_each_user_may_do_and_reports_a_bad_upload(client, people):
    client.force_login(people.grid_worker.user)
    page = client.get("/people/workbooks").content.decode()
    assert 'name="kind" value="residents"' in page and 'name="kind" value="staff"' not in page
    assert "/api/workbooks/staff/template" in page and "/api/workbooks/staff/export" not in page

    bad = _xlsx(RESIDENT_HEADINGS, [_resident(_home_building(people), 身份证号="110101195003040000")])
    upload = io.BytesIO(bad)
    upload.name = "坏表.xlsx"
    before = _counts()
    page = client.post("/people/workbooks", {"kind": "residents", "file": upload}).content.decode()
    assert "导入失败：共 1 处错误，未导入任何数据" in page
    assert re.search(r"<td>第 2 行</td><td>身份证号</td><td>校验位错误</td>", page)
    assert _counts() == before
    assert client.post("/people/workbooks", {"kind": "staff", "file": io.BytesIO(bad)}).status_code == 403
    # No file chosen: the residents' own file field says so, beside itself, and nothing is imported.
    response = client.post("/people/workbooks", {"kind": "residents"})
    field = re.search(r'<div class="field has-error">.*?</div>', response.content.decode(), re.S).group(0)
    assert response.status_code == 400 and 'id="id_residents_file"' in field and "请选择要导入的 .xlsx 文件" in field
    assert _counts() == before
