"""The portal's back-office pages through the Django test client, with the named personas:
lists by stage within the user's scope, the forms (sanitised on save, errors naming the field),
the preview of the sealed fragments, and only the moves the user may make."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.portal.test_publishing import draft_article, draft_disclosure, publish, second_official
from wangge.portal.models import Article, Disclosure, SensitiveWord, Stage
from wangge.portal.objections import objection_submit
from wangge.portal.render import sealed_parts

ACTIONS = re.compile(r'data-action="(\w+)"')


def _as(client, person_or_user):
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


@pytest.mark.parametrize("persona, status", [("district_official", 200), ("subdistrict_official", 403), ("community_official", 403),
                                             ("grid_worker", 403), ("resident", 403)])  # fmt: skip
def test_the_article_list_is_for_district_wide_officials(client, people, persona, status):
    response = _as(client, getattr(people, persona)).get("/portal/articles")
    assert response.status_code == status
    if status == 200:
        published = Article.objects.filter(stage=Stage.PUBLISHED).count()
        assert re.search(rf'data-stage="published">已发布 <strong class="count">{published}</strong>', response.content.decode())


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/portal/disclosures")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_it_saves_the_sanitised_body_and_previews_the_sealed_fragments(client, people):
    body = '<p>楼道照明改造完成</p><script>alert(1)</script><img src="https://evil.example/a.png">'
    response = _as(client, people.district_official).post("/portal/articles/new", {
        "section": "work", "title": "楼道照明改造完成", "summary": "", "source": "", "author": "", "meta_keywords": "照明",
        "meta_description": "", "body": body})
    article = Article.objects.get(title="楼道照明改造完成")
    assert response.status_code == 302 and response["Location"] == f"/portal/articles/{article.pk}"
    assert "script" not in article.body and "evil.example" not in article.body
    page = client.get(response["Location"]).content.decode()
    head, sealed = sealed_parts(article)
    assert sealed in page  # the preview is the sealed body itself
    assert escape(head) in page and 'content="照明"' in head  # and the head, shown as text
    assert "alert(1)" not in page and "evil.example" not in page


def test_it_names_the_field_and_saves_nothing_on_bad_input(client, people):
    response = _as(client, people.district_official).post("/portal/articles/new", {"section": "work", "title": " ", "body": "<p>正文</p>"})
    assert response.status_code == 400
    assert 'id="id_title-error">标题不能为空' in response.content.decode()  # beside its own field
    response = client.post("/portal/articles/new", {"section": "", "title": "有标题", "body": ""})
    assert response.status_code == 400 and 'id="id_section-error">请选择栏目' in response.content.decode()
    assert 'name="title" value="有标题"' in response.content.decode()  # what was typed is kept
    assert '<label for="id_section">栏目<span class="required"' in response.content.decode()  # the shell's field
    assert not Article.objects.filter(title="有标题").exists()


def test_it_offers_only_the_moves_the_user_may_make(client, people):
    author, reviewer = people.district_official.user, second_official(people)
    article = draft_article(author, meta_keywords="时时彩")
    url = f"/portal/articles/{article.pk}"
    page = _as(client, author).get(url).content.decode()
    assert set(ACTIONS.findall(page)) == {"edit", "submit"}
    assert 'class="word">时时彩' in page  # the draft is checked before it is sent
    assert client.post(url, {"action": "approve"}).status_code == 403  # not offered: refused
    client.post(url, {"action": "submit"})
    assert Article.objects.get(pk=article.pk).stage == Stage.REVIEW
    assert ACTIONS.findall(client.get(url).content.decode()) == []  # the submitter may not approve
    page = _as(client, reviewer).get(url).content.decode()
    assert set(ACTIONS.findall(page)) == {"approve", "return"}
    assert 'name="accept_flags"' in page and 'data-field="meta_keywords"' in page
    refused = client.post(url, {"action": "approve", "accept_flags": ""})
    assert refused.status_code == 400 and "放行理由" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).stage == Stage.REVIEW
    client.post(url, {"action": "approve", "accept_flags": "反诈宣传"})
    published = Article.objects.get(pk=article.pk)
    assert published.stage == Stage.PUBLISHED and published.digest
    assert set(ACTIONS.findall(client.get(url).content.decode())) == {"withdraw"}


def test_a_clean_piece_is_approved_without_the_reason_field(client, people):
    author, reviewer = people.district_official.user, second_official(people)
    article = draft_article(author)
    _as(client, author).post(f"/portal/articles/{article.pk}", {"action": "submit"})
    page = _as(client, reviewer).get(f"/portal/articles/{article.pk}").content.decode()
    assert 'name="accept_flags"' not in page


def test_it_returns_and_withdraws_with_a_note(client, people):
    author, reviewer = people.district_official.user, second_official(people)
    article = draft_article(author)
    _as(client, author).post(f"/portal/articles/{article.pk}", {"action": "submit"})
    _as(client, reviewer)
    assert client.post(f"/portal/articles/{article.pk}", {"action": "return", "note": ""}).status_code == 400
    client.post(f"/portal/articles/{article.pk}", {"action": "return", "note": "请补充照片"})
    assert Article.objects.get(pk=article.pk).review_note == "请补充照片"
    published = publish(Article.objects.get(pk=article.pk), author, reviewer)
    client.post(f"/portal/articles/{published.pk}", {"action": "withdraw", "note": "信息有误"})
    assert Article.objects.get(pk=article.pk).stage == Stage.WITHDRAWN


def test_the_edit_form_refuses_a_piece_under_review(client, people):
    author = people.district_official.user
    article = draft_article(author)
    form = _as(client, author).get(f"/portal/articles/{article.pk}/edit").content.decode()
    assert f'name="title" value="{article.title}"' in form  # the draft's own values fill the form
    assert re.search(rf'<option value="{article.section.code}" selected>', form)
    _as(client, author).post(f"/portal/articles/{article.pk}", {"action": "submit"})
    assert client.post(f"/portal/articles/{article.pk}/edit", {"section": "work", "title": "偷改", "body": ""}).status_code == 403
    assert Article.objects.get(pk=article.pk).title != "偷改"


def test_disclosures_are_listed_and_opened_within_the_officials_scope(client, people):
    writer = people.district_official.user
    home = draft_disclosure(writer, people.home_grid.community.code, title="本社区的公示")
    other = draft_disclosure(writer, people.other_grid.community.code, title="别的社区的公示")
    page = _as(client, people.community_official).get("/portal/disclosures").content.decode()
    assert "本社区的公示" in page and "别的社区的公示" not in page
    assert client.get(f"/portal/disclosures/{home.pk}").status_code == 200
    assert client.get(f"/portal/disclosures/{other.pk}").status_code == 404
    page = _as(client, people.district_official).get("/portal/disclosures").content.decode()
    assert "本社区的公示" in page and "别的社区的公示" in page
    assert _as(client, people.grid_worker).get("/portal/disclosures").status_code == 403


def test_a_community_official_creates_a_disclosure_in_their_community_only(client, people):
    start = timezone.localtime() + timedelta(days=1)
    form = {"kind": "deliberation", "subject_type": "deliberation", "subject_id": "YS-1", "title": "加装电梯议事结果公开", "body": "<p>同意加装。</p>",
            "shown_from": start.strftime("%Y-%m-%dT09:00"), "shown_until": (start + timedelta(days=7)).strftime("%Y-%m-%dT09:00")}
    _as(client, people.community_official)
    page = client.get("/portal/disclosures/new").content.decode()
    assert people.home_grid.community.code in page and people.other_grid.community.code not in page
    assert client.post("/portal/disclosures/new", {**form, "area_code": people.other_grid.community.code}).status_code == 403
    bad = client.post("/portal/disclosures/new", {**form, "area_code": "410104999999"})
    assert bad.status_code == 400 and 'id="id_area_code-error"' in bad.content.decode()
    late = client.post("/portal/disclosures/new", {**form, "area_code": people.home_grid.community.code, "shown_until": "明天"})
    assert late.status_code == 400 and "公示结束不是有效的时间" in late.content.decode()
    assert not Disclosure.objects.filter(title="加装电梯议事结果公开").exists()
    done = client.post("/portal/disclosures/new", {**form, "area_code": people.home_grid.community.code})
    disclosure = Disclosure.objects.get(title="加装电梯议事结果公开")
    assert done.status_code == 302 and disclosure.area_code == people.home_grid.community.code
    assert timezone.localtime(disclosure.shown_from).hour == 9


def test_the_objections_queue_shows_pending_objections_in_scope_masked_and_answers_them(client, people):
    official = people.community_official.user
    start = timezone.now() - timedelta(days=1)
    home = publish(draft_disclosure(official, people.home_grid.community.code, shown_from=start, shown_until=start + timedelta(days=7)),
                   official, people.district_official.user)
    objection = objection_submit(disclosure=home, text="建议调整施工时间", name="李四海", phone="13912345678")
    page = _as(client, people.community_official).get("/portal/objections").content.decode()
    assert "建议调整施工时间" in page and "李**" in page and "139****5678" in page and "李四海" not in page
    other = second_official(people)
    other.role, other.scope_code = "community_official", people.other_grid.community.code
    other.save()
    assert "建议调整施工时间" not in _as(client, other).get("/portal/objections").content.decode()
    assert client.post("/portal/objections", {"objection": objection.pk, "answer": "越权答复"}).status_code == 404
    _as(client, people.community_official)
    empty = client.post("/portal/objections", {"objection": objection.pk, "answer": " "})
    assert empty.status_code == 400 and 'data-field="answer">请填写答复内容' in empty.content.decode()
    assert client.post("/portal/objections", {"objection": objection.pk, "answer": "已调整到上午"}).status_code == 302
    objection.refresh_from_db()
    assert objection.answer == "已调整到上午" and objection.answered_by == official


def test_district_officials_keep_the_sensitive_words(client, people):
    _as(client, people.district_official)
    assert client.post("/portal/words", {"action": "add", "word": "星光娱乐城", "category": "赌博"}).status_code == 302
    assert SensitiveWord.objects.get(word="星光娱乐城").active
    bad = client.post("/portal/words", {"action": "add", "word": "某词", "category": "其他"})
    assert bad.status_code == 400 and 'id="id_add_category-error">类别应为' in bad.content.decode()  # beside the category
    assert client.post("/portal/words", {"action": "off", "word": "百家乐"}).status_code == 302  # a shipped word
    assert SensitiveWord.objects.get(word="百家乐").active is False
    unknown = client.post("/portal/words", {"action": "off", "word": "从未收录的词"})
    assert unknown.status_code == 400 and not SensitiveWord.objects.filter(word="从未收录的词").exists()
    assert 'id="id_off_word-error">词库中没有“从未收录的词”' in unknown.content.decode()
    page = client.get("/portal/words").content.decode()
    assert 'data-word="星光娱乐城" data-active="1"' in page and 'data-word="百家乐" data-active="0"' in page
    assert _as(client, people.community_official).get("/portal/words").status_code == 403
    assert client.post("/portal/words", {"action": "add", "word": "越权", "category": "赌博"}).status_code == 403
    assert not SensitiveWord.objects.filter(word="越权").exists()


def test_a_switched_off_shipped_word_is_no_longer_flagged(client, people):
    author = people.district_official.user
    _as(client, people.district_official).post("/portal/words", {"action": "off", "word": "百家乐"})
    article = draft_article(author, title="百家乐的危害")
    assert 'class="word">百家乐' not in client.get(f"/portal/articles/{article.pk}").content.decode()
