"""The demo district re-delineated from its own buildings: proposal, saved layer, activation,
the locator, staff re-attached in the same step; and the back-office page that does the first steps."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import include, path

import wangge.urls
from wangge.core.models import AuditRecord
from wangge.geo import services
from wangge.geo.models import Grid, GridLayer
from wangge.people.models import Building, GridPost
from wangge.redraw.inputs import RunOptions, platform_run
from wangge.redraw.save import proposal_save

# The page's routes, whether or not the root urls include them yet.
urlpatterns = [path("", include("wangge.redraw.urls")), *wangge.urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)


def _full_time_posts():
    return GridPost.objects.filter(role=GridPost.Role.FULL_TIME).select_related("grid__layer", "person__user")


def test_it_redraws_the_demo_district_and_carries_staff_over(api, people):
    old = GridLayer.objects.get(is_active=True)
    result, layer = platform_run(options=RunOptions(min=300, max=500, seed=0))
    assert layer == old and result.within_bounds_share == 1.0 and not result.infeasible

    new = proposal_save(result=result, name="年度重新划分", actor=people.district_official.user, from_layer=old)

    assert not new.is_active and new.created_by == people.district_official.user
    assert [new.grids.filter(level=level).count() for level in (1, 2, 3)] == [13, 138, len(result.grids)]
    assert services.coverage_of_layer(layer=new)["seamless"]
    first = new.grids.filter(level=3).select_related("parent", "community").order_by("code").first()
    assert first.parent.code == first.community.code + "000" and first.name == f"{first.community.name}第1网格"
    assert new.grids.get(level=1, code=old.grids.filter(level=1).first().code).households == sum(
        new.grids.filter(level=3, code__startswith=old.grids.filter(level=1).first().code[:9]).values_list("households", flat=True)
    )
    assert AuditRecord.objects.filter(action="geo.gridlayer.delineated", object_id=str(new.pk)).exists()

    response = api.post(f"/api/grids/layers/{new.pk}/activate?reason=重新划分", token=people.district_official.token)
    assert response.status_code == 200, response.text

    # The locator puts a building in the proposal's grid that holds it.
    grid_of = {building: grid.code for grid in result.grids for building in grid.buildings}
    moved = next(b for b in Building.objects.order_by("pk") if b.households and grid_of[str(b.pk)] != _old_code(old, b))
    located = api.get("/api/locate", params={"lon": moved.lon, "lat": moved.lat}).json()
    assert located["grids"]["3"] == grid_of[str(moved.pk)]
    moved.refresh_from_db()
    assert moved.grid_code == grid_of[str(moved.pk)]

    # Staff came along in the activation's own transaction.
    posts = list(_full_time_posts())
    assert posts and all(p.grid.layer_id == new.pk for p in posts)
    assert len({p.grid_id for p in posts}) == len(posts), "one full-time grid worker per grid"
    assert all(p.person.user.scope_code == p.grid.code for p in posts if p.person.user)
    assert not GridPost.objects.filter(grid__layer=old).exists()
    workers = GridPost.objects.filter(grid__layer=new).values_list("person__user__scope_code", flat=True)
    new_codes = set(new.grids.filter(level=3).values_list("code", flat=True))
    assert {code for code in workers if code} <= new_codes
    record = AuditRecord.objects.get(action="geo.gridlayer.reattached", object_id=str(new.pk))
    assert (record.detail, record.user_id) == ("重新划分", people.district_official.user.pk)


def _old_code(layer, building) -> str:
    from wangge.geo.locator import index_for_layer

    return index_for_layer(layer.pk, str(layer.uid)).codes_at([building.lon], [building.lat])[0]


def test_saving_a_proposal_is_all_or_nothing(db):
    old = GridLayer.objects.get(is_active=True)
    result, _ = platform_run(options=RunOptions())
    result.grids[-1].community = "410104999999"  # a community the layer does not draw
    layers, grids = GridLayer.objects.count(), Grid.objects.count()

    with pytest.raises(ValidationError, match="不在原图层中"):
        proposal_save(result=result, name="坏方案", from_layer=old)

    assert (GridLayer.objects.count(), Grid.objects.count()) == (layers, grids)


# The page


def _query(**extra) -> str:
    params = {"min": 300, "max": 500, "seed": 0, **extra}
    return "/grids/redraw?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_the_page_shows_a_proposal_and_saves_it_as_an_inactive_layer(client, people):
    client.force_login(people.district_official.user)
    page = client.get(_query())
    assert page.status_code == 200
    html = page.content.decode()
    context = page.context
    assert html.count('<tr class="within"') + html.count('<tr class="out-of-bounds"') == context["totals"]["grids"]
    assert 'id="map-proposal"' in html and "data-proposal=" in html

    form = context["save_form"]
    response = client.post("/grids/redraw/save", {"min": 300, "max": 500, "seed": 0, "name": "页面保存的方案", "digest": form.initial["digest"]})

    saved = GridLayer.objects.get(name="页面保存的方案")
    assert response.status_code == 302 and response["Location"].endswith(f"?layer={saved.pk}")
    assert not saved.is_active and saved.grids.filter(level=3).count() == context["totals"]["grids"]
    shown = client.get(response["Location"]).content.decode()
    assert "无缝：没有缝隙、重叠或越界" in shown and f"/grids/redraw/switch?to={saved.pk}" in shown


def test_the_page_refuses_a_proposal_that_changed_since_it_was_shown(client, people):
    client.force_login(people.district_official.user)
    count = GridLayer.objects.count()
    response = client.post("/grids/redraw/save", {"min": 300, "max": 500, "seed": 0, "name": "x", "digest": "0" * 64})
    assert response.status_code == 409
    assert "请重新计算后再保存" in response.content.decode()
    assert GridLayer.objects.count() == count


def test_the_page_names_the_field_of_bad_input(client, people):
    client.force_login(people.district_official.user)
    def error_of(html: str, label: str) -> str:
        """The error shown in the field of that label (the shell's field: label, control, error)."""
        field = re.search(rf'<div class="field has-error">\s*<label [^>]*>{label}.*?</div>', html, re.S)
        return re.sub(r"<[^>]+>", "", field.group(0)) if field else ""

    html = client.get(_query(min="abc")).content.decode()
    assert "应为整数" in error_of(html, "每格户数下限") and "data-proposal" not in html
    html = client.get(_query(min=600, max=500)).content.decode()
    assert "每格户数上限应为不小于下限的整数" in error_of(html, "每格户数上限")


@pytest.mark.parametrize("persona", ["grid_worker", "community_official"])
def test_the_page_is_refused_to_all_but_district_layer_managers(client, people, persona):
    client.force_login(getattr(people, persona).user)
    assert client.get("/grids/redraw").status_code == 403
    assert client.get("/grids/redraw/switch").status_code == 403
    assert client.post("/grids/redraw/save", {}).status_code == 403
