"""Activating a layer and re-attaching staff, organisations and grid workers' scopes in one
reviewed step, keeping 一格一干 when two old grids end up in one new grid; refused when
anything would be left on no grid of the new layer."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import include, path

import wangge.urls
from tests.geo.layers import active_collection, body
from wangge.accounts.models import User
from wangge.geo.models import Grid, GridLayer
from wangge.people.models import Building, GridPost, PartyOrganisation
from wangge.redraw.inputs import RunOptions, platform_run
from wangge.redraw.reattach import PlanStale, layer_switch, reattach_plan
from wangge.redraw.save import proposal_save

urlpatterns = [path("", include("wangge.redraw.urls")), *wangge.urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def redrawn(db):
    """(old, new): a saved, inactive layer of fewer, larger grids; staff on the active one."""
    old = GridLayer.objects.get(is_active=True)
    result, _ = platform_run(options=RunOptions(min=600, max=1000))
    return old, proposal_save(result=result, name="大网格", from_layer=old)


def _snapshot():
    return list(GridPost.objects.order_by("pk").values_list("pk", "grid_id", "role")), list(User.objects.order_by("pk").values_list("scope_code", flat=True))


def test_activation_never_shows_the_net_without_its_grid_workers(api, people):
    """The headline's grid workers and the locator's grid worker at a point are the same just
    after activating a renumbered copy of the net as before: staff moved in the same step."""
    collection = active_collection()
    for feature in collection["features"]:
        if feature["properties"]["level"] == 3:
            code = feature["properties"]["code"]
            feature["properties"]["code"] = code[:12] + f"{900 - int(code[12:]):03d}"
    new_id = api.post("/api/grids/layers", token=people.district_official.token, data=body(collection)).json()["id"]
    point = next({"lon": b.lon, "lat": b.lat} for b in Building.objects.exclude(grid_code="").order_by("pk"))
    headline_before = api.get("/api/stats/headline").json()
    located_before = api.get("/api/locate", params=point).json()
    assert headline_before["full_time_grid_workers"] > 0 and located_before["grid_worker"]

    assert api.post(f"/api/grids/layers/{new_id}/activate?reason=重新编码", token=people.district_official.token).status_code == 200

    headline_after = api.get("/api/stats/headline").json()
    located_after = api.get("/api/locate", params=point).json()
    for key in ("grid_workers", "full_time_grid_workers"):
        assert headline_after[key] == headline_before[key], key
    assert located_after["grids"]["3"] != located_before["grids"]["3"]
    assert located_after["grid_worker"] == located_before["grid_worker"]
    assert not GridPost.objects.exclude(grid__layer_id=new_id).exists()


def test_the_switch_activates_and_reattaches_in_one_step_keeping_one_cadre_per_grid(redrawn):
    old, new = redrawn
    plan = reattach_plan(old_layer=old, new_layer=new)
    assert not plan.blocking, "an inactive layer can be reviewed and switched to"

    demoted = [i for i in plan.items if i["kind"] == "post" and i["action"] == "demote"]
    assert demoted, "fewer new grids than old: some cadres cannot stay full-time"
    assert all("一格一干" in i["note"] and "副网格长" in i["note"] for i in demoted)
    detached = [i for i in plan.items if i["kind"] == "party" and i["action"] == "detach"]
    assert detached and all("社区党委" in i["note"] for i in detached)
    a_demoted_cadre = next(i for i in demoted if "专职网格员" in i["label"])

    counts = layer_switch(new_layer=new, digest=plan.digest, reason="合并网格")

    assert counts == plan.counts()
    new.refresh_from_db()
    assert new.is_active
    cadres = GridPost.objects.filter(role=GridPost.Role.FULL_TIME).select_related("grid", "person__user")
    assert all(p.grid.layer_id == new.pk for p in cadres)
    assert len({p.grid_id for p in cadres}) == cadres.count() == new.grids.filter(level=3).count()
    assert all(p.person.user.scope_code == p.grid.code for p in cadres if p.person.user)
    post = GridPost.objects.select_related("grid", "person__user").get(pk=a_demoted_cadre["id"])
    assert (post.role, post.grid.code) == (GridPost.Role.DEPUTY, a_demoted_cadre["new"])
    assert post.person.user.scope_code == post.grid.code
    on_new = PartyOrganisation.grids.through.objects.filter(grid__layer=new)
    assert on_new.values("grid").distinct().count() == on_new.count(), "one party organisation per grid"
    assert not PartyOrganisation.objects.get(pk=detached[0]["id"]).grids.exists()


def test_the_switch_refuses_a_plan_made_before_the_data_changed(redrawn):
    old, new = redrawn
    plan = reattach_plan(old_layer=old, new_layer=new)
    user = User.objects.filter(scope_code__in=old.grids.filter(level=3).values("code")).first()
    user.scope_code = user.scope_code[:12]
    user.save(update_fields=["scope_code"])
    before = _snapshot()

    with pytest.raises(PlanStale, match="请重新生成方案并复核"):
        layer_switch(new_layer=new, digest=plan.digest, reason="调整")
    assert _snapshot() == before and GridLayer.objects.get(is_active=True) == old


def test_the_switch_needs_a_reason(redrawn):
    old, new = redrawn
    plan = reattach_plan(old_layer=old, new_layer=new)
    with pytest.raises(ValidationError) as refused:
        layer_switch(new_layer=new, digest=plan.digest, reason="  ")
    assert refused.value.message_dict == {"reason": ["请填写调整原因"]}
    assert GridLayer.objects.get(is_active=True) == old


def _strand_one_grid(old, new):
    """A staffed grid of the old layer that no grid of the new layer takes over: it lies on
    none of them (its outline moved far away) and its community has none."""
    grid = old.grids.filter(level=3, posts__isnull=False).order_by("code").first()
    other = old.grids.filter(level=3).exclude(community_id=grid.community_id).values_list("community_id", flat=True).first()
    new.grids.filter(level=3, community_id=grid.community_id).update(community_id=other)
    far = [[[100.0, 30.0], [100.001, 30.0], [100.001, 30.001], [100.0, 30.001], [100.0, 30.0]]]
    Grid.objects.filter(pk=grid.pk).update(geometry={"type": "Polygon", "coordinates": far})
    return grid


def test_activation_is_refused_when_a_grid_worker_would_be_left_behind(api, people, redrawn):
    old, new = redrawn
    stranded = _strand_one_grid(old, new)
    plan = reattach_plan(old_layer=old, new_layer=new)
    [line] = [line for line in plan.blocking if stranded.code in line]
    cadre = GridPost.objects.get(grid=stranded, role=GridPost.Role.FULL_TIME)
    assert f"{cadre.person.name}（专职网格员）" in line
    before = _snapshot()

    with pytest.raises(ValidationError, match=cadre.person.name):
        layer_switch(new_layer=new, digest=plan.digest, reason="调整")
    response = api.post(f"/api/grids/layers/{new.pk}/activate?reason=调整", token=people.district_official.token)
    assert response.status_code == 400 and "无处挂靠" in response.json()["detail"] and cadre.person.name in response.json()["detail"]
    with pytest.raises(CommandError, match="无处挂靠"):
        call_command("grids", "activate", str(new.pk))
    assert _snapshot() == before and GridLayer.objects.get(is_active=True) == old


def test_the_command_shows_the_plan_and_switches_only_when_asked(redrawn, capsys):
    old, new = redrawn
    before = _snapshot()
    call_command("grids", "switch", str(new.pk))
    shown = capsys.readouterr().out
    assert "岗位转任副网格长" in shown and "一格一干" in shown
    assert _snapshot() == before and GridLayer.objects.get(is_active=True) == old

    with pytest.raises(CommandError, match="请填写调整原因"):
        call_command("grids", "switch", str(new.pk), "--apply")
    call_command("grids", "switch", str(new.pk), "--apply", "--reason", "合并网格")
    assert "已启用图层" in capsys.readouterr().out
    assert GridLayer.objects.get(is_active=True) == new
    assert not GridPost.objects.filter(grid__layer=old).exists()


def test_the_page_shows_the_plan_and_switches_with_a_reason(client, people, redrawn):
    old, new = redrawn
    client.force_login(people.district_official.user)
    page = client.get(f"/grids/redraw/switch?to={new.pk}")
    html = page.content.decode()
    plan = page.context["plan"]
    assert (plan.old_layer, plan.new_layer) == (old.pk, new.pk)
    assert 'id="reattach-conflicts"' in html and "转任副网格长" in html

    refused = client.post("/grids/redraw/switch/apply", {"new": new.pk, "digest": plan.digest, "reason": ""}, follow=True)
    assert "未执行：请填写调整原因" in refused.content.decode()
    assert GridPost.objects.filter(grid__layer=old).exists() and not GridLayer.objects.get(pk=new.pk).is_active

    done = client.post("/grids/redraw/switch/apply", {"new": new.pk, "digest": plan.digest, "reason": "合并网格"}, follow=True)
    assert "已启用图层" in done.content.decode()
    assert GridLayer.objects.get(pk=new.pk).is_active
    assert not GridPost.objects.filter(grid__layer=old).exists()
