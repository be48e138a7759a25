"""Objections to disclosures: taken only while a kind that allows them is shown; answered by an
official of the area; the answer reseals the page, so verification stays clean and the sealed
content shows it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests.portal.test_publishing import draft_disclosure, publish, second_official
from wangge.portal.models import Disclosure, Objection
from wangge.portal.objections import objection_answer, objection_submit
from wangge.portal.render import digest_of, sealed_parts


def shown(people, *, kind="project", start=None, days=7):
    official = people.community_official.user
    start = start or timezone.now() - timedelta(days=1)
    disclosure = draft_disclosure(official, people.home_grid.community.code, kind=kind, shown_from=start, shown_until=start + timedelta(days=days))
    return publish(disclosure, official, people.district_official.user)


def test_an_answered_objection_reseals_the_page_and_is_shown(people):
    disclosure = shown(people)
    sealed = disclosure.digest
    objection = objection_submit(disclosure=disclosure, text="施工时间影响孩子午休", name="张三丰", phone="13812345678")
    assert objection.number.startswith("YY") and Disclosure.objects.get(pk=disclosure.pk).digest == sealed  # pending: not shown
    objection_answer(objection=objection, actor=people.community_official.user, answer="已调整为上午施工")
    disclosure = Disclosure.objects.get(pk=disclosure.pk)
    assert disclosure.digest != sealed and disclosure.digest == digest_of(disclosure)
    _, body = sealed_parts(disclosure)
    assert "施工时间影响孩子午休" in body and "已调整为上午施工" in body
    assert "张*" in body and "张三丰" not in body and "13812345678" not in body
    out = StringIO()
    call_command("portal", "verify", stdout=out)
    assert "未发现异常" in out.getvalue()


def test_it_refuses_objections_outside_the_period(people):
    past = shown(people, start=timezone.now() - timedelta(days=30))
    future = shown(people, start=timezone.now() + timedelta(days=2))
    for disclosure in (past, future):
        with pytest.raises(ValidationError) as refused:
            objection_submit(disclosure=disclosure, text="有异议")
        assert "text" in refused.value.message_dict
    assert not Objection.objects.filter(disclosure__in=[past, future]).exists()


@pytest.mark.parametrize("kind", ["notice", "result"])
def test_it_refuses_objections_for_kinds_without_them(people, kind):
    disclosure = shown(people, kind=kind, days=30)
    with pytest.raises(ValidationError):
        objection_submit(disclosure=disclosure, text="有异议")


def test_it_refuses_objections_before_publication(people):
    official = people.community_official.user
    draft = draft_disclosure(official, people.home_grid.community.code)
    with pytest.raises(ValidationError):
        objection_submit(disclosure=draft, text="有异议")


def test_it_names_the_field_of_a_bad_objection(people):
    disclosure = shown(people)
    for fields, field in (({"text": " "}, "text"), ({"text": "有", "phone": "123"}, "phone"), ({"text": "x" * 1001}, "text")):
        with pytest.raises(ValidationError) as refused:
            objection_submit(disclosure=disclosure, **fields)
        assert field in refused.value.message_dict
    assert not Objection.objects.filter(disclosure=disclosure).exists()


def test_only_officials_of_the_area_answer(people):
    disclosure = shown(people)
    objection = objection_submit(disclosure=disclosure, text="有异议")
    for persona in ("grid_worker", "department_handler", "resident"):
        with pytest.raises(PermissionDenied):
            objection_answer(objection=objection, actor=getattr(people, persona).user, answer="答复")
    other = second_official(people)
    other.role, other.scope_code = "community_official", people.other_grid.community.code
    other.save()
    with pytest.raises(PermissionDenied):
        objection_answer(objection=objection, actor=other, answer="答复")
    assert Objection.objects.get(pk=objection.pk).state == Objection.State.PENDING
    objection_answer(objection=objection, actor=people.subdistrict_official.user, answer="已核实")
    with pytest.raises(ValidationError):
        objection_answer(objection=Objection.objects.get(pk=objection.pk), actor=people.community_official.user, answer="再答一次")
