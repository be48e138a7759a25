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
from wangge.core.tables import exporting, table_export, table_page
from wangge.geo.selectors import node_names

from . import permissions
from .models import Role, User

ACCOUNT_SORTS = {"username": "username", "name": "full_name", "role": "role", "joined": "date_joined", "last": "last_login"}
ACCOUNT_TABLE = {"sorts": ACCOUNT_SORTS, "default_sort": "username", "search": ("username", "full_name")}
ACCOUNT_COLUMNS = ["用户名", "姓名", "角色", "所属节点", "节点代码", "状态", "最近登录"]
AUDIT_SORTS = {"at": "at", "actor": "username", "action": "action", "model": "object_type"}
AUDIT_TABLE = {"sorts": AUDIT_SORTS, "default_sort": "-at", "search": ("action", "detail")}
AUDIT_COLUMNS = ["时间", "操作人", "操作", "对象类型", "对象编号", "结果", "来源地址", "说明"]


def _account_cells(accounts: list) -> list[list]:
    names = node_names(account.scope_code for account in accounts)
    return [
        [account.username, account.full_name, account.get_role_display(), names.get(account.scope_code, ""), account.scope_code,
         ("启用" if account.is_active else "停用") + ("（锁定）" if account.locked_until else ""), account.last_login]
        for account in accounts
    ]


def _audit_cells(records: list) -> list[list]:
    return [[r.at, r.username, r.action, r.object_type, r.object_id, r.get_result_display(), r.address, r.detail] for r in records]


@login_required
def accounts_list(request):
    if not permissions.can_list_accounts(request.user):
        raise PermissionDenied("只有系统管理员和安全管理员可以查看账号")
    users = User.objects.all()
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    if exporting(request):
        return table_export(request, users, table="accounts", title="账号", columns=ACCOUNT_COLUMNS, cells=_account_cells, **ACCOUNT_TABLE)
    table = table_page(request, users, **ACCOUNT_TABLE)
    names = node_names(account.scope_code for account in table.rows)
    rows = [(account, names.get(account.scope_code, "")) for account in table.rows]
    return render(request, "accounts/accounts_list.html", {"table": table, "rows": rows, "roles": Role.choices, "role": role})


def _day(text: str):
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


@login_required
def audit_trail(request):
    if not permissions.can_read_audit(request.user):
        raise PermissionDenied("只有安全审计员可以查看审计记录")
    rows = AuditRecord.objects.all()
    since, until = _day(request.GET.get("since", "")), _day(request.GET.get("until", ""))
    actor, subject = request.GET.get("actor", "").strip()[:150], request.GET.get("model", "").strip()[:60]
    zone = timezone.get_current_timezone()
    if since:
        rows = rows.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        rows = rows.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    if actor:
        rows = rows.filter(username=actor)
    if subject:
        rows = rows.filter(object_type=subject)
    if exporting(request):
        return table_export(request, rows, table="audit", title="审计记录", columns=AUDIT_COLUMNS, cells=_audit_cells, **AUDIT_TABLE)
    table = table_page(request, rows, per_page=50, **AUDIT_TABLE)
    # Reading the trail is itself recorded, as over the API.
    audit_record(action="audit.read", detail=f"page actor={actor} model={subject} since={since or ''} until={until or ''}")
    kinds = AuditRecord.objects.exclude(object_type="").order_by("object_type").values_list("object_type", flat=True).distinct()
    context = {"table": table, "since": since, "until": until, "actor": actor, "model": subject, "kinds": list(kinds)}
    return render(request, "accounts/audit_trail.html", context)
