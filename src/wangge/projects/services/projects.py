"""Writes of a project: drafting, editing while it may change, and its moves.

Every service takes `actor` (None: the system) and checks it; a lookup of a need or a case
finds only those of the project's community the actor may see, and a refusal reads the same
for one out of scope as for one that does not exist. Moves go through `workflow_move` only.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from wangge.cases.models import Case
from wangge.cases.selectors import case_list
from wangge.core.publication import Publication, publish
from wangge.core.receipts import save_numbered
from wangge.core.workflow import Move, workflow_move
from wangge.geo.models import Division
from wangge.matching.models import Need

from ..models import Category, Origin, Project, Status
from ..permissions import ACTORS, require_actor
from ..rules import edit_refusal
from ..selectors import SUBJECT, unanswered_objections
from ..workflow import BEFORE_ACCEPTANCE, NOT_CHOSEN, PROJECT

S = Status
NOTICE_UNFINISHED = "公示期未满，不能备案"
OBJECTION_PENDING = "尚有未答复的异议，不能备案"
NOT_ACCEPTED = "未验收的项目不能结项"
RESULT_DAYS = 30
# Moves the residents' vote makes (services/votes.py), never asked for by name or target.
ROUND_MOVES = {(S.PROPOSED, S.VOTING), (S.VOTING, S.NOTICE), NOT_CHOSEN}


def _category(category: Category | None) -> Category:
    if category is None:
        raise ValidationError({"category": "请选择项目类别"})
    if not category.active:
        raise ValidationError({"category": f"类别「{category.name}」已停用，不能用于新项目"})
    return category


def _text(value: str, *, field: str, noun: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{noun}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{noun}不能超过 {max_length} 个字"})
    return value


def _needs(community_code: str, ids) -> list[Need]:
    ids = sorted(set(ids or ()))
    found = list(Need.objects.filter(pk__in=ids, community_code=community_code))
    missing = set(ids) - {need.pk for need in found}
    if missing:
        raise ValidationError({"need_ids": f"本社区没有编号为 {min(missing)} 的群众需求"})
    return found


def _cases(actor, community_code: str, ids) -> list[Case]:
    ids = sorted(set(ids or ()))
    cases = Case.objects.all() if actor is None else case_list(actor)
    found = list(cases.filter(pk__in=ids, grid_code__startswith=community_code))
    missing = set(ids) - {case.pk for case in found}
    if missing:
        raise ValidationError({"case_ids": f"本社区没有编号为 {min(missing)} 的网格案件"})
    return found


def _community(code: str) -> str:
    if not Division.objects.filter(code=code, kind=Division.Kind.COMMUNITY).exists():
        raise ValidationError({"community_code": "请选择项目所在的社区"})
    return code


@transaction.atomic
def project_create(
    *, actor, title: str, category: Category | None, community_code: str, scope: str, year: int, origin: str = Origin.PLAN,
    need_ids=(), case_ids=(),
) -> Project:
    """A draft, by the community's party organisation."""
    require_actor(actor, "community", community_code)
    if origin not in Origin.values:
        raise ValidationError({"origin": f"未知的项目来源：{origin}"})
    project = Project(
        title=_text(title, field="title", noun="项目名称", max_length=80), category=_category(category), community_code=_community(community_code),
        origin=origin, scope=_text(scope, field="scope", noun="服务内容", max_length=4000), year=year, created_by=actor,
    )
    project.full_clean(exclude=["number"])
    project = save_numbered(project, prefix="XM")
    project.needs.set(_needs(community_code, need_ids))
    project.cases.set(_cases(actor, community_code, case_ids))
    return project


