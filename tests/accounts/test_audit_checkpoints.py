"""The audit trail's head sealed outside the database: rows deleted from the end of a chain (which
leave a shorter chain that still verifies) are found against the latest checkpoint; a forged
checkpoint, or one from another installation, fails; purging still verifies; the worker seals
every few minutes, and refuses to seal a trail that ends before the latest checkpoint."""

import json
import os
import secrets
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from cryptography.hazmat.primitives import hashes
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tests.accounts.test_audit import _as_attacker, _last_pk
from wangge.core import checkpoints, keys
from wangge.core.audit import audit_checkpoint, audit_purge, audit_record, audit_verify
from wangge.core.models import AuditRecord


@pytest.fixture(autouse=True)
def checkpoint_dir(tmp_path):
    with override_settings(WANGGE_AUDIT_CHECKPOINT_DIR=tmp_path / "audit-checkpoints"):
        yield tmp_path / "audit-checkpoints"


def _sensitive_work(n: int) -> list[AuditRecord]:
    """What someone would want to hide: unmasked exports and role grants."""
    actions = ["people.export.unmasked", "accounts.role.granted", "people.person.unmasked"]
    return [audit_record(action=actions[i % 3], object_type="accounts.user", object_id=str(i)) for i in range(n)]


def _delete_since(pk: int) -> dict[int, tuple[int, int]]:
    """The attacker deletes every row after `pk`; returns chain -> (first, last) seq removed."""
    removed: dict[int, tuple[int, int]] = {}
    for chain, seq in AuditRecord.objects.filter(pk__gt=pk).values_list("chain", "seq"):
        first, last = removed.get(chain, (seq, seq))
        removed[chain] = (min(first, seq), max(last, seq))
    _as_attacker()
    AuditRecord.objects.filter(pk__gt=pk).delete()
    return removed


def _checkpoint_document(path):
    return json.loads(path.read_text())


def test_it_finds_the_newest_rows_deleted_after_a_checkpoint(db, api, others):
    start = _last_pk()
    _sensitive_work(150)
    call_command("audit", "checkpoint", stdout=StringIO())
    removed = _delete_since(start)
    chain = min(removed)
    first, last = removed[chain]

    verdict = audit_verify()
    assert not verdict.ok and verdict.chain == chain and verdict.first_bad == first
    assert f"第 {chain} 链第 {first} 至 {last} 条记录被删除" in verdict.reason
    with pytest.raises(CommandError, match=f"第 {chain} 链第 {first} 至 {last} 条记录被删除"):
        call_command("audit", "verify", stdout=StringIO())
    answer = api.get("/api/audit/verify", token=others.auditor.token).json()
    assert answer["ok"] is False and answer["chain"] == chain and "被删除" in answer["reason"]


def test_it_passes_a_trail_that_grew_after_its_checkpoint(db):
    _sensitive_work(3)
    call_command("audit", "checkpoint", stdout=StringIO())
    _sensitive_work(3)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计链完整" in out.getvalue() and "与封存点核对一致" in out.getvalue()


def test_it_fails_a_checkpoint_whose_seal_does_not_verify(db, checkpoint_dir):
    start = _last_pk()
    _sensitive_work(5)
    call_command("audit", "checkpoint", stdout=StringIO())
    [path] = checkpoint_dir.glob("checkpoint-*.json")
    _delete_since(start)

    # The attacker lowers the checkpoint to the shortened trail, keeping the old seal, then
    # reseals it with plain SM3: neither opens without the audit key.
    document = _checkpoint_document(path)
    document["chains"] = {chain: [0, "0" * 64] for chain in document["chains"]}
    path.write_text(json.dumps(document))
    assert "封印校验失败" in audit_verify().reason
    digest = hashes.Hash(hashes.SM3())
    digest.update(json.dumps({k: document[k] for k in ("format", "at", "key", "chains")}, sort_keys=True, separators=(",", ":")).encode())
    path.write_text(json.dumps(document | {"seal": digest.finalize().hex()}))
    verdict = audit_verify()
    assert not verdict.ok and "封印校验失败" in verdict.reason and path.name in verdict.reason


def test_it_fails_a_checkpoint_from_another_installation(db, monkeypatch):
    monkeypatch.setenv("WANGGE_AUDIT_KEY", secrets.token_hex(32))
    keys.clear_caches()
    document = checkpoints.checkpoint_seal(at=timezone.now(), chains={0: (1, "0" * 64)})
    monkeypatch.undo()
    keys.clear_caches()
    checkpoints.checkpoint_store(document)

    verdict = audit_verify()
    assert not verdict.ok and "来自另一套安装" in verdict.reason


def test_it_keeps_verifying_after_a_purge_removes_the_rows_a_checkpoint_sealed(db):
    _as_attacker()
    AuditRecord.objects.all().delete()
    with mock.patch("wangge.core.audit.timezone.now", return_value=timezone.now() - timedelta(days=400)):
        old = [audit_record(action="test.old", detail=str(n)) for n in range(3)]
        call_command("audit", "checkpoint", stdout=StringIO())
    assert audit_purge(before=timezone.now() - timedelta(days=200)) == 3
    assert not AuditRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert audit_verify().ok
    call_command("audit", "checkpoint", stdout=StringIO())
    assert audit_verify().ok


def test_it_refuses_to_seal_a_trail_that_ends_before_the_latest_checkpoint(db, checkpoint_dir):
    start = _last_pk()
    _sensitive_work(4)
    call_command("audit", "checkpoint", stdout=StringIO())
    _delete_since(start)
    with pytest.raises(CommandError, match="未写入封存点：.*被删除"):
        call_command("audit", "checkpoint", stdout=StringIO())
    assert len(list(checkpoint_dir.glob("checkpoint-*.json"))) == 1
    assert AuditRecord.objects.filter(action="audit.checkpoint", result="failed").exists()


def test_it_has_the_worker_seal_the_trail_every_few_minutes_into_private_files(db, checkpoint_dir):
    t0 = timezone.now()
    for minutes in (0, 1, 4, 5, 9, 10):
        call_command("worker", once=True, now=t0 + timedelta(minutes=minutes), stdout=StringIO())
    files = sorted(checkpoint_dir.glob("checkpoint-*.json"))
    assert len(files) == 3  # at 0, 5 and 10 minutes
    assert os.stat(checkpoint_dir).st_mode & 0o777 == 0o700
    assert all(os.stat(f).st_mode & 0o777 == 0o600 for f in files)
    assert not list(checkpoint_dir.glob(".*"))  # no temporary file left behind
    latest = checkpoints.checkpoint_latest()
    assert latest.at == (t0 + timedelta(minutes=10)).isoformat(timespec="seconds")


def test_it_keeps_a_short_history_of_checkpoints(db, checkpoint_dir):
    t0 = timezone.now()
    written = [audit_checkpoint(now=t0 + timedelta(minutes=5 * n)) for n in range(checkpoints.HISTORY + 3)]
    assert sorted(checkpoint_dir.glob("checkpoint-*.json")) == written[-checkpoints.HISTORY:]
