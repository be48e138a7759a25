"""The officers' pages in the back office: the accounts list (system and security
administrators) and the audit trail (the auditor alone), both read-only and paged. Changes to
accounts go through the API and the admin, whose services audit them."""

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from wangge.core.audit import audit_record
from wangge.core.models import AuditRecord
from wangge.core.tables import table_page
from wangge.geo.selectors import node_names

from . import permissions
from .models import Role, User

ACCOUNT_SORTS = {"username": "username", "name": "full_name", "role": "role", "joined": "date_joined", "last": "last_login"}


@login_required
def accounts_list(request):
    if not permissions.can_list_accounts(request.user):
        raise PermissionDenied("只有系统管理员和安全管理员可以查看账号")
    users = User.objects.all()
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    table = table_page(request, users, sorts=ACCOUNT_SORTS, default_sort="username", search=("username", "full_name"))
    names = node_names(account.scope_code for account in table.rows)
    rows = [(account, names.get(account.scope_code, "")) for account in table.rows]
    return render(request, "accounts/accounts_list.html", {"table": table, "rows": rows, "roles": Role.choices, "role": role})


DAY_LABELS = {"since": "起始日期", "until": "截止日期"}


def _days(query) -> tuple[dict, dict[str, str]]:
    """The trail page's date filters, and for each one that is not a date its Chinese error:
    a filter silently dropped would show the auditor every row as if it had been applied."""
    days, errors = {}, {}
    for field, label in DAY_LABELS.items():
        text = query.get(field, "").strip()
        try:
            days[field] = datetime.strptime(text, "%Y-%m-%d").date() if text else None
        except ValueError:
            days[field], errors[field] = None, f"{label}格式不正确，应为年-月-日（如 2026-03-01）"
    if days["since"] and days["until"] and days["until"] < days["since"]:
        errors["until"] = "截止日期不能早于起始日期"
    return days, errors


@login_required
def audit_trail(request):
    if not permissions.can_read_audit(request.user):
        raise PermissionDenied("只有安全审计员可以查看审计记录")
    rows = AuditRecord.objects.order_by("-at", "-id")
    days, errors = _days(request.GET)
    since, until = days["since"], days["until"]
    actor, subject = request.GET.get("actor", "").strip()[:150], request.GET.get("model", "").strip()[:60]
    zone = timezone.get_current_timezone()
    if errors:
        rows = rows.none()
    if since:
        rows = rows.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        rows = rows.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    if actor:
        rows = rows.filter(username=actor)
    if subject:
        rows = rows.filter(object_type=subject)
    table = table_page(request, rows, per_page=50)
    # Reading the trail is itself recorded, as over the API.
    audit_record(action="audit.read", detail=f"page actor={actor} model={subject} since={since or ''} until={until or ''}")
    kinds = AuditRecord.objects.exclude(object_type="").order_by("object_type").values_list("object_type", flat=True).distinct()
    typed = {field: request.GET.get(field, "")[:20] for field in DAY_LABELS}
    context = {"table": table, "typed": typed, "errors": errors, "actor": actor, "model": subject, "kinds": list(kinds)}
    return render(request, "accounts/audit_trail.html", context, status=400 if errors else 200)
