"""The audit trail: every write with before and after, refused attempts, an HMAC-SM3 chain that
finds the first altered, deleted or inserted row, append-only storage, retention, auditor only."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.core.audit import PurgeRefused, audit_purge, audit_record, audit_verify
from wangge.core.models import AuditRecord
from wangge.people.models import Person

TRIGGERS = {
    "sqlite": ["DROP TRIGGER accounts_auditrecord_no_update", "DROP TRIGGER accounts_auditrecord_retention"],
    "postgresql": ["DROP TRIGGER accounts_auditrecord_guard ON accounts_auditrecord"],
}


def _as_attacker():
    """What someone with the database's own credentials could do: drop the guard triggers."""
    with connection.cursor() as cursor:
        for statement in TRIGGERS[connection.vendor]:
            cursor.execute(statement)


def _rows_since(pk: int):
    return AuditRecord.objects.filter(pk__gt=pk).order_by("pk")


def _last_pk() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _chain_of(rows) -> list[AuditRecord]:
    """The rows of the chain the last of `rows` went to, in order: one unit of work's rows
    share a chain, and the next unit may take another."""
    chain = rows[-1].chain
    return list(AuditRecord.objects.filter(chain=chain).order_by("seq"))


def test_a_write_is_recorded_with_who_where_before_and_after_and_no_full_id(api, people):
    person = Person.objects.filter(household__building__grid_code=people.home_grid.code).first()
    start = _last_pk()
    response = api.patch(f"/api/residents/{person.pk}", token=people.grid_worker.token, json={"phone": "13912345678"})
    assert response.status_code == 200
    [row] = _rows_since(start).filter(action="people.person.updated")
    assert (row.username, row.user_id, row.address, row.result) == ("grid_worker", people.grid_worker.user.pk, "127.0.0.1", "ok")
    assert row.object_id == str(person.pk) and row.after == {"phone": "139****5678"}
    assert row.before == {"phone": person.phone[:3] + "****" + person.phone[-4:]}
    stored = " ".join(str(v) for r in AuditRecord.objects.values_list("before", "after", "detail") for v in r)
    assert person.id_number not in stored and "13912345678" not in stored


def test_a_refused_write_is_recorded_as_denied(api, people):
    other = Person.objects.filter(household__building__grid_code=people.other_grid.code).first()
    start = _last_pk()
    assert api.delete(f"/api/residents/{other.pk}", token=people.grid_worker.token).status_code == 404
    [row] = _rows_since(start)
    assert (row.action, row.result, row.username) == ("request.refused", "denied", "grid_worker")
    assert row.detail == f"DELETE /api/residents/{other.pk} → 404"


def test_the_chain_verifies_and_finds_an_altered_row(db):
    written = [audit_record(action="test.event", detail=f"第{n}条") for n in range(3)]
    assert audit_verify().ok
    victim = written[1]
    _as_attacker()
    AuditRecord.objects.filter(pk=victim.pk).update(detail="改过了")
    verdict = audit_verify()
    assert (verdict.ok, verdict.first_bad, verdict.chain) == (False, victim.seq, victim.chain) and "被修改" in verdict.reason
    with pytest.raises(CommandError, match=f"序号 {victim.seq}"):
        call_command("audit", "verify")


def test_the_chain_finds_a_deleted_row(db):
    written = [audit_record(action="test.event", detail=f"第{n}条") for n in range(3)]
    middle = written[1]
    _as_attacker()
    AuditRecord.objects.filter(pk=middle.pk).delete()
    verdict = audit_verify()
    assert (verdict.ok, verdict.first_bad, verdict.chain) == (False, middle.seq + 1, middle.chain) and "被删除" in verdict.reason


def test_the_chain_finds_an_inserted_row(db):
    last = _chain_of([audit_record(action="test.event")])[-1]
    forged = AuditRecord(chain=last.chain, seq=last.seq + 1, at=timezone.now(), action="test.forged", result="ok", mac="f" * 64)
    forged.save()
    verdict = audit_verify()
    assert (verdict.ok, verdict.first_bad) == (False, last.seq + 1)


def test_rows_cannot_be_changed_or_deleted_through_the_database(db):
    row = audit_record(action="test.event")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=row.pk).update(detail="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=row.pk).delete()
    assert AuditRecord.objects.get(pk=row.pk).detail == ""


def test_records_younger_than_180_days_cannot_be_purged(db):
    before = AuditRecord.objects.count()
    with pytest.raises(PurgeRefused, match="180 天内"):
        audit_purge(before=timezone.now() - timedelta(days=10))
    with pytest.raises(CommandError, match="180 天内"):
        call_command("audit", "purge", "--before", (timezone.now() - timedelta(days=30)).date().isoformat())
    assert AuditRecord.objects.count() == before


def test_a_purge_of_old_records_leaves_a_chain_that_verifies(db):
    # A trail that began 400 days ago: clear this test database's own young rows first (only
    # possible with the guard triggers dropped), then write old rows and young ones.
    _as_attacker()
    AuditRecord.objects.all().delete()
    with mock.patch("wangge.core.audit.timezone.now", return_value=timezone.now() - timedelta(days=400)):
        old = [audit_record(action="test.old", detail=str(n)) for n in range(3)]
    young = [audit_record(action="test.young", detail=str(n)) for n in range(2)]
    assert audit_purge(before=timezone.now() - timedelta(days=200)) == 3
    assert not AuditRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditRecord.objects.filter(pk__in=[r.pk for r in young]).count() == 2
    purge = AuditRecord.objects.get(action="audit.purged")
    assert purge.after == {"removed": 3, "anchors": {str(old[-1].chain): [old[-1].seq, old[-1].mac]}}
    verdict = audit_verify()
    assert verdict.ok and verdict.checked == 3  # two young rows and the purge record
    call_command("audit", "verify")


def test_only_the_auditor_reads_the_trail(api, people):
    auditor = User.objects.create(username="auditor", role=Role.AUDITOR)
    from wangge.accounts.auth import token_issue

    token = token_issue(user=auditor)
    for persona in (people.district_official, people.community_official, people.grid_worker):
        assert api.get("/api/audit", token=persona.token).status_code == 403
        assert api.get("/api/audit/verify", token=persona.token).status_code == 403
    listed = api.get("/api/audit?limit=5", token=token).json()
    assert listed["count"] >= 1 and len(listed["items"]) <= 5
    assert api.get("/api/audit/verify", token=token).json()["ok"] is True
    assert AuditRecord.objects.filter(action="audit.read", username="auditor").exists()
