"""Cases move only through their declared table, over real HTTP: a move the table does not hold,
or one that must say why and does not, is refused in Chinese and writes nothing; a merge is a
move of the table and is kept like any other."""

from tests.cases.factories import case_in
from wangge.cases.models import Case, CaseTransition
from wangge.core.models import AuditRecord

S = Case.Status


def _last_audit_pk() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _written_since(pk: int) -> list[str]:
    """The audit rows written after `pk`, but the one that keeps a refused request."""
    return list(AuditRecord.objects.filter(pk__gt=pk).exclude(action="request.refused").values_list("action", flat=True))


def test_an_illegal_move_is_refused_in_chinese_and_writes_nothing(api, people):
    case = case_in(people, people.home_grid)
    since = _last_audit_pk()
    refused = api.post(f"/api/cases/{case.pk}/transition", token=people.community_official.token, json={"to": "closed"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "to", "reason": "不能从「已上报」转为「已结案」"}]
    assert Case.objects.get(pk=case.pk).status == S.REPORTED
    assert CaseTransition.objects.filter(case=case).count() == 1
    assert _written_since(since) == []
    assert AuditRecord.objects.filter(pk__gt=since, action="request.refused").count() == 1  # the attempt is kept


def test_a_move_that_must_say_why_is_refused_without_one_naming_the_field(api, people):
    case = case_in(people, people.home_grid)
    since = _last_audit_pk()
    refused = api.post(f"/api/cases/{case.pk}/transition", token=people.community_official.token, json={"to": "rejected", "reason": "  "})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "reason：此操作须说明原因", "errors": [{"field": "reason", "reason": "此操作须说明原因"}]}
    assert Case.objects.get(pk=case.pk).status == S.REPORTED
    assert CaseTransition.objects.filter(case=case).count() == 1
    assert _written_since(since) == []


def test_naming_closed_never_closes_an_open_case_that_a_merge_would(api, people):
    case = case_in(people, people.home_grid)
    token = people.community_official.token
    assert api.post(f"/api/cases/{case.pk}/transition", token=token, json={"to": "accepted"}).status_code == 200
    refused = api.post(f"/api/cases/{case.pk}/transition", token=token, json={"to": "closed"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["reason"] == "不能从「已立案待派遣」转为「已结案」"
    assert Case.objects.get(pk=case.pk).status == S.ACCEPTED


def test_a_merge_is_a_recorded_move_with_its_audit_row(api, people):
    into = case_in(people, people.home_grid, category="manhole_cover")
    case = case_in(people, people.home_grid, category="manhole_cover")
    official = people.community_official
    assert api.post(f"/api/cases/{case.pk}/transition", token=official.token, json={"to": "accepted"}).status_code == 200
    since = _last_audit_pk()
    merged = api.post(f"/api/cases/{case.pk}/merge", token=official.token, json={"into": into.pk})
    assert merged.status_code == 200, merged.text
    step = CaseTransition.objects.filter(case=case).last()
    assert (step.from_status, step.to_status, step.actor, step.reason) == (S.ACCEPTED, S.CLOSED, official.user, f"重复上报，合并到 {into.number}")
    assert merged.json()["timeline"][-1]["reason"] == step.reason
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == S.CLOSED and stored.duplicate_of == into and stored.closed_at == step.at
    row = AuditRecord.objects.get(pk__gt=since, action="cases.case.merge")
    assert (row.object_id, row.user_id, row.detail) == (str(case.pk), official.user.pk, step.reason)
    assert row.after["status"] == S.CLOSED and row.after["duplicate_of_id"] == into.pk
    assert "cases.casetransition.created" in _written_since(since)
    again = api.post(f"/api/cases/{case.pk}/merge", token=official.token, json={"into": into.pk})
    assert again.status_code == 400 and "已办结" in again.json()["detail"]
    assert CaseTransition.objects.filter(case=case).count() == 3
