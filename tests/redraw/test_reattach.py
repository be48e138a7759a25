"""Re-attaching staff, organisations and grid workers' scopes in one reviewed step, keeping
一格一干 when two old grids end up in one new grid."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import include, path

import wangge.urls
from wangge.accounts.models import User
from wangge.geo import services
from wangge.geo.models import GridLayer
from wangge.people.models import GridPost, PartyOrganisation
from wangge.redraw.inputs import RunOptions, platform_run
from wangge.redraw.reattach import PlanStale, reattach_apply, reattach_plan
from wangge.redraw.save import proposal_save

urlpatterns = [path("", include("wangge.redraw.urls")), *wangge.urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def merged(db):
    """(old, new): a new layer of fewer, larger grids, saved and active, staff still on the old."""
    old = GridLayer.objects.get(is_active=True)
    result, _ = platform_run(options=RunOptions(min=600, max=1000))
    new = proposal_save(result=result, name="大网格", from_layer=old)
    services.grid_layer_activate(layer=new, reason="测试")
    return old, new


def _snapshot():
    return list(GridPost.objects.order_by("pk").values_list("pk", "grid_id", "role")), list(User.objects.order_by("pk").values_list("scope_code", flat=True))


def test_the_plan_keeps_one_cadre_per_grid_when_old_grids_merge(merged):
    old, new = merged
    plan = reattach_plan(old_layer=old, new_layer=new)

    demoted = [i for i in plan.items if i["kind"] == "post" and i["action"] == "demote"]
    assert demoted, "fewer new grids than old: some cadres cannot stay full-time"
    assert all("一格一干" in i["note"] and "副网格长" in i["note"] for i in demoted)
    detached = [i for i in plan.items if i["kind"] == "party" and i["action"] == "detach"]
    assert detached and all("社区党委" in i["note"] for i in detached)
    a_demoted_cadre = next(i for i in demoted if "专职网格员" in i["label"])

    reattach_apply(plan=plan, reason="合并网格")

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


def test_apply_refuses_a_plan_made_before_the_data_changed(merged):
    old, new = merged
    plan = reattach_plan(old_layer=old, new_layer=new)
    user = User.objects.filter(scope_code__in=old.grids.filter(level=3).values("code")).first()
    user.scope_code = user.scope_code[:12]
    user.save(update_fields=["scope_code"])
    before = _snapshot()

    with pytest.raises(PlanStale, match="请重新生成方案并复核"):
        reattach_apply(plan=plan, reason="调整")
    assert _snapshot() == before


def test_apply_needs_a_reason_and_an_active_new_layer(db):
    old = GridLayer.objects.get(is_active=True)
    result, _ = platform_run(options=RunOptions())
    new = proposal_save(result=result, name="未启用", from_layer=old)
    plan = reattach_plan(old_layer=old, new_layer=new)
    assert any("新图层尚未启用" in line for line in plan.blocking)
    before = _snapshot()

    with pytest.raises(ValidationError) as refused:
        reattach_apply(plan=plan, reason="  ")
    assert refused.value.message_dict == {"reason": ["请填写调整原因"]}
    with pytest.raises(ValidationError, match="新图层尚未启用"):
        reattach_apply(plan=plan, reason="调整")
    assert _snapshot() == before


def test_the_command_shows_the_plan_and_applies_it_only_when_asked(merged, capsys):
    old, new = merged
    before = _snapshot()
    call_command("grids", "reattach", "--from", str(old.pk), "--to", str(new.pk))
    shown = capsys.readouterr().out
    assert "岗位转任副网格长" in shown and "一格一干" in shown
    assert _snapshot() == before

    with pytest.raises(CommandError, match="请填写调整原因"):
        call_command("grids", "reattach", "--from", str(old.pk), "--apply")
    call_command("grids", "reattach", "--from", str(old.pk), "--apply", "--reason", "合并网格")
    assert "已执行调整" in capsys.readouterr().out
    assert not GridPost.objects.filter(grid__layer=old).exists()


def test_the_page_shows_the_plan_and_applies_it_with_a_reason(client, people, merged):
    old, new = merged
    client.force_login(people.district_official.user)
    page = client.get("/grids/redraw/reattach")  # defaults: the layer before the switch -> the active one
    html = page.content.decode()
    plan = page.context["plan"]
    assert (plan.old_layer, plan.new_layer) == (old.pk, new.pk)
    assert 'id="reattach-conflicts"' in html and "转任副网格长" in html

    refused = client.post("/grids/redraw/reattach/apply", {"old": old.pk, "new": new.pk, "digest": plan.digest, "reason": ""}, follow=True)
    assert "未执行：请填写调整原因" in refused.content.decode()
    assert GridPost.objects.filter(grid__layer=old).exists()

    done = client.post("/grids/redraw/reattach/apply", {"old": old.pk, "new": new.pk, "digest": plan.digest, "reason": "合并网格"}, follow=True)
    assert "已执行调整" in done.content.decode()
    assert not GridPost.objects.filter(grid__layer=old).exists()
