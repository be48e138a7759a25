"""What every kind of workbook shares: its columns, reading an uploaded .xlsx file, writing a
template or an export, and the report of what is wrong with a file.

Row numbers are the spreadsheet's own (the heading is row 1), so that a report line such as
`第 12 行 身份证号: 校验位错误` points at the cell the user has to fix.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO

import openpyxl
from django.core.exceptions import ValidationError
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from wangge.core.sheets import header_row, text_cell

HEADING_ROW = 1
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
REQUIRED_MARKS = "*＊"
NOT_XLSX = "文件不是有效的 .xlsx 工作簿"
INSTRUCTIONS = "填写说明"
BOLD = Font(bold=True)
RED_BOLD = Font(bold=True, color="B71C1C")


@dataclass(frozen=True, eq=False)
class Column:
    heading: str
    key: str  # the field the value goes to; service errors on that field are reported here
    required: bool = False
    choices: dict | None = None  # label in the sheet -> stored value
    allowed: Callable[[], Iterable[str]] | None = None  # names kept in the database, for the instructions
    note: str = ""
    max_length: int | None = None
    text: bool = False  # formatted as text in the template, so that Excel keeps every digit

    @property
    def title(self) -> str:
        return self.heading + ("*" if self.required else "")

    def allowed_values(self) -> list[str]:
        if self.choices:
            return list(self.choices)
        return list(self.allowed()) if self.allowed else []


@dataclass(frozen=True)
class Problem:
    row: int | None  # None for the file as a whole
    field: str | None  # a column heading
    reason: str

    @property
    def line(self) -> str:
        if self.row is None:
            return f"{self.field}: {self.reason}" if self.field else self.reason
        where = f"第 {self.row} 行"
        return f"{where} {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "reason": self.reason}


class WorkbookRefused(Exception):
    """A workbook with problems: nothing of it is written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.detail)

    @property
    def detail(self) -> str:
        return f"导入失败：共 {len(self.problems)} 处错误，未导入任何数据"

    @property
    def report(self) -> list[str]:
        return [p.line for p in self.problems]


@dataclass(frozen=True)
class Imported:
    count: int  # rows imported
    report: list[str]  # what was written, one line each


def refused(reason: str, *, row: int | None = None, field: str | None = None) -> WorkbookRefused:
    return WorkbookRefused([Problem(row, field, reason)])


