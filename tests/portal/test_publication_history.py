"""Every move of a piece's publication life is kept (who, when, from, to, why) and shown on its
back-office page; a move the table does not hold, or one without its reason, writes nothing."""

import importlib
import re
from datetime import datetime
from types import SimpleNamespace

from tests.portal.test_portal_api import _reviewer
from tests.portal.test_publishing import draft_article, draft_disclosure, publish, second_official
from wangge.core.models import AuditRecord
from wangge.portal.models import Article, ArticleTransition, Disclosure, DisclosureTransition, Stage
from wangge.portal.publishing import disclosure_save, publication_withdraw

STEP = re.compile(
    r'<tr class="step"><td>[^<]+</td><td class="actor">([^<]+)</td><td class="from">([^<]+)</td>'
    r'<td class="to">([^<]+)</td><td class="reason">([^<]+)</td></tr>'
)


def _last_audit_pk() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _written_since(pk: int) -> list[str]:
    """The audit rows written after `pk`, but the one that keeps a refused request."""
    return list(AuditRecord.objects.filter(pk__gt=pk).exclude(action="request.refused").values_list("action", flat=True))


def test_a_returned_then_resubmitted_article_keeps_its_whole_history_and_shows_it(client, people):
    author, reviewer = people.district_official.user, second_official(people)
    article = draft_article(author)
    url = f"/portal/articles/{article.pk}"
    client.force_login(author)
    assert client.post(url, {"action": "submit"}).status_code == 302
    client.force_login(reviewer)
    assert client.post(url, {"action": "return", "note": "请补充活动时间"}).status_code == 302
    client.force_login(author)
    assert client.post(f"{url}/edit", {"section": "work", "title": "社区议事会商议楼道照明改造（补充时间）", "body": "<p>周六上午。</p>"}).status_code == 302
    assert client.post(url, {"action": "submit"}).status_code == 302
    client.force_login(reviewer)
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert Article.objects.get(pk=article.pk).stage == Stage.PUBLISHED

    steps = list(ArticleTransition.objects.filter(article=article).order_by("at", "pk"))
    assert [(s.from_status, s.to_status, s.actor, s.reason) for s in steps] == [
        (Stage.DRAFT, Stage.REVIEW, author, ""),
        (Stage.REVIEW, Stage.DRAFT, reviewer, "请补充活动时间"),
        (Stage.DRAFT, Stage.REVIEW, author, ""),
        (Stage.REVIEW, Stage.PUBLISHED, reviewer, ""),
    ]
    assert all(a.at <= b.at for a, b in zip(steps, steps[1:], strict=False))

    page = client.get(url).content.decode()
    assert "流转记录" in page
    assert STEP.findall(page) == [
        (str(author), "草稿", "待审核", "—"),
        (str(reviewer), "待审核", "草稿", "请补充活动时间"),
        (str(author), "草稿", "待审核", "—"),
        (str(reviewer), "待审核", "已发布", "—"),
    ]


def test_an_illegal_move_is_refused_in_chinese_and_writes_nothing(api, people):
    author = people.district_official
    article = draft_article(author.user)
    since = _last_audit_pk()
    refused = api.post(f"/api/portal/articles/{article.pk}/withdraw", token=author.token, json={"note": "内容有误"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "stage", "reason": "「草稿」的稿件不能撤回"}]
    assert Article.objects.get(pk=article.pk).stage == Stage.DRAFT
    assert not ArticleTransition.objects.filter(article=article).exists()
    assert _written_since(since) == []


def test_a_withdrawal_without_a_reason_is_refused_naming_the_field(api, people):
    author = people.district_official
    article = publish(draft_article(author.user), author.user, _reviewer(people).user)
    since = _last_audit_pk()
    refused = api.post(f"/api/portal/articles/{article.pk}/withdraw", token=author.token, json={"note": " "})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "review_note", "reason": "撤回时须说明理由"}]
    assert Article.objects.get(pk=article.pk).stage == Stage.PUBLISHED
    assert ArticleTransition.objects.filter(article=article).count() == 2
    assert _written_since(since) == []


def test_withdrawing_and_editing_again_are_moves_of_a_disclosure_shown_on_its_page(client, people):
    official = people.community_official.user
    disclosure = publish(draft_disclosure(official, people.home_grid.community.code), official, people.subdistrict_official.user)
    since = _last_audit_pk()
    publication_withdraw(item=disclosure, actor=official, note="金额有误")
    assert "portal.disclosure.withdraw" in _written_since(since)
    redrafted = disclosure_save(actor=official, disclosure=disclosure, title="助老助餐项目公示（更正）")
    assert redrafted.stage == Stage.DRAFT
    moves = list(DisclosureTransition.objects.filter(disclosure=disclosure).values_list("from_status", "to_status", "reason"))
    assert moves[-2:] == [(Stage.PUBLISHED, Stage.WITHDRAWN, "金额有误"), (Stage.WITHDRAWN, Stage.DRAFT, "")]
    client.force_login(official)
    page = client.get(f"/portal/disclosures/{disclosure.pk}").content.decode()
    assert [step[1:3] for step in STEP.findall(page)] == [("草稿", "待审核"), ("待审核", "已发布"), ("已发布", "已撤回"), ("已撤回", "草稿")]
    assert Disclosure.objects.get(pk=disclosure.pk).title == "助老助餐项目公示（更正）"


def test_pieces_published_before_the_history_keep_their_last_recorded_moves():
    steps_of = importlib.import_module("wangge.portal.migrations.0003_transitions")._steps
    sent, seen = datetime(2025, 3, 1, 9), datetime(2025, 3, 1, 11)
    piece = {"submitted_at": sent, "submitted_by_id": 1, "reviewed_at": seen, "reviewed_by_id": 2, "flags_accepted": "", "review_note": ""}

    def moves(**fields) -> list[tuple]:
        return [(s["from_status"], s["to_status"], s["actor_id"], s["reason"]) for s in steps_of(SimpleNamespace(**{**piece, **fields}))]

    assert moves(stage="published", flags_accepted="反诈宣传") == [("draft", "review", 1, ""), ("review", "published", 2, "反诈宣传")]
    assert moves(stage="withdrawn", review_note="有误") == [("draft", "review", 1, ""), ("review", "published", 2, "")]
    assert moves(stage="draft", review_note="请补充") == [("draft", "review", 1, ""), ("review", "draft", 2, "请补充")]
    assert moves(stage="review", reviewed_at=None) == [("draft", "review", 1, "")]
    assert moves(stage="draft", submitted_at=None, reviewed_at=None) == []
