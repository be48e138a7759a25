"""Overdue cases go up the tree (吹哨报到), one step per stage and never twice:

1. a case past the deadline of its status → the community is alerted (`case.alert` to its
   officials);
2. still overdue WANGGE_WHISTLE_AFTER_HOURS working hours after that alert → the subdistrict
   blows the whistle: each department named (the case's own department, else those in
   WANGGE_WHISTLE_DEPARTMENTS) gets a Summons due WANGGE_SUMMONS_HOURS working hours later
   (`case.summons` to its handlers); when no department can be named (the case has none and
   none is configured) the subdistrict's officials are told to name one (`case.whistle_unassigned`);
3. a summons not reported in (报到) by its due time, on a case still open → the district is told
   (`case.summons_overdue` to district officials).

"Once" is held by the database: Escalation is unique per (case, level, status), Summons per
(escalation, department), and an overdue summons by its outbox message.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.core.audit import audit_record
from wangge.core.models import OutboxMessage
from wangge.geo.models import Grid

from .calendar import WorkCalendar, hours_delta
from .models import Case, Department, Escalation, Summons
from .notify import escalation_notify
from .workflow import OPEN

COMMUNITY, WHISTLE, SUMMONS_OVERDUE = "community", "whistle", "summons_overdue"


@dataclass(frozen=True)
class Due:
    stage: str  # community | whistle | summons_overdue
    case: Case
    summons: Summons | None = None


def escalations_due(now: datetime, *, calendar: WorkCalendar | None = None) -> list[Due]:
    calendar = calendar or WorkCalendar.load()
    overdue = Case.objects.filter(status__in=OPEN, deadline_at__lt=now).select_related("category", "department")
    stage = Escalation.objects.filter(case=OuterRef("pk"), status=OuterRef("status"))
    due = [Due(COMMUNITY, case) for case in overdue.exclude(Exists(stage.filter(level=Escalation.Level.COMMUNITY)))]
    alerted = overdue.filter(Exists(stage.filter(level=Escalation.Level.COMMUNITY))).exclude(Exists(stage.filter(level=Escalation.Level.WHISTLE)))
    for case in alerted:
        alert = case.escalations.get(level=Escalation.Level.COMMUNITY, status=case.status)
        if calendar.add(alert.at, hours_delta(settings.WANGGE_WHISTLE_AFTER_HOURS)) < now:
            due.append(Due(WHISTLE, case))
    late = list(
        Summons.objects.filter(reported_at__isnull=True, due_at__lt=now, escalation__case__status__in=OPEN)
        .select_related("escalation__case", "department")
    )
    # Compared in Python: a JSON key against a column is typed differently on each backend.
    told = set(OutboxMessage.objects.filter(kind="case.summons_overdue", payload__summons__in=[s.pk for s in late]).values_list("payload__summons", flat=True))
    due += [Due(SUMMONS_OVERDUE, summons.escalation.case, summons) for summons in late if summons.pk not in told]
    return due


def escalate(*, now: datetime) -> list[Due]:
    """Take every due step; returns the steps taken. Safe to run twice or from two workers."""
    calendar = WorkCalendar.load()
    done = []
    for due in escalations_due(now, calendar=calendar):
        try:
            with transaction.atomic():
                _STEPS[due.stage](due, now=now, calendar=calendar)
        except IntegrityError:
            continue  # another worker took this step first
        done.append(due)
    return done


def _alert_community(due: Due, *, now, calendar) -> None:
    case = due.case
    Escalation.objects.create(case=case, level=Escalation.Level.COMMUNITY, at=now, status=case.status)
    community = _community_code(case)
    recipients = _officials(Role.COMMUNITY_OFFICIAL, community) if community else []
    _audited(case, COMMUNITY, community=community)
    escalation_notify("case.alert", case, recipients, community=community, text=f"事件 {case.number} 已超过办理时限，请社区督办", due_at=now)


def _blow_whistle(due: Due, *, now, calendar) -> None:
    case = due.case
    whistle = Escalation.objects.create(case=case, level=Escalation.Level.WHISTLE, at=now, status=case.status)
    due_at = calendar.add(now, hours_delta(settings.WANGGE_SUMMONS_HOURS))
    departments = _summoned(case)
    _audited(case, WHISTLE, departments=[d.code for d in departments])
    if not departments:
        subdistrict = _subdistrict_code(case)
        recipients = _officials(Role.SUBDISTRICT_OFFICIAL, subdistrict) if subdistrict else []
        text = f"街道吹哨：事件 {case.number} 无承办部门可召集，请街道指定应报到的部门"
        escalation_notify("case.whistle_unassigned", case, recipients, subdistrict=subdistrict, text=text, due_at=now)
    for department in departments:
        summons = Summons.objects.create(escalation=whistle, department=department, due_at=due_at)
        recipients = list(department.handlers.values_list("pk", flat=True))
        text = f"街道吹哨：事件 {case.number} 请{department.name}于 {timezone.localtime(due_at):%Y-%m-%d %H:%M} 前报到"
        escalation_notify("case.summons", case, recipients, summons=summons.pk, department=department.code, summons_due_at=due_at.isoformat(), text=text, due_at=now)


def _report_overdue_summons(due: Due, *, now, calendar) -> None:
    summons = Summons.objects.select_for_update().get(pk=due.summons.pk)
    if summons.reported_at is not None:
        return
    _audited(due.case, SUMMONS_OVERDUE, summons=summons.pk, department=summons.department.code)
    recipients = _officials(Role.DISTRICT_OFFICIAL)
    text = f"事件 {due.case.number}：{summons.department.name} 未按时报到"
    escalation_notify("case.summons_overdue", due.case, recipients, summons=summons.pk, department=summons.department.code, text=text, due_at=now)


STAGE_LABELS = {COMMUNITY: "超时提醒社区", WHISTLE: "街道吹哨", SUMMONS_OVERDUE: "报到逾期报区"}


def _audited(case: Case, stage: str, **after) -> None:
    """Each step is a write like any other: recorded with the system as its actor (no user),
    beside the rows the signals write for the Escalation and Summons it creates."""
    audit_record(action="cases.case.escalated", obj=case, user=None, detail=STAGE_LABELS[stage], after={"stage": stage, "status": case.status, **after})


_STEPS = {COMMUNITY: _alert_community, WHISTLE: _blow_whistle, SUMMONS_OVERDUE: _report_overdue_summons}


@transaction.atomic
def summons_report(*, summons: Summons, actor: User, now: datetime | None = None) -> Summons:
    """The summoned department reports in (报到). Reporting twice keeps the first time."""
    summons = Summons.objects.select_for_update().select_related("department").get(pk=summons.pk)
    if not summons.department.handlers.filter(pk=actor.pk).exists():
        raise ValidationError({"actor": f"只有{summons.department.name}的经办人可以报到"})
    if summons.reported_at is None:
        summons.reported_at = now or timezone.now()
        summons.full_clean()
        summons.save(update_fields=["reported_at"])
    return summons


def _summoned(case: Case) -> list[Department]:
    if case.department_id:
        return [case.department]
    return list(Department.objects.filter(code__in=settings.WANGGE_WHISTLE_DEPARTMENTS, active=True))


def _community_code(case: Case) -> str | None:
    grid = Grid.objects.filter(code=case.grid_code, layer__is_active=True).select_related("community").first()
    return grid.community.code if grid and grid.community else None


def _subdistrict_code(case: Case) -> str | None:
    grid = Grid.objects.filter(code=case.grid_code, layer__is_active=True).select_related("community__parent").first()
    return grid.community.parent.code if grid and grid.community and grid.community.parent else None


def _officials(role: str, scope_code: str | None = None) -> list[int]:
    users = User.objects.filter(role=role, is_active=True)
    if scope_code is not None:
        users = users.filter(scope_code=scope_code)
    return list(users.order_by("pk").values_list("pk", flat=True))

