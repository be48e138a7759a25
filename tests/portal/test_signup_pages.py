"""The portal's sign-up pages over real HTTP: /signup (name, ID number, mobile) and /signup/code
(a grid worker's one-time code), CSRF-protected, rate-limited, audited without what was typed;
and the grid worker's API that issues the code, scoped."""

import re

import pytest

from tests.people.ids import id_number
from tests.people.signups import PASSWORD, make_resident
from wangge.accounts.models import Role
from wangge.core.models import AuditRecord
from wangge.people.models import Person, SignupCode
from wangge.people.services import signup

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def resident(people) -> Person:
    return make_resident(people.home_grid)


def post_form(api, path: str, **fields):
    token = CSRF.search(api.get(path).text).group(1)
    return api.post(path, data={"csrfmiddlewaretoken": token, **fields}, allow_redirects=False)


def details(person: Person, **changes) -> dict:
    return {"name": person.name, "id_number": person.id_number, "mobile": person.phone, "password": PASSWORD, "password_again": PASSWORD, **changes}


def test_the_services_page_and_the_sign_in_page_lead_to_sign_up(api, db):
    assert 'href="/signup"' in api.get("/services").text and 'href="/signup/code"' in api.get("/services").text
    assert 'href="/signup"' in api.get("/login").text


def test_a_resident_signs_up_is_signed_in_and_lands_on_the_portal(api, resident):
    answer = post_form(api, "/signup", **details(resident))
    assert answer.status_code == 302 and answer.headers["Location"] == "/signup/done"
    user = Person.objects.get(pk=resident.pk).user
    assert user.role == Role.RESIDENT
    done = api.get("/signup/done")
    assert done.status_code == 200 and user.username in done.text and 'href="/my-reports"' in done.text
    assert api.get("/my-reports", allow_redirects=False).status_code == 200  # signed in
    api.session.cookies.clear()
    assert api.get("/my-reports", allow_redirects=False).status_code == 302
    assert post_form(api, "/login", username=user.username, password=PASSWORD).status_code == 302  # later, by the login name
    assert api.get("/my-reports", allow_redirects=False).status_code == 200


def test_a_refusal_reads_the_same_for_every_field_and_writes_an_audit_row_without_pii(api, people, resident):
    other = make_resident(people.home_grid, name="王建国", phone="13903710077")
    answers = []
    for field in ("name", "id_number", "mobile"):
        answer = post_form(api, "/signup", **details(resident, **{field: getattr(other, "phone" if field == "mobile" else field)}))
        assert answer.status_code == 400
        answers.append(re.search(r'id="signup-refused">([^<]+)<', answer.text).group(1))
        assert 'aria-invalid="true"' not in answer.text  # no field singled out
        assert PASSWORD not in answer.text
    assert answers == [signup.REFUSED] * 3
    rows = list(AuditRecord.objects.filter(action=signup.AUDIT_ACTION))
    assert len(rows) == 3 and all(r.result == AuditRecord.Result.DENIED and r.address == "127.0.0.1" for r in rows)
    stored = " ".join(str(v) for r in rows for v in (r.object_id, r.detail, r.before, r.after))
    for typed in (resident.id_number, other.id_number, other.phone, other.name, resident.phone):
        assert typed not in stored
    assert not Person.objects.filter(pk=resident.pk, user__isnull=False).exists()


def test_the_rate_limit_kicks_in_per_address(api, resident):
    for _ in range(signup.REFUSALS_PER_ADDRESS):  # a different number each time: only the address adds up
        assert post_form(api, "/signup", **details(resident, id_number=id_number())).status_code == 400
    limited = post_form(api, "/signup", **details(resident))
    assert limited.status_code == 429 and signup.TOO_MANY in limited.text
    assert not Person.objects.filter(pk=resident.pk, user__isnull=False).exists()


