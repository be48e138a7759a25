"""A dispatched case walked forward by a simulated clock through 吹哨报到.

Monday 6 January 2025, 10:00: dispatched, 4 working hours → due 15:30. Alerted 15:31; whistle
4 working hours later (Tuesday 11:01); summons due 2 working hours after the whistle (14:32).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from wangge.accounts.models import Role, User
from wangge.cases.escalation import escalate, escalations_due, summons_report
from wangge.cases.models import (
    Case,
    Category,
    Deadline,
    Escalation,
    Summons,
)
from wangge.cases.sla import case_deadline_refresh, deadline_for
from wangge.core.models import OutboxMessage

TZ = ZoneInfo("Asia/Shanghai")
MINUTE = timedelta(minutes=1)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


REPORTED = at(2025, 1, 6, 10, 0)


def make_case(people, *, status=Case.Status.DISPATCHED, department=None, category="manhole_cover", number="T250106001") -> Case:
    case = Case.objects.create(
        number=number, category=Category.objects.get(code=category), description="井盖缺失", lon=113.7, lat=34.7,
        grid_code=people.home_grid.code, status=status, department=department, reported_at=REPORTED, status_since=REPORTED,
    )
    return case_deadline_refresh(case=case)


def messages(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind))


def test_it_walks_an_overdue_case_up_the_tree(people, department):
    case = make_case(people, department=department)
    assert case.deadline_at == at(2025, 1, 6, 15, 30)

    assert escalate(now=case.deadline_at) == []

    alert_at = case.deadline_at + MINUTE
    assert [d.stage for d in escalate(now=alert_at)] == ["community"]
    [alert] = messages("case.alert")
    assert alert.payload["recipients"] == [people.community_official.user.pk]
    assert alert.payload["number"] == case.number and alert.due_at == alert_at
    assert escalate(now=alert_at) == []

    whistle_at = at(2025, 1, 7, 11, 1)
    assert escalate(now=whistle_at) == []
    assert [d.stage for d in escalate(now=whistle_at + MINUTE)] == ["whistle"]
    [summons] = Summons.objects.filter(escalation__case=case)
    assert summons.department == department and summons.due_at == at(2025, 1, 7, 14, 32)
    [call] = messages("case.summons")
    assert call.payload["recipients"] == [people.department_handler.user.pk]
    assert escalate(now=whistle_at + MINUTE) == []

    assert escalate(now=summons.due_at) == []
    assert [d.stage for d in escalate(now=summons.due_at + MINUTE)] == ["summons_overdue"]
    [late] = messages("case.summons_overdue")
    district_officials = User.objects.filter(role=Role.DISTRICT_OFFICIAL, is_active=True).order_by("pk").values_list("pk", flat=True)
    assert people.district_official.user.pk in late.payload["recipients"] and late.payload["recipients"] == list(district_officials)
    assert late.payload["summons"] == summons.pk

    assert escalate(now=summons.due_at + timedelta(days=3)) == []
    assert Escalation.objects.filter(case=case).count() == 2
    assert OutboxMessage.objects.filter(kind__startswith="case.").count() == 3


def test_it_does_not_escalate_a_summons_reported_in_time(people, department):
    case = make_case(people, department=department)
    escalate(now=at(2025, 1, 6, 15, 31))
    escalate(now=at(2025, 1, 7, 11, 2))
    summons = Summons.objects.get(escalation__case=case)

    with pytest.raises(ValidationError, match="经办人"):
        summons_report(summons=summons, actor=people.grid_worker.user, now=at(2025, 1, 7, 13, 0))
    summons = summons_report(summons=summons, actor=people.department_handler.user, now=at(2025, 1, 7, 13, 0))
    assert summons.reported_at == at(2025, 1, 7, 13, 0)
    summons_report(summons=summons, actor=people.department_handler.user, now=at(2025, 1, 7, 14, 0))
    summons.refresh_from_db()
    assert summons.reported_at == at(2025, 1, 7, 13, 0)

    assert escalate(now=at(2025, 1, 8, 9, 0)) == []
    assert messages("case.summons_overdue") == []


def test_it_stops_when_the_case_moves_on(people, department):
    case = make_case(people, department=department)
    escalate(now=at(2025, 1, 6, 15, 31))
    case.status, case.status_since = Case.Status.HANDLING, at(2025, 1, 6, 16, 0)
    case.save(update_fields=["status", "status_since"])
    case_deadline_refresh(case=case)  # 16 working hours: Thursday 9 January 09:30

    assert escalations_due(at(2025, 1, 8, 17, 0)) == []
    assert [d.stage for d in escalate(now=at(2025, 1, 9, 9, 31))] == ["community"]  # the new stage, once


def test_it_summons_the_configured_departments_when_the_case_has_none(people, department, settings):
    settings.WANGGE_WHISTLE_DEPARTMENTS = [department.code]
    case = make_case(people, status=Case.Status.ACCEPTED)  # 2 working hours: 12:00
    escalate(now=at(2025, 1, 6, 12, 1))
    escalate(now=at(2025, 1, 6, 17, 31))
    assert [s.department for s in Summons.objects.filter(escalation__case=case)] == [department]


def test_it_takes_the_category_deadline_before_the_default(people):
    case = make_case(people, category="street_light")
    assert deadline_for(case) == at(2025, 1, 6, 15, 30)
    Deadline.objects.create(category=Category.objects.get(code="public_facilities"), status=Case.Status.DISPATCHED, working_hours=1)
    assert deadline_for(case) == at(2025, 1, 6, 11, 0)  # the parent category's
    Deadline.objects.create(category=case.category, status=Case.Status.DISPATCHED, working_hours="0.5")
    assert deadline_for(case) == at(2025, 1, 6, 10, 30)
    case.status = Case.Status.CLOSED
    assert deadline_for(case) is None


def test_a_whistle_with_no_department_to_summon_asks_the_subdistrict_to_name_one(people, settings):
    settings.WANGGE_WHISTLE_DEPARTMENTS = []
    case = make_case(people, status=Case.Status.ACCEPTED)  # 2 working hours: 12:00
    escalate(now=at(2025, 1, 6, 12, 1))
    escalate(now=at(2025, 1, 6, 17, 31))
    assert not Summons.objects.filter(escalation__case=case).exists()
    (told,) = messages("case.whistle_unassigned")
    assert told.payload["recipients"] == [people.subdistrict_official.user.pk]
    assert told.payload["number"] == case.number and "指定应报到的部门" in told.payload["text"]
