"""The floor's workflow mechanism, with the tables the apps declare on it: finding a move,
refusing one the table does not hold or one without its reason, and a move's history and audit
rows written with it or not at all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.cases.factories import case_in
from wangge.cases.models import Case, CaseTransition
from wangge.cases.workflow import MERGE, OPEN, REASON_REQUIRED, TRANSITIONS, WORKFLOW
from wangge.core.models import AuditRecord
from wangge.core.workflow import Move, moves_from, workflow_move
from wangge.portal import workflow as publication
from wangge.portal.models import Stage

S = Case.Status


def _anyone(move, obj) -> None:
    pass


def _last_audit_pk() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_it_reads_a_nested_table_into_moves():
    moves = moves_from({"a": {"b": "x", "c": "y"}, "b": {}}, reason_required={("a", "c")})
    assert moves == [Move("a", "b", "x"), Move("a", "c", "y", reason_required=True)]


def test_it_finds_exactly_the_moves_the_cases_table_holds():
    for source in S.values:
        for target in S.values:
            if target in TRANSITIONS[source]:
                move = WORKFLOW.find(source, to=target)
                assert (move.actor, move.reason_required) == (TRANSITIONS[source][target], (source, target) in REASON_REQUIRED)
            else:
                with pytest.raises(ValidationError) as refused:
                    WORKFLOW.find(source, to=target)
                assert refused.value.message_dict["to"] == [f"不能从「{S(source).label}」转为「{S(target).label}」"]


def test_a_named_move_is_made_by_its_name_only():
    assert S.CLOSED not in WORKFLOW.targets(S.ACCEPTED)  # naming "closed" does not merge
    assert WORKFLOW.find(S.ACCEPTED, name=MERGE).target == S.CLOSED
    assert {m.source for m in WORKFLOW.moves if m.name == MERGE} == set(OPEN)
    with pytest.raises(ValidationError) as refused:
        WORKFLOW.find(S.CLOSED, name=MERGE)
    assert refused.value.message_dict["to"] == ["不能从「已结案」转为「已结案」"]
    with pytest.raises(ValidationError) as refused:
        WORKFLOW.find(S.REPORTED, name="teleport")
    assert refused.value.message_dict["to"] == ["未知的操作：teleport"]
    with pytest.raises(ValidationError) as refused:
        WORKFLOW.find(S.REPORTED, to="lost")
    assert refused.value.message_dict["to"] == ["未知的状态：lost"]


def test_a_table_words_its_refusals_its_own_way():
    with pytest.raises(ValidationError) as refused:
        publication.ARTICLE.find(Stage.PUBLISHED, name=publication.SUBMIT)
    assert refused.value.message_dict["stage"] == ["「已发布」的稿件不能送审"]
    assert [m.name for m in publication.ARTICLE.named(Stage.REVIEW)] == [publication.APPROVE, publication.RETURN]


def test_a_move_writes_the_object_its_history_row_and_its_audit_row(people):
    case = case_in(people, people.home_grid)
    official = people.community_official.user
    since = _last_audit_pk()
    moved = workflow_move(WORKFLOW, case, to=S.REJECTED, actor=official, reason=" 不属于受理范围 ", may=_anyone)
    assert moved.status == Case.objects.get(pk=case.pk).status == S.REJECTED
    step = CaseTransition.objects.filter(case=case).last()
    assert (step.from_status, step.to_status, step.actor, step.reason) == (S.REPORTED, S.REJECTED, official, "不属于受理范围")
    assert step.at is not None
    audited = AuditRecord.objects.filter(pk__gt=since)
    row = audited.get(action="cases.case.rejected")
    assert (row.object_id, row.user_id, row.detail) == (str(case.pk), official.pk, "不属于受理范围")
    assert row.before == {"status": S.REPORTED} and row.after == {"status": S.REJECTED}
    assert audited.filter(action="cases.casetransition.created", object_id=str(step.pk)).exists()


@pytest.mark.parametrize("refusal", ["illegal", "no reason", "too long a reason", "actor", "change"])
def test_a_refused_move_writes_nothing(people, refusal):
    case = case_in(people, people.home_grid)
    since = _last_audit_pk()

    def refuse_actor(move, obj):
        raise PermissionDenied("不是该环节的办理人")

    def refuse_change(obj, move, now):
        raise ValidationError({"department": "派遣须指定承办部门"})

    kwargs = {
        "illegal": {"to": S.CLOSED},
        "no reason": {"to": S.REJECTED, "reason": "  "},
        "too long a reason": {"to": S.REJECTED, "reason": "长" * 301},
        "actor": {"to": S.ACCEPTED, "may": refuse_actor},
        "change": {"to": S.ACCEPTED, "change": refuse_change},
    }[refusal]
    with pytest.raises((ValidationError, PermissionDenied)):
        workflow_move(WORKFLOW, case, actor=people.community_official.user, **{"may": _anyone, **kwargs})
    assert Case.objects.get(pk=case.pk).status == S.REPORTED
    assert CaseTransition.objects.filter(case=case).count() == 1
    assert not AuditRecord.objects.filter(pk__gt=since).exists()


def test_a_missing_reason_is_refused_naming_the_field(people):
    case = case_in(people, people.home_grid)
    with pytest.raises(ValidationError) as refused:
        workflow_move(WORKFLOW, case, to=S.REJECTED, actor=people.community_official.user, may=_anyone)
    assert refused.value.message_dict == {"reason": ["此操作须说明原因"]}


def test_a_move_is_judged_on_the_stored_row_not_the_callers_copy(people):
    case = case_in(people, people.home_grid)
    official = people.community_official.user
    workflow_move(WORKFLOW, case, to=S.ACCEPTED, actor=official, may=_anyone)
    assert case.status == S.REPORTED  # the caller's copy, read before the move
    with pytest.raises(ValidationError) as refused:
        workflow_move(WORKFLOW, case, to=S.ACCEPTED, actor=official, may=_anyone)
    assert refused.value.message_dict["to"] == ["不能从「已立案待派遣」转为「已立案待派遣」"]
