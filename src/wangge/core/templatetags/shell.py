"""The back-office shell's shared pieces: sort links and pagers that keep the other query
parameters, names shown with their code on hover, thousands separators, status tags, empty states."""

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()

# Status values the apps use, by the tone their tag takes; anything else is neutral.
TONES = {
    "done": {"closed", "verified", "published", "active", "ok", "approved", "resolved", "done", "passed"},
    "working": {"dispatched", "handling", "accepted", "review", "in_review", "pending", "open", "submitted"},
    "waiting": {"reported", "handled", "draft", "new", "queued"},
    "refused": {"rejected", "withdrawn", "failed", "denied", "disabled", "refused", "overdue", "locked"},
}


def tone_of(status: str) -> str:
    return next((tone for tone, values in TONES.items() if status in values), "neutral")


@register.filter
def thousands(value):
    """12345 -> 12,345 (a number's own text is kept when it is not one)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return f"{int(number):,}" if number == int(number) else f"{number:,.1f}"


@register.filter
def table_cell(value):
    """A cell of a table whose columns the page does not know: numbers with separators, text
    (a code of digits among it) as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return thousands(value)
    return value


@register.simple_tag
def code_name(name, code):
    """A node's name, its code shown on hover (and read by assistive technology as its title)."""
    if not name:
        return format_html('<span class="code">{}</span>', code or "—")
    return format_html('<span class="code-name" title="{}">{}</span>', code or "", name)


@register.simple_tag
def status_tag(label, status=""):
    return format_html('<span class="tag tag-{}">{}</span>', tone_of(str(status)), label)


@register.inclusion_tag("shell/sort_link.html", takes_context=True)
def sort_link(context, table, key: str, label: str, css: str = ""):
    """A sortable column's heading cell: `<th>` (with `aria-sort` when the rows are sorted by
    it, as WAI-ARIA wants it on the header rather than the link) holding the link that sorts."""
    current = table.sort.removeprefix("-")
    descending = table.sort.startswith("-")
    params = context["request"].GET.copy()
    params["sort"] = f"-{key}" if current == key and not descending else key
    params.pop("page", None)
    params.pop("export", None)
    state = ("descending" if descending else "ascending") if current == key else "none"
    return {"href": "?" + params.urlencode(), "label": label, "state": state, "css": css}


@register.inclusion_tag("shell/export.html", takes_context=True)
def export_link(context, label: str = "导出"):
    """The table toolbar's 导出 button: the same rows (search, filters, order) as an .xlsx file."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["export"] = "xlsx"
    return {"href": "?" + params.urlencode(), "label": label, "cap": settings.WANGGE_EXPORT_MAX_ROWS}


@register.inclusion_tag("shell/pager.html", takes_context=True)
def pager(context, page, unit: str = "条"):
    params = context["request"].GET.copy()

    def href(number: int) -> str:
        params["page"] = str(number)
        return "?" + params.urlencode()

    return {
        "page": page,
        "unit": unit,
        "previous": href(page.previous_page_number()) if page.has_previous() else "",
        "next": href(page.next_page_number()) if page.has_next() else "",
        "first": href(1) if page.number > 2 else "",
        "last": href(page.paginator.num_pages) if page.number < page.paginator.num_pages - 1 else "",
    }


@register.inclusion_tag("shell/empty.html")
def empty_state(text: str, hint: str = ""):
    return {"text": text, "hint": hint}


@register.simple_tag
def code_name_in(names: dict, code):
    """`code_name` with the name looked up in a {code: name} dict the view prepared."""
    return code_name(names.get(code, ""), code)
