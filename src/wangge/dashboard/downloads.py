"""A chart's table as a file: CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese
headings) or an .xlsx workbook. The figures hold no personal data; each download is still
audited, as every export of the platform is."""

import csv
import io

from wangge.core.audit import audit_record
from wangge.core.sheets import XLSX, csv_cell, workbook_bytes

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def table_csv(columns: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(column) for column in columns])
    writer.writerows([[csv_cell(cell) for cell in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(title: str, columns: list[str], rows: list[list]) -> bytes:
    # Names in a chart's rows (grids, categories) are text people typed: written as text, never formulas.
    return workbook_bytes(title=title, columns=columns, rows=rows, notes=["数据由平台按下载时的数据实时计算，范围为下载人负责的区域。"])


def chart_download(*, chart, data: dict, fmt: str, scope_prefix: str) -> bytes:
    content = table_csv(data["columns"], data["rows"]) if fmt == "csv" else table_xlsx(chart.title, data["columns"], data["rows"])
    audit_record(action="export.figures", object_type="chart", object_id=chart.key, after={"format": fmt, "rows": len(data["rows"]), "scope": scope_prefix})
    return content

