"""A project's recorded life: every refusal of the filing regime, illegal moves, reasons,
history rows, the notice it publishes and the one way back from filing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from tests.cases.factories import case_in
from tests.projects.conftest import draft, filed, in_notice, notice_over, proposed
from wangge.portal.models import Disclosure, Stage
from wangge.portal.objections import objection_submit
from wangge.projects.models import Project, ProjectStep
from wangge.projects.rules import money_and_scope_editable, spending_allowed
from wangge.projects.services.catalogue import category_change
from wangge.projects.services.objections import project_objection_answer
from wangge.projects.services.projects import project_create, project_edit, project_move


def _message(error: ValidationError) -> str:
    return "；".join(m for messages in error.message_dict.values() for m in messages)


def _refused(text: str, call) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    assert text in _message(caught.value), _message(caught.value)


def test_it_walks_a_project_from_draft_to_closed_with_a_history_row_per_move(people, world):
    community, subdistrict = people.community_official.user, people.subdistrict_official.user
    project = filed(people, world)
    for to in ("implementing", "accepted", "disclosed", "closed"):
        project = project_move(project=project, actor=community, to=to)
    steps = list(ProjectStep.objects.filter(project=project).values_list("from_status", "to_status", "actor"))
    assert steps == [
        ("draft", "proposed", community.pk), ("proposed", "notice", community.pk), ("notice", "filed", subdistrict.pk),
        ("filed", "implementing", community.pk), ("implementing", "accepted", community.pk), ("accepted", "disclosed", community.pk),
        ("disclosed", "closed", community.pk),
    ]
    assert project.status == "closed"
    result = Disclosure.objects.get(pk=project.result_disclosure_id)
    assert (result.kind, result.stage, result.subject_id) == ("result", Stage.PUBLISHED, str(project.pk))


@override_settings(WANGGE_PROJECT_NOTICE_DAYS=10)
def test_it_publishes_the_notice_on_the_portal_for_the_district_set_period(people, world):
    before = timezone.now()
    project = in_notice(people, world)
    notice = Disclosure.objects.get(pk=project.notice_id)
    assert (notice.kind, notice.stage, notice.area_code, notice.subject_type, notice.subject_id) == ("project", Stage.PUBLISHED, world.community, "project", str(project.pk))
    assert project.notice_ends_at - project.notice_starts_at == timedelta(days=10)
    assert before <= project.notice_starts_at <= timezone.now()
    assert (notice.shown_from, notice.shown_until) == (project.notice_starts_at, project.notice_ends_at)


def test_it_refuses_filing_inside_the_notice_period(people, world):
    project = in_notice(people, world)
    _refused("公示期未满，不能备案", lambda: project_move(project=project, actor=people.subdistrict_official.user, to="filed"))
    assert Project.objects.get(pk=project.pk).status == "notice"


def test_it_refuses_filing_while_an_objection_is_unanswered_and_files_once_answered(people, world):
    project = in_notice(people, world)
    objection = objection_submit(disclosure=project.notice, text="选址离居民楼太近，噪音扰民")
    project = notice_over(project)
    _refused("尚有未答复的异议，不能备案", lambda: project_move(project=project, actor=people.subdistrict_official.user, to="filed"))
    project_objection_answer(project=project, objection=objection, actor=people.community_official.user, answer="已调整选址至社区服务中心一楼")
    assert project_move(project=project, actor=people.subdistrict_official.user, to="filed").status == "filed"


def test_it_refuses_closing_before_acceptance(people, world):
    project = project_move(project=filed(people, world), actor=people.community_official.user, to="implementing")
    _refused("未验收的项目不能结项", lambda: project_move(project=project, actor=people.community_official.user, to="closed"))
    assert Project.objects.get(pk=project.pk).status == "implementing"


def test_it_refuses_editing_a_filed_project_without_a_new_notice_and_renotices_with_a_reason(people, world):
    community = people.community_official.user
    project = filed(people, world)
    assert not money_and_scope_editable(project) and spending_allowed(project)
    _refused("已备案项目变更内容须重新公示", lambda: project_edit(project=project, actor=community, scope="扩大到全社区老人"))
    _refused("变更已备案项目须说明原因", lambda: project_move(project=project, actor=community, name="renotice"))
    project = project_move(project=project, actor=community, name="renotice", reason="服务对象扩大，预算相应调整")
    assert (project.status, project.notice_id, project.notice_ends_at) == ("proposed", None, None)
    assert money_and_scope_editable(project) and not spending_allowed(project)
    assert project_edit(project=project, actor=community, scope="扩大到全社区老人").scope == "扩大到全社区老人"
    step = ProjectStep.objects.filter(project=project).last()
    assert (step.from_status, step.to_status, step.reason) == ("filed", "proposed", "服务对象扩大，预算相应调整")


def test_it_refuses_editing_during_notice(people, world):
    project = in_notice(people, world)
    _refused("「公示中」的项目不能修改内容", lambda: project_edit(project=project, actor=people.community_official.user, title="新名称"))


@pytest.mark.parametrize(("to", "actor"), [("withdrawn", "community_official"), ("rejected", "subdistrict_official")])
def test_it_wants_a_reason_to_withdraw_or_reject_and_keeps_it(people, world, to, actor):
    project = proposed(people, world)
    user = getattr(people, actor).user
    _refused("须说明原因", lambda: project_move(project=project, actor=user, to=to, reason="  "))
    project = project_move(project=project, actor=user, to=to, reason="与已有项目重复")
    assert (project.status, project.status_note) == (to, "与已有项目重复")
    assert ProjectStep.objects.filter(project=project, to_status=to, reason="与已有项目重复", actor=user).exists()


@pytest.mark.parametrize(("source", "to"), [("draft", "filed"), ("draft", "notice"), ("proposed", "implementing"), ("filed", "withdrawn"), ("filed", "closed")])
def test_it_refuses_illegal_moves(people, world, source, to):
    project = {"draft": draft, "proposed": proposed, "filed": filed}[source](people, world)
    actor = people.subdistrict_official.user if to in ("filed",) else people.community_official.user
    with pytest.raises(ValidationError):
        project_move(project=project, actor=actor, to=to, reason="理由")
    assert Project.objects.get(pk=project.pk).status == source
    assert ProjectStep.objects.filter(project=project, from_status=source, to_status=to).count() == 0


def test_it_leaves_entering_a_vote_to_the_round(people, world):
    project = proposed(people, world)
    _refused("居民投票的进出由投票的开启和计票办理", lambda: project_move(project=project, actor=people.community_official.user, to="voting"))


def test_it_lets_only_the_named_actor_move(people, world):
    project = proposed(people, world)
    with pytest.raises(PermissionDenied, match="社区党组织"):
        project_move(project=project, actor=people.subdistrict_official.user, to="notice")
    project = notice_over(project_move(project=project, actor=people.community_official.user, to="notice"))
    for actor in (people.community_official, people.grid_worker, people.district_official):
        with pytest.raises(PermissionDenied, match="街道干部"):
            project_move(project=project, actor=actor.user, to="filed")
    assert Project.objects.get(pk=project.pk).status == "notice"


def test_it_refuses_a_project_in_an_inactive_category(people, world):
    category_change(actor=people.district_official.user, category=world.category, active=False)
    world.category.refresh_from_db()
    _refused("已停用，不能用于新项目", lambda: draft(people, world))
    assert not Project.objects.exists()


def test_it_names_only_needs_and_cases_of_its_own_community(people, world):
    home_case, other_case = case_in(people, people.home_grid), case_in(people, people.other_grid)
    project = draft(people, world, need_ids=[world.need.pk], case_ids=[home_case.pk])
    assert list(project.needs.all()) == [world.need] and list(project.cases.all()) == [home_case]
    _refused(f"本社区没有编号为 {world.other_need.pk} 的群众需求", lambda: draft(people, world, need_ids=[world.other_need.pk]))
    _refused(f"本社区没有编号为 {other_case.pk} 的网格案件", lambda: draft(people, world, case_ids=[other_case.pk]))
    _refused("本社区没有编号为 987654 的群众需求", lambda: draft(people, world, need_ids=[987654]))
    assert Project.objects.count() == 1


def test_it_refuses_drafting_outside_the_officials_community(people, world):
    with pytest.raises(PermissionDenied):
        project_create(actor=people.community_official.user, title="项目", category=world.category, community_code=world.other_community, scope="内容", year=2026)


def test_it_allows_spending_only_while_filed_or_implementing(people, world):
    from wangge.projects.rules import spending_refusal

    project = in_notice(people, world)
    assert (spending_allowed(project), spending_refusal(project)) == (False, "项目备案前不能支出资金")
    project = project_move(project=notice_over(project), actor=people.subdistrict_official.user, to="filed")
    assert (spending_allowed(project), spending_refusal(project)) == (True, "")
    project = project_move(project=project, actor=people.community_official.user, to="implementing")
    assert spending_allowed(project)
    project = project_move(project=project, actor=people.community_official.user, to="accepted")
    assert (spending_allowed(project), spending_refusal(project)) == (False, "「已验收」的项目不能再支出资金")


def test_the_system_publishes_no_notice_in_nobodys_name(people, world):
    project = proposed(people, world)
    _refused("须以经办干部的名义发布", lambda: project_move(project=project, actor=None, to="notice"))
    assert Project.objects.get(pk=project.pk).status == "proposed" and not Disclosure.objects.filter(subject_id=str(project.pk)).exists()
