"""The filing regime's rules that more than one part of the app asks: one place each.

The funds (budget lines, disbursements) ask these too: a budget changes only while its
project's scope may change, and money is spent only once the project is filed.
"""

from .models import Project, Status

# Before filing, what is proposed may still change; after notice it may not (备案制).
EDITABLE = (Status.DRAFT, Status.PROPOSED)
# After filing, a change to money or scope goes back through a new notice (the `renotice` move).
FILED = (Status.FILED, Status.IMPLEMENTING)
SPENDING = (Status.FILED, Status.IMPLEMENTING)
# What the public may see of a project: from its notice on (and its place on a ballot).
PUBLIC = (Status.VOTING, Status.NOTICE, Status.FILED, Status.IMPLEMENTING, Status.ACCEPTED, Status.DISCLOSED, Status.CLOSED)

FILED_CHANGE = "已备案项目变更内容须重新公示"
NOT_FILED_SPENDING = "项目备案前不能支出资金"


def money_and_scope_editable(project: Project) -> bool:
    return project.status in EDITABLE


def edit_refusal(project: Project) -> str:
    """Why the project's money or scope may not change now ('' when it may)."""
    if money_and_scope_editable(project):
        return ""
    if project.status in FILED:
        return FILED_CHANGE
    return f"「{project.get_status_display()}」的项目不能修改内容"


def spending_allowed(project: Project) -> bool:
    return project.status in SPENDING


def spending_refusal(project: Project) -> str:
    """Why no money may be spent on the project now ('' when it may)."""
    if spending_allowed(project):
        return ""
    if project.status in EDITABLE or project.status in (Status.VOTING, Status.NOTICE):
        return NOT_FILED_SPENDING
    return f"「{project.get_status_display()}」的项目不能再支出资金"
