"""Deliberations in the back office: the list by step, and a deliberation's page with its
timeline and evidence and the forms of its next step; every form calls a service and shows its
refusal in Chinese."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wangge.core.forms import attempted
from wangge.core.tables import table_page
from wangge.core.workflow_out import actor_name
from wangge.geo.selectors import node_names

from ..models_deliberation import Deliberation, Meeting
from . import rules, selectors, services
from .permissions import require_deliberation_keeper
from .workflow import DELIBERATION, LABELS, RESOLVED_STATUSES

S = Deliberation.Status



def _number(text: str | None, default: int | None = None) -> int | str:
    """A count as typed: an int when it is one (`default` when left empty), else the text, which
    the service refuses by field."""
    text = (text or "").strip()
    if not text and default is not None:
        return default
    return int(text) if text.isdigit() and len(text) < 9 else text


@login_required
@require_http_methods(["GET", "POST"])
def deliberation_list(request):
    require_deliberation_keeper(request.user)
    error = None
    if request.method == "POST":
        made: list[Deliberation] = []
        error = attempted(lambda: made.append(services.deliberation_open(
            actor=request.user, title=request.POST.get("title", ""), matter=request.POST.get("matter", ""), community_code=request.POST.get("community_code", ""))))
        if error is None:
            messages.success(request, "已发起议事，请入户征集意见")
            return redirect("deliberation-page", deliberation_id=made[0].pk)
    status = request.GET.get("status", "")
    rows = selectors.deliberations_visible(request.user)
    counts = {s: 0 for s in S.values}
    for s in rows.values_list("status", flat=True):
        counts[s] += 1
    if status in S.values:
        rows = rows.filter(status=status)
    table = table_page(request, rows.order_by("-created_at", "-pk"), search=("title", "number"))
    communities = list(selectors.communities_kept(request.user))
    names = node_names({d.community_code for d in table.page})
    return render(request, "matching/deliberation/list.html", {
        "table": table, "rows": [(d, names.get(d.community_code, d.community_code)) for d in table.page], "status": status,
        "steps": [(value, label, counts[value]) for value, label in S.choices],
        "communities": communities, "error": error, "posted": request.POST if error else {},
    }, status=400 if error else 200)


def _post(request, d: Deliberation) -> str | None:
    form = request.POST.get("form", "")
    if form == "opinion":
        return attempted(lambda: services.opinion_add(actor=request.user, deliberation=d, address=request.POST.get("address", ""),
                                                       summary=request.POST.get("summary", ""), name=request.POST.get("name", "")))
    if form == "consultation":
        return attempted(lambda: services.consultation_add(actor=request.user, deliberation=d, unit=request.POST.get("unit", ""),
                                                            summary=request.POST.get("summary", ""), minutes=request.POST.get("minutes", "")))
    if form == "meeting":
        try:
            held_on = date.fromisoformat(request.POST.get("held_on", ""))
        except ValueError:
            return "请填写已召开的会议日期"
        return attempted(lambda: services.meeting_record(
            actor=request.user, deliberation=d, kind=request.POST.get("kind", ""), held_on=held_on, members=_number(request.POST.get("members")),
            present=_number(request.POST.get("present")), votes_for=_number(request.POST.get("votes_for"), 0),
            votes_against=_number(request.POST.get("votes_against"), 0), votes_abstain=_number(request.POST.get("votes_abstain"), 0), minutes=request.POST.get("minutes", ""), resolution=request.POST.get("resolution", "")))
    if form == "move":
        days = _number(request.POST.get("days"), services.PUBLICITY_DAYS)
        return attempted(lambda: services.deliberation_move(actor=request.user, deliberation=d, to=request.POST.get("to", ""),
                                                             text=request.POST.get("text", ""), reason=request.POST.get("reason", ""), days=days))
    return "未知的操作"


def _sitting_note(m: Meeting) -> str:
    if m.outcome == Meeting.Outcome.NO_QUORUM:
        return rules.no_quorum_refusal(m.members, m.present) + "，须另行召集会议"
    if m.outcome == Meeting.Outcome.NOT_ADOPTED:
        return rules.not_adopted_note(m.present, m.votes_for)
    return "赞成超过实到人数的半数，形成决议"


@login_required
@require_http_methods(["GET", "POST"])
def deliberation_page(request, deliberation_id: int):
    require_deliberation_keeper(request.user)
    d = selectors.deliberation_get(request.user, deliberation_id)
    error = None
    if request.method == "POST":
        error = _post(request, d)
        if error is None:
            messages.success(request, "已保存")
            return redirect("deliberation-page", deliberation_id=d.pk)
        d.refresh_from_db()
    evidence = selectors.deliberation_evidence(d)
    moves = [(to, LABELS[(d.status, to)]) for to, actor in DELIBERATION.targets(d.status).items() if actor != "meeting"]
    return render(request, "matching/deliberation/page.html", {
        "d": d, **evidence, "sittings": [(m, _sitting_note(m)) for m in evidence["meetings"]], "moves": moves, "S": S, "resolved": d.status in RESOLVED_STATUSES,
        "timeline": [(s, DELIBERATION.label(s.from_status) if s.from_status else "", DELIBERATION.label(s.to_status), actor_name(s.actor)) for s in evidence["steps"]],
        "gathered": [(o, actor_name(o.gathered_by)) for o in evidence["opinions"]], "community": node_names([d.community_code]).get(d.community_code, d.community_code),
        "meeting_kinds": Meeting.Kind.choices, "error": error, "today": date.today().isoformat(),
    }, status=400 if error else 200)
