"""Spreadsheet (.xlsx) templates, imports and exports of residents, grid staff, party
organisations and social organisations.

`sheets` holds what every kind shares (columns, reading, writing, the report); one module
per kind holds its columns and how its rows are checked and written; `kinds` names them and
runs an import all or nothing.
"""

from .kinds import (
    KINDS,
    Kind,
    kind_get,
    register_kind,
    workbook_export,
    workbook_import,
    workbook_template,
)
from .sheets import Imported, Problem, WorkbookRefused

__all__ = [
    "KINDS",
    "Imported",
    "Kind",
    "Problem",
    "WorkbookRefused",
    "kind_get",
    "register_kind",
    "workbook_export",
    "workbook_import",
    "workbook_template",
]
