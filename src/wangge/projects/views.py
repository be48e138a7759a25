"""Service projects in the back office: the list by stage (with its export), a project's page
(its data, timeline, money, documents, objections, links and the moves its viewer may make),
the draft's form, and the residents' votes. Every form calls a service and shows its refusal
beside the field it names; the pages read through the selectors' scope, so a project out of
scope answers as one that does not exist."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wangge.core.forms import ShownForm, error_messages, posted_pk
from wangge.core.tables import exporting, table_export, table_page
from wangge.core.workflow_out import actor_name
from wangge.geo.models import Division
from wangge.geo.scope import scope_of
from wangge.geo.selectors import node_names

from . import selectors
from .funds import selectors as funds_selectors
from .funds import services as funds_services
from .funds.permissions import is_community_official, is_finance, require_funds_reader
from .funds.rules import yuan
from .models import Category, ExpenseType, FundSource, Origin, Project, Status, VoteRound
from .permissions import covers, is_community_actor, require_project_reader
from .rules import money_and_scope_editable, spending_allowed
from .services import objections, votes
from .services import projects as services

SORTS = {"number": "number", "title": "title", "community": "community_code", "year": "year", "status": "status", "created": "created_at"}
SEARCH = ("title", "number", "scope")
COLUMNS = ("项目编号", "项目名称", "项目类别", "所在社区", "年度", "状态", "登记时间")


def attempted(action: Callable[[], object]) -> dict[str, str]:
    """The refusals of a service call by field ({} when it went through)."""
    try:
        action()
    except ValidationError as error:
        return error_messages(error)
    except PermissionDenied as error:
        return {"__all__": str(error) or "没有权限进行此操作"}
    return {}


def fen_of(text: str, field: str) -> int:
    """An amount typed in yuan (up to two decimals) as integer fen; the service bounds it."""
    text = (text or "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: "请填写金额（元），最多两位小数"}) from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or abs(value) > Decimal(10) ** 14:
        raise ValidationError({field: "请填写金额（元），最多两位小数"})
    return int(value * 100)


def communities_of(user):
    return Division.objects.filter(kind=Division.Kind.COMMUNITY).filter(scope_of(user).q("code")) if not user.is_superuser else Division.objects.filter(kind=Division.Kind.COMMUNITY)


@login_required
def project_list(request):
    require_project_reader(request.user)
    rows = selectors.projects_visible(request.user)
    counts = {value: 0 for value in Status.values}
    for value in rows.values_list("status", flat=True):
        counts[value] += 1
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    if exporting(request):
        return table_export(
            request, rows, table="projects.projects", title="社区服务项目", columns=COLUMNS, sorts=SORTS, default_sort="-created", search=SEARCH,
            cells=lambda chunk: _cells(chunk),
        )
    table = table_page(request, rows, sorts=SORTS, default_sort="-created", search=SEARCH)
    names = node_names({p.community_code for p in table.page})
    return render(request, "projects/list.html", {
        "table": table, "rows": [(p, names.get(p.community_code, p.community_code)) for p in table.page], "status": status,
        "stages": [(value, label, counts[value]) for value, label in Status.choices], "total": sum(counts.values()),
        "may_draft": is_community_official(request.user) or request.user.is_superuser,
    })


def _cells(chunk: list[Project]) -> list[tuple]:
    names = node_names({p.community_code for p in chunk})
    return [(p.number, p.title, p.category.name, names.get(p.community_code, p.community_code), p.year, p.get_status_display(),
             p.created_at.strftime("%Y-%m-%d")) for p in chunk]


class ProjectForm(ShownForm):
    title = forms.CharField(label="项目名称", max_length=80)
    category = forms.ModelChoiceField(label="项目类别", queryset=Category.objects.filter(active=True), empty_label="请选择")
    community_code = forms.ChoiceField(label="所在社区")
    origin = forms.ChoiceField(label="项目来源", choices=Origin.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    scope = forms.CharField(label="服务内容", widget=forms.Textarea(attrs={"rows": 5}), help_text="服务对象、内容、地点和周期")


def _year(text: str) -> int | str:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else text


@login_required
@require_http_methods(["GET", "POST"])
def project_form(request, project_id: int | None = None):
    """A new draft, or the content of one that may still change."""
    require_project_reader(request.user)
    project = selectors.project_get(request.user, project_id) if project_id else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        post = request.POST
        category = Category.objects.filter(pk=post.get("category")).first() if post.get("category", "").isdigit() else None
        year = _year(post.get("year", ""))
        done: list[Project] = []
        if not isinstance(year, int):
            errors = {"year": "请填写四位数的年度"}
        elif project is None:
            errors = attempted(lambda: done.append(services.project_create(
                actor=request.user, title=post.get("title", ""), category=category, community_code=post.get("community_code", ""),
                scope=post.get("scope", ""), year=year, origin=post.get("origin", Origin.PLAN))))
        else:
            errors = attempted(lambda: done.append(services.project_edit(
                project=project, actor=request.user, title=post.get("title", ""), category=category, scope=post.get("scope", ""), year=year,
                origin=post.get("origin", ""))))
        if not errors:
            messages.success(request, "已保存")
            return redirect("projects-page", project_id=done[0].pk)
    initial = {"year": date.today().year} if project is None else {
        "title": project.title, "category": project.category_id, "community_code": project.community_code, "origin": project.origin,
        "year": project.year, "scope": project.scope}
    form = ProjectForm(request.POST or None, initial=initial, errors=errors)
    choices = [(c.code, c.name) for c in communities_of(request.user).order_by("code")]
    form.fields["community_code"].choices = [("", "请选择"), *choices]
    if project is not None:
        form.fields["community_code"].disabled = True
    return render(request, "projects/form.html", {"form": form, "project": project}, status=400 if errors else 200)


def _post(request, project: Project) -> tuple[str, dict[str, str]]:
    """The page's form that was posted and its refusals by field."""
    post, user = request.POST, request.user
    form = post.get("form", "")
    if form == "move":
        return f"move:{post.get('to', '')}:{post.get('name', '')}", attempted(lambda: services.project_move(project=project, actor=user, to=post.get("to", ""), name=post.get("name", ""), reason=post.get("reason", "")))
    if form == "answer":
        def answer():
            number = post.get("objection", "")
            objection = selectors.project_objection_get(project, posted_pk(number))
            objections.project_objection_answer(project=project, objection=objection, actor=user, answer=post.get("answer", ""))
        return f"answer:{post.get('objection', '')}", attempted(answer)
    if form == "budget":
        return form, attempted(lambda: funds_services.budget_line_set(
            actor=user, project=project, source=post.get("source", ""), amount_fen=fen_of(post.get("amount_fen", ""), "amount_fen")))
    if form == "disbursement":
        return form, attempted(lambda: funds_services.disbursement_record(
            actor=user, project=project, source=post.get("source", ""), payee=post.get("payee", ""), purpose=post.get("purpose", ""),
            expense_type=post.get("expense_type", ""), paid_on=post.get("paid_on", ""), amount_fen=fen_of(post.get("amount_fen", ""), "amount_fen"),
            invoice_number=post.get("invoice_number", ""), receipt=request.FILES.get("receipt")))
    if form == "reverse":
        number = post.get("disbursement", "")

        def reverse():
            # Only this project's disbursements: another's answers as missing, whatever its number.
            item = project.disbursements.filter(pk=posted_pk(number)).first()
            if item is None:
                raise Http404("支出记录不存在")
            funds_services.disbursement_reverse(actor=user, disbursement=item, reason=post.get("reason", ""))
        return f"reverse:{number}", attempted(reverse)
    return form, {"__all__": "未知的操作"}


