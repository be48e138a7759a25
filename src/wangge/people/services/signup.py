"""Residents claiming their account: the one rule for it, the portal's pages only call it.

A resident account belongs to a resident in the registry. It is claimed either with the
resident's name, ID number and mobile, all as registered (no SMS gateway is needed: the
registry already holds what only the resident knows together), or with a one-time code a
grid worker hands over on a household visit, together with the resident's name and full ID
number (a code alone, or with a guessed name, claims nobody). The grid worker who issued a
code cannot spend it from their own session, and the account a code claims finds a notice of
it in its inbox.

Every refusal reads the same (`REFUSED`), whichever field did not match, whether nobody
matched or the person already has an account: an answer that named the field would let
anyone test a neighbour's mobile against the registry. Refusals are counted per client
address and per ID number (its blind index) or code, and refused outright past the limit;
each one is audited without the submitted values.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.services import resident_account_create, resident_account_prepare
from wangge.core import pii
from wangge.core.audit import audit_record
from wangge.core.audit_writes import audit_as
from wangge.core.contacts import MOBILE, normalise_phone
from wangge.core.limits import window_count
from wangge.core.models import AuditRecord
from wangge.geo.scope import Scope

from ..identity import parse_id_number
from ..models import Person, SignupCode
from ..notify import signup_claimed_notify
from ..permissions import acting_scope, can_issue_signup_codes, require, require_found
from ..selectors.persons import resident_list
from .persons import id_digest

REFUSED = "未能核验您的身份：请核对填写的信息后重试；如仍无法注册，请联系所在社区或网格员"
TOO_MANY = "尝试次数过多，请一小时后再试；也可请网格员上门时为您发放注册码"
CODE_REFUSED = "没有权限发放注册码"
HOUR = 3600
# Refused attempts allowed an hour: per client address (a family or an office shares one), and
# per ID number or code, so that spreading guesses over many addresses gains nothing.
REFUSALS_PER_ADDRESS = 10
REFUSALS_PER_TARGET = 5
CODE_HOURS = 72
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on a phone
CODE_LENGTH = 8  # 31^8 ≈ 8.5e11, against at most REFUSALS_PER_ADDRESS guesses an hour per address
CODE_INDEX = "signup-code"
AUDIT_ACTION = "resident.signup"


class SignupRefused(Exception):
    """A claim refused in one of two fixed Chinese answers; `limited` when it was the limit."""

    def __init__(self, message: str, *, limited: bool = False) -> None:
        super().__init__(message)
        self.message, self.limited = message, limited


@dataclass(frozen=True)
class _Attempt:
    address: str
    target: str  # the rate-limit key of what was tried: an ID number's blind index or a code's digest
    how: str  # the path, as the audit row names it


def code_digest(code: str) -> str:
    return pii.blind_index(CODE_INDEX, _code_normalised(code))


def _code_normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def _keys(attempt: _Attempt) -> list[str]:
    return [f"wangge:signup:address:{attempt.address or '-'}", f"wangge:signup:target:{attempt.target}"]


def _refuse(attempt: _Attempt, reason: str, *, limited: bool = False) -> None:
    """Audit the refusal (what happened, never what was typed) and count it; raises."""
    if not limited:
        for key in _keys(attempt):
            window_count(key, HOUR)
    audit_record(action=AUDIT_ACTION, result=AuditRecord.Result.DENIED, object_type="people.person", detail=f"{attempt.how}：{reason}", address=attempt.address or None)
    raise SignupRefused(TOO_MANY if limited else REFUSED, limited=limited)


def _check_limit(attempt: _Attempt) -> None:
    address_key, target_key = _keys(attempt)
    if cache.get(address_key, 0) >= REFUSALS_PER_ADDRESS or cache.get(target_key, 0) >= REFUSALS_PER_TARGET:
        _refuse(attempt, "尝试次数超过限制", limited=True)


def signup_by_details(*, name: str, id_number: str, mobile: str, password: str, password_again: str, address: str | None):
    """The resident account of the resident registered with exactly this name, ID number and
    mobile. Bad input raises ValidationError naming the field; a claim that does not match,
    or of a resident who has an account already, raises SignupRefused."""
    mobile = re.sub(r"[\s-]", "", mobile or "")
    errors: dict[str, list[str]] = {}
    name, number = _name_and_number(name, id_number, errors)
    if not MOBILE.match(mobile):
        errors["mobile"] = ["请填写 11 位手机号"]
    attempt = _Attempt(address or "", id_digest(number) if number else "-", "姓名、身份证号和手机号")
    _check_limit(attempt)
    user = _prepared(errors, password=password, password_again=password_again)
    with transaction.atomic():
        person = _locked(resident_list(Scope.district()).filter(id_digest=attempt.target).values_list("pk", flat=True).first())
        if person is None or person.name != name or _mobile_of(person) != mobile:
            reason = "信息与登记不符"
        elif person.user_id is not None:
            reason = "该居民已有账号"
        else:
            return resident_account_create(user=user, password=password, person=person, how="核验姓名、身份证号和手机号")
    # Outside the transaction: the refusal's audit row must stay.
    _refuse(attempt, reason)


def signup_by_code(*, code: str, name: str, id_number: str, password: str, password_again: str, address: str | None, actor=None):
    """The resident account of the resident a grid worker issued `code` to, if it is unused
    and unexpired and `name` and `id_number` are theirs as registered; the code is spent with
    the claim. `actor` is whoever is signed in where the code is typed: the code's issuer is
    refused (a worker must not claim a resident's account for them)."""
    code = _code_normalised(code)
    errors: dict[str, list[str]] = {}
    if len(code) != CODE_LENGTH:
        errors["code"] = [f"请填写网格员发放的 {CODE_LENGTH} 位注册码"]
    name, number = _name_and_number(name, id_number, errors)
    attempt = _Attempt(address or "", code_digest(code) if code else "-", "网格员发放的注册码")
    _check_limit(attempt)
    user = _prepared(errors, password=password, password_again=password_again)
    now = timezone.now()
    with transaction.atomic():
        found = SignupCode.objects.select_for_update().filter(digest=attempt.target, used_at=None, voided_at=None, expires_at__gt=now).first()
        person = _locked(found.person_id if found else None)
        if found is not None and actor is not None and actor.is_authenticated and found.issued_by_id == actor.pk:
            reason = "发放注册码的账号试图使用该注册码"
        elif person is None or person.name != name or person.id_digest != id_digest(number) or not person.household_id:
            reason = "注册码无效、已过期或姓名、身份证号不符"
        elif person.user_id is not None:
            reason = "该居民已有账号"
        else:
            found.used_at = now
            found.save(update_fields=["used_at"])
            user = resident_account_create(user=user, password=password, person=person, how="网格员发放的注册码")
            signup_claimed_notify(user, how="网格员发放的注册码")
            return user
    _refuse(attempt, reason)


def _name_and_number(name: str, id_number: str, errors: dict[str, list[str]]) -> tuple[str, str]:
    """The name stripped and the ID number parsed ("" when bad), their errors added to `errors`."""
    name, number = (name or "").strip(), ""
    if not name:
        errors["name"] = ["请填写姓名"]
    try:
        number = parse_id_number(id_number or "").number
    except ValueError as reason:
        errors["id_number"] = [str(reason) if (id_number or "").strip() else "请填写身份证号"]
    return name, number


def _prepared(errors: dict[str, list[str]], *, password: str, password_again: str):
    """The unsaved account, or every field's error at once (the password's too)."""
    try:
        user = resident_account_prepare(password=password, password_again=password_again)
    except ValidationError as error:
        errors = {**errors, **error.message_dict}
    if errors:
        raise ValidationError(errors)
    return user


def _locked(person_id: int | None) -> Person | None:
    # Locked, so that two claims of one resident at once cannot both pass the "no account yet" test.
    return Person.objects.select_for_update().filter(pk=person_id).first() if person_id else None


def _mobile_of(person: Person) -> str:
    try:
        return normalise_phone(person.phone or "")
    except ValueError:
        return ""


@transaction.atomic
def signup_code_issue(*, person: Person, actor, scope: Scope | None = None) -> tuple[str, SignupCode]:
    """A new one-time code for a resident in the actor's scope (an out-of-scope resident reads
    as not found); any earlier unused code of theirs is voided. The code is returned once,
    to be shown to the grid worker; only its digest is stored."""
    require(actor, can_issue_signup_codes, CODE_REFUSED)
    require_found(resident_list(acting_scope(actor, scope)), person)
    if person.user_id is not None:
        raise ValidationError({"person": ["该居民已有平台账号，无需注册码"]})
    now = timezone.now()
    for earlier in SignupCode.objects.select_for_update().filter(person=person, used_at=None, voided_at=None):
        earlier.voided_at = now
        audit_as(earlier, "people.signupcode.voided", user=actor, detail="发放了新的注册码")
        earlier.save(update_fields=["voided_at"])
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    issued = SignupCode(person=person, digest=code_digest(code), issued_by=actor, issued_at=now, expires_at=now + timedelta(hours=CODE_HOURS))
    issued.full_clean()
    issued.save()
    return code, issued
