"""The portal's facility map page: public, every facility listed by kind, and the page's own
"nearest to me" answer when script is off, in the same order as the JSON search."""

from tests.matching.facilities.test_api import _made


def test_anyone_sees_the_facilities_by_kind_and_the_services_page_links_to_it(client, spots):
    made = _made(spots, kind="courtyard")
    page = client.get("/services/facilities")
    assert page.status_code == 200
    html = page.content.decode()
    assert "服务设施地图" in html and f"庭院微美化（{len(made)} 处）" in html and "儿童微游园（0 处）" in html
    assert all(f.name in html for f in made)
    assert 'href="/services/facilities"' in client.get("/services").content.decode()


def test_the_page_answers_nearest_without_script_as_the_api_does(client, api, spots):
    _made(spots, kind="courtyard")
    lon, lat = spots["home"][2]
    query = f"kind=courtyard&lon={lon}&lat={lat}"
    by_api = [f["name"] for f in api.get(f"/api/facilities/nearest?{query}&count=5").json()]
    html = client.get(f"/services/facilities?{query}").content.decode()
    listed = html[html.index('id="nearest-list"'):html.index("</ol>")]
    assert [name for name in by_api if name in listed] == by_api
    positions = [listed.index(f"<strong>{name}</strong>") for name in by_api]
    assert positions == sorted(positions) and "0 米" in listed


def test_the_page_names_a_bad_point_without_failing(client, spots):
    html = client.get("/services/facilities?kind=courtyard&lon=abc&lat=34.7").content.decode()
    assert "请填写有效的经纬度" in html
    assert "请选择设施类型" in client.get("/services/facilities?kind=zoo&lon=113.7&lat=34.7").content.decode()
