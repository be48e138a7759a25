"""The workbooks page in a real browser against a real gunicorn serving the demo district:
a template downloads, and a bad workbook is answered with its row-by-row report."""

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

HEADINGS = ["姓名*", "身份证号*", "联系电话", "人口类型*", "网格编码*", "楼栋*", "户室*"]
NO_GRID = "410104999999999"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCREENSHOT = "/tmp/workbooks.png"


def _bad_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    sheet.append(["张三", "110101195003040000", "13912345678", "户籍人口", NO_GRID, "1号楼", "101"])  # check digit should be 9
    sheet.append(["", "110101195003040009", "12345", "户籍人口", NO_GRID, "1号楼", "102"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_bad_workbook_is_answered_with_its_report(page: Page, wangge_server):
    log_in(page, wangge_server)
    page.get_by_role("link", name="表格导入导出").click()
    expect(page).to_have_url(wangge_server.url + "/people/workbooks")
    residents = page.locator("#workbook-residents")
    expect(page.locator("section.workbook form")).to_have_count(5)  # the administrator may import every kind (property's compounds among them)

    with page.expect_download() as download:
        residents.get_by_role("link", name="下载模板").click()
    assert download.value.suggested_filename == "居民导入模板.xlsx"

    residents.locator("input[type=file]").set_input_files({"name": "坏表.xlsx", "mimeType": XLSX, "buffer": _bad_workbook()})
    residents.get_by_role("button", name="导入居民").click()

    result = page.locator("#import-result")
    expect(result.locator("h2")).to_have_text("居民导入失败：坏表.xlsx")
    expect(result.locator(".refused")).to_have_text("导入失败：共 5 处错误，未导入任何数据")
    rows = page.locator("#import-report tbody tr")
    expect(rows).to_have_count(5)
    cells = [[cell.strip() for cell in row] for row in rows.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")]
    assert cells == [
        ["第 2 行", "身份证号", "校验位错误"],
        ["第 2 行", "网格编码", f"网格 {NO_GRID} 不存在或不在您负责的范围内"],
        ["第 3 行", "姓名", "不能为空"],
        ["第 3 行", "联系电话", "格式错误，应为11位手机号或带区号的固定电话"],
        ["第 3 行", "网格编码", f"网格 {NO_GRID} 不存在或不在您负责的范围内"],
    ]
    # Ready for a strict Content-Security-Policy: no inline script, no inline event handler.
    assert page.locator("script:not([src])").count() == 0
    assert page.evaluate("[...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('on')))") is False
    page.screenshot(path=SCREENSHOT, full_page=True)
