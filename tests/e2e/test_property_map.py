"""Red Property's map in a real browser on a 360 px phone: a community's compounds drawn where
their buildings stand, coloured by management mode with counted legends, switched to stars; a
subdistrict official sees only their subdistrict's compounds."""

import json
import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _wangge, sign_in_as

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}

SETUP = """
import json
from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.property.models import Compound
tag = {tag!r}
subdistrict = Division.objects.filter(kind="subdistrict").order_by("code").first()
official = User.objects.create(username="map-" + tag, full_name="街道干部" + tag, role=Role.SUBDISTRICT_OFFICIAL, scope_code=subdistrict.code, password="!")
in_scope = Compound.objects.filter(community__code__startswith=subdistrict.code[:9])
print(json.dumps({{"official": official.username, "total": in_scope.count(),
                  "modes": {{m: in_scope.filter(mode=m).count() for m in ("market", "self", "ownerless")}},
                  "ids": sorted(in_scope.values_list("pk", flat=True))}}))
"""


def _fills(page) -> list[str]:
    return page.locator("#pm-map path.leaflet-interactive").evaluate_all("paths => paths.map(p => p.getAttribute('fill'))")


def test_the_map_colours_the_compounds_in_scope_by_mode_and_by_stars(context, wangge_server):
    made = json.loads(_wangge(wangge_server.env, "shell", "-c", SETUP.format(tag=secrets.token_hex(3))).strip().splitlines()[-1])
    sign_in_as(context, wangge_server, made["official"])
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(wangge_server.url + "/property/map")
    markers = page.locator("#pm-map path.leaflet-interactive")
    expect(markers).to_have_count(made["total"])
    expect(page.locator("#pm-total")).to_have_text(f"共 {made['total']} 个小区（楼院）")
    for mode, count in made["modes"].items():
        expect(page.locator(f'#pm-legend-mode li[data-key="{mode}"] .pm-count')).to_have_text(str(count))
    by_mode = _fills(page)
    assert len(set(by_mode)) == sum(1 for c in made["modes"].values() if c)
    # Exactly the subdistrict's compounds are on the page: nothing of another subdistrict's.
    shown = page.evaluate("JSON.parse(document.getElementById('pm-places').textContent).map(p => p.id)")
    assert sorted(shown) == made["ids"]

    page.get_by_role("radio", name="星级").check()
    expect(page.locator("#pm-legend-stars")).to_be_visible()
    expect(page.locator("#pm-legend-mode")).to_be_hidden()
    by_stars = _fills(page)
    assert by_stars != by_mode and len(by_stars) == made["total"]
    markers.first.click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("号院")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
