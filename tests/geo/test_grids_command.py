"""`wangge grids import|export|check|activate` and `wangge token` on the command line."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.geo.layers import active_collection, first_level3
from wangge.geo.models import GridLayer


def _write(tmp_path, collection, name="layer.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def test_check_exits_0_for_a_seamless_file_and_1_with_the_report_otherwise(db, tmp_path, capsys):
    collection = active_collection()
    call_command("grids", "check", str(_write(tmp_path, collection)), "--json")
    assert json.loads(capsys.readouterr().out)["seamless"] is True
    removed = collection["features"].pop(first_level3(collection))
    with pytest.raises(SystemExit) as exited:
        call_command("grids", "check", str(_write(tmp_path, collection)), "--json")
    assert exited.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert [g["parent"] for g in report["gaps"]] == [removed["properties"]["parent"]]


def test_check_takes_a_layer_id(db, capsys):
    layer = GridLayer.objects.get(is_active=True)
    call_command("grids", "check", str(layer.pk))
    assert "无缝覆盖" in capsys.readouterr().out


def test_import_reports_each_bad_feature_and_saves_nothing(db, tmp_path):
    collection = active_collection()
    i = first_level3(collection)
    collection["features"][i]["geometry"]["coordinates"][0].pop()
    count = GridLayer.objects.count()
    with pytest.raises(CommandError, match=f"第 {i + 1} 个要素：第 1 个环未闭合"):
        call_command("grids", "import", str(_write(tmp_path, collection)))
    assert GridLayer.objects.count() == count


def test_export_import_and_activate_round_trip(db, tmp_path, capsys):
    layer = GridLayer.objects.get(is_active=True)
    out = tmp_path / "export.geojson"
    call_command("grids", "export", str(layer.pk), "--out", str(out))
    call_command("grids", "import", str(out), "--name", "复制", "--activate")
    new = GridLayer.objects.get(is_active=True)
    assert new.pk != layer.pk and new.name == "复制"
    assert dict(new.grids.values_list("code", "geometry")) == dict(layer.grids.values_list("code", "geometry"))


def test_import_refuses_a_missing_file(db):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("grids", "import", "/nonexistent.geojson")


def test_token_prints_a_working_token(api, people, capsys):
    call_command("token", "--user", people.community_official.user.username)
    token = capsys.readouterr().out.strip()
    assert api.get("/api/divisions", token=token).status_code == 200
    assert api.get("/api/divisions", token=token + "x").status_code == 401
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "--user", "nobody")


def test_check_names_every_bad_feature_of_a_file(db, tmp_path):
    collection = active_collection()
    i = first_level3(collection)
    j = i + 5
    ring = collection["features"][i]["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]
    ring[0], ring[1] = ring[1], ring[0]
    ring[-1] = ring[0]
    swapped = collection["features"][j]["geometry"]["coordinates"][0]
    collection["features"][j]["geometry"]["coordinates"][0] = [[lat, lon] for lon, lat in swapped]
    with pytest.raises(CommandError) as refused:
        call_command("grids", "check", str(_write(tmp_path, collection)))
    lines = str(refused.value).splitlines()
    for k, expected in ((i, "自相交"), (j, "经纬度顺序颠倒")):
        code = collection["features"][k]["properties"]["code"]
        assert any(line.startswith(f"  第 {k + 1} 个要素：") and expected in line and code in line for line in lines), lines
