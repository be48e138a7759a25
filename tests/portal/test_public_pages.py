"""The public portal's reading pages: home, news centre, article, disclosures, search."""

import html
import re

from django.test import Client

from tests.portal import making as make
from wangge.core.figures import headline
from wangge.geo.scope import Scope
from wangge.portal.models import Objection, Section
from wangge.portal.objections import objection_answer
from wangge.portal.publishing import article_save, publication_withdraw
from wangge.portal.render import sealed_parts


def test_it_shows_the_newest_articles_disclosures_services_and_figures_on_the_home_page(people):
    published = make.article(people, title="网格员入户走访纪实")
    draft = make.article(people, title="尚未审核的稿件", publish_it=False)
    shown = make.disclosure(people, title="加装电梯项目公示")
    later = make.disclosure(people, title="下月才开始的公示", starts_days=10)
    page = make.text(Client().get("/"))
    assert f'href="/news/{published.pk}"' in page and "网格员入户走访纪实" in page
    assert "尚未审核的稿件" not in page and f"/news/{draft.pk}" not in page
    assert f'href="/disclosures/{shown.pk}"' in page and later.title not in page
    for link in ("/report", "/follow", "/services/need"):
        assert f'href="{link}"' in page
    figures = headline(Scope.district())
    assert re.search(rf'data-key="grids_by_level.3"><span class="figure-value">{figures["grids_by_level"]["3"]}<', page)
    assert re.search(rf'data-key="communities"><span class="figure-value">{figures["communities"]}<', page)


def test_the_article_page_carries_the_sealed_parts_and_the_reading_tools(people):
    article = make.article(people, section="notices", title="关于开展消防安全检查的通知")
    response = Client().get(f"/news/{article.pk}")
    page = make.text(response)
    head, body = sealed_parts(article)
    assert head in page and body in page
    crumbs = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<nav class="portal-breadcrumb.*?</nav>', page, re.S).group(0)))
    assert " ".join(crumbs.split()) == "当前位置：首页 > 新闻中心 > 通知公告 > 正文"
    assert "来源：管城区融媒体中心" in body and "作者：李明" in body and "发布时间：" in body
    for size in ("大", "中", "小"):
        assert f">{size}</button>" in page
    assert 'id="print-button"' in page and f"本文地址：http://testserver/news/{article.pk}" in page
    assert '<svg width="' in page and 'class="portal-qr"' in page and 'id="view-count"' in page
    assert f'data-view-url="/news/{article.pk}/view"' in page
    # The volatile parts stay outside the sealed body.
    assert "view-count" not in body and "<svg" not in body and "font-switch" not in body
    assert response["Cache-Control"] == "public, no-cache" and response["ETag"]


def test_only_published_articles_are_shown(people):
    draft = make.article(people, publish_it=False)
    withdrawn = make.article(people, title="将被撤回的文章")
    publication_withdraw(item=withdrawn, actor=people.district_official.user, note="内容有误")
    client = Client()
    assert client.get(f"/news/{draft.pk}").status_code == 404
    assert client.get(f"/news/{withdrawn.pk}").status_code == 404
    assert client.get("/news/999999999").status_code == 404
    assert client.get("/news/no-such-section").status_code == 404


