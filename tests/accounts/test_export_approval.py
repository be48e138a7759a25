"""Bulk exports: masked by default and audited; unmasked only once, against an approval by the
security administrator, for its requester and kind, within 24 hours."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.accounts.models import ExportApproval
from wangge.core.models import AuditRecord
from wangge.people.models import Person

REASON = "年度人口信息核对"


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def _request(api, person, kind="residents", reason=REASON):
    return api.post("/api/exports/approvals", token=person.token, json={"kind": kind, "reason": reason})


def _approved(api, people, others, kind="residents") -> int:
    approval = _request(api, people.grid_worker, kind).json()["id"]
    assert api.post(f"/api/exports/approvals/{approval}/approve", token=others.security_admin.token).status_code == 200
    return approval


def _home_ids(people) -> set[str]:
    return {p.id_number for p in Person.objects.filter(household__building__grid_code=people.home_grid.code)}


def test_it_exports_masked_by_default_and_audits_it(api, people):
    rows = _rows(api.get("/api/workbooks/residents/export", token=people.grid_worker.token))
    assert rows and all("*" in row[1] for row in rows)
    record = AuditRecord.objects.get(action="export.masked")
    assert (record.object_id, record.after, record.username) == ("residents", {"kind": "residents", "rows": len(rows)}, "grid_worker")


def test_it_exports_only_rows_in_scope(api, people):
    rows = _rows(api.get("/api/workbooks/residents/export", token=people.grid_worker.token))
    assert {row[10] for row in rows} == {people.home_grid.code}


def test_it_exports_in_full_once_against_an_approval(api, people, others):
    approval = _approved(api, people, others)
    rows = _rows(api.get(f"/api/workbooks/residents/export?approval={approval}", token=people.grid_worker.token))
    assert {row[1] for row in rows} == _home_ids(people)
    again = api.get(f"/api/workbooks/residents/export?approval={approval}", token=people.grid_worker.token)
    assert again.status_code == 400 and "已使用" in again.json()["detail"]
    assert ExportApproval.objects.get(pk=approval).used_at is not None


def test_it_audits_every_step(api, people, others):
    approval = _approved(api, people, others)
    rows = _rows(api.get(f"/api/workbooks/residents/export?approval={approval}", token=people.grid_worker.token))
    steps = list(AuditRecord.objects.filter(action__startswith="export.").order_by("seq").values_list("action", "username", "object_id", "result"))
    assert steps == [
        ("export.requested", "grid_worker", str(approval), "ok"),
        ("export.approved", "security_admin", str(approval), "ok"),
        ("export.unmasked", "grid_worker", str(approval), "ok"),
    ]
    assert AuditRecord.objects.get(action="export.requested").detail == f"事由：{REASON}"
    assert AuditRecord.objects.get(action="export.unmasked").after == {"kind": "residents", "rows": len(rows)}


@pytest.mark.parametrize("approver", ["grid_worker", "district_official", "department_handler", "system_admin", "auditor"])
def test_only_the_security_administrator_approves(api, people, others, approver):
    approval = _request(api, people.grid_worker).json()["id"]
    token = (getattr(people, approver, None) or getattr(others, approver)).token
    assert api.post(f"/api/exports/approvals/{approval}/approve", token=token).status_code == 403
    assert ExportApproval.objects.get(pk=approval).approved_at is None
    assert AuditRecord.objects.get(action="export.approved").result == "denied"


def test_nobody_approves_their_own_request(api, others):
    mine = ExportApproval.objects.create(kind="residents", reason=REASON, requested_by=others.security_admin.user)
    response = api.post(f"/api/exports/approvals/{mine.pk}/approve", token=others.security_admin.token)
    assert response.status_code == 400 and "自己" in response.json()["detail"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportApproval.objects.filter(pk=mine.pk).update(approved_by=others.security_admin.user, approved_at=timezone.now())


def test_an_approval_is_approved_once(api, people, others):
    approval = _approved(api, people, others)
    assert api.post(f"/api/exports/approvals/{approval}/approve", token=others.second_security_admin.token).status_code == 400


def test_it_refuses_an_unapproved_request(api, people):
    approval = _request(api, people.grid_worker).json()["id"]
    response = api.get(f"/api/workbooks/residents/export?approval={approval}", token=people.grid_worker.token)
    assert response.status_code == 400 and "尚未审批" in response.json()["detail"]
    assert AuditRecord.objects.get(action="export.unmasked").result == "denied"


def test_it_refuses_an_approval_older_than_24_hours(api, people, others):
    approval = _approved(api, people, others)
    ExportApproval.objects.filter(pk=approval).update(approved_at=timezone.now() - timedelta(hours=24, minutes=1))
    response = api.get(f"/api/workbooks/residents/export?approval={approval}", token=people.grid_worker.token)
    assert response.status_code == 400 and "过期" in response.json()["detail"]


def test_it_is_for_its_requester_only(api, people, others):
    approval = _approved(api, people, others)
    for persona in ("community_official", "other_grid_worker"):
        assert api.get(f"/api/workbooks/residents/export?approval={approval}", token=getattr(people, persona).token).status_code == 404
    assert ExportApproval.objects.get(pk=approval).used_at is None


def test_it_is_for_its_kind_only(api, people, others):
    approval = _request(api, people.community_official, kind="staff").json()["id"]
    api.post(f"/api/exports/approvals/{approval}/approve", token=others.security_admin.token)
    response = api.get(f"/api/workbooks/residents/export?approval={approval}", token=people.community_official.token)
    assert response.status_code == 400 and ExportApproval.objects.get(pk=approval).used_at is None


def test_it_takes_requests_only_from_those_who_may_export_the_kind(api, people, others):
    assert _request(api, people.department_handler).status_code == 403
    assert _request(api, people.resident).status_code == 403
    assert _request(api, others.security_admin).status_code == 403
    assert _request(api, people.grid_worker, kind="staff").status_code == 403  # staff rosters are the officials'
    assert _request(api, people.grid_worker).status_code == 201


@pytest.mark.parametrize(("payload", "field"), [({"kind": "residents", "reason": "看"}, "reason"), ({"kind": "cats", "reason": REASON}, "kind")])
def test_it_names_the_field_of_a_bad_request(api, people, payload, field):
    response = api.post("/api/exports/approvals", token=people.grid_worker.token, json=payload)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    assert not ExportApproval.objects.exists()


def test_the_security_administrator_lists_every_request_and_others_their_own(api, people, others):
    _request(api, people.grid_worker)
    _request(api, people.community_official)
    assert api.get("/api/exports/approvals", token=others.security_admin.token).json()["count"] == 2
    mine = api.get("/api/exports/approvals", token=people.grid_worker.token).json()
    assert [a["requested_by"] for a in mine["items"]] == ["grid_worker"]
