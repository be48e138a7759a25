"""A service project in one step from what decided it: a fair's signed match (供需对接), or a
deliberation's resolution (一征三议两公开的决议).

Both make a draft of the community's party organisation, prefilled from the record and linked
to it, for the community to complete and propose; a draft rather than a proposal, because the
budget and the details of carrying it out are still to be written. The record is read through
the caller's scope (out of scope answers as missing) and locked, so that it is converted once.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from wangge.matching.deliberation.selectors import deliberation_get, resolution_of
from wangge.matching.deliberation.workflow import RESOLVED_STATUSES
from wangge.matching.fair.selectors import signed_match
from wangge.matching.fair.services import mark_converted
from wangge.matching.kinds import Kind
from wangge.matching.models import Deliberation, FairMatch

from ..models import Category, Origin, Project, ProjectLink
from ..permissions import NOT_FOUND
from ..selectors import projects_visible
from .projects import project_create

L = ProjectLink.Kind

# The project category a need's kind of resource leads to (the draft may change it).
KIND_CATEGORIES = {
    Kind.VENUE: "venue-sharing",
    Kind.MATERIALS: "assistance",
    Kind.SERVICE: "life-services",
    Kind.MANPOWER: "life-services",
    Kind.EXPERTISE: "capacity",
}
DEFAULT_CATEGORY = "life-services"
TITLE_MAX, SCOPE_MAX = 80, 4000


def _category(code: str) -> Category:
    return Category.objects.filter(code=code, active=True).first() or Category.objects.filter(active=True).first()


def _clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _linked(project: Project, kind: str, *target_ids) -> None:
    ProjectLink.objects.bulk_create(ProjectLink(project=project, kind=kind, target_id=str(target_id)) for target_id in target_ids)


@transaction.atomic
def project_from_match(match_id: int, *, actor) -> Project:
    """A signed match becomes a draft project of its need's community, carrying the need and
    the resource; the match is marked converted with the project's number."""
    FairMatch.objects.select_for_update().filter(pk=match_id).first()  # one conversion at a time
    carried = signed_match(actor, match_id)
    need, resource = carried.need, carried.resource
    scope = (
        f"需求（{need.number}，{need.category}，服务对象：{need.get_beneficiary_display()}，数量 {need.quantity}）：{need.description}\n"
        f"资源：{resource.provider_name}（{resource.get_provider_kind_display()}）提供「{resource.name}」（{resource.get_kind_display()}），"
        f"对接数量 {carried.match.quantity}，开放时间 {resource.availability}。\n"
        f"来源：社洽会「{carried.fair_title}」签约对接。"
    )
    project = project_create(
        actor=actor, title=_clipped(f"{resource.name}·{need.category}", TITLE_MAX), category=_category(KIND_CATEGORIES.get(need.kind, DEFAULT_CATEGORY)),
        community_code=carried.community_code, scope=_clipped(scope, SCOPE_MAX), year=timezone.localdate().year, origin=Origin.MATCH, need_ids=[need.pk],
    )
    _linked(project, L.MATCH, carried.match.pk)
    _linked(project, L.RESOURCE, resource.pk)
    mark_converted(actor=actor, match_id=carried.match.pk, project_number=project.number)
    return project


def _deliberation(actor, deliberation_id: int) -> Deliberation:
    if actor is not None:
        return deliberation_get(actor, deliberation_id)
    found = Deliberation.objects.filter(pk=deliberation_id).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def decided_by(deliberation_id: int) -> Project | None:
    link = ProjectLink.objects.filter(kind=L.DELIBERATION, target_id=str(deliberation_id)).select_related("project").first()
    return link.project if link else None


@transaction.atomic
def project_from_resolution(deliberation_id: int, *, actor, category: Category | None = None) -> Project:
    """A resolved deliberation decides a draft project of its community, which names it (a
    link); refused before the resolution, and a second time."""
    deliberation = _deliberation(actor, deliberation_id)
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if deliberation.status not in RESOLVED_STATUSES:
        raise ValidationError({"deliberation": f"议事尚未形成决议，不能决定服务项目（当前环节：{deliberation.get_status_display()}）"})
    if (decided := decided_by(deliberation.pk)) is not None:
        shown = f"（{decided.number}）" if actor is None or projects_visible(actor).filter(pk=decided.pk).exists() else ""
        raise ValidationError({"deliberation": f"该决议已决定服务项目{shown}，不能重复转为服务项目"})
    scope = f"决议内容：{resolution_of(deliberation)}\n来源：议事协商「{deliberation.number} {deliberation.title}」（一征三议两公开）。"
    project = project_create(
        actor=actor, title=_clipped(deliberation.title, TITLE_MAX), category=category or _category(DEFAULT_CATEGORY), community_code=deliberation.community_code,
        scope=_clipped(scope, SCOPE_MAX), year=timezone.localdate().year, origin=Origin.DELIBERATION,
    )
    _linked(project, L.DELIBERATION, deliberation.pk)
    return project
