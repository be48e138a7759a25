"""The scheme page: a scheme saved from its lines, refusals naming the line, nothing half-saved."""

import pytest

from wangge.property.models.rating import RatingScheme

pytestmark = pytest.mark.django_db

FORM = {
    "name": "千分制方案", "sections": "基础管理 150\n房屋管理 150\n共用设施 150\n秩序维护 150\n环境卫生 150\n事件办理 150 事件\n居民满意度 100 调查\n加分项 100 考评 加分",
    "vetoes": "重大安全事故 0\n弃管 0\n拒不整改 2", "stars1": "600", "stars2": "700", "stars3": "800", "stars4": "900", "stars5": "1000",
}


def test_it_saves_a_scheme_from_its_lines(client, people):
    client.force_login(people.district_official.user)
    assert client.post("/property/ratings/scheme", FORM).status_code == 302
    scheme = RatingScheme.objects.get(name="千分制方案")
    assert sum(scheme.sections.values_list("points", flat=True)) == 1100 and scheme.star_minimums == [600, 700, 800, 900, 1000]
    assert list(scheme.sections.filter(source="cases").values_list("name", flat=True)) == ["事件办理"]
    assert scheme.sections.get(name="加分项").bonus and dict(scheme.vetoes.values_list("name", "cap_stars"))["拒不整改"] == 2


@pytest.mark.parametrize("field, value, message", [
    ("sections", "基础管理 150\n房屋管理 很多", "第 2 行：分值须为整数"),
    ("sections", "基础管理 150 巡查", "第 1 行：评分来源只能是考评、事件或调查"),
    ("vetoes", "弃管", "第 1 行：须写明否决事项和最高星级"),
    ("stars5", "2000", "五星分数线 2000 超过方案满分 1100"),
    ("stars3", "三百", "3星分数线须为整数"),
])  # fmt: skip
def test_it_refuses_a_bad_line_by_its_number_and_saves_nothing(client, people, field, value, message):
    client.force_login(people.district_official.user)
    response = client.post("/property/ratings/scheme", {**FORM, field: value})
    assert response.status_code == 400 and message in response.content.decode()
    assert not RatingScheme.objects.filter(name="千分制方案").exists()


def test_only_district_officials_set_schemes(client, people):
    client.force_login(people.subdistrict_official.user)
    assert client.post("/property/ratings/scheme", FORM).status_code == 403
    assert not RatingScheme.objects.filter(name="千分制方案").exists()


@pytest.mark.parametrize("field, value, message", [
    ("vetoes", "弃管 6", "第 1 个否决事项：最高星级须在 0 至 5 之间"),
    ("sections", "基础管理 150\n基础管理 100", "第 2 个考评项目：考评项目名称重复"),
    ("sections", "基础管理 0", "第 1 个考评项目：分值须大于 0"),
])  # fmt: skip
def test_it_refuses_what_the_records_refuse_in_chinese(client, people, field, value, message):
    client.force_login(people.district_official.user)
    response = client.post("/property/ratings/scheme", {**FORM, field: value})
    assert response.status_code == 400 and message in response.content.decode()
    assert not RatingScheme.objects.filter(name="千分制方案").exists()
