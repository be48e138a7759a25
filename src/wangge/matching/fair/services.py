"""Running a fair: created by an official of its area, moved along `workflow.FAIR`; its
proposals come from the matcher over the area's needs and resources; each match is confirmed by
both sides, signed (which moves its need to matched) and converted to a service project."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404

from wangge.core.workflow import Move, workflow_move
from wangge.geo.models import Division
from wangge.geo.scope import Scope, prefix_of, scope_of

from .. import selectors
from ..checks import count_checked, text_checked
from ..models import Fair, FairMatch, Need, Resource
from ..permissions import NOT_FOUND, can_keep_matching, is_provider, require_keeper
from ..proposals import HOLDING, Unmatched, propose
from ..workflow import CONFIRM_NEED, CONFIRM_RESOURCE, CONVERT, DROP, FAIR, MATCH, NEED, SIGN

F, M = Fair.Status, FairMatch.Status
AREA_KINDS = (Division.Kind.COMMUNITY, Division.Kind.SUBDISTRICT, Division.Kind.ZONE)
MAX_DISTANCE_M = 20_000


def area_scope(fair: Fair) -> Scope:
    return Scope(prefix_of(fair.division_code))


@transaction.atomic
def fair_create(*, actor, title: str, division_code: str, held_on: date, max_distance_m: int = 3000) -> Fair:
    """A fair of a community or subdistrict in the official's subtree (another area: 404)."""
    if actor is not None:
        require_keeper(actor)
    areas = Division.objects.filter(kind__in=AREA_KINDS)
    if actor is not None:
        areas = areas.filter(scope_of(actor).q("code"))
    if not areas.filter(code=division_code).exists():
        raise Http404(NOT_FOUND)
    fair = Fair(title=text_checked(title, field="title", noun="社洽会名称", max_length=100), division_code=division_code, held_on=held_on,
                max_distance_m=count_checked(max_distance_m, field="max_distance_m", noun="最远对接距离（米）", low=100, high=MAX_DISTANCE_M), created_by=actor)
    fair.full_clean()
    fair.save()
    return fair


def _may_organise(actor):
    def check(move: Move, fair: Fair) -> None:
        if not selectors.fair_organised(actor, fair):
            raise PermissionDenied("只有社洽会所在社区或街道及上级的干部可以办理")

    return check


def fair_move(*, actor, fair_id: int, to: str, reason: str = "") -> Fair:
    return workflow_move(FAIR, selectors.fair_get(actor, fair_id), actor=actor, may=_may_organise(actor), to=to, reason=reason)


@transaction.atomic
def fair_propose(*, actor, fair_id: int) -> tuple[list[FairMatch], list[Unmatched]]:
    """The matcher's proposals over the fair's area, recorded as proposed matches in place of
    the earlier proposals nobody confirmed; what stays unmatched is returned with its reason."""
    fair = selectors.fair_get(actor, fair_id)
    _may_organise(actor)(None, fair)
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    if fair.status != F.MATCHING:
        raise ValidationError({"status": f"只有在「{F.MATCHING.label}」阶段才能生成匹配方案（当前：{fair.get_status_display()}）"})
    fair.matches.filter(status=M.PROPOSED).delete()
    area = area_scope(fair)
    found = propose(selectors.needs_in_scope(area), selectors.resources_in_scope(area), max_distance_m=fair.max_distance_m)
    matches = FairMatch.objects.bulk_create(
        FairMatch(fair=fair, need=p.need, resource=p.resource, quantity=p.quantity, distance_m=p.distance_m, explanation=p.explanation) for p in found.pairs
    )
    return matches, found.unmatched


def _covers(actor, code: str) -> bool:
    return actor is None or (can_keep_matching(actor) and scope_of(actor).covers(code))


