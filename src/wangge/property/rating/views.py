"""The rating's back-office pages: rounds (`/property/ratings`), a round with its entries,
history and objections, an entry with its scores, the schemes, the grid worker's survey visits
and a company's own results with its objection form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from wangge.core.forms import attempted, posted_pk
from wangge.core.tables import table_page

from ..models.rating import RatingRound, RatingScheme
from ..permissions import require_property_reader
from ..selectors.records import company_of
from . import forms, results, selectors, services
from .permissions import may_rate, may_run_rounds
from .workflow import LABELS, ROUND

ROUND_SORTS = {"year": "year", "status": "status"}


def _shown(entry):
    """The entry's stars and rates as the pages print them."""
    entry.stars_shown = results.stars_text(entry.stars) if entry.total is not None else "—"
    entry.on_time_shown, entry.reopen_shown = results.percent(entry.on_time_rate), results.percent(entry.reopen_rate)
    return entry


def _officials_only(user) -> None:
    if not user.is_official:
        raise PermissionDenied("只有区、街道、社区干部可以查看星级评定")


@login_required
def rounds_page(request):
    if company_of(request.user) is not None:
        return redirect("rating-mine")
    _officials_only(request.user)
    error = None
    if request.method == "POST":
        def open_round():
            scheme = RatingScheme.objects.filter(pk=posted_pk(request.POST.get("scheme", ""))).first()
            if scheme is None:
                raise ValidationError({"scheme": "请选择评定方案"})
            year = request.POST.get("year", "")
            if not year.isdigit():
                raise ValidationError({"year": "年度须为四位数字"})
            made = services.round_open(year=int(year), scheme=scheme, actor=request.user)
            messages.success(request, f"已发起{made}")
        if (error := attempted(open_round)) is None:
            return redirect("rating-rounds")
    table = table_page(request, selectors.rounds_for(request.user), sorts=ROUND_SORTS, default_sort="-year")
    return render(request, "property/ratings/rounds.html", {
        "table": table, "error": error, "may_run": may_run_rounds(request.user), "schemes": RatingScheme.objects.all(),
    }, status=400 if error else 200)


@login_required
def scheme_page(request):
    if not may_run_rounds(request.user):
        raise PermissionDenied("只有区级干部可以设置评定方案")
    error, posted = None, request.POST if request.method == "POST" else {}
    if request.method == "POST":
        def create():
            services.scheme_create(
                name=posted.get("name", ""), sections=forms.sections_parsed(posted.get("sections", "")),
                star_minimums=forms.minimums_parsed([posted.get(f"stars{n}", "") for n in range(1, 6)]),
                vetoes=forms.vetoes_parsed(posted.get("vetoes", "")), actor=request.user,
            )
            messages.success(request, f"已保存评定方案「{posted.get('name', '').strip()}」")
        if (error := attempted(create)) is None:
            return redirect("rating-rounds")
    return render(request, "property/ratings/scheme.html", {"error": error, "posted": posted, "schemes": RatingScheme.objects.prefetch_related("sections", "vetoes")},
                  status=400 if error else 200)


@login_required
def round_page(request, round_id: int):
    _officials_only(request.user)
    rating_round = selectors.round_get(request.user, round_id)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "move":
            error = attempted(lambda: services.round_move(rating_round=rating_round, to=request.POST.get("to", ""), actor=request.user,
                                                                  reason=request.POST.get("reason", "")))
        elif action == "answer":
            objection = selectors.objection_get(request.user, posted_pk(request.POST.get("objection", "")))
            error = attempted(lambda: services.objection_answer(objection=objection, answer=request.POST.get("answer", ""), actor=request.user))
        else:
            error = f"未知的操作：{action}"[:40]
        if error is None:
            messages.success(request, "已保存")
            return redirect("rating-round", round_id=rating_round.pk)
        rating_round.refresh_from_db()
    entries = sorted(selectors.entries_for(request.user, rating_round).prefetch_related("vetoes__item"), key=lambda e: (-(e.total or 0), e.compound.name))
    for e in entries:
        _shown(e)
    moves = [{"to": to, "label": LABELS[(rating_round.status, to)], "reason": to == "scoring"} for to in ROUND.targets(rating_round.status)]
    objections = list(selectors.objections_for(request.user, rating_round))
    for objection in objections:
        objection.may_answer = not objection.answered and rating_round.status == "publicity" and may_rate(request.user, objection.entry.compound)
    return render(request, "property/ratings/round.html", {
        "round": rating_round, "entries": entries, "moves": moves if may_run_rounds(request.user) else [], "error": error,
        "steps": rating_round.steps.select_related("actor"), "objections": objections,
        "labels": dict(RatingRound.Status.choices),
    }, status=400 if error else 200)


