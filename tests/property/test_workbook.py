"""The compounds workbook, through people's machinery: all or nothing with a row-by-row Chinese
report, references found only within the caller's scope, and an export scoped and masked."""

import io
import re

import openpyxl

from wangge.people.models import Building, Person
from wangge.property.models import CompanyService, Compound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = ["名称*", "类型*", "管理模式*", "所属社区代码*", "楼栋", "边界", "物业企业统一社会信用代码", "业委会主任身份证号", "业委会副主任身份证号", "业委会委员身份证号"]
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


def _xlsx(rows: list[dict]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append([row.get(h.rstrip("*"), "") for h in HEADINGS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(api, token, rows):
    return api.post("/api/workbooks/compounds/import", token=token, files={"file": ("小区.xlsx", _xlsx(rows), XLSX)})


def _new_compound(people, name: str, **extra) -> dict:
    community = people.home_grid.community
    return {"名称": name, "类型": "楼院", "管理模式": "自管", "所属社区代码": community.code,
            "边界": '{"type":"Polygon","coordinates":[[[113.7,34.7],[113.701,34.7],[113.701,34.701],[113.7,34.701],[113.7,34.7]]]}', **extra}


def test_it_imports_every_row_or_none_with_a_row_by_row_report(api, people, estate):
    token = people.community_official.token
    before = Compound.objects.count()
    resident = Person.objects.filter(household__building__community=people.home_grid.community).order_by("pk").first()
    bad = _import(api, token, [
        _new_compound(people, "新建楼院甲", 业委会主任身份证号=resident.id_number),
        _new_compound(people, "新建楼院乙", 管理模式="托管"),
        _new_compound(people, "新建楼院丙", 边界='{"type":"Polygon","coordinates":[[[113.7,34.7],[113.701,34.7],[113.7,34.7]]]}'),
        _new_compound(people, "新建楼院丁", 物业企业统一社会信用代码=estate.other_company.credit_code),
    ])
    assert bad.status_code == 400, bad.text
    report = bad.json()["report"]
    assert any(line.startswith("第 3 行 管理模式") for line in report)
    assert any(line.startswith("第 4 行 边界") and "4 个点" in line for line in report)
    # Another subdistrict's company reads as an unknown one.
    assert any(line.startswith("第 5 行 物业企业统一社会信用代码") and "不存在或不在您负责的范围内" in line for line in report)
    assert Compound.objects.count() == before
    good = _import(api, token, [
        _new_compound(people, "新建楼院甲", 业委会主任身份证号=resident.id_number, 物业企业统一社会信用代码=estate.company.credit_code),
    ])
    assert good.status_code == 200, good.text
    made = Compound.objects.get(name="新建楼院甲")
    assert made.owners_committee.memberships.get().person == resident
    assert CompanyService.objects.get(compound=made, ended_on__isnull=True).company == estate.company


def test_it_takes_the_registry_buildings_the_compound_name_holds(api, people, estate):
    compound = estate.compound
    names = list(compound.buildings.order_by("pk").values_list("name", flat=True))
    row = {"名称": compound.name, "类型": "小区", "管理模式": "市场化物业", "所属社区代码": compound.community.code, "楼栋": names[0]}
    assert _import(api, people.community_official.token, [row]).status_code == 200
    assert list(compound.buildings.values_list("name", flat=True)) == names[:1]
    row["楼栋"] = ""
    assert _import(api, people.community_official.token, [row]).status_code == 200
    assert compound.buildings.count() == Building.objects.filter(community=compound.community, compound=compound.name).count() == len(names)


def test_it_exports_the_scope_masked(api, people, estate):
    response = api.get("/api/workbooks/compounds/export", token=people.community_official.token)
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    names = {r[0] for r in rows[1:] if r and r[0]}
    assert estate.compound.name in names and estate.other_compound.name not in names
    assert not FULL_ID.search(response.content.decode("latin-1"))


def test_a_company_account_may_not_use_the_workbook(api, estate):
    assert api.post("/api/workbooks/compounds/import", token=estate.manager.token, files={"file": ("x.xlsx", _xlsx([]), XLSX)}).status_code == 403
