"""Defacement detection: `wangge portal verify` and the worker's scheduled run.

Pages are altered the way an intruder would, behind the platform's back: straight in the
database with `update()`, so no service sees it and no digest is sealed again."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tests.portal.test_publishing import draft_article, draft_disclosure, publish, second_official
from wangge.core.models import OutboxMessage
from wangge.portal.models import Article, Disclosure, SensitiveWord, Stage, VerifyRun


def verify() -> str:
    out = StringIO()
    call_command("portal", "verify", stdout=out)
    return out.getvalue()


def verify_failing() -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("portal", "verify", stdout=out)
    return out.getvalue(), str(failed.value)


@pytest.fixture
def published(people) -> Article:
    official = people.district_official.user
    return publish(draft_article(official, title="儿童友好微公园建成开放"), official, second_official(people))


def test_it_passes_the_demo_and_a_fresh_publication(published):
    printed = verify()
    checked = Article.objects.filter(stage=Stage.PUBLISHED).count() + Disclosure.objects.filter(stage=Stage.PUBLISHED).count()
    assert checked > 1  # the demo's pages and this test's
    assert f"检查 {checked} 个页面，未发现异常" in printed
    assert VerifyRun.objects.order_by("-started_at").first().findings == []


@pytest.mark.parametrize("change", [
    {"body": "<p>儿童友好微公园建成开放。<a href=\"https://spam.example\">精彩内容</a></p>"},
    {"title": "儿童友好微公园建成开放！"},
    {"meta_keywords": "微公园,友情链接"},
    {"meta_description": "另一段描述"},
])  # fmt: skip
def test_it_catches_a_page_altered_behind_the_platforms_back(published, change):
    Article.objects.filter(pk=published.pk).update(**change)
    printed, error = verify_failing()
    assert f"/news/{published.pk}" in printed
    assert "内容与发布时封存的摘要不一致" in printed
    assert "1 处异常" in error
    run = VerifyRun.objects.order_by("-started_at").first()
    assert [(f["kind"], f["id"]) for f in run.findings] == [("article", published.pk)]


def test_it_catches_an_altered_disclosure(people):
    official = people.district_official.user
    disclosure = publish(draft_disclosure(official, people.home_grid.community.code), official, second_official(people))
    Disclosure.objects.filter(pk=disclosure.pk).update(shown_until=disclosure.shown_until + timedelta(days=30))
    printed, _ = verify_failing()
    assert f"/disclosures/{disclosure.pk}" in printed


def test_it_leaves_withdrawn_and_draft_pieces_alone(people, published):
    official = people.district_official.user
    draft = draft_article(official, title="未发布的草稿")
    Article.objects.filter(pk=draft.pk).update(body="<p>随意改动</p>")
    verify()


def test_it_reports_a_published_page_with_a_word_added_to_the_lexicon_afterwards(people):
    official = people.district_official.user
    article = publish(draft_article(official, body="<p>欢迎来到星光娱乐城参观。</p>"), official, second_official(people))
    verify()
    SensitiveWord.objects.create(word="星光娱乐城", category="赌博")
    printed, _ = verify_failing()
    assert f"/news/{article.pk}" in printed and "含敏感词：星光娱乐城（body）" in printed
    assert "摘要不一致" not in printed  # the page itself is unchanged
    SensitiveWord.objects.filter(word="星光娱乐城").update(active=False)
    verify()


def test_it_keeps_accepted_words_quiet(people):
    """A word the reviewer let through with a reason is not reported again."""
    official = people.district_official.user
    article = draft_article(official, body="<p>警惕网络赌博：百家乐是骗局。</p>")
    publish(article, official, second_official(people), accept_flags="反赌宣传稿")
    verify()


def work(now) -> None:
    call_command("worker", once=True, now=now, stdout=StringIO())


@override_settings(WANGGE_PORTAL_VERIFY_MINUTES=60)
def test_the_worker_runs_verify_when_due_and_sends_the_findings_once(published):
    now = timezone.now() + timedelta(days=1)  # later than any run so far
    Article.objects.filter(pk=published.pk).update(title="被篡改的标题")
    runs = VerifyRun.objects.count()
    work(now)
    assert VerifyRun.objects.count() == runs + 1
    alerts = OutboxMessage.objects.filter(kind="portal.defaced")
    assert alerts.count() == 1
    finding = alerts.get().payload["findings"][0]
    assert finding["id"] == published.pk and finding["path"] == f"/news/{published.pk}" and "被篡改" in finding["title"]
    work(now + timedelta(minutes=59))
    assert VerifyRun.objects.count() == runs + 1 and alerts.count() == 1  # not again before the hour
    work(now + timedelta(minutes=60))
    assert VerifyRun.objects.count() == runs + 2 and alerts.count() == 2
    assert alerts.order_by("pk").first().sent_at is not None  # the next round delivered the first


def test_the_worker_sends_nothing_for_a_clean_run(published):
    work(timezone.now() + timedelta(days=1))
    assert not OutboxMessage.objects.filter(kind="portal.defaced").exists()
