"""The back office's JSON API over real HTTP: the same rules as the pages, errors in Chinese
naming the field, out-of-scope pieces answering as missing ones."""

from datetime import timedelta

from django.utils import timezone

from tests.personas import Person
from tests.portal.test_publishing import draft_disclosure, publish, second_official
from wangge.accounts.auth import token_issue
from wangge.portal.models import Article, Disclosure, Objection, Stage
from wangge.portal.objections import objection_submit

ARTICLE = {"section": "work", "title": "社区供需对接会成功举办", "body": "<p>现场对接项目12个。</p><script>x()</script>", "meta_keywords": "社洽会"}


def _reviewer(people) -> Person:
    user = second_official(people)
    return Person(user, token_issue(user=user))


def test_an_article_goes_from_draft_to_published_through_two_people(api, people):
    author, reviewer = people.district_official, _reviewer(people)
    created = api.post("/api/portal/articles", token=author.token, json=ARTICLE)
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["stage"] == "draft" and "script" not in article["body"] and set(article["actions"]) == {"edit", "submit"}
    url = f"/api/portal/articles/{article['id']}"
    edited = api.patch(url, token=author.token, json={"summary": "对接会"})
    assert edited.json()["summary"] == "对接会" and edited.json()["title"] == ARTICLE["title"]
    assert api.post(url + "/submit", token=author.token).json()["stage"] == "review"
    refused = api.post(url + "/approve", token=author.token, json={})
    assert refused.status_code == 403 and "送审人不能审核自己的稿件" in refused.json()["detail"]
    published = api.post(url + "/approve", token=reviewer.token, json={})
    assert published.status_code == 200 and published.json()["stage"] == "published" and len(published.json()["digest"]) == 64
    listed = api.get("/api/portal/articles?stage=published", token=author.token).json()
    assert article["id"] in [a["id"] for a in listed["items"]]


def test_it_names_the_field_in_chinese_and_changes_nothing(api, people):
    author = people.district_official
    for body, field in ((dict(ARTICLE, title=""), "title"), (dict(ARTICLE, section=""), "section"), (dict(ARTICLE, section="sports"), "section")):
        response = api.post("/api/portal/articles", token=author.token, json=body)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field, response.text
    assert api.get("/api/portal/articles?stage=nonsense", token=author.token).json()["errors"][0]["field"] == "stage"
    schema = api.post("/api/portal/disclosures", token=author.token, json={"kind": "project", "title": "x", "shown_from": "明天"})
    assert schema.status_code == 422 and "shown_from" in schema.json()["detail"]
    late = api.post("/api/portal/disclosures", token=author.token, json={"kind": "project", "title": "x", "shown_from": "9999-12-31T00:00:00"})
    assert late.status_code == 400 and late.json()["errors"][0]["field"] == "shown_from"
    assert not Article.objects.filter(title="").exists() and not Disclosure.objects.filter(title="x").exists()


def test_flagged_approval_needs_a_reason(api, people):
    author, reviewer = people.district_official, _reviewer(people)
    article = api.post("/api/portal/articles", token=author.token, json=dict(ARTICLE, meta_description="六合彩开奖")).json()
    url = f"/api/portal/articles/{article['id']}"
    flags = api.post(url + "/submit", token=author.token).json()["flags"]
    assert {"field": "meta_description", "word": "六合彩开奖"} in [{k: f[k] for k in ("field", "word")} for f in flags]
    refused = api.post(url + "/approve", token=reviewer.token, json={"accept_flags": ""})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "accept_flags"
    assert api.post(url + "/approve", token=reviewer.token, json={"accept_flags": "反赌宣传"}).json()["stage"] == "published"


def test_return_and_withdraw_take_a_note(api, people):
    author, reviewer = people.district_official, _reviewer(people)
    article = api.post("/api/portal/articles", token=author.token, json=ARTICLE).json()
    url = f"/api/portal/articles/{article['id']}"
    api.post(url + "/submit", token=author.token)
    assert api.post(url + "/return", token=reviewer.token, json={}).json()["errors"][0]["field"] == "review_note"
    assert api.post(url + "/return", token=reviewer.token, json={"note": "补充照片"}).json()["stage"] == "draft"
    api.post(url + "/submit", token=author.token)
    api.post(url + "/approve", token=reviewer.token, json={})
    assert api.post(url + "/withdraw", token=author.token, json={"note": "信息有误"}).json()["stage"] == "withdrawn"


def test_articles_are_refused_to_all_but_district_wide_officials(api, people):
    article = api.post("/api/portal/articles", token=people.district_official.token, json=ARTICLE).json()
    for persona in ("subdistrict_official", "community_official", "grid_worker", "resident"):
        token = getattr(people, persona).token
        assert api.post("/api/portal/articles", token=token, json=ARTICLE).status_code == 403
        assert api.get(f"/api/portal/articles/{article['id']}", token=token).status_code == 403
    assert Article.objects.filter(title=ARTICLE["title"]).count() == 1


def test_a_community_official_keeps_disclosures_of_their_community_only(api, people):
    official = people.community_official
    body = {"kind": "deliberation", "title": "议事结果公开", "body": "<p>同意。</p>", "area_code": people.home_grid.community.code}
    created = api.post("/api/portal/disclosures", token=official.token, json=body)
    assert created.status_code == 201 and created.json()["kind_name"] == "议事结果公开"
    outside = api.post("/api/portal/disclosures", token=official.token, json=dict(body, area_code=people.other_grid.community.code))
    assert outside.status_code == 403
    other = draft_disclosure(people.district_official.user, people.other_grid.community.code, title="别处的公示")
    assert api.get(f"/api/portal/disclosures/{other.pk}", token=official.token).status_code == 404
    assert api.patch(f"/api/portal/disclosures/{other.pk}", token=official.token, json={"title": "改"}).status_code == 404
    assert [d["title"] for d in api.get("/api/portal/disclosures", token=official.token).json()["items"]].count("别处的公示") == 0
    assert Disclosure.objects.get(pk=other.pk).title == "别处的公示"
    assert api.post("/api/portal/disclosures", token=people.grid_worker.token, json=body).status_code == 403


def test_objections_are_answered_within_scope(api, people):
    official = people.community_official
    start = timezone.now() - timedelta(days=1)
    disclosure = publish(draft_disclosure(official.user, people.home_grid.community.code, shown_from=start, shown_until=start + timedelta(days=7)),
                         official.user, people.district_official.user)
    objection = objection_submit(disclosure=disclosure, text="请公开预算明细", name="周八", phone="13811112222")
    pending = api.get("/api/portal/objections", token=official.token).json()["items"]
    assert [(o["id"], o["name"]) for o in pending] == [(objection.pk, "周*")]
    url = f"/api/portal/objections/{objection.pk}/answer"
    assert api.post(url, token=people.other_grid_worker.token, json={"answer": "x"}).status_code == 403
    assert api.post(url, token=official.token, json={"answer": ""}).json()["errors"][0]["field"] == "answer"
    answered = api.post(url, token=official.token, json={"answer": "明细已补充"})
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    assert Objection.objects.get(pk=objection.pk).answer == "明细已补充"
    assert Disclosure.objects.get(pk=disclosure.pk).stage == Stage.PUBLISHED


def test_it_lists_the_registered_kinds(api, people):
    kinds = {k["code"]: k for k in api.get("/api/portal/kinds", token=people.community_official.token).json()}
    assert kinds["project"]["objections"] is True and kinds["notice"]["objections"] is False
