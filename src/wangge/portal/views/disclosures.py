"""Disclosures (公开公示): those shown now, past ones (往期公示), one disclosure with its objection
form while it takes objections.

A disclosure whose period is over stays readable at its address and is listed under 往期公示:
what was made public remains on record; only objections close with the period.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from .. import selectors
from ..disclosures import kind_of, kinds
from ..objections import accepts_objections, objection_submit
from ..render import sealed_parts
from .common import count_submission, crumbs, errors_of, over_limit, page_of, public_context

LIMIT_NAME = "objection"


@require_safe
def disclosure_list(request):
    now = timezone.now()
    kind = request.GET.get("kind", "")
    if kind and kind_of(kind) is None:
        kind = ""
    past = request.GET.get("period") == "past"
    items = selectors.disclosures_past(now, kind) if past else selectors.disclosures_current(now, kind)
    page = page_of(items, request)
    names = {k.code: k.name for k in kinds()}
    rows = [{"item": d, "kind_name": names.get(d.kind, d.kind)} for d in page]
    trail = [("公开公示", "/disclosures"), ("往期公示", None)] if past else [("公开公示", None)]
    query = urlencode({k: v for k, v in (("kind", kind), ("period", "past" if past else "")) if v})
    context = public_context(
        "disclosures", page=page, rows=rows, kinds=kinds(), kind=kind, past=past, crumbs=crumbs(*trail), query=query + "&" if query else "",
    )
    return render(request, "portal/disclosures.html", context)


def _disclosure_page(request, disclosure, *, status: int = 200, **extra):
    head, body = sealed_parts(disclosure)
    now = timezone.now()
    kind = kind_of(disclosure.kind)
    ended = disclosure.shown_until <= now
    trail = [("公开公示", "/disclosures"), *([("往期公示", "/disclosures?period=past")] if ended else []), ("正文", None)]
    context = public_context(
        "disclosures", item=disclosure, head=head, body=body, kind_name=kind.name if kind else disclosure.kind,
        open_for_objections=accepts_objections(disclosure, now), takes_objections=bool(kind and kind.objections),
        shown_now=disclosure.shown_from <= now < disclosure.shown_until, ended=ended,
        crumbs=crumbs(*trail), **{"errors": {}, "values": {}, **extra},
    )
    return render(request, "portal/disclosure.html", context, status=status)


@require_safe
def disclosure_page(request, pk: int):
    return _disclosure_page(request, selectors.disclosure_published_get(pk))


@require_POST
def objection_post(request, pk: int):
    """An objection, from anyone (name and phone optional); the receipt number is shown."""
    disclosure = selectors.disclosure_published_get(pk)
    values = {name: request.POST.get(name, "") for name in ("text", "name", "phone")}
    if message := over_limit(request, LIMIT_NAME):
        return _disclosure_page(request, disclosure, status=429, errors={"form": message}, values=values)
    try:
        objection = objection_submit(disclosure=disclosure, user=request.user, **values)
    except ValidationError as error:
        return _disclosure_page(request, disclosure, status=400, errors=errors_of(error), values=values)
    count_submission(request, LIMIT_NAME)
    return _disclosure_page(request, disclosure, receipt=objection.number)
