"""The rating on the public site: the published results (`/ratings`: ranking with the inputs
beside each score, the red and black lists, each company's history) and the residents' survey
(`/ratings/survey`, for a signed-in resident whose registry household lives in a rated compound)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render

from wangge.core.forms import attempted

from ..models.rating import RatingEntry, SurveyVote
from . import results, selectors, services


def _decorated(entries: list[RatingEntry]) -> list[RatingEntry]:
    for e in entries:
        e.stars_shown, e.on_time_shown, e.reopen_shown = results.stars_text(e.stars), results.percent(e.on_time_rate), results.percent(e.reopen_rate)
    return entries


def ratings_public(request):
    rounds = list(selectors.published_rounds())
    year = request.GET.get("year", "")
    chosen = next((r for r in rounds if str(r.year) == year), rounds[0] if rounds else None)
    entries = _decorated(results.ranked(chosen)) if chosen else []
    companies = {e.company_id: e.company for e in entries if e.company_id}
    histories = [(company, _decorated(selectors.company_history(pk))) for pk, company in sorted(companies.items(), key=lambda kv: kv[1].name)]
    return render(request, "property/ratings/public.html", {
        "rounds": rounds, "chosen": chosen, "entries": entries, "red": results.red_list(entries), "black": results.black_list(entries),
        "histories": histories, "crumbs": [("首页", "/"), ("物业星级评定", "")],
    })


def _household_entry(user, rating_round):
    person = getattr(user, "person", None)
    household = person.household if person is not None else None
    if household is None:
        return None, None
    entry = RatingEntry.objects.filter(round=rating_round, compound__holdings__building_id=household.building_id).select_related("compound", "company").first()
    return household, entry


def survey_public(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rating_round, error = selectors.survey_round(), None
    household, entry = _household_entry(request.user, rating_round) if rating_round else (None, None)
    if request.method == "POST" and entry is not None:
        value = request.POST.get("satisfaction", "")
        error = attempted(lambda: services.survey_vote(rating_round=rating_round, household=household,
                                                       satisfaction=int(value) if value.isdigit() else 0, actor=request.user))
        if error is None:
            messages.success(request, "感谢参与，您家的评价已记录")
            return redirect("portal-rating-survey")
    voted = entry is not None and SurveyVote.objects.filter(round=rating_round, household=household).exists()
    return render(request, "property/ratings/survey.html", {
        "round": rating_round, "entry": entry, "voted": voted, "error": error, "crumbs": [("首页", "/"), ("物业满意度调查", "")],
    }, status=400 if error else 200)