class Problems:
    """What is wrong with the rows of a workbook: one problem per cell (the first found)."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.headings = {c.key: c.heading for c in columns}
        self.order = {c.heading: index for index, c in enumerate(columns)}
        self._found: dict[tuple, Problem] = {}
        self._rows: set[int] = set()

    def add(self, row: int, key: str | None, reason: str) -> None:
        heading = self.headings.get(key) if key else None
        self._found.setdefault((row, heading) if heading else (row, None, reason), Problem(row, heading, reason))
        self._rows.add(row)

    def add_error(self, row: int, error: ValidationError, fields: dict[str, str] | None = None) -> None:
        """A service's `ValidationError`, each field reported under its column (`fields` maps
        a service's field name to a column key where they differ)."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for key, messages in by_field.items():
            self.add(row, (fields or {}).get(key, key), "；".join(messages))

    def on(self, row: int) -> bool:
        return row in self._rows

    def __bool__(self) -> bool:
        return bool(self._found)

    def refuse(self) -> None:
        if self._found:
            raise WorkbookRefused(sorted(self._found.values(), key=lambda p: (p.row, self.order.get(p.field, len(self.order)))))


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)  # by column key: text, or a choice's stored value (None when empty)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _load(file) -> list[tuple]:
    if getattr(file, "size", 0) > MAX_BYTES:
        raise refused(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 上限，请分批导入")
    # Any failure to open or parse an upload means it is not a workbook we can read; the
    # reasons (not a zip, no workbook part, broken XML...) are many and none is the user's to fix
    # in any other way.
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise refused(NOT_XLSX) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read what is there
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(values)
            if len(rows) > MAX_ROWS + HEADING_ROW:
                raise refused(f"数据超过 {MAX_ROWS} 行上限，请分批导入")
        return rows
    except WorkbookRefused:
        raise
    except Exception:
        raise refused(NOT_XLSX) from None
    finally:
        workbook.close()


def _heading_positions(headings: tuple, columns: Sequence[Column]) -> dict[str, int]:
    """Column key -> position; unknown, repeated and missing required headings refused."""
    by_heading = {c.heading: c for c in columns}
    positions: dict[str, int] = {}
    problems = []
    for position, value in enumerate(headings):
        heading = cell_text(value).strip(REQUIRED_MARKS).strip()
        if not heading:
            continue
        column = by_heading.get(heading)
        if column is None:
            problems.append(Problem(HEADING_ROW, heading, "不是本表的列，请使用下载的模板"))
        elif column.key in positions:
            problems.append(Problem(HEADING_ROW, heading, "列重复"))
        else:
            positions[column.key] = position
    missing = [Problem(HEADING_ROW, c.heading, "缺少必填列") for c in columns if c.required and c.key not in positions]
    if missing or problems:
        raise WorkbookRefused(missing + problems)
    return positions


def _parse(number: int, values: tuple, columns: Sequence[Column], positions: dict[str, int], problems: Problems) -> Row:
    row = Row(number)
    for column in columns:
        position = positions.get(column.key)
        text = cell_text(values[position]) if position is not None and position < len(values) else ""
        row.values[column.key] = text
        if not text:
            if column.required:
                problems.add(number, column.key, "不能为空")
            if column.choices:
                row.values[column.key] = None
        elif column.choices:
            if text in column.choices:
                row.values[column.key] = column.choices[text]
            else:
                row.values[column.key] = None
                problems.add(number, column.key, f"“{text}”不是可选值，应为 {'、'.join(column.choices)} 之一")
        elif column.max_length and len(text) > column.max_length:
            problems.add(number, column.key, f"不能超过 {column.max_length} 个字符")
    return row


def read_rows(file, columns: Sequence[Column]) -> tuple[list[Row], Problems]:
    """The data rows of the first sheet, each cell checked against its column (required,
    allowed values, length); the problems found so far come back with them. A file that
    cannot be read or whose heading row does not fit is refused at once."""
    rows = _load(file)
    if not rows:
        raise refused("工作簿是空的，请使用下载的模板", row=HEADING_ROW)
    positions = _heading_positions(rows[0], columns)
    problems = Problems(columns)
    parsed = [
        _parse(number, values, columns, positions, problems)
        for number, values in enumerate(rows[HEADING_ROW:], start=HEADING_ROW + 1)
        if any(cell_text(v) for v in values)
    ]
    if not parsed:
        raise refused("工作簿中没有数据行", row=HEADING_ROW + 1)
    return parsed, problems


def _saved(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_bytes(*, title: str, columns: Sequence[Column]) -> bytes:
    """An empty workbook to fill in: the heading row (required columns marked *, in red),
    drop-down lists where the values are fixed, and a sheet explaining every column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([c.title for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=HEADING_ROW, column=index).font = RED_BOLD if column.required else BOLD
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.title) + 4)
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
        if column.choices:
            options = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            options.add(f"{letter}{HEADING_ROW + 1}:{letter}{MAX_ROWS + HEADING_ROW}")
            sheet.add_data_validation(options)
    sheet.freeze_panes = f"A{HEADING_ROW + 1}"

    notes = workbook.create_sheet(INSTRUCTIONS)
    notes.append(["列名", "是否必填", "可填写的值", "说明"])
    for column in columns:
        notes.append([column.heading, "必填" if column.required else "选填", "、".join(column.allowed_values()), column.note])
    notes.append([])
    notes.append(["第 1 行为表头，请勿修改；从第 2 行起每行一条记录。整个文件检查无误才会导入，有任何错误则一行也不导入。"])
    for index, width in enumerate((16, 10, 40, 40), start=1):
        notes.column_dimensions[get_column_letter(index)].width = width
        notes.cell(row=1, column=index).font = BOLD
    return _saved(workbook)


def _cell(sheet, value):
    if not isinstance(value, str):
        return value
    if not value:
        return None  # an empty cell is not written at all
    return text_cell(sheet, value)  # a name typed as "=HYPERLINK(...)" stays text


def export_bytes(*, title: str, headings: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A workbook of `rows` under `headings`, written as a stream."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header_row(sheet, headings))
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    return _saved(workbook)
