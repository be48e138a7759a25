"""How every app answers a workflow's history: one schema and one row for the API, one name for
who made a move (the system when no one did)."""

from datetime import datetime

from ninja import Schema

SYSTEM = "系统"


class WorkflowStepOut(Schema):
    from_status: str
    to_status: str
    actor: str
    at: datetime
    reason: str


def actor_name(user) -> str:
    """The user's full name (their user name if they have none), or 系统 for a move no one made."""
    return str(user) if user is not None else SYSTEM


def step_out(step) -> dict:
    """One history row (a `core.models.WorkflowStep`) as `WorkflowStepOut`."""
    return {"from_status": step.from_status, "to_status": step.to_status, "actor": actor_name(step.actor), "at": step.at, "reason": step.reason}
