"""Dispatching with instructions to the department: optional, length-checked, kept on the case
while the department has it, shown in its queue and on the case, and recorded in the timeline."""

import pytest
from django.core.exceptions import ValidationError

from tests.cases.factories import case_in
from wangge.cases.models import Case
from wangge.cases.services import case_transition

S = Case.Status
ASKED = "请今天下班前清运，并拍照回复"


@pytest.fixture
def accepted(people):
    case = case_in(people, people.home_grid)
    return case_transition(case=case, to=S.ACCEPTED, actor=people.community_official.user)


def test_the_department_sees_the_instructions_in_its_queue_and_on_the_case(client, people, department, accepted):
    client.force_login(people.community_official.user)
    client.post("/cases/dispatch", {"case": accepted.pk, "action": "move", "to": "dispatched", "department": department.code, "instructions": ASKED})
    accepted.refresh_from_db()
    assert accepted.status == S.DISPATCHED and accepted.instructions == ASKED
    assert accepted.transitions.order_by("-at", "-pk").first().reason == ASKED

    client.force_login(people.department_handler.user)
    queue = client.get("/cases/department").content.decode()
    assert f"派遣要求：{ASKED}" in queue
    page = client.get(f"/cases/{accepted.pk}").content.decode()
    assert 'id="case-instructions"' in page and ASKED in page


def test_a_return_clears_the_instructions_but_the_timeline_keeps_them(people, department, accepted):
    case = case_transition(case=accepted, to=S.DISPATCHED, actor=people.community_official.user, department=department, instructions=ASKED)
    case = case_transition(case=case, to=S.ACCEPTED, actor=people.department_handler.user, reason="不属于本部门职责")
    assert case.instructions == "" and case.department is None
    assert ASKED in list(case.transitions.values_list("reason", flat=True))


def test_instructions_are_optional(people, department, accepted):
    case = case_transition(case=accepted, to=S.DISPATCHED, actor=people.community_official.user, department=department)
    assert case.status == S.DISPATCHED and case.instructions == ""


def test_instructions_too_long_or_on_another_move_are_refused_naming_the_field(people, department, accepted):
    with pytest.raises(ValidationError) as too_long:
        case_transition(case=accepted, to=S.DISPATCHED, actor=people.community_official.user, department=department, instructions="清" * 301)
    assert too_long.value.message_dict == {"instructions": ["派遣要求不能超过 300 个字"]}
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED and accepted.instructions == ""
    reported = case_in(people, people.home_grid)
    with pytest.raises(ValidationError) as elsewhere:
        case_transition(case=reported, to=S.ACCEPTED, actor=people.community_official.user, instructions=ASKED)
    assert list(elsewhere.value.message_dict) == ["instructions"]


def test_the_api_dispatches_with_instructions_and_shows_them(api, people, department, accepted):
    answer = api.post(f"/api/cases/{accepted.pk}/transition", token=people.community_official.token,
                      json={"to": "dispatched", "department": department.code, "instructions": ASKED})
    assert answer.status_code == 200, answer.text
    assert answer.json()["instructions"] == ASKED and answer.json()["timeline"][-1]["reason"] == ASKED
    listed = api.get("/api/cases", token=people.department_handler.token, params={"status": "dispatched"}).json()["items"]
    assert [c["instructions"] for c in listed] == [ASKED]


def test_the_api_refuses_overlong_instructions_naming_the_field(api, people, department, accepted):
    answer = api.post(f"/api/cases/{accepted.pk}/transition", token=people.community_official.token,
                      json={"to": "dispatched", "department": department.code, "instructions": "清" * 301})
    assert answer.status_code == 400 and [e["field"] for e in answer.json()["errors"]] == ["instructions"]
    assert Case.objects.get(pk=accepted.pk).status == S.ACCEPTED
