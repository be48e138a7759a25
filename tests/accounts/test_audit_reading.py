"""What the auditor reads of the trail: people's names masked like their ID numbers and
phones, and date filters that are refused in Chinese, naming the field, when they are not dates."""

import json

import pytest

from tests.people.signups import make_resident
from wangge.core.models import AuditRecord

NAME, PHONE = "欧阳秀英", "13903710001"


def test_the_trail_keeps_residents_names_masked_like_their_numbers(api, people, others):
    resident = make_resident(people.home_grid, name=NAME, phone=PHONE)
    user = people.grid_worker.user
    user.full_name = "赵丽娟"
    user.save(update_fields=["full_name"])
    items = api.get("/api/audit?limit=200", token=others.auditor.token).json()["items"]
    read = json.dumps(items, ensure_ascii=False)
    assert NAME not in read and "赵丽娟" not in read
    assert resident.id_number not in read and PHONE not in read
    created = next(i for i in items if i["object_type"] == "people.person" and i["object_id"] == str(resident.pk))
    assert created["after"]["name"] == "欧***" and created["after"]["phone"] == "139****0001"
    renamed = next(i for i in items if i["object_type"] == "accounts.user" and i["object_id"] == str(user.pk))
    assert renamed["after"]["full_name"] == "赵**"
    assert not AuditRecord.objects.filter(after__icontains=NAME).exists()


@pytest.mark.parametrize(("field", "label"), [("since", "起始日期"), ("until", "截止日期")])
@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-02-30"])
def test_a_bad_date_filter_is_refused_naming_the_field(api, client, others, field, label, value):
    answer = api.get(f"/api/audit?{field}={value}", token=others.auditor.token)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert field in json.dumps(body) and "日期" in body["detail"]
    client.force_login(others.auditor.user)
    page = client.get("/audit", {field: value})
    assert page.status_code == 400
    text = page.content.decode()
    assert f'id="audit-{field}-error"' in text and label in text and 'id="audit-trail"' not in text


def test_an_until_before_since_is_refused_and_a_good_range_filters(client, others):
    client.force_login(others.auditor.user)
    assert client.get("/audit", {"since": "2026-03-02", "until": "2026-03-01"}).status_code == 400
    assert client.get("/audit", {"since": "2026-03-01", "until": "2026-03-01"}).status_code == 200


def test_the_trail_is_the_auditors_alone_whatever_the_filters(api, client, people, others):
    for persona in (people.district_official, others.security_admin, others.system_admin):
        assert api.get("/api/audit?since=2026-01-01", token=persona.token).status_code == 403
        assert api.get("/api/audit?since=bogus", token=persona.token).status_code == 403
        client.force_login(persona.user)
        assert client.get("/audit", {"since": "bogus"}).status_code == 403
