"""GB 11643 ID numbers, phones and masking."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wangge.core import pii
from wangge.core.contacts import normalise_phone
from wangge.people.identity import check_char, parse_id_number

from .ids import id_number


def test_it_reads_birth_date_and_sex_from_the_number():
    woman = parse_id_number(id_number(born=date(1975, 2, 28), female=True))
    man = parse_id_number(id_number(born=date(2001, 12, 1)).lower())
    assert (woman.birth_date, woman.sex) == (date(1975, 2, 28), "F")
    assert (man.birth_date, man.sex) == (date(2001, 12, 1), "M")


def test_it_accepts_the_published_check_digit_example():
    # GB 11643-1999 appendix example: 11010519491231002X
    assert check_char("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


@given(st.integers(0, 16), st.integers(1, 9))
def test_it_refuses_any_single_changed_digit(position, shift):
    number = id_number()
    digit = str((int(number[position]) + shift) % 10)
    with pytest.raises(ValueError, match="校验位错误"):
        parse_id_number(number[:position] + digit + number[position + 1 :])


@pytest.mark.parametrize(
    "raw, reason",
    [("41010419800101123", "应为18位"), ("4101041980010112AX", "前17位"), ("410104198002301234", "出生日期无效")],
)
def test_it_names_the_reason(raw, reason):
    if reason == "出生日期无效":
        raw = raw[:17] + check_char(raw[:17])
    with pytest.raises(ValueError, match=reason):
        parse_id_number(raw)


def test_it_refuses_a_birth_date_in_the_future():
    number = id_number(born=date(2030, 1, 1))
    with pytest.raises(ValueError, match="出生日期无效"):
        parse_id_number(number, today=date(2026, 11, 25))


@pytest.mark.parametrize("raw, phone", [("138 0013 8000", "13800138000"), ("+8613800138000", "13800138000"), ("0371-66668888", "0371-66668888")])
def test_it_normalises_phones(raw, phone):
    assert normalise_phone(raw) == phone


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "phone", "0371-123"])
def test_it_refuses_bad_phones(raw):
    with pytest.raises(ValueError, match="格式错误"):
        normalise_phone(raw)


def test_it_masks_as_offices_expect():
    assert pii.mask_id("410104198001011234") == "410104********1234"
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_name("张三") == "张*"
    assert pii.mask_name("欧阳娜娜") == "欧***"


def test_it_encrypts_with_a_fresh_nonce_and_reads_back():
    first, second = pii.encrypt("13812345678"), pii.encrypt("13812345678")
    assert first != second and "13812345678" not in first
    assert pii.decrypt(first) == pii.decrypt(second) == "13812345678"
    assert pii.blind_index("id", "x") == pii.blind_index("id", "x") != pii.blind_index("phone", "x")
