"""`/ops/outbox`: what the worker has not sent yet (waiting, retrying after a failure, or given
up), for the system administrator, with "send now". It shows the message's kind, attempts, last
error and next try — never its content or recipients, which are not the administrator's to read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from wangge.core import pii
from wangge.core.models import OutboxMessage
from wangge.core.notify import LABELS
from wangge.core.outbox import outbox_given_up, outbox_retry_now, outbox_unsent

from .permissions import may_watch_outbox

PAGE_SIZE = 50


@login_required
def outbox_page(request):
    if not may_watch_outbox(request.user):
        raise PermissionDenied("只有系统管理员可以查看消息发送情况")
    if request.method == "POST":
        return _retry(request)
    page = Paginator(outbox_unsent(), PAGE_SIZE).get_page(request.GET.get("page"))
    for message in page:
        message.label = LABELS.get(message.kind, message.kind)
        message.given_up = outbox_given_up(message)
        message.error_shown = pii.mask_free_text(message.last_error)  # an address or number in a gateway's words
    return render(request, "ops/outbox.html", {"page": page})


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
