"""The audit trail's chains on PostgreSQL: writers at the same moment take different chains and
none waits for another's commit; verification and purging work chain by chain. (SQLite has one
chain: its writers take turns anyway.)"""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.accounts.test_audit import _as_attacker
from wangge.core import audit
from wangge.core.audit import CHAIN_LOCK_KEY, audit_purge, audit_record, audit_verify
from wangge.core.models import AuditRecord

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="several chains need PostgreSQL's advisory locks")


@pytest.fixture
def other_writer():
    """A second connection, as another gunicorn worker would have, in a transaction of its own."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    yield other
    other.rollback()
    other.close()


def _prefer(chain: int) -> None:
    audit._held.chain = chain


def test_a_writer_takes_a_free_chain_when_another_holds_its_own_and_does_not_wait(db, other_writer):
    _prefer(5)
    with other_writer.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAIN_LOCK_KEY, 5])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting would fail the test, not hang it
    written = [audit_record(action="test.event", detail=str(n)) for n in range(3)]

    chains = {row.chain for row in written}
    assert len(chains) == 1 and chains != {5}, chains
    assert [row.seq for row in written] == sorted(row.seq for row in written)
    assert audit._held.chain == written[0].chain  # tried first next time
    with connection.cursor() as cursor:  # the search for a free chain locked that one only
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = %s", [CHAIN_LOCK_KEY])
        assert cursor.fetchone()[0] == 1
    assert audit_verify().ok


def test_a_deleted_row_is_found_in_its_own_chain(db):
    _prefer(3)
    audit_record(action="test.event")
    _prefer(7)
    written = [audit_record(action="test.event", detail=str(n)) for n in range(3)]
    assert {row.chain for row in written} == {7}
    _as_attacker()
    AuditRecord.objects.filter(pk=written[1].pk).delete()

    verdict = audit_verify()
    assert (verdict.ok, verdict.chain, verdict.first_bad) == (False, 7, written[2].seq)
    assert "第 7 链" in verdict.reason and "被删除" in verdict.reason


def test_each_purge_anchors_every_chain_so_that_the_trail_still_verifies(db):
    _as_attacker()
    AuditRecord.objects.all().delete()
    long_ago = timezone.now() - timedelta(days=400)
    with mock.patch("wangge.core.audit.timezone.now", return_value=long_ago):
        _prefer(2)
        old_a = [audit_record(action="test.old", detail=str(n)) for n in range(2)]
        _prefer(9)
        old_b = [audit_record(action="test.old", detail=str(n)) for n in range(3)]
    _prefer(2)
    young_a = audit_record(action="test.young")
    assert {r.chain for r in old_a} | {young_a.chain} == {2} and {r.chain for r in old_b} == {9}

    assert audit_purge(before=timezone.now() - timedelta(days=300)) == 5
    first = AuditRecord.objects.get(action="audit.purged")
    assert first.after == {"removed": 5, "anchors": {"2": [old_a[-1].seq, old_a[-1].mac], "9": [old_b[-1].seq, old_b[-1].mac]}}
    assert audit_verify().ok

    # A later purge that touches chain 9 only must still carry chain 2's anchor.
    with mock.patch("wangge.core.audit.timezone.now", return_value=long_ago + timedelta(days=50)):
        _prefer(9)
        later_b = audit_record(action="test.old")
    assert audit_purge(before=timezone.now() - timedelta(days=300)) == 1
    newest = AuditRecord.objects.filter(action="audit.purged").order_by("-at", "-id").first()
    assert newest.after["anchors"] == {"2": [old_a[-1].seq, old_a[-1].mac], "9": [later_b.seq, later_b.mac]}
    verdict = audit_verify()
    assert verdict.ok, verdict
