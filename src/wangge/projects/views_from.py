"""Pages that turn a fair's signed match or a deliberation's resolution into a service project
(the buttons "转为服务项目" on the fair's and the deliberation's pages post here), and the new
project's page, which names what it carries. Every lookup is the caller's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wangge.core.forms import attempted
from wangge.geo.selectors import node_names
from wangge.matching.deliberation.selectors import deliberation_get, deliberations_visible
from wangge.matching.selectors import match_get, resources_visible

from . import selectors
from .models import ProjectLink
from .permissions import require_project_reader
from .services.origins import project_from_match, project_from_resolution

L = ProjectLink.Kind


def _converted(request, back: str, make):
    """GET goes back to the record's page; POST makes the project and lands on it, or goes back
    with the refusal."""
    if request.method == "GET":
        return redirect(back)
    made: list = []
    error = attempted(lambda: made.append(make()))
    if error is not None:
        messages.error(request, error)
        return redirect(back)
    project = made[0]
    messages.success(request, f"已转为服务项目（草拟）{project.number}，请完善后提议")
    return redirect("projects-from-page", project_id=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def from_match(request, match_id: int):
    require_project_reader(request.user)
    match = match_get(request.user, match_id)
    return _converted(request, f"/matching/fairs/{match.fair_id}#match-{match.pk}", lambda: project_from_match(match.pk, actor=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def from_resolution(request, deliberation_id: int):
    require_project_reader(request.user)
    deliberation = deliberation_get(request.user, deliberation_id)
    return _converted(request, f"/matching/deliberations/{deliberation.pk}", lambda: project_from_resolution(deliberation.pk, actor=request.user))


def _named(user, project) -> list[tuple[str, str, str]]:
    """The project's links as (kind, text, page), each target read in the caller's scope."""
    links = list(project.links.all())
    ids = {kind: [int(link.target_id) for link in links if link.kind == kind and link.target_id.isdigit()] for kind in L.values}
    resources = {r.pk: r for r in resources_visible(user).filter(pk__in=ids[L.RESOURCE])}
    deliberations = {d.pk: d for d in deliberations_visible(user).filter(pk__in=ids[L.DELIBERATION])}
    named = []
    for link in links:
        target = int(link.target_id) if link.target_id.isdigit() else None
        if link.kind == L.RESOURCE and target in resources:
            r = resources[target]
            named.append((link.get_kind_display(), f"{r.name}（{r.provider_name}，{r.get_kind_display()}，{r.availability}）", ""))
        elif link.kind == L.DELIBERATION and target in deliberations:
            d = deliberations[target]
            named.append((link.get_kind_display(), f"{d.number} {d.title}", f"/matching/deliberations/{d.pk}"))
        elif link.kind == L.MATCH:
            named.append((link.get_kind_display(), f"社洽会对接 {link.target_id}", ""))
    return named


@login_required
def project_page(request, project_id: int):
    require_project_reader(request.user)
    project = selectors.project_get(request.user, project_id)
    return render(request, "projects/from_page.html", {
        "project": project, "needs": list(project.needs.all()), "links": _named(request.user, project),
        "community": node_names([project.community_code]).get(project.community_code, project.community_code),
    })
