"""The workbooks the platform writes keep text as text: a value typed as a formula is never one."""

import io

import openpyxl

from wangge.dashboard.downloads import table_xlsx


def test_it_writes_formula_like_text_of_a_chart_as_text():
    risky = ["=1+1", "+86 1380", "-2+3", "@SUM(A1)", "\t=1", "平常的名字"]
    content = table_xlsx("图表", ["名称", "数量"], [[value, 1] for value in risky])
    sheet = openpyxl.load_workbook(io.BytesIO(content))["数据"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == risky
    assert {cell.data_type for cell in cells} == {"s"}
    assert [cell.quotePrefix for cell in cells] == [True] * 5 + [False]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [1] * 6  # numbers stay numbers