def test_the_article_page_is_served_from_the_cache_with_one_query(people, django_assert_max_num_queries):
    article = make.article(people)
    client = Client()
    first = client.get(f"/news/{article.pk}")
    with django_assert_max_num_queries(1):
        again = client.get(f"/news/{article.pk}")
    assert again.content == first.content
    with django_assert_max_num_queries(1):
        assert client.get(f"/news/{article.pk}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_changed_article_is_rendered_again(people):
    article = make.article(people, title="原来的标题")
    client = Client()
    assert "原来的标题" in make.text(client.get(f"/news/{article.pk}"))
    publication_withdraw(item=article, actor=people.district_official.user, note="更正")
    article_save(actor=people.district_official.user, article=article, title="更正后的标题")
    make.publish(people, article)
    page = make.text(client.get(f"/news/{article.pk}"))
    assert "更正后的标题" in page and "原来的标题" not in page


def test_the_article_page_is_the_same_for_everyone(people):
    article = make.article(people)
    anonymous = Client().get(f"/news/{article.pk}")
    signed_in = Client()
    signed_in.force_login(people.district_official.user)
    assert signed_in.get(f"/news/{article.pk}").content == anonymous.content
    assert "district_official" not in make.text(anonymous) and "csrfmiddlewaretoken" not in make.text(anonymous)


def test_the_news_centre_and_a_section_list_their_articles_paged(people):
    Section.objects.create(code="pilot", name="试点专栏", order=99)  # empty of demo news, whatever the demo holds
    for n in range(17):
        make.article(people, section="pilot", title=f"工作动态第{n}期")
    centre = make.text(Client().get("/news"))
    assert "试点专栏" in centre and "工作动态第16期" in centre and 'href="/news/pilot"' in centre
    first, second = make.text(Client().get("/news/pilot")), make.text(Client().get("/news/pilot?page=2"))
    assert "工作动态第16期" in first and "工作动态第1期<" not in first
    assert "工作动态第1期<" in second and "第 2 / 2 页，共 17 条" in second


def test_disclosures_are_listed_now_or_as_past_and_filtered_by_kind(people):
    current = make.disclosure(people, kind="project", title="正在公示的项目")
    notice = make.disclosure(people, kind="notice", title="正在公示的公告")
    past = make.disclosure(people, kind="project", title="已经结束的项目公示", starts_days=-30, lasts_days=7)
    client = Client()
    now_page = make.text(client.get("/disclosures"))
    assert current.title in now_page and notice.title in now_page and past.title not in now_page
    projects = make.text(client.get("/disclosures?kind=project"))
    assert current.title in projects and notice.title not in projects
    past_page = make.text(client.get("/disclosures?period=past"))
    assert past.title in past_page and current.title not in past_page
    # A past disclosure stays readable, without the objection form.
    page = make.text(client.get(f"/disclosures/{past.pk}"))
    assert past.title in page and "公示期已结束" in page and 'name="text"' not in page and "往期公示" in page


def test_a_disclosure_shows_its_sealed_parts_and_the_form_only_where_its_kind_allows(people):
    project = make.disclosure(people, kind="project")
    notice = make.disclosure(people, kind="notice", title="停水通知公告")
    client = Client()
    page = make.text(client.get(f"/disclosures/{project.pk}"))
    head, body = sealed_parts(project)
    assert head in page and body in page
    assert f'action="/disclosures/{project.pk}/objections"' in page and "提出异议" in page
    assert 'name="text"' not in make.text(client.get(f"/disclosures/{notice.pk}"))
    draft_like = make.disclosure(people, title="草稿")
    publication_withdraw(item=draft_like, actor=people.district_official.user, note="撤回")
    assert client.get(f"/disclosures/{draft_like.pk}").status_code == 404


def test_an_anonymous_objection_gets_a_receipt_and_its_answer_is_shown(people):
    disclosure = make.disclosure(people)
    response = Client().post(f"/disclosures/{disclosure.pk}/objections", {"text": "电梯位置影响采光", "name": "张三", "phone": "13800138000"})
    assert response.status_code == 200
    objection = Objection.objects.get(disclosure=disclosure)
    assert objection.number in make.text(response) and "异议已受理" in make.text(response)
    assert (objection.text, objection.name, objection.submitted_by) == ("电梯位置影响采光", "张三", None)
    objection_answer(objection=objection, actor=people.district_official.user, answer="已调整选址")
    page = make.text(Client().get(f"/disclosures/{disclosure.pk}"))
    assert "已调整选址" in page and "电梯位置影响采光" in page and "张三" not in page


def test_a_bad_objection_says_which_field_in_chinese_and_saves_nothing(people):
    disclosure = make.disclosure(people)
    client = Client()
    empty = client.post(f"/disclosures/{disclosure.pk}/objections", {"text": " ", "phone": ""})
    assert empty.status_code == 400
    assert re.search(r'id="objection-text-error">请填写异议内容<', make.text(empty))
    phone = client.post(f"/disclosures/{disclosure.pk}/objections", {"text": "有意见", "phone": "12345"})
    assert phone.status_code == 400 and re.search(r'id="objection-phone-error">请填写正确的手机号或固定电话<', make.text(phone))
    assert "有意见</textarea>" in make.text(phone)  # what was typed is kept
    assert not Objection.objects.filter(disclosure=disclosure).exists()
    ended = make.disclosure(people, starts_days=-20, lasts_days=7)
    late = client.post(f"/disclosures/{ended.pk}/objections", {"text": "迟到的异议"})
    assert late.status_code == 400 and "不在异议受理期内" in make.text(late)
    assert not Objection.objects.filter(disclosure=ended).exists()


def test_objections_are_limited_per_address(people):
    disclosure = make.disclosure(people)
    client = Client()
    for n in range(5):
        assert client.post(f"/disclosures/{disclosure.pk}/objections", {"text": f"异议{n}"}).status_code == 200
    refused = client.post(f"/disclosures/{disclosure.pk}/objections", {"text": "第六条"})
    assert refused.status_code == 429 and "提交过于频繁" in make.text(refused)
    assert Objection.objects.filter(disclosure=disclosure).count() == 5
    other = Client(REMOTE_ADDR="10.1.2.3").post(f"/disclosures/{disclosure.pk}/objections", {"text": "另一个地址"})
    assert other.status_code == 200


def test_search_finds_published_articles_and_disclosures_and_marks_the_term(people):
    article = make.article(people, title="沁园巷分类宣传进社区", body="<p>志愿者讲解沁园巷分类知识。</p>")
    disclosure = make.disclosure(people, title="分类沁园巷桶采购公示", body="<p>采购四分类沁园巷桶 200 组。</p>")
    make.article(people, title="沁园巷分类草稿", publish_it=False)
    page = make.text(Client().get("/search", {"q": "沁园巷分类"}))
    assert f'href="/news/{article.pk}"' in page and f'href="/disclosures/{disclosure.pk}"' not in page
    assert "<mark>沁园巷分类</mark>宣传进社区" in page and "草稿" not in page
    both = make.text(Client().get("/search", {"q": "沁园巷"}))
    assert f'href="/news/{article.pk}"' in both and f'href="/disclosures/{disclosure.pk}"' in both
    assert "找到 2 条" in both


def test_search_escapes_what_it_marks(people):
    make.article(people, title="关于<b>标签</b>的说明", body="<p>正文</p>")
    page = make.text(Client().get("/search", {"q": "<b>"}))
    assert "<mark>&lt;b&gt;</mark>" in page and "<b>标签" not in page


def test_a_short_query_asks_for_more(people):
    make.article(people)
    for query in ("", "网"):
        page = make.text(Client().get("/search", {"q": query}))
        assert "至少 2 个字" in page and "找到" not in page


def test_search_is_paged(people):
    for n in range(12):
        make.article(people, title=f"沁园巷创建第{n}篇")
    first, second = make.text(Client().get("/search?q=沁园巷创建")), make.text(Client().get("/search?q=沁园巷创建&page=2"))
    assert first.count("<mark>沁园巷创建</mark>第") == 10 and second.count("<mark>沁园巷创建</mark>第") == 2
    assert "q=%E6%B2%81%E5%9B%AD%E5%B7%B7%E5%88%9B%E5%BB%BA&amp;page=2" in first


def test_a_disclosure_not_yet_shown_is_not_found(people):
    make.disclosure(people, title="未来的停车位公示", starts_days=3)
    assert "未来的停车位公示" not in make.text(Client().get("/search", {"q": "停车位"}))
