"""Workflows as data, moved by one function.

An app declares its workflow once (`<app>/workflow.py`): the status field, the table of moves
(from → to, and the actor each takes: a name the app's own predicate knows), the moves that must
say why, and its history model (a concrete `wangge.core.models.WorkflowStep` with a foreign key
to the object). `workflow_move` is then the only way the status changes: it locks the row,
refuses a move the table does not hold or a missing reason in Chinese, and saves the object,
its history row and its audit row in one transaction, or nothing at all.

A move is made by naming its target (a case accepted, dispatched ...) or, for a move whose
(from, to) another move already has, by its name: merging a duplicate closes it, but is not
the dispatcher's close of a verified case.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

# The audit trail is moving to the floor; until then the floor borrows its one entry point.
from wangge.core.audit_writes import audit_as

from .reasons import reason_checked


@dataclass(frozen=True)
class Move:
    """One row of a table: `source` → `target`, made by `actor`."""

    source: str
    target: str
    actor: str
    name: str = ""  # a named move is made by its name only, never by naming its target
    label: str = ""  # how a refusal names the move ("送审")
    reason_required: bool = False
    reason_missing: str = "此操作须说明原因"


def moves_from(transitions: dict[str, dict[str, str]], *, reason_required: Iterable[tuple[str, str]] = ()) -> list[Move]:
    """The rows of a `{from: {to: actor}}` table; the (from, to) pairs in `reason_required` must say why."""
    must = set(reason_required)
    return [Move(source, target, actor, reason_required=(source, target) in must) for source, targets in transitions.items() for target, actor in targets.items()]


@dataclass(frozen=True)
class Workflow:
    """An app's workflow: its table, its history model and how its refusals read."""

    history: type[models.Model]  # a concrete WorkflowStep
    subject: str  # the history's foreign key to the object moved
    moves: tuple[Move, ...]
    field: str = "status"
    deadline_field: str = ""  # the object's field each history row keeps, if any
    reason_field: str = "reason"  # the field a refused reason is reported under
    reason_noun: str = "原因"
    refusal: str = "不能从「{source}」转为「{target}」"  # may also name the {move}
    refusal_field: str = "to"

    @cached_property
    def model(self) -> type[models.Model]:
        return self.history._meta.get_field(self.subject).related_model

    def label(self, status: str) -> str:
        return dict(self.model._meta.get_field(self.field).choices).get(status, status)

    def targets(self, source: str) -> dict[str, str]:
        """The statuses `source` may be moved to by naming them, with the actor each takes."""
        return {m.target: m.actor for m in self.moves if m.source == source and not m.name}

    def named(self, source: str) -> list[Move]:
        """The named moves out of `source`, in the table's order."""
        return [m for m in self.moves if m.source == source and m.name]

    def find(self, source: str, *, to: str = "", name: str = "") -> Move:
        """The move out of `source` to `to` (or called `name`); refused in Chinese when the table has none."""
        if name:
            same = [m for m in self.moves if m.name == name]
            if not same:
                raise ValidationError({self.refusal_field: f"未知的操作：{name}"})
            found = next((m for m in same if m.source == source), None)
            target, label = same[0].target, same[0].label or name
        else:
            if to not in dict(self.model._meta.get_field(self.field).choices):
                raise ValidationError({self.refusal_field: f"未知的状态：{to}"})
            found = next((m for m in self.moves if m.source == source and m.target == to and not m.name), None)
            target, label = to, ""
        if found is None:
            raise ValidationError({self.refusal_field: self.refusal.format(source=self.label(source), target=self.label(target), move=label)})
        return found


@transaction.atomic
def workflow_move(
    flow: Workflow, obj: models.Model, *, actor, may: Callable[[Move, models.Model], None], to: str = "", name: str = "", reason: str = "",
    change: Callable[[models.Model, Move, datetime], Iterable[str]] | None = None, related: tuple[str, ...] = (),
) -> models.Model:
    """Move `obj` to `to` (or by the move called `name`) along `flow`, as `actor` (None: the system).

    The row is locked and read again, so the move is judged on what is stored, not on the
    caller's copy. `may(move, obj)` raises when the actor may not make the move. `change(obj,
    move, now)` sets what the move changes besides the status (already set) and returns those
    fields; it may refuse too. The object is saved under the audit action `<model>.<move>` with
    the reason, and the history row written. Returns the locked, moved object.
    """
    obj = flow.model._default_manager.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)
    source = getattr(obj, flow.field)
    move = flow.find(source, to=to, name=name)
    may(move, obj)
    reason = reason_checked(reason, max_length=flow.history._meta.get_field("reason").max_length, field=flow.reason_field, noun=flow.reason_noun)
    if move.reason_required and not reason:
        raise ValidationError({flow.reason_field: move.reason_missing})
    now = timezone.now()
    setattr(obj, flow.field, move.target)
    fields = [flow.field, *(change(obj, move, now) if change else ())]
    obj.full_clean(validate_constraints=False)
    audit_as(obj, f"{obj._meta.label_lower}.{move.name or move.target}", user=actor, detail=reason)
    obj.save(update_fields=fields)
    flow.history._default_manager.create(
        **{flow.subject: obj}, from_status=source, to_status=move.target, actor=actor, at=now, reason=reason,
        deadline_at=getattr(obj, flow.deadline_field) if flow.deadline_field else None,
    )
    return obj
