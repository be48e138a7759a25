"""Drafting and the publication life: who may write, the two-person rule, the sanitiser on save,
the sensitive words found on submission and the digest sealed at approval.

The helpers here are shared by the other back-office tests of the portal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.portal.models import Article, Disclosure, Stage
from wangge.portal.publishing import (
    article_save,
    disclosure_save,
    publication_approve,
    publication_return,
    publication_submit,
    publication_withdraw,
)
from wangge.portal.render import digest_of, sealed_parts

CLEAN = "<p>网格员走访了顺河路社区的独居老人。</p>"


def second_official(people) -> User:
    """A second district-wide official: publication takes two people."""
    return User.objects.create(username="district_official_2", full_name="审核人", role=Role.DISTRICT_OFFICIAL,
                               scope_code=people.district_official.user.scope_code)


def draft_article(actor, **fields) -> Article:
    values = {"section": "work", "title": "社区议事会商议楼道照明改造", "body": CLEAN, "summary": "议事会", "meta_keywords": "议事会"}
    return article_save(actor=actor, **{**values, **fields})


def draft_disclosure(actor, area_code: str, **fields) -> Disclosure:
    values = {"kind": "project", "title": "助老助餐项目公示", "body": "<p>拟实施助老助餐项目。</p>", "area_code": area_code}
    return disclosure_save(actor=actor, **{**values, **fields})


def publish(item, submitter, approver, accept_flags: str = ""):
    publication_submit(item=item, actor=submitter)
    return publication_approve(item=item, actor=approver, accept_flags=accept_flags)


# --- who may write: role x action ---------------------------------------------------------

ARTICLE_WRITERS = {"district_official": True, "subdistrict_official": False, "community_official": False,
                   "grid_worker": False, "department_handler": False, "resident": False}  # fmt: skip


@pytest.mark.parametrize("persona, allowed", ARTICLE_WRITERS.items())
def test_it_lets_only_district_wide_officials_write_articles(people, persona, allowed):
    user = getattr(people, persona).user
    if allowed:
        assert draft_article(user).stage == Stage.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            draft_article(user)
        assert not Article.objects.filter(title="社区议事会商议楼道照明改造").exists()


def test_it_lets_a_community_official_write_disclosures_in_their_community_only(people):
    official = people.community_official.user
    home = people.home_grid.community.code
    other = people.other_grid.community.code
    assert draft_disclosure(official, home).area_code == home
    assert draft_disclosure(official, people.home_grid.code).area_code == people.home_grid.code  # a grid below it
    for area in (other, "", people.home_grid.community.parent.code):
        with pytest.raises(PermissionDenied):
            draft_disclosure(official, area)
    assert set(Disclosure.objects.filter(created_by=official).values_list("area_code", flat=True)) == {home, people.home_grid.code}


@pytest.mark.parametrize("persona", ["grid_worker", "department_handler", "resident"])
def test_it_refuses_disclosures_from_non_officials(people, persona):
    with pytest.raises(PermissionDenied):
        draft_disclosure(getattr(people, persona).user, people.home_grid.community.code)


# --- the two-person rule --------------------------------------------------------------------

def test_it_refuses_approval_by_the_submitter(people):
    official = people.district_official.user
    article = draft_article(official)
    publication_submit(item=article, actor=official)
    with pytest.raises(PermissionDenied):
        publication_approve(item=article, actor=official)
    assert Article.objects.get(pk=article.pk).stage == Stage.REVIEW
    published = publication_approve(item=Article.objects.get(pk=article.pk), actor=second_official(people))
    assert published.stage == Stage.PUBLISHED and published.reviewed_by.username == "district_official_2"


def test_it_lets_the_author_approve_what_another_submitted(people):
    """The rule binds the submitter, not the drafter: two people still looked at it."""
    author, other = people.district_official.user, second_official(people)
    article = draft_article(author)
    assert publish(article, other, author).stage == Stage.PUBLISHED


def test_it_refuses_review_of_a_community_disclosure_outside_the_reviewers_scope(people):
    official = people.community_official.user
    disclosure = draft_disclosure(official, people.home_grid.community.code)
    publication_submit(item=disclosure, actor=official)
    with pytest.raises(PermissionDenied):
        publication_approve(item=disclosure, actor=people.grid_worker.user)
    assert publication_approve(item=disclosure, actor=people.subdistrict_official.user).stage == Stage.PUBLISHED


def test_it_returns_with_a_note_and_only_drafts_are_edited(people):
    official, reviewer = people.district_official.user, second_official(people)
    article = draft_article(official)
    publication_submit(item=article, actor=official)
    with pytest.raises(ValidationError) as refused:
        article_save(actor=official, article=article, title="送审后改标题")
    assert "stage" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        publication_return(item=article, actor=reviewer, note=" ")
    assert "review_note" in refused.value.message_dict
    returned = publication_return(item=article, actor=reviewer, note="请补充时间地点")
    assert returned.stage == Stage.DRAFT and returned.review_note == "请补充时间地点"
    assert article_save(actor=official, article=returned, title="改过的标题").title == "改过的标题"


def test_it_withdraws_with_a_note_and_clears_the_digest(people):
    official, reviewer = people.district_official.user, second_official(people)
    article = publish(draft_article(official), official, reviewer)
    with pytest.raises(ValidationError):
        publication_withdraw(item=article, actor=official, note="")
    withdrawn = publication_withdraw(item=article, actor=official, note="信息有误")
    assert withdrawn.stage == Stage.WITHDRAWN and withdrawn.digest == ""


# --- the sanitiser on save ------------------------------------------------------------------

def test_it_saves_only_the_sanitised_body(people):
    body = ('<p onclick="steal()">通知<script>document.location="https://evil.example"</script></p>'
            '<img src="https://evil.example/x.png" alt="外链"><img src="/media/ok.png" alt="本站">')
    article = draft_article(people.district_official.user, body=body)
    saved = Article.objects.get(pk=article.pk)
    assert "<script" not in saved.body and "evil.example" not in saved.body and "onclick" not in saved.body
    assert "/media/ok.png" in saved.body and "通知" in saved.body
    assert saved.body_text.strip().startswith("通知")


# --- sensitive words ------------------------------------------------------------------------

def test_it_flags_title_meta_and_body_on_submission(people):
    official = people.district_official.user
    article = draft_article(official, title="社区通知 百家乐", meta_keywords="网格,时时彩", meta_description="说明", body="<p>欢迎访问澳门赌场官网</p>")
    submitted = publication_submit(item=article, actor=official)
    fields = {flag["field"] for flag in submitted.flags}
    assert {"title", "meta_keywords", "body"} <= fields
    assert any(flag["word"] == "百家乐" and "百家乐" in flag["excerpt"] for flag in submitted.flags)


def test_it_refuses_flagged_approval_without_a_reason_and_allows_it_with_one(people):
    official, reviewer = people.district_official.user, second_official(people)
    article = draft_article(official, meta_description="时时彩")
    publication_submit(item=article, actor=official)
    with pytest.raises(ValidationError) as refused:
        publication_approve(item=article, actor=reviewer)
    assert "accept_flags" in refused.value.message_dict and "时时彩" in refused.value.message_dict["accept_flags"][0]
    assert Article.objects.get(pk=article.pk).stage == Stage.REVIEW
    published = publication_approve(item=Article.objects.get(pk=article.pk), actor=reviewer, accept_flags="反诈宣传稿，引用原文")
    assert published.stage == Stage.PUBLISHED and published.flags_accepted == "反诈宣传稿，引用原文"


def test_it_approves_clean_pieces_without_a_reason(people):
    article = publish(draft_article(people.district_official.user), people.district_official.user, second_official(people))
    assert article.flags == [] and article.flags_accepted == ""


# --- the digest -----------------------------------------------------------------------------

def test_it_seals_the_digest_of_the_rendered_content_at_approval(people):
    official, reviewer = people.district_official.user, second_official(people)
    article = draft_article(official)
    assert article.digest == ""
    published = publish(article, official, reviewer)
    assert len(published.digest) == 64 and published.digest == digest_of(Article.objects.get(pk=article.pk))
    head, body = sealed_parts(published)
    assert published.title in body and "议事会" in head and "独居老人" in body
    disclosure = publish(draft_disclosure(official, people.home_grid.community.code), official, reviewer)
    assert disclosure.digest == digest_of(Disclosure.objects.get(pk=disclosure.pk))


def test_it_shows_a_disclosure_for_its_kinds_default_days(people):
    before = timezone.now()
    disclosure = draft_disclosure(people.district_official.user, "", kind="finance")
    assert disclosure.shown_from >= before and (disclosure.shown_until - disclosure.shown_from).days == 15

