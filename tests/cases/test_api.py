"""The cases API over real HTTP: Idempotency-Key, duplicates and merging, scope, figures."""


import pytest
from django.db import connection
from django.utils import timezone

from tests.cases.factories import case_in, point_in
from tests.races import race
from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Category
from wangge.cases.services import case_report, case_transition
from wangge.core.idempotency import idempotent, request_digest
from wangge.core.models import IdempotencyRecord


def _body(people, client_id="c-1", description="井盖缺失"):
    lon, lat = point_in(people.home_grid)
    return {"client_id": client_id, "category": "manhole_cover", "description": description, "lon": lon, "lat": lat, "address": ""}


def test_it_replays_the_first_answer_for_the_same_key(api, people):
    token, headers = people.grid_worker.token, {"Idempotency-Key": "k-1"}
    first = api.post("/api/cases", token=token, json=_body(people), headers=headers)
    again = api.post("/api/cases", token=token, json=_body(people), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Case.objects.filter(client_id="c-1").count() == 1


def test_it_answers_422_for_the_same_key_with_another_body(api, people):
    token, headers = people.grid_worker.token, {"Idempotency-Key": "k-2"}
    assert api.post("/api/cases", token=token, json=_body(people), headers=headers).status_code == 201
    other = api.post("/api/cases", token=token, json=_body(people, description="路灯不亮"), headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]


def test_it_answers_409_while_the_first_is_processing(api, people):
    body = _body(people)
    IdempotencyRecord.objects.create(user=people.grid_worker.user, key="k-3", request_digest=request_digest(body))
    response = api.post("/api/cases", token=people.grid_worker.token, json=body, headers={"Idempotency-Key": "k-3"})
    assert response.status_code == 409
    assert not Case.objects.filter(client_id="c-1").exists()


def test_it_answers_the_same_client_id_with_the_first_case(api, people):
    first = api.post("/api/cases", token=people.grid_worker.token, json=_body(people))
    again = api.post("/api/cases", token=people.grid_worker.token, json=_body(people, description="改过的描述"))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]


def test_it_answers_a_client_id_replay_exactly_as_the_first_time(api, people):
    earlier = case_in(people, people.home_grid, category="manhole_cover")
    first = api.post("/api/cases", token=people.grid_worker.token, json=_body(people, client_id="replay"))
    assert [d["id"] for d in first.json()["duplicates"]] == [earlier.pk]
    case_in(people, people.home_grid, category="manhole_cover")  # reported after it: not offered to it
    again = api.post("/api/cases", token=people.grid_worker.token, json=_body(people, client_id="replay"))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.content == first.content


@pytest.mark.parametrize("status", ["bogus", "REPORTED", "已受理"])
def test_it_refuses_an_unknown_status_in_the_list_naming_the_field(api, people, status):
    response = api.get("/api/cases", token=people.community_official.token, params={"status": status})
    assert response.status_code == 400, response.text
    answer = response.json()
    assert [e["field"] for e in answer["errors"]] == ["status"]
    assert "未知的状态" in answer["errors"][0]["reason"] and "reported" in answer["errors"][0]["reason"]


def test_it_lists_cases_of_a_known_status(api, people):
    case = case_in(people, people.home_grid)
    response = api.get("/api/cases", token=people.community_official.token, params={"status": case.status})
    assert response.status_code == 200 and case.pk in [c["id"] for c in response.json()["items"]]


def test_it_refuses_a_report_outside_every_grid_naming_the_field(api, people):
    response = api.post("/api/cases", token=people.grid_worker.token, json={**_body(people), "lon": 100.0, "lat": 30.0})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "lon"


