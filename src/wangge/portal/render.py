"""The published content of an article or disclosure, as the public pages show it, and its SM3
digest. The pages include exactly these fragments, so what is sealed at publication is what a
visitor gets; anything that changes per visit (view counts, the visitor's font size) stays out.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from wangge.core import crypto, pii

from .disclosures import kind_of
from .models import Article, Disclosure, Objection, Publishable


def _context(item: Publishable) -> dict:
    context = {"item": item}
    if isinstance(item, Disclosure):
        kind = kind_of(item.kind)
        context["kind_name"] = kind.name if kind else item.kind
        context["answered"] = [_shown(o) for o in item.objections.filter(state=Objection.State.ANSWERED).order_by("submitted_at", "pk")]
    return context


def _shown(objection: Objection) -> dict:
    return {
        "masked_name": pii.mask_name(objection.name) if objection.name else "匿名",
        "submitted_at": objection.submitted_at, "text": objection.text,
        "answered_at": objection.answered_at, "answer": objection.answer,
    }


def _template(item: Publishable, part: str) -> str:
    name = "article" if isinstance(item, Article) else "disclosure"
    return f"portal/sealed/{name}_{part}.html"


def sealed_parts(item: Publishable) -> tuple[str, str]:
    """(head, body): the <title> and meta tags, and the content block. Dates are rendered in
    the platform's time zone whatever the request's."""
    context = _context(item)
    with timezone.override(settings.TIME_ZONE):
        return render_to_string(_template(item, "head"), context), render_to_string(_template(item, "body"), context)


def digest_of(item: Publishable) -> str:
    head, body = sealed_parts(item)
    return crypto.sm3_hex((head + "\n" + body).encode())
