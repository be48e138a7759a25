"""Photos of the work done ("after"): added over real HTTP by the department handling the case
and by the grid worker verifying it, by nobody else, under the same checks as every photo, and
shown beside the photos of the problem on the case page."""

import io

import pytest
from PIL import Image

from tests.cases.factories import case_in
from tests.cases.test_photos import jpeg_with_gps, png
from wangge.cases.models import Case, CasePhoto
from wangge.cases.services import case_transition

S = Case.Status


def upload(api, case, person, data, stage="after"):
    return api.post(f"/api/cases/{case.pk}/photos", token=person.token, files={"file": ("photo.jpg", data, "image/jpeg")}, data={"stage": stage})


def walk(people, department, to):
    case = case_in(people, people.home_grid, reporter=people.resident.user)
    official, handler = people.community_official.user, people.department_handler.user
    steps = [(S.ACCEPTED, official, {}), (S.DISPATCHED, official, {"department": department}), (S.HANDLING, handler, {}), (S.HANDLED, handler, {})]
    for status, actor, extra in steps:
        if case.status == to:
            break
        case = case_transition(case=case, to=status, actor=actor, **extra)
    return case


@pytest.mark.parametrize(("status", "allowed"), [
    (S.REPORTED, set()),
    (S.DISPATCHED, {"department_handler"}),
    (S.HANDLING, {"department_handler"}),
    (S.HANDLED, {"grid_worker"}),
])
def test_only_the_handler_or_the_verifier_of_the_case_adds_an_after_photo(api, people, department, media, status, allowed):
    case = walk(people, department, status)
    for persona in ("resident", "grid_worker", "other_grid_worker", "community_official", "district_official", "department_handler"):
        answer = upload(api, case, getattr(people, persona), png())
        expected = 201 if persona in allowed else (404 if persona == "other_grid_worker" else 403)
        assert answer.status_code == expected, (persona, answer.text)
    assert CasePhoto.objects.filter(case=case, stage="after").count() == len(allowed)


def test_an_after_photo_is_judged_and_stripped_as_every_photo(api, people, department, media):
    case = walk(people, department, S.HANDLING)
    handler = people.department_handler
    refused = upload(api, case, handler, b"not a photo at all" * 10)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "file"
    added = upload(api, case, handler, jpeg_with_gps())
    assert added.status_code == 201 and added.json()["stage"] == "after"
    shown = api.get(added.json()["url"], token=people.resident.token).content
    assert not Image.open(io.BytesIO(shown)).getexif()


def test_an_unknown_stage_is_refused_naming_the_field(api, people, department, media):
    case = walk(people, department, S.HANDLING)
    answer = upload(api, case, people.department_handler, png(), stage="during")
    assert answer.status_code == 400 and [e["field"] for e in answer.json()["errors"]] == ["stage"]


def test_the_case_page_shows_before_and_after_side_by_side_and_takes_an_after_photo(client, api, people, department, media):
    case = walk(people, department, S.HANDLING)
    assert upload(api, case, people.resident, png(), stage="before").status_code == 201
    client.force_login(people.department_handler.user)
    page = client.get(f"/cases/{case.pk}").content.decode()
    assert 'id="after-photo-form"' in page and 'id="photos-before"' in page
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (0, 200, 0)).save(out, format="PNG")
    out.name = "after.png"
    out.seek(0)
    response = client.post(f"/cases/{case.pk}", {"action": "photo", "file": out})
    assert response.status_code == 302, response.content.decode()[:500]
    assert list(CasePhoto.objects.filter(case=case).values_list("stage", flat=True).order_by("pk")) == ["before", "after"]
    page = client.get(f"/cases/{case.pk}").content.decode()
    after = page.split('id="photos-after"', 1)[1].split("</div>", 1)[0]
    assert "处置后照片 1" in after


def test_the_case_page_offers_no_after_photo_form_to_others(client, people, department, media):
    case = walk(people, department, S.HANDLING)
    client.force_login(people.community_official.user)
    assert 'id="after-photo-form"' not in client.get(f"/cases/{case.pk}").content.decode()
    response = client.post(f"/cases/{case.pk}", {"action": "photo", "file": io.BytesIO(png())})
    assert response.status_code == 400 and not CasePhoto.objects.filter(case=case).exists()
