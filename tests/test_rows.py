"""Plain-SQL inserts and reads (`wangge.core.rows`): the same rows and values as the ORM's."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from wangge.accounts.models import ApiToken, User
from wangge.cases.models import Case, CaseTransition, Category
from wangge.core import rows
from wangge.core.models import IdempotencyRecord


@pytest.fixture
def user(db):
    return User.objects.create(username="rows_user", full_name="行者")


def _case(user, **fields) -> Case:
    now = timezone.now()
    values = {"number": "SJ20000101000001", "reporter": user, "client_id": "rows-1", "category": Category.objects.get(code="exposed_garbage"),
              "description": "路边暴露垃圾", "lon": 113.68, "lat": 34.75, "grid_code": "410104001001001", "reported_at": now, "status_since": now}
    return Case(**{**values, **fields})


def test_insert_writes_what_the_orm_reads_back_and_sets_the_id(user):
    case = _case(user, deadline_at=timezone.now() + timedelta(hours=8))
    assert rows.insert([case]) == 1 and case.pk is not None and not case._state.adding
    stored = Case.objects.get(pk=case.pk)
    for name in ("number", "reporter_id", "client_id", "category_id", "description", "lon", "lat", "grid_code", "status", "reported_at", "deadline_at", "reopen_count"):
        assert getattr(stored, name) == getattr(case, name), name


def test_insert_fills_auto_now_add_and_prepares_json(user):
    record = IdempotencyRecord(user=user, key="k", request_digest="d" * 64, response_body={"中文": [1, 2]})
    rows.insert([record])
    stored = IdempotencyRecord.objects.get(pk=record.pk)
    assert stored.response_body == {"中文": [1, 2]} and stored.created_at == record.created_at is not None


def test_insert_skips_a_conflict_when_asked_and_leaves_the_id_unset(user):
    rows.insert([_case(user)])
    again = _case(user, number="SJ20000101000002")  # the same (reporter, client id)
    assert rows.insert([again], skip_conflicts=True) == 0 and again.pk is None
    assert Case.objects.filter(client_id="rows-1").count() == 1


def test_insert_of_several_rows_sets_every_id(user):
    case = _case(user)
    rows.insert([case])
    moves = [CaseTransition(case=case, from_status="", to_status=s, actor=user, at=timezone.now()) for s in ("reported", "accepted")]
    assert rows.insert(moves) == 2
    assert sorted(m.pk for m in moves) == sorted(CaseTransition.objects.filter(case=case).values_list("pk", flat=True))


def test_select_reads_instances_with_times_aware_and_extra_columns(user):
    token = ApiToken.objects.create(user=user, digest="e" * 64, last_used_at=timezone.now())
    sql = f"SELECT {rows.columns(User, 'u')}, t.id FROM accounts_user u JOIN accounts_apitoken t ON t.user_id = u.id WHERE t.digest = %s"
    [(found, extra)] = rows.select(User, sql, ["e" * 64])
    assert (found.pk, found.username, found.full_name, extra) == (user.pk, "rows_user", "行者", (token.pk,))
    assert timezone.is_aware(found.date_joined) and found.date_joined == user.date_joined


def test_select_of_some_fields_leaves_the_others_deferred(user):
    case = _case(user)
    rows.insert([case])
    names = ("id", "number", "reported_at")
    [(found, _)] = rows.select(Case, f"SELECT {rows.columns(Case, 'c', names)} FROM cases_case c WHERE c.id = %s", [case.pk], names)
    assert found.get_deferred_fields() >= {"description", "lon"} and found.reported_at == case.reported_at
    assert found.description == "路边暴露垃圾"  # read when first asked for


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_not_durable_is_ignored_inside_a_transaction_whose_commit_must_wait_for_the_disk(user):
    record = IdempotencyRecord(user=user, key="inside", request_digest="d" * 64)
    assert connection.in_atomic_block  # the test's own transaction
    assert rows.insert([record], skip_conflicts=True, durable=False) == 1
    assert _synchronous_commit() == "on"
    with pytest.raises(ValueError):
        rows.insert([IdempotencyRecord(user=user, key=k, request_digest="d" * 64) for k in "ab"], durable=False)
