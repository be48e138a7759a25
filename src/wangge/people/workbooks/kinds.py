"""The kinds of workbook and what is done with each: template, export and import.

An import is all or nothing: every row is checked (and, for kinds whose rules span rows,
written in row order) inside one transaction, and the transaction is rolled back when any
row has a problem, so the report lists every problem and nothing is written.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType

from django.db import IntegrityError, transaction
from django.http import Http404

from wangge.accounts.exports import export_approval_use
from wangge.core.audit import audit_record
from wangge.geo.scope import Scope
from wangge.people import permissions

from . import party, residents, social, staff
from .sheets import Column, Imported, export_bytes, read_rows, refused, template_bytes


@dataclass(frozen=True, eq=False)
class Kind:
    name: str
    title: str  # the sheet's title, and what the page calls it
    module: ModuleType  # COLUMNS, EXPORT_HEADINGS, rows_import, rows_export
    may_write: Callable[..., bool]  # import and export alike

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.module.COLUMNS


KINDS = {
    kind.name: kind
    for kind in (
        Kind("residents", "居民", residents, permissions.can_edit_residents),
        Kind("staff", "网格力量", staff, permissions.can_manage_organisations),
        Kind("party", "网格党组织", party, permissions.can_manage_organisations),
        Kind("social", "社区社会组织", social, permissions.can_manage_organisations),
    )
}


def register_kind(kind: Kind) -> None:
    """Another app's workbook (property's compounds) joins the machinery, the workbooks page
    and the API from that app's `ready()`; its module holds what a kind's module holds."""
    KINDS[kind.name] = kind


def kind_get(name: str) -> Kind:
    if name not in KINDS:
        raise Http404(f"没有这种表格：{name}")
    return KINDS[name]


def workbook_template(*, kind: Kind) -> bytes:
    return template_bytes(title=kind.title, columns=kind.columns)


def workbook_export(*, kind: Kind, scope: Scope, actor=None, approval_id: int | None = None) -> bytes:
    """The records in scope, personal details masked (`masks.py`); in full only against an
    approval of `actor`'s, which this uses up (`accounts.exports`). Audited either way."""
    approval = export_approval_use(approval_id=approval_id, kind=kind, actor=actor) if approval_id is not None else None
    rows = _Counted(kind.module.rows_export(scope, unmasked=approval is not None))
    content = export_bytes(title=kind.title, headings=kind.module.EXPORT_HEADINGS, rows=rows)
    if approval is None:
        audit_record(action="export.masked", object_type="workbook", object_id=kind.name, after={"kind": kind.name, "rows": rows.count})
    else:
        audit_record(action="export.unmasked", obj=approval, after={"kind": kind.name, "rows": rows.count})
    return content


class _Counted:
    """The rows, counted as the workbook is written (they are streamed, not held)."""

    def __init__(self, rows: Iterable) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator:
        for row in self.rows:
            self.count += 1
            yield row


def workbook_import(*, kind: Kind, file, scope: Scope, actor=None) -> Imported:
    """Import every row of `file` or none; raises `WorkbookRefused` with the report. The
    residents' rows are written in bulk, past the services, so the right is checked here too."""
    permissions.require(actor, kind.may_write, f"没有权限导入{kind.title}")
    scope = permissions.acting_scope(actor, scope)
    rows, problems = read_rows(file, kind.columns)
    try:
        with transaction.atomic():
            report = kind.module.rows_import(scope=scope, rows=rows, problems=problems, actor=actor)
            problems.refuse()  # raising inside the block rolls back every row written above
    except IntegrityError:
        # Someone registered the same person or post between our check and our write.
        raise refused("导入期间数据被他人同时修改，请重新导入") from None
    # Rows go in through bulk writes, past the per-row audit; the import records them at once.
    audit_record(action=f"workbook.{kind.name}.imported", object_type="workbook", object_id=kind.name, after={"rows": len(rows), "report": report})
    return Imported(len(rows), report)