@transaction.atomic
def project_edit(*, project: Project, actor, **changes) -> Project:
    """Change a project's content (title, category, scope, origin, year, needs, cases) while
    it may change: before its notice. A filed project changes only through `renotice`."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_actor(actor, "community", project.community_code)
    if refusal := edit_refusal(project):
        raise ValidationError({"status": refusal})
    if "title" in changes:
        project.title = _text(changes["title"], field="title", noun="项目名称", max_length=80)
    if "scope" in changes:
        project.scope = _text(changes["scope"], field="scope", noun="服务内容", max_length=4000)
    if "category" in changes and changes["category"] != project.category:
        project.category = _category(changes["category"])
    if "origin" in changes:
        if changes["origin"] not in Origin.values:
            raise ValidationError({"origin": f"未知的项目来源：{changes['origin']}"})
        project.origin = changes["origin"]
    if "year" in changes:
        project.year = changes["year"]
    project.full_clean()
    project.save()
    if "need_ids" in changes:
        project.needs.set(_needs(project.community_code, changes["need_ids"]))
    if "case_ids" in changes:
        project.cases.set(_cases(actor, project.community_code, changes["case_ids"]))
    return project


def _body(project: Project, lead: str) -> str:
    rows = (("项目编号", project.number), ("项目类别", project.category.name), ("年度", project.year), ("服务内容", project.scope))
    return format_html("<p>{}</p><table>{}</table>", lead, format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows))


def _published_by(actor) -> None:
    # The portal's disclosures name the official who published them; the system publishes none.
    if actor is None:
        raise ValidationError({"to": "公示和结果公开须以经办干部的名义发布"})


def _notice(project: Project, actor, now) -> list[str]:
    _published_by(actor)
    days = settings.WANGGE_PROJECT_NOTICE_DAYS
    ends = now + timedelta(days=days)
    lead = f"公示期 {days} 天，截至 {timezone.localtime(ends):%Y-%m-%d %H:%M}。对本项目有异议的，可在公示期内提出。"
    disclosure_id = publish(Publication(
        kind="project", subject_type=SUBJECT, subject_id=str(project.pk), title=f"社区服务项目公示：{project.title}", body=_body(project, lead),
        area_code=project.community_code, shown_from=now, shown_until=ends,
    ), actor=actor)
    project.notice_id, project.notice_starts_at, project.notice_ends_at = int(disclosure_id), now, ends
    return ["notice", "notice_starts_at", "notice_ends_at"]


def _results(project: Project, actor, now) -> list[str]:
    _published_by(actor)
    lines = format_html_join("", "<li>{}：{}（{}）</li>", ((step.to_label, timezone.localtime(step.at).date(), step.reason or "—") for step in _steps(project)))
    body = format_html("{}<h3>办理经过</h3><ul>{}</ul>", _body(project, "本项目已完成实施并通过验收，现将实施结果公开。"), lines)
    disclosure_id = publish(Publication(
        kind="result", subject_type=SUBJECT, subject_id=str(project.pk), title=f"社区服务项目实施结果公开：{project.title}", body=body,
        area_code=project.community_code, shown_from=now, shown_until=now + timedelta(days=RESULT_DAYS),
    ), actor=actor)
    project.result_disclosure_id = int(disclosure_id)
    return ["result_disclosure"]


def _steps(project: Project):
    labels = dict(S.choices)
    for step in project.steps.order_by("at", "pk"):
        step.to_label = labels.get(step.to_status, step.to_status)
        yield step


def _filing_refusal(project: Project, now) -> str:
    if project.notice_ends_at is None or now < project.notice_ends_at:
        return NOTICE_UNFINISHED
    if unanswered_objections(project):
        return OBJECTION_PENDING
    return ""


def _change(actor, reason: str):
    def change(project: Project, move: Move, now) -> list[str]:
        fields = ["status_note"]
        project.status_note = reason.strip()
        if move.target == S.NOTICE:
            fields += _notice(project, actor, now)
        elif move.target == S.FILED:
            if refusal := _filing_refusal(project, now):
                raise ValidationError({"to": refusal})
        elif move.target == S.DISCLOSED:
            fields += _results(project, actor, now)
        elif move.target == S.PROPOSED and move.source != S.DRAFT:  # renoticed or not chosen: the old notice no longer stands
            project.notice, project.notice_starts_at, project.notice_ends_at = None, None, None
            fields += ["notice", "notice_starts_at", "notice_ends_at"]
        return fields

    return change


def move_project(*, project: Project, actor, to: str = "", name: str = "", reason: str = "", by_round: bool = False) -> Project:
    """The one place a project moves; the moves in and out of a vote only when `by_round`
    (services/votes.py)."""

    def may(move: Move, stored: Project) -> None:
        require_actor(actor, move.actor, stored.community_code)
        if not by_round and ((move.source, move.target) in ROUND_MOVES or move.name in ROUND_MOVES):
            raise ValidationError({"to": "居民投票的进出由投票的开启和计票办理"})

    return workflow_move(PROJECT, project, actor=actor, to=to, name=name, reason=reason, may=may, change=_change(actor, reason), related=("category",))


@transaction.atomic
def project_move(*, project: Project, actor, to: str = "", name: str = "", reason: str = "") -> Project:
    """A move asked for by an official (by its target, or `renotice` by name)."""
    if to == S.CLOSED and Project.objects.filter(pk=project.pk, status__in=BEFORE_ACCEPTANCE).exists():
        raise ValidationError({"to": NOT_ACCEPTED})
    return move_project(project=project, actor=actor, to=to, name=name, reason=reason)


def moves_offered(project: Project, user) -> list[Move]:
    """The moves of the project's table that `user` may ask for now, by name or target: those
    of its status whose actor the user is, without the moves only a round makes (the buttons
    a page draws; each is judged again by `project_move`)."""
    return [
        move for move in PROJECT.moves
        if move.source == project.status and (move.source, move.target) not in ROUND_MOVES and move.name not in ROUND_MOVES
        and ACTORS[move.actor](user, project.community_code)
    ]
