"""Messages for the next page (core/lazy_messages.py): a store opened only when used still
carries a message across a redirect, and a page that shows none never opens it."""

import pytest
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.functional import empty

from tests.portal import making as make


def _add(request):
    messages.success(request, "已保存")
    return HttpResponseRedirect("/shown")


def _shown(request):
    return HttpResponse("|".join(str(m) for m in messages.get_messages(request)))


def _silent(request):
    return HttpResponse("无消息")


urlpatterns = [path("add", _add), path("shown", _shown), path("silent", _silent)]


@pytest.mark.urls(__name__)
def test_a_message_added_before_a_redirect_is_shown_once_on_the_next_page(client, db):
    assert client.get("/add").status_code == 302
    assert client.get("/silent").content.decode() == "无消息"  # a page that shows none leaves it waiting
    assert client.get("/shown").content.decode() == "已保存"
    assert client.get("/shown").content.decode() == ""


def test_the_article_page_never_opens_the_store(client, people):
    article = make.article(people)
    response = client.get(f"/news/{article.pk}")
    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty
    assert "messages" not in response.cookies
