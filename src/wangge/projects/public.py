"""Service projects on the public portal (便民服务 › 社区服务项目): the projects from their notice
on, by community; a project's page with the objection form while it is in notice (anyone,
limited per address as the portal's forms are); a residents' vote with its ballot for a signed-in
resident of the community, "you have voted" after, and results and turnout once counted. No
personal data is shown, and nothing links to the back office's records."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wangge.geo.selectors import node_names
from wangge.portal.views.common import (
    count_submission,
    crumbs,
    errors_of,
    over_limit,
    page_of,
    public_context,
)

from . import selectors
from .api import LIMIT_NAME
from .funds.rules import yuan
from .models import Status, VoteRound
from .services import objections, votes

S = Status
STAGES = {
    "notice": ("公示中", (S.NOTICE,)),
    "voting": ("居民投票中", (S.VOTING,)),
    "doing": ("实施中", (S.FILED, S.IMPLEMENTING, S.ACCEPTED)),
    "done": ("已完成", (S.DISCLOSED, S.CLOSED)),
}


def _trail(*more):
    return crumbs(("便民服务", "/services"), *more)


@require_http_methods(["GET"])
def project_list(request):
    stage = request.GET.get("stage", "")
    projects = selectors.projects_public().order_by("-notice_starts_at", "-pk")
    if stage in STAGES:
        projects = projects.filter(status__in=STAGES[stage][1])
    community = request.GET.get("community", "")
    if community:
        projects = projects.filter(community_code=community)
    page = page_of(projects, request)
    names = node_names({p.community_code for p in page} | {community} - {""})
    rounds = selectors.rounds_public().exclude(status=VoteRound.Status.CLOSED)[:10]
    return render(request, "projects/public/list.html", public_context(
        "services", page=page, rows=[(p, names.get(p.community_code, "")) for p in page], stage=stage,
        stages=[(key, label) for key, (label, _) in STAGES.items()], community=community, community_name=names.get(community, ""),
        rounds=[(r, node_names([r.community_code]).get(r.community_code, "")) for r in rounds],
        query=f"stage={stage}&" if stage else "", crumbs=_trail(("社区服务项目", None)),
    ))


def _project_page(request, project, *, status: int = 200, errors=None, values=None, receipt: str = ""):
    now = timezone.now()
    open_for_objections = project.status == S.NOTICE and project.notice_ends_at is not None and now < project.notice_ends_at
    answered = selectors.project_objections(project).filter(state="answered").order_by("answered_at", "pk")
    entries = project.round_entries.filter(round__status=VoteRound.Status.COUNTED).select_related("round")
    return render(request, "projects/public/page.html", public_context(
        "services", project=project, community=node_names([project.community_code]).get(project.community_code, ""),
        open_for_objections=open_for_objections, answered=answered, entries=entries, errors=errors or {}, values=values or {}, receipt=receipt,
        crumbs=_trail(("社区服务项目", "/services/projects"), (project.title, None)),
    ), status=status)


@require_http_methods(["GET", "POST"])
def project_page(request, project_id: int):
    project = selectors.project_public_get(project_id)
    if request.method == "GET":
        return _project_page(request, project)
    values = {name: request.POST.get(name, "") for name in ("text", "name", "phone")}
    if message := over_limit(request, LIMIT_NAME):
        return _project_page(request, project, status=429, errors={"form": message}, values=values)
    try:
        objection = objections.project_objection_lodge(project=project, user=request.user, **values)
    except ValidationError as error:
        return _project_page(request, project, status=400, errors=errors_of(error), values=values)
    count_submission(request, LIMIT_NAME)
    return _project_page(request, project, receipt=objection.number)


def _round_page(request, vote_round: VoteRound, *, status: int = 200, errors=None, chosen=()):
    results = votes.round_results(vote_round)
    person = selectors.voter_person(request.user, vote_round.community_code)
    now = timezone.now()
    is_open = vote_round.status == VoteRound.Status.OPEN and vote_round.opens_at <= now < vote_round.closes_at
    entries = [{**e, "cost": yuan(e["cost_fen"])} for e in results["entries"]]
    least = votes.minimum_fen(vote_round.budget_fen, vote_round.min_share_percent)
    return render(request, "projects/public/round.html", public_context(
        "services", round=vote_round, results=results, entries=entries, is_open=is_open, person=person is not None,
        voted=person is not None and selectors.has_voted(vote_round, person), signed_in=request.user.is_authenticated,
        budget=yuan(vote_round.budget_fen), least=yuan(least), least_fen=least,
        chosen_total=yuan(results["chosen_fen"]), community=node_names([vote_round.community_code]).get(vote_round.community_code, ""),
        errors=errors or {}, chosen={str(c) for c in chosen}, crumbs=_trail(("社区服务项目", "/services/projects"), (vote_round.title, None)),
    ), status=status)


@require_http_methods(["GET", "POST"])
def round_page(request, round_id: int):
    vote_round = selectors.round_public_get(round_id)
    if request.method == "GET":
        return _round_page(request, vote_round)
    vote_round = selectors.round_for_voter(request.user, round_id)  # another community's resident meets a missing round
    chosen = [int(c) for c in request.POST.getlist("choices") if c.isdigit() and len(c) < 12]
    try:
        votes.ballot_cast(vote_round=vote_round, actor=request.user, entry_ids=chosen)
    except ValidationError as error:
        return _round_page(request, vote_round, status=400, errors=errors_of(error), chosen=chosen)
    return redirect("portal-project-round", round_id=vote_round.pk)
