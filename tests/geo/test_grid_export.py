"""The grid map's list as a file: the grids the map lists at that level, within the caller's scope."""

import io

import openpyxl

from wangge.core.models import AuditRecord
from wangge.geo.models import Grid


def _rows(client, **params) -> list[tuple]:
    response = client.get("/grids", {"export": "xlsx", **params})
    assert response.status_code == 200
    header, *rows = openpyxl.load_workbook(io.BytesIO(response.content))["数据"].iter_rows(values_only=True)
    assert list(header) == ["网格编码", "网格名称", "层级", "上级网格", "户数", "人口"]
    return [row for row in rows if row[0]]


def test_the_top_level_and_a_parents_children_are_exported_as_the_map_lists_them(client, people):
    client.force_login(people.district_official.user)
    top = _rows(client)
    level1 = Grid.objects.filter(layer__is_active=True, level=1)
    assert sorted(r[0] for r in top) == sorted(level1.values_list("code", flat=True))
    parent = people.home_grid.parent
    children = _rows(client, parent=parent.code)
    expected = Grid.objects.filter(layer__is_active=True, parent=parent)
    assert {r[0]: (r[1], r[3], r[4], r[5]) for r in children} == {
        g.code: (g.name, parent.name, g.households, g.population) for g in expected
    }
    assert AuditRecord.objects.filter(action="export.table", object_id="grids").exists()


def test_a_parent_out_of_scope_exports_nothing(client, people):
    client.force_login(people.grid_worker.user)
    assert _rows(client, parent=people.home_grid.parent.code)  # the worker's own branch is listed
    assert people.home_grid.code in {r[0] for r in _rows(client, parent=people.home_grid.parent.code)}
    assert _rows(client, parent=people.other_grid.parent.code) == []
    assert _rows(client, parent="nonsense") == []