def test_it_offers_duplicates_and_the_dispatcher_merges(api, people):
    earlier = case_in(people, people.home_grid, category="manhole_cover")
    far = case_in(people, people.home_grid, category="street_light")  # another category: not offered
    response = api.post("/api/cases", token=people.grid_worker.token, json=_body(people, client_id="dup"))
    offered = [d["id"] for d in response.json()["duplicates"]]
    assert offered == [earlier.pk] and far.pk not in offered
    new_id = response.json()["id"]
    refused = api.post(f"/api/cases/{new_id}/merge", token=people.grid_worker.token, json={"into": earlier.pk})
    assert refused.status_code == 403
    merged = api.post(f"/api/cases/{new_id}/merge", token=people.community_official.token, json={"into": earlier.pk})
    assert merged.status_code == 200, merged.text
    assert merged.json()["status"] == "closed" and merged.json()["duplicate_of"] == earlier.number
    assert merged.json()["timeline"][-1]["reason"].endswith(earlier.number)


def test_it_does_not_offer_cases_beyond_the_distance_or_the_window(people, settings):
    from wangge.cases.services import case_duplicates_near

    earlier = case_in(people, people.home_grid, category="manhole_cover")
    near = case_duplicates_near(category=earlier.category, lon=earlier.lon, lat=earlier.lat + 40 / 111_000)
    assert [c.pk for c, _ in near] == [earlier.pk] and 35 < near[0][1] < 45
    assert not case_duplicates_near(category=earlier.category, lon=earlier.lon, lat=earlier.lat + 60 / 111_000)
    later = timezone.now() + timezone.timedelta(hours=settings.WANGGE_CASE_DUPLICATE_HOURS + 1)
    assert not case_duplicates_near(category=earlier.category, lon=earlier.lon, lat=earlier.lat, at=later)


def test_it_answers_another_grids_case_as_missing_on_every_endpoint(api, people):
    theirs = case_in(people, people.other_grid)
    token = people.grid_worker.token
    calls = [("GET", f"/api/cases/{theirs.pk}", None), ("POST", f"/api/cases/{theirs.pk}/transition", {"to": "accepted"}),
             ("POST", f"/api/cases/{theirs.pk}/rate", {"rating": 5}), ("POST", f"/api/cases/{theirs.pk}/merge", {"into": theirs.pk})]
    for method, path, body in calls:
        assert api.request(method, path, token=token, json=body).status_code == 404, path
    assert theirs.pk not in [c["id"] for c in api.get("/api/cases", token=token).json()["items"]]


def test_it_walks_the_loop_over_http_with_the_timeline(api, people):
    from wangge.cases.models import Department

    department = Department.objects.create(code="water", name="水务局")
    department.handlers.add(people.department_handler.user)
    case_id = api.post("/api/cases", token=people.grid_worker.token, json=_body(people)).json()["id"]
    steps = [(people.community_official, {"to": "accepted"}), (people.community_official, {"to": "dispatched", "department": "water"}),
             (people.department_handler, {"to": "handling"})]
    for who, body in steps:
        response = api.post(f"/api/cases/{case_id}/transition", token=who.token, json=body)
        assert response.status_code == 200, response.text
    timeline = api.get(f"/api/cases/{case_id}", token=people.grid_worker.token).json()["timeline"]
    assert [m["to_status"] for m in timeline] == ["reported", "accepted", "dispatched", "handling"]
    illegal = api.post(f"/api/cases/{case_id}/transition", token=people.community_official.token, json={"to": "closed"})
    assert illegal.status_code == 400 and illegal.json()["errors"][0]["field"] == "to"