class DisbursementForm(ShownForm):
    source = forms.ChoiceField(label="资金来源")
    payee = forms.CharField(label="收款方", max_length=100)
    purpose = forms.CharField(label="用途", max_length=200)
    expense_type = forms.ChoiceField(label="支出类别", choices=ExpenseType.choices)
    paid_on = forms.DateField(label="支付日期", widget=forms.DateInput(attrs={"type": "date"}))
    amount_fen = forms.CharField(label="金额（元）", widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    invoice_number = forms.CharField(label="发票（收据）号", max_length=40)
    receipt = forms.FileField(label="票据", help_text="JPEG、PNG、WebP 图片或 PDF 文件")


BUDGET_FIELDS = ("source", "amount_fen")


def _move_key(move) -> str:
    return f"move:{'' if move.name else move.target}:{move.name}"


def _above(posted: str, errors: dict[str, str]) -> str:
    """The refusals no field of the posted form stands for, shown above the page."""
    shown = {"budget": BUDGET_FIELDS, "disbursement": tuple(DisbursementForm.base_fields)}.get(posted.split(":")[0], ("to", "reason") if posted else ())
    if posted.startswith("answer:"):
        shown = ("answer",)
    if posted.startswith("reverse:"):
        shown = ("reason",)
    return "；".join(message for field, message in errors.items() if field not in shown)


def _fields_only(errors: dict[str, str]) -> dict[str, str]:
    """A form's refusals without the one shown above the page (no field)."""
    return {field: message for field, message in errors.items() if field != "__all__"}


@login_required
@require_http_methods(["GET", "POST"])
def project_page(request, project_id: int):
    require_project_reader(request.user)
    project = selectors.project_get(request.user, project_id)
    posted, errors = "", {}
    if request.method == "POST":
        posted, errors = _post(request, project)
        if not errors:
            messages.success(request, "已保存")
            return redirect("projects-page", project_id=project.pk)
        project = selectors.project_get(request.user, project_id)
    user = request.user
    labels = dict(Status.choices)
    offered = services.moves_offered(project, user)
    lines = list(funds_selectors.project_lines(project))
    sources = FundSource.objects.filter(active=True)
    disbursement_form = DisbursementForm(request.POST if posted == "disbursement" else None, errors=_fields_only(errors) if posted == "disbursement" else None)
    disbursement_form.fields["source"].choices = [(line.source.code, line.source.name) for line in lines]
    objections_rows = list(selectors.project_objections(project).select_related("answered_by").order_by("submitted_at", "pk"))
    return render(request, "projects/page.html", {
        "project": project, "community": node_names([project.community_code]).get(project.community_code, project.community_code),
        "timeline": [(s, labels.get(s.from_status, s.from_status) if s.from_status else "", labels.get(s.to_status, s.to_status), actor_name(s.actor))
                     for s in selectors.project_timeline(project)],
        "lines": [(line, yuan(line.amount_fen), yuan(line.spent_fen), yuan(line.remaining_fen)) for line in lines],
        "totals": tuple(yuan(sum(getattr(line, f) for line in lines)) for f in ("amount_fen", "spent_fen", "remaining_fen")),
        "disbursements": [(d, yuan(d.amount_fen), errors.get("reason", "") if posted == f"reverse:{d.pk}" else "")
                          for d in project.disbursements.select_related("source").order_by("-paid_on", "-pk")],
        "may_reverse": is_finance(user),
        "objections": [(o, errors.get("answer", "") if posted == f"answer:{o.pk}" else "") for o in objections_rows],
        "may_answer": covers(user, project.community_code),
        "needs": project.needs.all(), "cases": project.cases.all(), "links": project.links.all(),
        "moves": [(m, errors if posted == _move_key(m) else {}) for m in offered],
        "may_budget": money_and_scope_editable(project) and (is_community_official(user) or is_finance(user)),
        "may_edit": money_and_scope_editable(project) and is_community_actor(user, project.community_code),
        "may_spend": spending_allowed(project) and (is_community_official(user) or user.is_superuser) and bool(lines),
        "error": _above(posted if posted in {_move_key(m) for m in offered} or not posted.startswith("move:") else "", errors), "budget_errors": [errors[f] for f in BUDGET_FIELDS if f in errors] if posted == "budget" else [],
        "sources": sources, "disbursement_form": disbursement_form, "posted": posted, "errors": errors, "values": request.POST if errors else {},
    }, status=400 if errors else 200)


def _ledger_year(text: str) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else date.today().year


@login_required
def ledger(request):
    """A year's money per community and source of the caller's subtree (allocated, budgeted,
    spent, what is left), and for a community chosen, per project; the export is the funds'
    one (`/api/funds/ledger.xlsx`)."""
    require_funds_reader(request.user)
    year, community = _ledger_year(request.GET.get("year", "")), request.GET.get("community", "").strip()[:32]
    rows = funds_selectors.community_ledger(request.user, year=year, community_code=community or None)
    labels = dict(Status.choices)
    projects = [
        {**r, "budgeted": yuan(r["budgeted_fen"]), "spent": yuan(r["spent_fen"]), "remaining": yuan(r["budgeted_fen"] - r["spent_fen"]),
         "status_label": labels.get(r["project__status"], "")}
        for r in funds_selectors.ledger_projects(request.user, year=year, community_code=community)
    ] if community else []
    export = f"/api/funds/ledger.xlsx?year={year}" + (f"&community_code={community}" if community else "")
    return render(request, "projects/ledger.html", {
        "year": year, "community": community, "communities": communities_of(request.user).order_by("code"), "export": export, "projects": projects,
        "rows": [(r, *(yuan(v) for v in (r.allocated_fen, r.budgeted_fen, r.spent_fen, r.unspent_fen, r.unbudgeted_fen))) for r in rows],
    })


def _round_create(request) -> dict[str, str]:
    post, user = request.POST, request.user
    chosen = [pk for pk in post.getlist("project") if pk.isdigit() and len(pk) < 12]
    found = {str(p.pk): p for p in selectors.projects_visible(user).filter(pk__in=chosen)}
    try:
        entries = [votes.EntryIn(found[pk], fen_of(post.get(f"cost-{pk}", ""), f"cost-{pk}")) for pk in chosen if pk in found]
        opens_at, closes_at = (_moment(post.get(name, ""), name) for name in ("opens_at", "closes_at"))
    except ValidationError as error:
        return error_messages(error)
    share = post.get("min_share_percent", "70").strip()
    most = post.get("max_choices", "3").strip()
    return attempted(lambda: votes.round_create(
        actor=user, community_code=post.get("community_code", ""), title=post.get("title", ""), budget_fen=fen_of(post.get("budget_fen", ""), "budget_fen"),
        mode=post.get("mode", ""), max_choices=int(most) if most.isdigit() and len(most) < 5 else -1,
        min_share_percent=int(share) if share.isdigit() and len(share) < 5 else -1, opens_at=opens_at, closes_at=closes_at, entries=entries))


def _moment(text: str, field: str):
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError({field: "请填写日期和时间"}) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request):
    """The residents' votes of the caller's subtree: prepare one over proposed projects, open,
    close and count it (the count moves the winners into notice)."""
    require_project_reader(request.user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if request.POST.get("form") == "move":
            vote_round = selectors.round_get(request.user, posted_pk(request.POST.get("round", "")))
            errors = attempted(lambda: votes.round_move(vote_round=vote_round, actor=request.user, to=request.POST.get("to", "")))
        else:
            errors = _round_create(request)
        if not errors:
            messages.success(request, "已保存")
            return redirect("projects-rounds")
    table = table_page(request, selectors.rounds_visible(request.user), search=("title",))
    targets = {"draft": ("open", "开始投票"), "open": ("closed", "结束投票"), "closed": ("counted", "计票")}
    return render(request, "projects/rounds.html", {
        "table": table, "rows": [(r, votes.round_results(r), targets.get(r.status)) for r in table.page],
        "proposed": selectors.projects_visible(request.user).filter(status=Status.PROPOSED).order_by("community_code", "number"),
        "communities": communities_of(request.user).order_by("code"), "modes": VoteRound.Mode.choices,
        "errors": errors, "error": "；".join(errors.values()), "values": request.POST if errors else {},
    }, status=400 if errors else 200)
