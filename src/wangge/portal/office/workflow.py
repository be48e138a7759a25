"""The publication workflow as the back office offers it: which moves a user may make on a piece
now, and performing one. Both the pages and the API go through `perform`, so a move is only
ever made by the publishing services."""

from django.core.exceptions import ValidationError

from ..models import Publishable, Stage
from ..permissions import ACTORS, may_edit
from ..publishing import (
    publication_approve,
    publication_return,
    publication_submit,
    publication_withdraw,
)
from ..words import flags_of
from ..workflow import workflow_of
from .inputs import FIELD_LABELS

ACTION_LABELS = {"edit": "编辑", "submit": "送审", "approve": "审核发布", "return": "退回", "withdraw": "撤回"}


def actions_for(user, item: Publishable) -> list[str]:
    """The moves offered to `user`, in the order the page shows them: editing a draft, then the
    table's moves out of the piece's stage whose actor the user is."""
    editing = ["edit"] if item.stage == Stage.DRAFT and may_edit(user, item) else []
    return editing + [move.name for move in workflow_of(item).named(item.stage) if ACTORS[move.actor](user, item)]


def perform(*, item: Publishable, actor, action: str, note: str = "", accept_flags: str = "") -> Publishable:
    if action == "submit":
        return publication_submit(item=item, actor=actor)
    if action == "approve":
        return publication_approve(item=item, actor=actor, accept_flags=accept_flags)
    if action == "return":
        return publication_return(item=item, actor=actor, note=note)
    if action == "withdraw":
        return publication_withdraw(item=item, actor=actor, note=note)
    raise ValidationError({"action": f"未知的操作：{action}"})


def flags_shown(item: Publishable) -> list[dict]:
    """The sensitive words to show with a piece: those kept at submission once it is sent for
    review, and a fresh check of the draft before that."""
    flags = [flag.__dict__ for flag in flags_of(item)] if item.stage in (Stage.DRAFT, Stage.WITHDRAWN) else item.flags
    return [{**flag, "label": FIELD_LABELS.get(flag["field"], flag["field"])} for flag in flags]
