"""Cells of the .xlsx workbooks the platform writes, the same way in every export.

A text cell is always written as text: openpyxl writes a string starting with "=" as a formula,
and a value a resident typed ("=HYPERLINK(...)", "+86...", "@SUM(...)") must reach the reader
as what was typed, never run in their spreadsheet (OWASP "CSV injection", which .xlsx shares).
Dates and times are written in the platform's local time zone, as the pages show them."""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """`value` as a text cell, never a formula; one a spreadsheet could take for a formula is
    also marked with Excel's quote prefix, so that editing the cell keeps it text."""
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if value.startswith(RISKY_STARTS):
        cell.quotePrefix = True
    return cell


def csv_cell(value):
    """A cell of a CSV file: numbers as they are; text a spreadsheet would run as a formula gets
    the apostrophe OWASP advises, which spreadsheets hide and a program reading the file sees."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(RISKY_STARTS):
        return "'" + value
    return value


def sheet_cell(sheet, value):
    """What a page shows as one cell of a sheet: text as text, numbers as numbers, times local."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, int | float | Decimal):
        return value
    return text_cell(sheet, str(value))


def header_row(sheet, columns: Sequence[str]) -> list[WriteOnlyCell]:
    """A sheet's first row: the column titles, in bold."""
    cells = []
    for column in columns:
        cell = text_cell(sheet, column)
        cell.font = BOLD
        cells.append(cell)
    return cells


def workbook_bytes(*, title: str, columns: Sequence[str], rows: Iterable[Sequence], notes: Sequence[str] = ()) -> bytes:
    """One sheet "数据": a bold header row of `columns`, then `rows`; `notes` on a sheet "说明"."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title="数据")
    sheet.append(header_row(sheet, columns))
    for row in rows:
        sheet.append([sheet_cell(sheet, value) for value in row])
    if notes or title:
        about = book.create_sheet(title="说明")
        for line in (title, *notes):
            about.append([text_cell(about, line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