def _side_checks(actor):
    """Who makes each move of a match, and in which phase of its fair."""

    def check(move: Move, match: FairMatch) -> None:
        fair, need_side = match.fair, _covers(actor, match.need.community_code)
        resource_side = _covers(actor, match.resource.community_code) or (actor is not None and is_provider(actor) and match.resource.owner_id == actor.pk)
        allowed = {
            "need_side": need_side,
            "resource_side": resource_side,
            "either_side": need_side or resource_side or selectors.fair_organised(actor, fair),
            "converter": need_side,
        }[move.actor]
        if not allowed:
            raise PermissionDenied({"need_side": "只有需求所在社区的干部可以代表需求方办理", "resource_side": "只有资源提供方或资源所在社区的干部可以代表资源方确认",
                                    "converter": "只有需求所在社区的干部可以转为服务项目"}.get(move.actor, "只有对接双方可以放弃对接"))
        phases = {SIGN: (F.SIGNING,), CONVERT: (F.SIGNING, F.CLOSED), CONFIRM_NEED: (F.MATCHING, F.SIGNING), CONFIRM_RESOURCE: (F.MATCHING, F.SIGNING)}
        if move.name in phases and fair.status not in phases[move.name]:
            raise ValidationError({"status": f"社洽会处于「{fair.get_status_display()}」阶段，不能{move.label}"})

    return check


def _holding_kept(match: FairMatch, move: Move, now) -> list[str]:
    """A match that starts to hold capacity (its first confirmation) must still find it: the
    resource and the need are locked, so two fairs confirming the last unit at once cannot
    both have it."""
    if move.source != M.PROPOSED:
        return []
    resource = Resource.objects.select_for_update().get(pk=match.resource_id)
    need = Need.objects.select_for_update().get(pk=match.need_id)
    holding = FairMatch.objects.filter(status__in=HOLDING).exclude(pk=match.pk)
    taken = holding.filter(resource=resource).aggregate(n=Sum("quantity"))["n"] or 0
    if taken + match.quantity > resource.capacity:
        raise ValidationError({"quantity": f"该资源剩余容量不足：可供 {resource.capacity}，其他对接已占用 {taken}，本对接需要 {match.quantity}"})
    met = holding.filter(need=need).aggregate(n=Sum("quantity"))["n"] or 0
    if met + match.quantity > need.quantity:
        raise ValidationError({"quantity": f"该需求已由其他对接满足 {met}/{need.quantity}，本对接需要 {match.quantity}"})
    return []


def _moved(actor, match_id: int, name: str, reason: str = "", change=None) -> FairMatch:
    match = selectors.match_get(actor, match_id)
    return workflow_move(MATCH, match, actor=actor, may=_side_checks(actor), name=name, reason=reason, change=change, related=("fair", "need", "resource"))


def match_confirm(*, actor, match_id: int, side: str) -> FairMatch:
    """意向: `side` is "need" (a community official on the resident's behalf) or "resource"."""
    if side not in ("need", "resource"):
        raise ValidationError({"side": "确认方应为 need（需求方）或 resource（资源方）"})
    return _moved(actor, match_id, CONFIRM_NEED if side == "need" else CONFIRM_RESOURCE, change=_holding_kept)


@transaction.atomic
def match_sign(*, actor, match_id: int) -> FairMatch:
    """签约: the match signed, and its need moved to matched if it was still new."""
    match = _moved(actor, match_id, SIGN)
    if match.need.state == Need.State.NEW:
        workflow_move(NEED, match.need, actor=actor, may=lambda move, need: None, to=Need.State.MATCHED, reason=f"社洽会「{match.fair.title}」签约")
    return match


def match_drop(*, actor, match_id: int, reason: str) -> FairMatch:
    return _moved(actor, match_id, DROP, reason=reason)


def mark_converted(*, actor, match_id: int, project_number: str) -> FairMatch:
    """The hook service projects call when a signed match became project `project_number`."""
    number = text_checked(project_number, field="project_number", noun="服务项目编号", max_length=32)

    def change(match, move, now):
        match.project_number = number
        return ["project_number"]

    return _moved(actor, match_id, CONVERT, change=change)
