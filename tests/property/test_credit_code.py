import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wangge.core.credit_code import ALPHABET, credit_code_checked, credit_code_compose

# Published codes of real companies.
REAL = ["91350100M000100Y43", "91110000600037341L", "91440300MA5ELPB95W", "91110108551385082Q"]


def refusal(code: str) -> str:
    with pytest.raises(ValidationError) as refused:
        credit_code_checked(code)
    return refused.value.message_dict["credit_code"][0]


@pytest.mark.parametrize("code", REAL)
def test_it_accepts_real_codes(code):
    assert credit_code_checked(code.lower() + " ") == code


def test_it_names_the_position_of_a_character_outside_the_alphabet():
    assert "第 10 位「O」" in refusal("91350100MO00100Y43")
    assert "第 1 位「I」" in refusal("I1350100M000100Y43")


def test_it_names_the_check_character_and_what_it_should_be():
    message = refusal("91350100M000100Y44")
    assert "第 18 位" in message and "「3」" in message


def test_it_checks_the_embedded_organisation_code():
    # The 17th character is the GB 11714 check of characters 9-16; change it and fix the 18th.
    from wangge.core.credit_code import check_character

    first17 = "91350100M000100Y" + "5"
    assert "第 17 位" in refusal(first17 + check_character(first17))


def test_it_refuses_a_code_of_the_wrong_length_or_with_letters_in_the_division():
    assert "18 位" in refusal("9135010")
    assert "第 5 位应为数字" in refusal("9135A100M000100Y43")


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8), st.integers(0, 16), st.sampled_from(ALPHABET))
def test_it_refuses_any_single_character_changed(body, position, char):
    code = credit_code_compose(authority="9", kind="1", division="410104", organisation_body=body)
    assert credit_code_checked(code) == code
    changed = code[:position] + char + code[position + 1:]
    if changed != code:
        with pytest.raises(ValidationError):
            credit_code_checked(changed)
