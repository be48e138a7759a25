"""Unmasking one person: officials and grid workers in scope, with a reason, always audited;
masked everywhere else."""

import io
import re

import openpyxl
import pytest

from tests.accounts.test_scope_matrix import _object_for, _operations, _params, _url
from wangge.core.models import AuditRecord
from wangge.people.models import GridPost, Person

FULL_ID = re.compile(r"(?<![\d.])\d{17}[\dXx](?![\d.])")
FULL_MOBILE = re.compile(r"(?<![\d.])1[3-9]\d{9}(?![\d.])")
REASON = {"reason": "入户走访核对"}


def _resident(grid) -> Person:
    return Person.objects.filter(household__building__grid_code=grid.code, phone__gt="").exclude(health="").order_by("pk").first() or Person.objects.filter(household__building__grid_code=grid.code).order_by("pk").first()


@pytest.mark.parametrize("persona", ["district_official", "subdistrict_official", "community_official", "grid_worker"])
def test_it_shows_a_resident_in_full_to_officials_and_grid_workers_in_scope(api, people, persona):
    person = _resident(people.home_grid)
    response = api.post(f"/api/residents/{person.pk}/unmask", token=getattr(people, persona).token, json=REASON)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id_number"], body["phone"], body["ethnicity"], body["religion"], body["health"]) == (
        person.id_number, person.phone, person.ethnicity, person.religion, person.health)
    assert body["name"] == person.name


def test_it_shows_staff_id_number_and_phone_in_full(api, people):
    post = GridPost.objects.filter(grid=people.home_grid).order_by("pk").first()
    body = api.post(f"/api/staff/{post.pk}/unmask", token=people.grid_worker.token, json=REASON).json()
    assert (body["id_number"], body["phone"], body["person_id"]) == (post.person.id_number, post.person.phone, post.person_id)


def test_it_answers_404_out_of_scope(api, people):
    person = _resident(people.other_grid)
    post = GridPost.objects.filter(grid=people.other_grid).order_by("pk").first()
    for persona in ("grid_worker", "community_official", "subdistrict_official"):
        token = getattr(people, persona).token
        assert api.post(f"/api/residents/{person.pk}/unmask", token=token, json=REASON).status_code == 404
        assert api.post(f"/api/staff/{post.pk}/unmask", token=token, json=REASON).status_code == 404
    assert not AuditRecord.objects.filter(action="pii.unmasked").exists()


@pytest.mark.parametrize("persona", ["department_handler", "resident", "property_company", "social_organisation", "system_admin", "security_admin", "auditor"])
def test_it_refuses_every_other_role(api, people, others, persona):
    person = _resident(people.home_grid)
    post = GridPost.objects.filter(grid=people.home_grid).order_by("pk").first()
    token = (getattr(people, persona, None) or getattr(others, persona)).token
    for path in (f"/api/residents/{person.pk}/unmask", f"/api/staff/{post.pk}/unmask"):
        response = api.post(path, token=token, json=REASON)
        assert response.status_code == 403, (persona, path, response.text)
        assert person.id_number not in response.text


@pytest.mark.parametrize("reason", ["", "   ", "查看"])
def test_it_requires_a_reason_of_at_least_four_characters(api, people, reason):
    person = _resident(people.home_grid)
    response = api.post(f"/api/residents/{person.pk}/unmask", token=people.grid_worker.token, json={"reason": reason})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason" and "事由" in response.json()["detail"]
    assert person.id_number not in response.text
    assert not AuditRecord.objects.filter(action="pii.unmasked").exists()


def test_it_audits_each_unmask_with_the_reason_and_without_the_values(api, people):
    person = _resident(people.home_grid)
    api.post(f"/api/residents/{person.pk}/unmask", token=people.grid_worker.token, json={"reason": "核对低保申请材料"})
    api.post(f"/api/residents/{person.pk}/unmask", token=people.grid_worker.token, json={"reason": "再次核对材料"})
    rows = list(AuditRecord.objects.filter(action="pii.unmasked").order_by("seq"))
    assert len(rows) == 2
    row = rows[0]
    assert (row.username, row.object_type, row.object_id, row.result) == ("grid_worker", "people.person", str(person.pk), "ok")
    assert "核对低保申请材料" in row.detail
    stored = str([row.before, row.after, row.detail, row.object_id])
    for value in (person.id_number, person.phone, person.ethnicity, person.religion, person.health):
        if value:
            assert value not in stored


def test_it_audits_a_staff_unmask_against_the_person(api, people):
    post = GridPost.objects.filter(grid=people.home_grid).order_by("pk").first()
    api.post(f"/api/staff/{post.pk}/unmask", token=people.community_official.token, json=REASON)
    row = AuditRecord.objects.get(action="pii.unmasked")
    assert (row.object_id, row.after["post"]) == (str(post.person_id), post.pk)
    assert post.person.id_number not in str([row.after, row.detail])


# SM3 digests (a published article's seal, 64 hex digits) may hold a run of digits that looks
# like a mobile or ID number; they are taken out before looking.
DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def _texts(response) -> str:
    if "spreadsheetml" in response.headers.get("content-type", ""):
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    return DIGEST.sub("", response.text)


def test_no_read_answers_a_full_id_number_or_mobile_number(api, people, others):
    tokens = [getattr(people, p).token for p in ("district_official", "subdistrict_official", "community_official", "grid_worker",
                                                   "other_grid_worker", "department_handler", "resident")]
    tokens += [o.token for o in (others.property_company, others.social_organisation, others.security_admin, others.auditor)]
    person = _resident(people.home_grid)
    patched = api.patch(f"/api/residents/{person.pk}", token=people.district_official.token, json={"phone": "13812345678"})
    assert patched.status_code == 200  # at least one full mobile number is stored
    api.post("/api/exports/approvals", token=people.grid_worker.token, json={"kind": "residents", "reason": "入户走访核对"})
    reads = [(m, p) for m, p in _operations(api) if m == "GET"]
    assert len(reads) >= 15
    for _, path in reads:
        values = {name: _object_for(name, path).make(people, people.home_grid) for name in _params(path)}
        for token in tokens:
            response = api.get(_url(path, values), token=token)
            text = _texts(response)
            assert not FULL_ID.search(text), (path, FULL_ID.search(text))
            assert not FULL_MOBILE.search(text), (path, FULL_MOBILE.search(text))