@login_required
def entry_page(request, entry_id: int):
    require_property_reader(request.user)
    entry = selectors.entry_get(request.user, entry_id)
    if company_of(request.user) is not None:
        return redirect("rating-mine")
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "score":
            section = entry.round.scheme.sections.filter(pk=posted_pk(request.POST.get("section", ""))).first()
            error = attempted(lambda: services.score_record(entry=entry, section=section, points=request.POST.get("points", ""),
                                                                    note=request.POST.get("note", ""), actor=request.user)
                             ) if section else "请选择考评项目"
        elif action == "veto":
            item = entry.round.scheme.vetoes.filter(pk=posted_pk(request.POST.get("item", ""))).first()
            error = attempted(lambda: services.veto_find(entry=entry, item=item, note=request.POST.get("note", ""), actor=request.user)
                             ) if item else "请选择否决事项"
        else:
            error = "未知的操作"
        if error is None:
            messages.success(request, "已保存")
            return redirect("rating-entry", entry_id=entry.pk)
    _shown(entry)
    scores = {s.section_id: s for s in entry.scores.select_related("author")}
    sections = [(section, scores.get(section.pk)) for section in entry.round.scheme.sections.all()]
    return render(request, "property/ratings/entry.html", {
        "entry": entry, "sections": sections, "vetoes": entry.vetoes.select_related("item", "author"), "error": error,
        "may_score": entry.round.status == "scoring" and may_rate(request.user, entry.compound), "items": entry.round.scheme.vetoes.all(),
    }, status=400 if error else 200)


@login_required
def survey_visits(request):
    """A grid worker enters the survey answers of the households of their grid on a visit."""
    if request.user.role != "grid_worker":
        raise PermissionDenied("只有网格员可以录入入户调查")
    rating_round, error = selectors.survey_round(), None
    if request.method == "POST" and rating_round is not None:
        household = selectors.visit_household_get(request.user, rating_round, posted_pk(request.POST.get("household", "")))
        value = request.POST.get("satisfaction", "")
        error = attempted(lambda: services.survey_vote(rating_round=rating_round, household=household,
                                                               satisfaction=int(value) if value.isdigit() else 0, actor=request.user))
        if error is None:
            messages.success(request, f"已录入 {household.building.name}{household.unit}{household.room} 的满意度")
            return redirect("rating-survey-visits")
    households = table_page(request, selectors.visit_households(request.user, rating_round), per_page=30) if rating_round else None
    return render(request, "property/ratings/visits.html", {"round": rating_round, "table": households, "error": error},
                  status=400 if error else 200)


@login_required
def company_results(request):
    """A company's own entries, with the objection form during publicity."""
    company = company_of(request.user)
    if company is None:
        raise PermissionDenied("只有物业服务企业账号可以查看本企业的评定结果")
    error = None
    if request.method == "POST":
        entry = selectors.entry_get(request.user, posted_pk(request.POST.get("entry", "")))
        error = attempted(lambda: services.objection_submit(entry=entry, text=request.POST.get("text", ""), actor=request.user))
        if error is None:
            messages.success(request, "异议已提交，评定单位答复后将在此显示")
            return redirect("rating-mine")
    entries = [
        _shown(e) for e in selectors.entries_for(request.user).prefetch_related("scores__section", "scores__author", "objections", "vetoes__item")
        .order_by("-round__year", "compound__name")
    ]
    return render(request, "property/ratings/mine.html", {"company": company, "entries": entries, "error": error},
                  status=400 if error else 200)
