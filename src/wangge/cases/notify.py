"""Who hears of what happens to a case. Each function is called in the transaction of its
event and queues one notification through the shared outbox (`wangge.core.notify`): the
department's handlers when a case is dispatched to it, the reporter (if the reporter has an
account) when it is closed; the escalation's alerts, whistles and summons name their own
recipients in `escalation.py` and go out through `escalation_notify`."""

from wangge.core.notify import notice_kinds, notify_enqueue

from .models import Case
from .selectors import case_readable
from .workflow import MERGED

KINDS = {
    "case.dispatched": "事件派遣",
    "case.alert": "超时督办",
    "case.whistle_unassigned": "街道吹哨",
    "case.summons": "吹哨报到",
    "case.summons_overdue": "报到逾期",
    "case.closed": "事件办结",
}
TITLES = {
    "case.alert": "事件超时，请社区督办",
    "case.whistle_unassigned": "街道吹哨：请指定报到部门",
    "case.summons": "街道吹哨，请按时报到",
    "case.summons_overdue": "吹哨报到逾期",
}


def register() -> None:
    notice_kinds(KINDS)


def _page(case: Case) -> str:
    return f"/cases/{case.pk}"


def case_dispatched_notify(case: Case) -> None:
    handlers = case.department.handlers.filter(is_active=True).values_list("pk", flat=True)
    notify_enqueue(
        kind="case.dispatched", recipients=handlers, title=f"新派遣事件 {case.number}",
        body=f"{case.category.name}：事件 {case.number} 已派遣至{case.department.name}，请及时办理", link=_page(case),
        case=case.pk,
    )


def case_closed_notify(case: Case, *, merged_into: Case | None = None) -> None:
    if case.reporter_id is None:
        return
    result = "已办结"
    if merged_into is not None:
        # The other case is named only to a reporter who may read it (a resident may not).
        result = f"已与事件 {merged_into.number} 合并办理" if case_readable(case.reporter, merged_into.pk) else MERGED
    notify_enqueue(
        kind="case.closed", recipients=[case.reporter_id], title=f"您上报的事件 {case.number} {result}",
        body=f"{case.category.name}：{result}。可在“我的上报”中查看并评价。", link="/my-reports",
        group=False,  # the reporter's own case: not for the staff's group robot
        case=case.pk,
    )


def escalation_notify(kind: str, case: Case, recipients: list[int], *, text: str, due_at, **extra) -> None:
    """The escalation's steps; `extra` stays in the payload (the summons it is about, ...)."""
    notify_enqueue(
        kind=kind, recipients=recipients, title=f"{TITLES[kind]}：{case.number}", body=text, link=_page(case), due_at=due_at,
        case=case.pk, number=case.number, status=case.status, **extra,
    )
