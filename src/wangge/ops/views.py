"""`/ops/outbox`: what the worker has not sent yet (waiting, retrying after a failure, or given
up), for the system administrator, with "send now". It shows the message's kind, attempts, last
error and next try — never its content or recipients, which are not the administrator's to read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from wangge.core import pii
from wangge.core.models import OutboxMessage
from wangge.core.notify import LABELS
from wangge.core.outbox import outbox_given_up, outbox_retry_now, outbox_unsent
from wangge.core.tables import exporting, table_export, table_page

from .permissions import may_watch_outbox

PAGE_SIZE = 50
OUTBOX_TABLE = {"sorts": {"id": "pk", "kind": "kind", "attempts": "attempts", "due": "due_at", "created": "created_at"}, "default_sort": "due"}
OUTBOX_COLUMNS = ["编号", "类型", "状态", "尝试次数", "最近错误", "下次尝试", "创建时间"]


def _shown(messages_: list[OutboxMessage]) -> list[OutboxMessage]:
    for message in messages_:
        message.label = LABELS.get(message.kind, message.kind)
        message.given_up = outbox_given_up(message)
        message.state = "已放弃" if message.given_up else ("失败待重试" if message.last_error else "等待发送")
        message.error_shown = pii.mask_free_text(message.last_error)  # an address or number in a gateway's words
    return messages_


def _outbox_cells(messages_: list[OutboxMessage]) -> list[list]:
    return [[m.pk, m.label, m.state, m.attempts, m.error_shown, None if m.given_up else m.due_at, m.created_at] for m in _shown(messages_)]


@login_required
def outbox_page(request):
    if not may_watch_outbox(request.user):
        raise PermissionDenied("只有系统管理员可以查看消息发送情况")
    if request.method == "POST":
        return _retry(request)
    if exporting(request):
        return table_export(request, outbox_unsent(), table="ops.outbox", title="待发送消息", columns=OUTBOX_COLUMNS, cells=_outbox_cells, **OUTBOX_TABLE)
    table = table_page(request, outbox_unsent(), per_page=PAGE_SIZE, **OUTBOX_TABLE)
    return render(request, "ops/outbox.html", {"table": table, "page": table.page, "rows": _shown(table.rows)})


def _retry(request):
    message_id = request.POST.get("message", "")
    if not message_id.isdigit():
        raise Http404
    try:
        message = outbox_retry_now(message_id=int(message_id), actor=request.user, now=timezone.now())
    except OutboxMessage.DoesNotExist:
        raise Http404 from None
    if message.sent_at:
        messages.success(request, f"消息 {message.pk} 已发送")
    else:
        messages.error(request, f"消息 {message.pk} 仍未发送成功：{pii.mask_free_text(message.last_error)}")
    return redirect("ops-outbox")