def test_it_computes_figures_from_the_transitions(api, people):
    from wangge.cases.models import Department

    S = Case.Status
    department = Department.objects.create(code="roads", name="市政局")
    department.handlers.add(people.department_handler.user)
    d, h, w = people.community_official.user, people.department_handler.user, people.grid_worker.user
    cases = [case_in(people, people.home_grid) for _ in range(3)]
    for i, case in enumerate(cases[:2]):
        for to, who, extra in [(S.ACCEPTED, d, {}), (S.DISPATCHED, d, {"department": department}), (S.HANDLING, h, {}),
                               (S.HANDLED, h, {}), (S.VERIFIED, w, {}), (S.CLOSED, d, {})]:
            case = case_transition(case=case, to=to, actor=who, **extra)
            if i == 0 and to == S.HANDLING:  # the first case's handling stage runs past its deadline
                late = case.transitions.get(to_status=S.HANDLING)
                late.deadline_at = late.at - timezone.timedelta(minutes=1)
                late.save()
        Case.objects.filter(pk=case.pk).update(rating=4 + i)
    case_transition(case=Case.objects.get(pk=cases[1].pk), to=S.ACCEPTED, actor=w, reason="又坏了")
    figures = api.get("/api/cases/figures", token=people.community_official.token).json()
    grid = next(g for g in figures["grids"] if g["grid_code"] == people.home_grid.code)
    assert (grid["cases"], grid["closed"], grid["open"]) == (3, 1, 2)
    assert grid["on_time_rate"] == 0.0  # the one closed case was late
    assert grid["reopen_rate"] == 0.5 and grid["mean_satisfaction"] == 4.0
    assert figures["departments"][0]["department_code"] == "roads"
    assert api.get("/api/cases/figures", token=people.other_grid_worker.token).json() == {"grids": [], "departments": []}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's IMMEDIATE transactions serialise writers; the race exists on PostgreSQL")
def test_three_concurrent_identical_submissions_make_one_case(django_db_blocker):
    # The test server answers one request at a time, so the race is run against the service
    # layer from three threads, each with its own connection, outside any test transaction.
    with django_db_blocker.unblock():
        user = User.objects.create(username="concurrent_reporter", role=Role.RESIDENT)
        category = Category.objects.get(code="manhole_cover")
        from wangge.people.models import Building

        building = Building.objects.order_by("pk").first()
        body = {"client_id": "same", "category": "manhole_cover", "description": "井盖缺失", "lon": building.lon, "lat": building.lat}

        def submit():
            handle = lambda: (201, {"id": case_report(reporter=user, category=category, **{k: v for k, v in body.items() if k != "category"})[0].pk})  # noqa: E731
            return idempotent(user=user, key="same-key", payload=body, handle=handle)[0]

        answers = [getattr(answer, "status", answer) for answer in race([submit] * 3)]
        try:
            assert Case.objects.filter(reporter=user).count() == 1
            assert sorted(answers, key=str) in ([201, 201, 201], [201, 201, 409], [201, 409, 409]), answers
        finally:
            for case in Case.objects.filter(reporter=user):
                case.transitions.all().delete()
                case.delete()
            IdempotencyRecord.objects.filter(user=user).delete()


def _home_building(people):
    from wangge.people.models import Building

    return Building.objects.filter(grid_code=people.home_grid.code).order_by("-pk").first()


def test_it_reports_at_a_typed_address_without_a_point(api, people):
    building = _home_building(people)
    typed = "河南省郑州市管城区" + building.compound.replace("号", "號") + building.name + " 2单元301"
    response = api.post("/api/cases", token=people.grid_worker.token, json={**_body(people), "lon": None, "lat": None, "address": typed})
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.lon, case.lat, case.grid_code) == (building.lon, building.lat, building.grid_code)
    assert case.address == building.address + "2单元301室" == response.json()["address"]


def test_a_given_point_wins_over_the_address_which_is_kept_as_typed(api, people):
    body = {**_body(people), "address": "陇海路 1 号 门口"}
    response = api.post("/api/cases", token=people.grid_worker.token, json=body)
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.lon, case.lat, case.address) == (body["lon"], body["lat"], "陇海路 1 号 门口")


def test_it_refuses_a_report_without_a_place_or_with_an_unknown_address(api, people):
    before = Case.objects.count()
    body = {k: v for k, v in _body(people).items() if k not in ("lon", "lat")}
    none = api.post("/api/cases", token=people.grid_worker.token, json=body)
    assert none.status_code == 400 and none.json()["errors"][0]["field"] == "lon"
    unknown = api.post("/api/cases", token=people.grid_worker.token, json={**body, "address": "不存在路9号院3号楼"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "address"
    assert "未找到该楼栋" in unknown.json()["errors"][0]["reason"]
    assert Case.objects.count() == before
