"""The redraw page in a real browser against a real gunicorn serving the demo district: an
official computes a proposal from the platform's buildings, compares it on the maps and saves
it as a new inactive layer, and follows the link to the review page that would activate it with
its staff in one step; a grid worker is refused. (Submitting the switch would change the shared
demo server for the other page tests: tests/redraw covers it, through this page's form too.)"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in, sign_in_as

pytestmark = pytest.mark.e2e


def test_an_official_computes_compares_and_saves_a_proposal(page: Page, wangge_server):
    log_in(page, wangge_server, next_path="/grids/redraw")
    page.fill("#id_min", "350")
    page.fill("#id_max", "550")
    page.fill("#id_seed", "3")
    page.click("#redraw-run")

    expect(page.locator("#redraw-summary")).to_be_visible(timeout=60_000)
    grids = int(page.locator("#total-grids").inner_text().replace(",", ""))
    expect(page.locator("#redraw-maps")).to_have_attribute("data-current-drawn", "yes")
    expect(page.locator("#map-proposal path.proposal-grid")).to_have_count(grids)
    expect(page.locator("#redraw-grids tbody tr")).to_have_count(grids)
    out_of_bounds = page.locator("#redraw-grids tbody tr.out-of-bounds").count()
    expect(page.locator("#map-proposal path.out-of-bounds")).to_have_count(out_of_bounds)
    current = page.request.get(f"{wangge_server.url}/api/grids?level=3").json()["features"]
    expect(page.locator("#map-current path.current-grid")).to_have_count(len(current))

    page.fill("#id_name", "浏览器保存的方案")
    page.click("#redraw-save")

    expect(page).to_have_url(re.compile(r"/grids/redraw/saved\?layer=\d+$"), timeout=60_000)
    expect(page.locator("#saved-state")).to_have_text("未启用")
    expect(page.locator("#saved-coverage")).to_contain_text("无缝")
    layer = int(page.locator("#saved-layer").get_attribute("data-layer"))
    [stored] = [item for item in page.request.get(f"{wangge_server.url}/api/grids/layers").json() if item["id"] == layer]
    assert stored["name"] == "浏览器保存的方案" and stored["is_active"] is False
    assert stored["grids_by_level"] == {"1": 13, "2": 138, "3": grids}

    page.click("#saved-next a")
    expect(page).to_have_url(re.compile(rf"/grids/redraw/switch\?to={layer}$"))
    expect(page.locator("h1")).to_have_text("启用新图层")
    expect(page.locator("#reattach-plan")).to_have_attribute("data-digest", re.compile(r"^[0-9a-f]{64}$"))
    expect(page.locator("#reattach-counts")).to_contain_text("网格岗位")
    expect(page.locator("#reattach-blocking")).to_have_count(0)
    expect(page.locator("#switch-submit")).to_be_enabled()
    expect(page.locator("#reattach-grids tbody tr")).to_have_count(564)


def test_a_grid_worker_is_refused(context, wangge_server):
    sign_in_as(context, wangge_server, "gw410104001001001")
    page = context.new_page()
    response = page.goto(f"{wangge_server.url}/grids/redraw")
    assert response.status == 403
