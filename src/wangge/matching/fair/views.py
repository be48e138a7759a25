"""The fair's pages: the list with the form that opens a fair, and a fair's page with its
phases, the matcher's proposals with their explanations, both sides' confirmations, the
signing, and for a signed match the button that turns it into a service project (a form that
posts to the projects' page by its path: matching knows nothing of projects)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wangge.core.forms import attempted
from wangge.core.tables import table_page
from wangge.geo.models import Division
from wangge.geo.scope import scope_of
from wangge.geo.selectors import node_names

from .. import selectors
from ..models import Fair, FairMatch
from ..permissions import can_keep_matching, require_match_reader
from ..workflow import FAIR
from . import services

M = FairMatch.Status


def _areas(user):
    if not can_keep_matching(user):
        return Division.objects.none()
    return Division.objects.filter(scope_of(user).q("code"), kind__in=services.AREA_KINDS).order_by("code")


def _opened(request) -> tuple[Fair | None, str | None]:
    made: list[Fair] = []
    try:
        held_on = date.fromisoformat(request.POST.get("held_on", ""))
    except ValueError:
        return None, "请填写举办日期"
    distance = request.POST.get("max_distance_m", "").strip() or "3000"
    error = attempted(lambda: made.append(services.fair_create(
        actor=request.user, title=request.POST.get("title", ""), division_code=request.POST.get("division_code", ""), held_on=held_on,
        max_distance_m=int(distance) if distance.isdigit() and len(distance) < 9 else distance)))
    return (made[0] if made else None), error


@login_required
@require_http_methods(["GET", "POST"])
def fair_list(request):
    require_match_reader(request.user)
    error = None
    if request.method == "POST":
        fair, error = _opened(request)
        if error is None:
            messages.success(request, "已创建社洽会，请发布需求")
            return redirect("matching-fair", fair_id=fair.pk)
    table = table_page(request, selectors.fairs_visible(request.user).order_by("-held_on", "-pk"), search=("title",))
    names = node_names({f.division_code for f in table.rows})
    return render(request, "matching/fairs.html", {
        "table": table, "rows": [(f, names.get(f.division_code, f.division_code)) for f in table.rows], "areas": list(_areas(request.user)), "error": error, "posted": request.POST if error else {},
    }, status=400 if error else 200)


def _post(request, fair: Fair) -> str | None:
    form, user = request.POST.get("form", ""), request.user
    if form == "move":
        return attempted(lambda: services.fair_move(actor=user, fair_id=fair.pk, to=request.POST.get("to", "")))
    if form == "propose":
        found: list = []
        error = attempted(lambda: found.append(services.fair_propose(actor=user, fair_id=fair.pk)))
        if error is None:
            matches, unmatched = found[0]
            messages.success(request, f"已生成 {len(matches)} 条匹配方案" + (f"，{len(unmatched)} 项需求未完全匹配" if unmatched else ""))
        return error
    match_id = request.POST.get("match", "")
    if not match_id.isdigit():
        return "未知的操作"
    match = selectors.match_get(user, int(match_id))
    if match.fair_id != fair.pk:
        return "未知的操作"
    if form == "confirm":
        return attempted(lambda: services.match_confirm(actor=user, match_id=match.pk, side=request.POST.get("side", "")))
    if form == "sign":
        return attempted(lambda: services.match_sign(actor=user, match_id=match.pk))
    if form == "drop":
        return attempted(lambda: services.match_drop(actor=user, match_id=match.pk, reason=request.POST.get("reason", "")))
    return "未知的操作"


# What each side may still confirm, by the match's status.
NEED_OPEN, RESOURCE_OPEN = (M.PROPOSED, M.RESOURCE_CONFIRMED), (M.PROPOSED, M.NEED_CONFIRMED)
DROPPABLE = (M.PROPOSED, M.NEED_CONFIRMED, M.RESOURCE_CONFIRMED, M.AGREED)


@login_required
@require_http_methods(["GET", "POST"])
def fair_page(request, fair_id: int):
    require_match_reader(request.user)
    fair = selectors.fair_get(request.user, fair_id)
    error = None
    if request.method == "POST":
        error = _post(request, fair)
        if error is None:
            messages.success(request, "已保存")
            return redirect("matching-fair", fair_id=fair.pk)
        fair.refresh_from_db()
    organiser = selectors.fair_organised(request.user, fair)
    matches = list(selectors.matches_visible(request.user).filter(fair=fair).order_by("pk"))
    return render(request, "matching/fair.html", {
        "fair": fair, "area": node_names([fair.division_code]).get(fair.division_code, fair.division_code), "organiser": organiser,
        "moves": [(m.target, m.label) for m in FAIR.moves if m.source == fair.status and not m.name] if organiser else [], "matches": matches, "M": M,
        "need_open": NEED_OPEN, "resource_open": RESOURCE_OPEN, "droppable": DROPPABLE, "error": error,
    }, status=400 if error else 200)