def test_bad_input_names_the_field_and_keeps_what_was_typed_but_the_password(api, resident):
    answer = post_form(api, "/signup", **details(resident, mobile="12", password="short1A!", password_again="short1A!"))
    assert answer.status_code == 400
    assert 'id="signup-mobile-error">请填写 11 位手机号<' in answer.text and 'id="signup-password-error">密码至少需要' in answer.text
    assert f'value="{resident.name}"' in answer.text and "short1A!" not in answer.text
    assert not AuditRecord.objects.filter(action=signup.AUDIT_ACTION).exists()


def test_a_post_without_the_csrf_token_is_refused(api, resident):
    api.get("/signup")  # the CSRF cookie is set; only the form's token is missing
    answer = api.post("/signup", data=details(resident), allow_redirects=False)
    assert answer.status_code == 403
    assert not Person.objects.filter(pk=resident.pk, user__isnull=False).exists()


def test_a_grid_worker_issues_a_code_over_the_api_and_the_resident_signs_up_with_it(api, people, resident):
    answer = api.post(f"/api/residents/{resident.pk}/signup-code", token=people.grid_worker.token)
    assert answer.status_code == 201, answer.text
    code = answer.json()["code"]
    assert not SignupCode.objects.filter(digest__contains=code).exists() and code not in str(list(AuditRecord.objects.values_list("after", flat=True)))
    signed_up = post_form(api, "/signup/code", code=code, name=resident.name, id_number=resident.id_number, password=PASSWORD, password_again=PASSWORD)
    assert signed_up.status_code == 302 and Person.objects.get(pk=resident.pk).user_id is not None


def test_out_of_scope_or_missing_answers_404_and_other_roles_403(api, people, resident):
    missing = Person.objects.order_by("-pk").first().pk + 1000
    out = api.post(f"/api/residents/{resident.pk}/signup-code", token=people.other_grid_worker.token)
    gone = api.post(f"/api/residents/{missing}/signup-code", token=people.other_grid_worker.token)
    assert out.status_code == gone.status_code == 404 and out.json() == gone.json()
    for persona in ("department_handler", "resident"):
        assert api.post(f"/api/residents/{resident.pk}/signup-code", token=getattr(people, persona).token).status_code == 403
    assert not SignupCode.objects.filter(person=resident).exists()


def test_a_wrong_code_is_rate_limited_per_code(api, people, resident):
    code = api.post(f"/api/residents/{resident.pk}/signup-code", token=people.grid_worker.token).json()["code"]
    for _ in range(signup.REFUSALS_PER_TARGET):  # the code with a guessed name
        assert post_form(api, "/signup/code", code=code, name="李秀", id_number=resident.id_number, password=PASSWORD, password_again=PASSWORD).status_code == 400
    limited = post_form(api, "/signup/code", code=code, name=resident.name, id_number=resident.id_number, password=PASSWORD, password_again=PASSWORD)
    assert limited.status_code == 429 and Person.objects.get(pk=resident.pk).user_id is None


def test_the_issuing_grid_workers_session_cannot_redeem_the_code(api, client, people, resident):
    code = api.post(f"/api/residents/{resident.pk}/signup-code", token=people.grid_worker.token).json()["code"]
    client.force_login(people.grid_worker.user)
    refused = client.post("/signup/code", {"code": code, "name": resident.name, "id_number": resident.id_number, "password": PASSWORD, "password_again": PASSWORD})
    assert refused.status_code == 400 and signup.REFUSED in refused.content.decode()
    assert Person.objects.get(pk=resident.pk).user_id is None
    assert AuditRecord.objects.filter(action=signup.AUDIT_ACTION, result=AuditRecord.Result.DENIED).count() == 1


def test_the_grid_workers_building_page_offers_a_code_only_to_residents_without_an_account(api, client, people, resident):
    other = make_resident(people.home_grid, name="王建国", phone="13903710077")
    post_form(api, "/signup", **details(other))
    client.force_login(people.grid_worker.user)
    page = client.get(f"/my-grid/buildings/{resident.household.building_id}").content.decode()
    assert f'data-url="/api/residents/{resident.pk}/signup-code"' in page
    assert f'data-url="/api/residents/{other.pk}/signup-code"' not in page and "已注册" in page
