"""Who hears of a case: each event's notice reaches its recipients' inbox and nobody else's,
and each escalation step is in the audit trail with the system as its actor."""

from datetime import timedelta

from django.utils import timezone

from tests.cases.factories import case_in
from tests.cases.test_escalation import at, make_case
from tests.cases.test_pages import _walk
from wangge.accounts.models import Role, User
from wangge.cases.escalation import escalate
from wangge.cases.models import Case
from wangge.cases.services import case_merge
from wangge.cases.workflow import MERGED
from wangge.core.models import AuditRecord, Notice
from wangge.core.outbox import outbox_drain

S = Case.Status


def _delivered(kind: str, now=None) -> dict[int, Notice]:
    outbox_drain(now=now or timezone.now())
    return {n.recipient_id: n for n in Notice.objects.filter(kind=kind)}


def test_it_tells_the_departments_handlers_of_a_dispatch_and_nobody_else(people, department):
    colleague = User.objects.create(username="colleague", role=Role.DEPARTMENT_HANDLER, scope_code=people.department_handler.user.scope_code)
    department.handlers.add(colleague)
    User.objects.create(username="elsewhere", role=Role.DEPARTMENT_HANDLER, scope_code=people.department_handler.user.scope_code)
    case = _walk(case_in(people, people.home_grid), people, department, S.DISPATCHED)

    notices = _delivered("case.dispatched")
    assert set(notices) == {people.department_handler.user.pk, colleague.pk}
    notice = notices[colleague.pk]
    assert notice.link == f"/cases/{case.pk}" and case.number in notice.title and department.name in notice.body


def test_it_tells_the_reporter_when_the_case_is_closed(people, department):
    case = _walk(case_in(people, people.home_grid), people, department, S.CLOSED)
    assert case.status == S.CLOSED
    notices = _delivered("case.closed")
    assert set(notices) == {people.grid_worker.user.pk}
    assert case.number in notices[people.grid_worker.user.pk].title and notices[people.grid_worker.user.pk].link == "/my-reports"


def test_it_tells_nobody_of_a_close_until_the_case_is_closed(people, department):
    _walk(case_in(people, people.home_grid), people, department, S.VERIFIED)
    assert _delivered("case.closed") == {}


def test_it_tells_the_reporter_of_a_duplicate_merged_into_another_naming_it_only_to_who_may_read_it(people):
    first = case_in(people, people.home_grid)
    duplicate = case_in(people, people.home_grid, reporter=people.resident.user)
    staff_duplicate = case_in(people, people.home_grid, reporter=people.grid_worker.user)
    case_merge(case=duplicate, into=first, actor=people.community_official.user)
    case_merge(case=staff_duplicate, into=first, actor=people.community_official.user)
    notices = _delivered("case.closed")
    assert set(notices) == {people.resident.user.pk, people.grid_worker.user.pk}
    told = notices[people.resident.user.pk]
    assert duplicate.number in told.title and MERGED in told.title
    assert first.number not in told.title + told.body + told.link
    assert first.number in notices[people.grid_worker.user.pk].title  # the grid's worker may read it


def test_it_delivers_each_escalation_step_to_its_recipients_and_audits_it_as_the_system(people, department):
    case = make_case(people, department=department)
    alert_at = case.deadline_at + timedelta(minutes=1)
    escalate(now=alert_at)
    assert set(_delivered("case.alert", alert_at)) == {people.community_official.user.pk}

    whistle_at = at(2025, 1, 7, 11, 2)
    escalate(now=whistle_at)
    summoned = _delivered("case.summons", whistle_at)
    assert set(summoned) == {people.department_handler.user.pk}
    assert "报到" in summoned[people.department_handler.user.pk].body

    late_at = at(2025, 1, 7, 14, 33)
    escalate(now=late_at)
    district = set(User.objects.filter(role=Role.DISTRICT_OFFICIAL, is_active=True).values_list("pk", flat=True))
    assert set(_delivered("case.summons_overdue", late_at)) == district and people.district_official.user.pk in district

    rows = AuditRecord.objects.filter(action="cases.case.escalated", object_id=str(case.pk)).order_by("at", "pk")
    assert [r.after["stage"] for r in rows] == ["community", "whistle", "summons_overdue"]
    assert all(r.user_id is None and r.username == "" and r.result == "ok" for r in rows)
    assert [r.detail for r in rows] == ["超时提醒社区", "街道吹哨", "报到逾期报区"]
    # the rows the escalation wrote are audited too, like every other write
    assert AuditRecord.objects.filter(action="cases.escalation.created").count() >= 2
    assert AuditRecord.objects.filter(action="cases.summons.created").exists()


def test_it_asks_the_subdistrict_to_name_a_department_when_none_can_be_summoned(people):
    case = make_case(people, status=S.ACCEPTED)
    escalate(now=at(2025, 1, 6, 12, 1))
    escalate(now=at(2025, 1, 6, 17, 31))
    notices = _delivered("case.whistle_unassigned", at(2025, 1, 6, 17, 31))
    assert set(notices) == {people.subdistrict_official.user.pk}
    assert notices[people.subdistrict_official.user.pk].link == f"/cases/{case.pk}"
