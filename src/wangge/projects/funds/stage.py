"""Which stages of a project's life allow which money moves.

The lifecycle's rules.py will own these; the merge replaces this module.
"""

from ..models import Project, Status


def spending_allowed(project: Project) -> bool:
    """Money is spent only on a filed project, while it is carried out."""
    return project.status in (Status.FILED, Status.IMPLEMENTING)


def money_and_scope_editable(project: Project) -> bool:
    """A project's money and scope change freely until it goes to the residents or on notice."""
    return project.status in (Status.DRAFT, Status.PROPOSED)
