"""Owners' votes in the back office: a compound's votes (reached from the compound's page), and
a vote's page with its ballots and the two thresholds of art. 278, each shown met or not."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from wangge.core.forms import attempted, posted_pk

from ..models.compounds import DwellingOwner
from ..models.votes import OwnersVote
from ..permissions import require_property_reader
from ..selectors import records
from . import rules, services
from .permissions import may_run_votes


@login_required
def compound_votes(request, compound_id: int):
    require_property_reader(request.user)
    compound = records.compound_get(request.user, compound_id)
    error = None
    if request.method == "POST":
        error = attempted(lambda: services.owners_vote_open(compound=compound, title=request.POST.get("title", ""),
                                                           matter=request.POST.get("matter", ""), actor=request.user))
        if error is None:
            messages.success(request, "已发起业主共同决定")
            return redirect("property-compound-votes", compound_id=compound.pk)
    return render(request, "property/votes/list.html", {
        "compound": compound, "votes": compound.owners_votes.all(), "matters": OwnersVote.Matter.choices,
        "may_run": may_run_votes(request.user, compound), "error": error,
    }, status=400 if error else 200)


def _percent(part) -> str:
    return f"{float(part) * 100:.2f}%"


def _thresholds(tally: rules.Tally) -> list[dict]:
    consent = "≥ 3/4" if tally.special else "> 1/2"
    return [
        {"name": "参与表决的专有部分面积", "need": "≥ 2/3 总面积", "value": _percent(rules.share(tally.area_taking_part, tally.total_area)), "met": tally.area_quorum_met},
        {"name": "参与表决的业主人数", "need": "≥ 2/3 总人数", "value": _percent(rules.share(tally.owners_taking_part, tally.total_owners)), "met": tally.owners_quorum_met},
        {"name": "同意的专有部分面积", "need": f"{consent} 参与表决面积", "value": _percent(rules.share(tally.area_for, tally.area_taking_part)), "met": tally.area_consent_met},
        {"name": "同意的业主人数", "need": f"{consent} 参与表决人数", "value": _percent(rules.share(tally.owners_for, tally.owners_taking_part)), "met": tally.owners_consent_met},
    ]


@login_required
def vote_page(request, vote_id: int):
    require_property_reader(request.user)
    vote = records.owners_vote_get(request.user, vote_id)
    error = None
    if request.method == "POST":
        if request.POST.get("action") == "close":
            error = attempted(lambda: services.owners_vote_close(vote=vote, actor=request.user))
        else:
            ownership = DwellingOwner.objects.filter(pk=posted_pk(request.POST.get("ownership", "")), dwelling__compound=vote.compound).select_related("dwelling", "person").first()
            error = "请选择房屋和业主" if ownership is None else attempted(lambda: services.ballot_cast(
                vote=vote, dwelling=ownership.dwelling, owner=ownership.person, choice=request.POST.get("choice", ""), actor=request.user))
        if error is None:
            messages.success(request, "已保存")
            return redirect("property-vote", vote_id=vote.pk)
        vote.refresh_from_db()
    tally = services.owners_vote_tally(vote)
    voted = set(vote.ballots.values_list("dwelling_id", "owner_id"))
    pending = [o for o in DwellingOwner.objects.filter(dwelling__compound=vote.compound).select_related("dwelling__household__building", "person")
               .order_by("dwelling__household__building__name", "dwelling__household__unit", "dwelling__household__room")
               if (o.dwelling_id, o.person_id) not in voted]
    return render(request, "property/votes/vote.html", {
        "vote": vote, "tally": tally, "thresholds": _thresholds(tally), "pending": pending, "error": error,
        "ballots": vote.ballots.select_related("dwelling__household__building", "owner").order_by("-at")[:200],
        "may_run": may_run_votes(request.user, vote.compound) and vote.status == OwnersVote.Status.OPEN,
        "total_area": f"{float(tally.total_area):.2f}", "area_taking_part": f"{float(tally.area_taking_part):.2f}",
    }, status=400 if error else 200)
