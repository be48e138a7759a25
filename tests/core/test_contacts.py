"""The one contact validator (name, mobile, landline) and the one reason-length rule."""

import pytest
from django.core.exceptions import ValidationError

from wangge.core.contacts import clean_contact
from wangge.core.reasons import reason_checked


@pytest.mark.parametrize("phone", ["13812345678", "0371-12345678", "037112345678", " 138 1234 5678 "])
def test_it_accepts_a_mobile_or_a_landline(phone):
    assert clean_contact("张三", phone, required=True) == ("张三", phone.replace(" ", ""))


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "371-12345678", "abc"])
def test_it_refuses_a_phone_of_neither_shape_naming_the_field(phone):
    with pytest.raises(ValidationError) as caught:
        clean_contact("张三", phone, required=False)
    assert caught.value.message_dict == {"phone": ["请填写正确的手机号或固定电话"]}


def test_it_requires_name_and_phone_only_when_asked():
    assert clean_contact("", "", required=False) == ("", "")
    with pytest.raises(ValidationError) as caught:
        clean_contact("", "13812345678", required=True)
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        clean_contact("张" * 31, "", required=False)
    assert caught.value.message_dict == {"name": ["姓名不能超过 30 字"]}


def test_it_checks_a_reason_against_its_bounds():
    assert reason_checked("  核实身份  ", min_length=4, max_length=10) == "核实身份"
    with pytest.raises(ValidationError) as caught:
        reason_checked("核实", min_length=4, max_length=10, noun="事由")
    assert caught.value.message_dict == {"reason": ["请填写事由，至少 4 个字"]}
    with pytest.raises(ValidationError) as caught:
        reason_checked("长" * 11, max_length=10, field="note")
    assert caught.value.message_dict == {"note": ["原因不能超过 10 个字"]}
