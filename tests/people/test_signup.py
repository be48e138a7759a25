"""Residents claiming their account (`people.services.signup`): by name, ID number and mobile,
or by a one-time code a grid worker issued; every refusal reads the same."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from wangge.accounts.models import Role
from wangge.core.models import AuditRecord, Notice
from wangge.core.outbox import outbox_drain
from wangge.people.models import Person, SignupCode
from wangge.people.services import signup

from .ids import id_number
from .signups import PASSWORD, make_resident

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The refusal counts live in Django's cache, which a rollback does not clear.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resident(people) -> Person:
    return make_resident(people.home_grid)


def claim(person: Person, **changes):
    fields = {"name": person.name, "id_number": person.id_number, "mobile": person.phone, "password": PASSWORD, "password_again": PASSWORD, "address": ADDRESS}
    return signup.signup_by_details(**{**fields, **changes})


def claim_code(person: Person, code: str, **changes):
    fields = {"code": code, "name": person.name, "id_number": person.id_number, "password": PASSWORD, "password_again": PASSWORD, "address": ADDRESS}
    return signup.signup_by_code(**{**fields, **changes})


def refusal(call) -> signup.SignupRefused:
    with pytest.raises(signup.SignupRefused) as refused:
        call()
    return refused.value


def test_it_creates_a_resident_account_linked_to_the_matching_person(resident):
    user = claim(resident, mobile="139 0371 0001")
    resident.refresh_from_db()
    assert resident.user_id == user.pk
    assert (user.role, user.scope_code, user.full_name, user.is_active) == (Role.RESIDENT, "", "李秀英", True)
    assert user.username.startswith("jm") and resident.phone not in user.username
    assert user.check_password(PASSWORD) and user.password_changed_at is not None


@pytest.mark.parametrize("field", ["name", "id_number", "mobile"])
def test_each_mismatch_gets_the_same_answer_and_creates_nothing(people, resident, field):
    # Each claim is right but for one field, which is another registered resident's.
    other = make_resident(people.home_grid, name="王建国", phone="13903710077")
    changes = {"name": {"name": other.name}, "id_number": {"id_number": other.id_number}, "mobile": {"mobile": other.phone}}[field]
    refused = refusal(lambda: claim(resident, **changes))
    assert refused.message == signup.REFUSED and not refused.limited
    assert not Person.objects.filter(pk__in=[resident.pk, other.pk], user__isnull=False).exists()


def test_an_unregistered_number_and_an_already_claimed_person_get_the_same_answer(resident):
    nobody = refusal(lambda: claim(resident, id_number=id_number()))
    claim(resident)
    again = refusal(lambda: claim(resident))
    assert nobody.message == again.message == signup.REFUSED
    assert Person.objects.get(pk=resident.pk).user.username.startswith("jm")


def test_a_person_who_is_no_resident_cannot_claim(people, resident):
    resident.household, resident.residence = None, ""
    resident.save()
    assert refusal(lambda: claim(resident)).message == signup.REFUSED


def test_bad_input_names_the_field_and_counts_no_refusal(resident):
    with pytest.raises(ValidationError) as bad:
        claim(resident, name=" ", id_number="41010419", mobile="12345", password="short", password_again="short")
    assert set(bad.value.message_dict) == {"name", "id_number", "mobile", "password"}
    with pytest.raises(ValidationError) as mismatched:
        claim(resident, password_again=PASSWORD + "x")
    assert mismatched.value.message_dict == {"password_again": ["两次输入的密码不一致"]}
    assert Person.objects.get(pk=resident.pk).user_id is None
    assert not AuditRecord.objects.filter(action=signup.AUDIT_ACTION).exists()


def test_a_weak_password_is_refused_before_the_person_is_matched(resident):
    # A password error must not tell a stranger that the name, number and mobile were right.
    for person_fields in ({}, {"mobile": "13903710002"}):
        with pytest.raises(ValidationError) as weak:
            claim(resident, password="abcdefghijkl", password_again="abcdefghijkl", **person_fields)
        assert list(weak.value.message_dict) == ["password"]


def test_refusals_are_audited_without_what_was_typed(resident):
    refusal(lambda: claim(resident, mobile="13903710002"))
    (row,) = AuditRecord.objects.filter(action=signup.AUDIT_ACTION)
    assert row.result == AuditRecord.Result.DENIED and row.address == ADDRESS
    stored = " ".join(str(v) for v in (row.object_id, row.detail, row.before, row.after))
    for typed in (resident.id_number, resident.id_number[-4:], "13903710002", resident.name):
        assert typed not in stored


def test_refusals_past_the_limit_per_id_number_are_refused_outright(people, resident):
    for n in range(signup.REFUSALS_PER_TARGET):
        refusal(lambda n=n: claim(resident, mobile=f"1390371010{n}", address=f"198.51.100.{n}"))
    limited = refusal(lambda: claim(resident, address="198.51.100.99"))  # right this time, from a new address
    assert limited.limited and limited.message == signup.TOO_MANY
    assert Person.objects.get(pk=resident.pk).user_id is None
    other = make_resident(people.home_grid, name="王建国", phone="13903710077")
    assert claim(other, address="198.51.100.99").pk  # another number is not held back


def test_refusals_past_the_limit_per_address_are_refused_outright(resident):
    for _ in range(signup.REFUSALS_PER_ADDRESS):
        refusal(lambda: claim(resident, id_number=id_number()))
    assert refusal(lambda: claim(resident)).limited
    assert claim(resident, address="198.51.100.1").pk


# --- one-time codes --------------------------------------------------------------------------


def test_a_grid_worker_issues_a_code_that_claims_the_account_once(people, resident):
    code, issued = signup.signup_code_issue(person=resident, actor=people.grid_worker.user)
    assert len(code) == signup.CODE_LENGTH and issued.digest != code and code not in issued.digest
    assert issued.expires_at - issued.issued_at == timedelta(hours=72) and issued.issued_by == people.grid_worker.user
    user = claim_code(resident, code.lower()[:4] + "-" + code[4:])
    assert Person.objects.get(pk=resident.pk).user_id == user.pk and SignupCode.objects.get(pk=issued.pk).used_at is not None
    assert refusal(lambda: claim_code(resident, code, address="198.51.100.2")).message == signup.REFUSED


@pytest.mark.parametrize("wrong", ["name", "id_number", "both"])
def test_a_code_needs_the_residents_name_and_full_id_number(people, resident, wrong):
    # The code is right: a guessed name, another number or the number's last four claim nobody.
    code, _ = signup.signup_code_issue(person=resident, actor=people.grid_worker.user)
    other = make_resident(people.home_grid, name="王建国", phone="13903710077")
    changes = {"name": {"name": "李秀"}, "id_number": {"id_number": other.id_number}, "both": {"name": other.name, "id_number": other.id_number}}[wrong]
    assert refusal(lambda: claim_code(resident, code, **changes)).message == signup.REFUSED
    assert not Person.objects.filter(pk__in=[resident.pk, other.pk], user__isnull=False).exists()
    with pytest.raises(ValidationError) as last_four:
        claim_code(resident, code, id_number=resident.id_number[-4:])
    assert list(last_four.value.message_dict) == ["id_number"]
    assert claim_code(resident, code).pk


def test_the_issuer_cannot_spend_the_code_and_the_claimed_account_is_told(people, resident):
    code, _ = signup.signup_code_issue(person=resident, actor=people.grid_worker.user)
    refused = refusal(lambda: claim_code(resident, code, actor=people.grid_worker.user))
    assert refused.message == signup.REFUSED and Person.objects.get(pk=resident.pk).user_id is None
    assert AuditRecord.objects.filter(action=signup.AUDIT_ACTION, result=AuditRecord.Result.DENIED).count() == 1
    user = claim_code(resident, code, actor=AnonymousUser())
    outbox_drain(now=timezone.now())
    (notice,) = Notice.objects.filter(recipient=user)
    assert notice.kind == "people.signup_claimed" and "注册码" in notice.body and "如非本人操作" in notice.body


def test_an_expired_code_is_refused(people, resident):
    code, issued = signup.signup_code_issue(person=resident, actor=people.grid_worker.user)
    SignupCode.objects.filter(pk=issued.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert refusal(lambda: claim_code(resident, code)).message == signup.REFUSED
    assert Person.objects.get(pk=resident.pk).user_id is None


def test_a_new_code_voids_the_old_one(people, resident):
    old, _ = signup.signup_code_issue(person=resident, actor=people.grid_worker.user)
    new, _ = signup.signup_code_issue(person=resident, actor=people.community_official.user)
    assert refusal(lambda: claim_code(resident, old)).message == signup.REFUSED
    assert claim_code(resident, new).pk


def test_a_wrong_code_and_a_mismatch_read_the_same(people, resident):
    wrong_code = refusal(lambda: claim_code(resident, "ABCDEFGH"))
    code, _ = signup.signup_code_issue(person=resident, actor=people.grid_worker.user)
    claim_code(resident, code)
    already = refusal(lambda: claim(resident))
    assert wrong_code.message == already.message == signup.REFUSED


def test_a_code_is_issued_only_within_the_issuers_scope(people, resident):
    with pytest.raises(Http404):
        signup.signup_code_issue(person=resident, actor=people.other_grid_worker.user)
    for persona in ("department_handler", "resident"):
        with pytest.raises(PermissionDenied):
            signup.signup_code_issue(person=resident, actor=getattr(people, persona).user)
    assert not SignupCode.objects.filter(person=resident).exists()
    assert signup.signup_code_issue(person=resident, actor=people.district_official.user)[0]


def test_no_code_for_a_resident_who_has_an_account(people, resident):
    claim(resident)
    with pytest.raises(ValidationError) as refused:
        signup.signup_code_issue(person=Person.objects.get(pk=resident.pk), actor=people.grid_worker.user)
    assert "已有平台账号" in refused.value.message_dict["person"][0]
