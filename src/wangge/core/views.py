"""The inbox (`/inbox`): a signed-in user's own notices, newest first, paged; opening one marks
it read and follows its link. Every lookup goes through `notices_of(user)`, so another user's
notice answers 404 exactly as a missing one does."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .notices import notice_mark_read, notices_mark_all_read, notices_of, notices_unread_count
from .notify import LABELS

PAGE_SIZE = 20


@login_required
def inbox(request):
    page = Paginator(notices_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for notice in page:
        notice.kind_label = LABELS.get(notice.kind, "通知")
    return render(request, "core/inbox.html", {"page": page, "unread": notices_unread_count(request.user)})


@login_required
@require_POST
def notice_open(request, notice_id: int):
    notice = notice_mark_read(user=request.user, notice_id=notice_id)
    return redirect(notice.link or "/inbox")


@login_required
@require_POST
def notice_read(request, notice_id: int):
    notice_mark_read(user=request.user, notice_id=notice_id)
    return redirect(_back(request))


@login_required
@require_POST
def notices_read_all(request):
    notices_mark_all_read(user=request.user)
    return redirect(_back(request))


def _back(request) -> str:
    page = request.POST.get("page", "")
    return f"/inbox?page={page}" if page.isdigit() else "/inbox"
