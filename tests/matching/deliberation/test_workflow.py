"""一征三议两公开 in order: no step skipped or taken out of turn, each refused without its
evidence, a resolution only by a sitting with quorum and majority, and no implementing during
publicity or while an objection waits for its answer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.matching.deliberation.steps import ORDER, S, publicity_over
from wangge.matching.deliberation import services
from wangge.matching.models import Deliberation, DeliberationStep, Meeting
from wangge.portal.models import Disclosure, Stage
from wangge.portal.objections import objection_answer, objection_submit


def _refusal(error: ValidationError) -> str:
    return "；".join(m for messages in error.message_dict.values() for m in messages)


@pytest.mark.parametrize("status", ORDER)
def test_it_refuses_every_move_but_the_next_one(steps, status):
    d = steps.at(status)
    following = ORDER[ORDER.index(status) + 1] if status != S.CLOSED else None
    for target in [s for s in Deliberation.Status.values if s != following]:
        with pytest.raises(ValidationError) as refused:
            services.deliberation_move(actor=steps.official, deliberation=d, to=target, text="内容", days=7)
        assert "不能从" in _refusal(refused.value) or "居民会议" in _refusal(refused.value), (status, target)
        assert Deliberation.objects.get(pk=d.pk).status == status


@pytest.mark.parametrize("status", [s for s in ORDER if s != S.SOLICITING])
def test_it_takes_opinions_only_while_soliciting(steps, status):
    d = steps.at(status)
    with pytest.raises(ValidationError, match="征集意见环节已结束"):
        services.opinion_add(actor=steps.official, deliberation=d, address="1号楼", summary="同意")


@pytest.mark.parametrize("status", [s for s in ORDER if s != S.PROPOSED])
def test_it_takes_consultations_only_after_the_proposal(steps, status):
    d = steps.at(status)
    with pytest.raises(ValidationError, match="须在提议之后"):
        services.consultation_add(actor=steps.official, deliberation=d, unit="物业", summary="同意")


@pytest.mark.parametrize("status", [s for s in ORDER if s != S.CONSULTED])
def test_it_puts_to_a_meeting_only_a_consulted_proposal(steps, status):
    d = steps.at(status)
    with pytest.raises(ValidationError, match="须先完成商议"):
        services.meeting_record(actor=steps.official, deliberation=d, kind="residents", held_on=timezone.localdate(), members=10, present=10, votes_for=10)
    assert not Meeting.objects.filter(deliberation=d).exists() or status not in (S.SOLICITING, S.PROPOSED)


def test_it_refuses_each_step_without_its_evidence(steps):
    d = steps.opened()
    with pytest.raises(ValidationError, match="须先征集意见"):
        services.deliberation_move(actor=steps.official, deliberation=d, to=S.PROPOSED, text="加装电梯")
    services.opinion_add(actor=steps.official, deliberation=d, address="3号楼101", summary="同意")
    with pytest.raises(ValidationError, match="请填写提议内容"):
        services.deliberation_move(actor=steps.official, deliberation=d, to=S.PROPOSED, text="  ")
    d = services.deliberation_move(actor=steps.official, deliberation=d, to=S.PROPOSED, text="加装电梯")
    with pytest.raises(ValidationError, match="须先商议"):
        services.deliberation_move(actor=steps.official, deliberation=d, to=S.CONSULTED)
    with pytest.raises(ValidationError, match="须由居民会议或居民代表会议表决"):
        services.deliberation_move(actor=steps.official, deliberation=steps.at(S.CONSULTED), to=S.RESOLVED)
    assert Deliberation.objects.get(pk=d.pk).status == S.PROPOSED


def test_only_a_community_official_proposes(steps, people):
    d = steps.opened()
    services.opinion_add(actor=steps.official, deliberation=d, address="3号楼101", summary="同意")
    with pytest.raises(PermissionDenied, match="社区党组织"):
        services.deliberation_move(actor=people.subdistrict_official.user, deliberation=d, to=S.PROPOSED, text="加装电梯")


def _sit(steps, d, **votes) -> Meeting:
    return services.meeting_record(actor=steps.official, deliberation=d, kind="residents", held_on=timezone.localdate(), **votes)


def test_a_sitting_with_half_present_is_kept_and_the_matter_reconvened(steps):
    d = steps.at(S.CONSULTED)
    first = _sit(steps, d, members=10, present=5, votes_for=5)
    assert first.outcome == Meeting.Outcome.NO_QUORUM
    assert Deliberation.objects.get(pk=d.pk).status == S.CONSULTED
    second = _sit(steps, d, members=10, present=6, votes_for=4, votes_against=2, minutes="二次召集")
    assert second.outcome == Meeting.Outcome.ADOPTED
    d.refresh_from_db()
    assert d.status == S.RESOLVED and d.resolution == d.proposal
    assert list(d.meetings.values_list("outcome", flat=True)) == ["no_quorum", "adopted"]
    step = DeliberationStep.objects.get(deliberation=d, to_status=S.RESOLVED)
    assert "应到 10 人，实到 6 人，赞成 4" in step.reason and step.actor == steps.official


def test_half_in_favour_is_not_a_resolution(steps):
    d = steps.at(S.CONSULTED)
    sitting = _sit(steps, d, members=10, present=6, votes_for=3, votes_against=3)
    assert sitting.outcome == Meeting.Outcome.NOT_ADOPTED
    d.refresh_from_db()
    assert d.status == S.NOT_ADOPTED and d.resolution == ""
    for target in Deliberation.Status.values:
        with pytest.raises(ValidationError):
            services.deliberation_move(actor=steps.official, deliberation=d, to=target, text="x")


@pytest.mark.parametrize(
    ("votes", "field"),
    [
        ({"members": 10, "present": 11, "votes_for": 6}, "present"),
        ({"members": 0, "present": 0, "votes_for": 0}, "members"),
        ({"members": 10, "present": 6, "votes_for": 4, "votes_against": 2, "votes_abstain": 1}, "votes_for"),
        ({"members": 10, "present": -1, "votes_for": 0}, "present"),
    ],
)
def test_it_refuses_impossible_counts_and_records_nothing(steps, votes, field):
    d = steps.at(S.CONSULTED)
    with pytest.raises(ValidationError) as refused:
        _sit(steps, d, **votes)
    assert field in refused.value.message_dict
    assert not d.meetings.exists() and Deliberation.objects.get(pk=d.pk).status == S.CONSULTED


def test_implementing_waits_for_the_publicity_and_every_objection_answered(steps, people):
    d = steps.at(S.PUBLICITY)
    disclosure = Disclosure.objects.get(pk=int(d.disclosure_id))
    assert (disclosure.kind, disclosure.stage, disclosure.area_code) == ("deliberation", Stage.PUBLISHED, steps.community_code)
    assert (disclosure.shown_until - disclosure.shown_from).days == 7 and d.publicity_ends_at == disclosure.shown_until
    assert "加装电梯" in disclosure.body and "应到 21 人" in disclosure.body
    with pytest.raises(ValidationError, match="公示期未满，不能开始实施"):
        services.deliberation_move(actor=steps.official, deliberation=d, to=S.IMPLEMENTING)
    objection = objection_submit(disclosure=disclosure, text="费用分摊不合理")
    publicity_over(d)
    with pytest.raises(ValidationError, match="尚有未答复的异议，不能开始实施"):
        services.deliberation_move(actor=steps.official, deliberation=d, to=S.IMPLEMENTING)
    assert Deliberation.objects.get(pk=d.pk).status == S.PUBLICITY
    objection_answer(objection=objection, actor=people.community_official.user, answer="分摊方案经居民代表会议表决通过")
    d = services.deliberation_move(actor=steps.official, deliberation=d, to=S.IMPLEMENTING)
    assert d.status == S.IMPLEMENTING


def test_the_result_is_disclosed_and_the_matter_closed(steps):
    d = steps.at(S.CLOSED)
    result = Disclosure.objects.get(pk=int(d.result_disclosure_id))
    assert (result.kind, result.stage, result.subject_type, result.subject_id) == ("result", Stage.PUBLISHED, "deliberation", str(d.pk))
    assert "电梯已于11月建成" in result.body
    moves = list(DeliberationStep.objects.filter(deliberation=d).values_list("to_status", flat=True))
    assert moves == ORDER


def test_a_custom_publicity_period_is_bounded(steps):
    d = steps.at(S.RESOLVED)
    for days in (0, 31):
        with pytest.raises(ValidationError, match="公示期应为 1 至 30 天"):
            services.deliberation_move(actor=steps.official, deliberation=d, to=S.PUBLICITY, days=days)
    assert not Disclosure.objects.filter(kind="deliberation", subject_id=str(d.pk)).exists()
    d = services.deliberation_move(actor=steps.official, deliberation=d, to=S.PUBLICITY, days=10)
    assert (d.publicity_ends_at - timezone.now()).days == 9


def test_an_official_out_of_scope_cannot_touch_it(steps, people):
    from wangge.accounts.models import Role, User

    other = User.objects.create(username="other_community", role=Role.COMMUNITY_OFFICIAL, scope_code=people.other_grid.community.code)
    d = steps.opened()
    with pytest.raises(PermissionDenied):
        services.opinion_add(actor=other, deliberation=d, address="1号楼", summary="同意")
    with pytest.raises(ValidationError, match="请选择所辖社区"):
        services.deliberation_open(actor=other, title="议题", matter="说明", community_code=steps.community_code)


def test_projects_find_only_resolved_deliberations_in_scope(steps, people):
    from wangge.accounts.models import Role, User
    from wangge.matching.deliberation.selectors import resolution_of, resolved_deliberations

    resolved, soliciting, rejected = steps.at(S.PUBLICITY), steps.opened(), steps.at(S.CONSULTED)
    _sit(steps, rejected, members=10, present=8, votes_for=4)
    found = list(resolved_deliberations(people.subdistrict_official.user, steps.community_code))
    assert found == [resolved] and soliciting not in found
    assert resolution_of(found[0]) == "3号楼东侧加装电梯一部，费用按楼层分摊"
    other = User.objects.create(username="other_community", role=Role.COMMUNITY_OFFICIAL, scope_code=people.other_grid.community.code)
    assert not resolved_deliberations(other, steps.community_code).exists()
