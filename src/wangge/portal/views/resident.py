"""Resident services (便民服务): the list, stating a need (我要提需求) and following a case by its
receipt number and follow code (进度查询). Reporting a problem is the cases' own /report."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from wangge.cases.follow import case_follow
from wangge.matching.services import CATEGORIES, need_submit

from .. import selectors
from .common import count_submission, crumbs, errors_of, over_limit, public_context

NEED_FIELDS = ("category", "description", "community_code", "name", "phone")
# Wrong number/code pairs allowed per address an hour: enough for typing mistakes, far too
# few to guess a code (31^6 possibilities).
FOLLOW_FAILURES_PER_HOUR = 30


@require_safe
def services(request):
    return render(request, "portal/services.html", public_context("services", crumbs=crumbs(("便民服务", None))))


def _communities() -> list[dict]:
    groups: dict[str, dict] = {}
    for community in selectors.communities():
        parent = community.parent.name if community.parent_id else ""
        groups.setdefault(parent, {"label": parent, "communities": []})["communities"].append(community)
    return list(groups.values())


@require_http_methods(["GET", "POST"])
def need(request):
    values, errors, receipt, status = {name: "" for name in NEED_FIELDS}, {}, "", 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in NEED_FIELDS}
        if message := over_limit(request, "need"):
            errors, status = {"form": message}, 429
        else:
            try:
                receipt = need_submit(user=request.user, **values).number
                count_submission(request, "need")
            except ValidationError as error:
                errors, status = errors_of(error), 400
    context = public_context(
        "services", categories=CATEGORIES, groups=_communities(), values=values, errors=errors, receipt=receipt,
        crumbs=crumbs(("便民服务", "/services"), ("我要提需求", None)),
    )
    return render(request, "portal/need.html", context, status=status)


@require_http_methods(["GET", "POST"])
def follow(request):
    values, errors, found, status = {"number": "", "code": ""}, {}, None, 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in ("number", "code")}
        if not values["number"]:
            errors, status = {"number": "请填写受理编号"}, 400
        elif not values["code"]:
            errors, status = {"code": "请填写查询码"}, 400
        elif message := over_limit(request, "follow", FOLLOW_FAILURES_PER_HOUR):
            errors, status = {"form": message}, 429
        else:
            found = case_follow(values["number"], values["code"])
            if found is None:
                count_submission(request, "follow")
                errors, status = {"form": "未查到：受理编号或查询码不正确，请核对后重试"}, 404
    context = public_context(
        "follow", values=values, errors=errors, found=found, crumbs=crumbs(("便民服务", "/services"), ("进度查询", None)),
    )
    return render(request, "portal/follow.html", context, status=status)
