"""The funds over real HTTP: who may do what, what out of scope answers, the Idempotency-Key on a
payment, the receipt served back, and the ledger with its .xlsx export."""

import io

import openpyxl
from django.utils import timezone

from tests.projects.funds import making
from wangge.projects.funds.services import disbursement_reverse
from wangge.projects.models import Allocation, Disbursement


def _form(source: str = "community_service", amount_fen: int = 1_000, **fields) -> dict:
    return {"source": source, "payee": "郑州市暖心助餐服务中心", "purpose": "老年助餐配送", "expense_type": "services",
            "paid_on": timezone.localdate().isoformat(), "amount_fen": str(amount_fen), "invoice_number": "FP-1", **fields}


def _receipt(data: bytes | None = None) -> dict:
    return {"receipt": ("fapiao.png", making.png() if data is None else data, "image/png")}


def test_a_community_official_pays_with_a_receipt_and_reads_it_back(api, people, home):
    line = making.funded(home, 50_000)
    token = people.community_official.token
    paid = api.post(f"/api/funds/projects/{line.project.pk}/disbursements", token=token, data=_form(amount_fen=12_345), files=_receipt())
    assert paid.status_code == 201, paid.text
    body = paid.json()
    assert (body["amount_fen"], body["amount_yuan"], body["source_name"]) == (12_345, "¥123.45", "社区服务群众专项经费")
    receipt = api.get(body["receipt_url"], token=token)
    assert receipt.status_code == 200 and receipt.content == making.png() and receipt.headers["content-type"] == "image/png"
    assert receipt.headers["X-Content-Type-Options"] == "nosniff"
    funds = api.get(f"/api/funds/projects/{line.project.pk}", token=token).json()
    assert (funds["budgeted_fen"], funds["spent_fen"], funds["lines"][0]["remaining_yuan"]) == (50_000, 12_345, "¥376.55")
    listed = api.get(f"/api/funds/projects/{line.project.pk}/disbursements", token=people.subdistrict_official.token).json()
    assert [d["id"] for d in listed] == [body["id"]]


def test_a_refusal_is_in_chinese_naming_the_field(api, people, home):
    line = making.funded(home, 5_000)
    over = api.post(f"/api/funds/projects/{line.project.pk}/disbursements", token=people.community_official.token, data=_form(amount_fen=5_001), files=_receipt())
    assert over.status_code == 400
    assert over.json()["errors"] == [{"field": "amount_fen", "reason": "超出该来源预算，剩余 ¥50.00"}]
    no_file = api.post(f"/api/funds/projects/{line.project.pk}/disbursements", token=people.community_official.token, data=_form())
    assert no_file.status_code == 400 and no_file.json()["errors"] == [{"field": "receipt", "reason": "请选择要上传的票据"}]
    assert not Disbursement.objects.filter(project=line.project).exists()


def test_a_retried_payment_with_its_idempotency_key_pays_once(api, people, home):
    line = making.funded(home, 50_000)
    url, token = f"/api/funds/projects/{line.project.pk}/disbursements", people.community_official.token
    first = api.post(url, token=token, data=_form(), files=_receipt(), headers={"Idempotency-Key": "pay-1"})
    again = api.post(url, token=token, data=_form(), files=_receipt(), headers={"Idempotency-Key": "pay-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    line.refresh_from_db()
    assert line.spent_fen == 1_000 and Disbursement.objects.filter(line=line).count() == 1
    changed = api.post(url, token=token, data=_form(amount_fen=2_000), files=_receipt(), headers={"Idempotency-Key": "pay-1"})
    assert changed.status_code == 422
    other_receipt = api.post(url, token=token, data=_form(), files=_receipt(making.png((31, 20))), headers={"Idempotency-Key": "pay-1"})
    assert other_receipt.status_code == 422
    line.refresh_from_db()
    assert line.spent_fen == 1_000


def test_out_of_scope_answers_as_missing_and_other_roles_are_refused(api, people, home, away):
    theirs = making.funded(away, 50_000)
    paid = making.pay(theirs, 1_000)
    for path in (f"/api/funds/projects/{theirs.project.pk}", f"/api/funds/disbursements/{paid.pk}/receipt", "/api/funds/projects/987654321"):
        answer = api.get(path, token=people.community_official.token)
        assert answer.status_code == 404 and answer.json()["detail"] == "未找到该对象", path
        assert paid.payee not in answer.text
    posted = api.post(f"/api/funds/projects/{theirs.project.pk}/disbursements", token=people.community_official.token, data=_form(), files=_receipt())
    assert posted.status_code == 404
    for persona in (people.grid_worker, people.resident, people.department_handler):
        assert api.get(f"/api/funds/projects/{theirs.project.pk}", token=persona.token).status_code == 403
        assert api.get("/api/funds/ledger", token=persona.token).status_code == 403
    reversed_ = api.post(f"/api/funds/disbursements/{paid.pk}/reverse", token=people.subdistrict_official.token, json={"reason": "录错"})
    assert reversed_.status_code == 404
    refused = api.post(f"/api/funds/disbursements/{paid.pk}/reverse", token=people.community_official.token, json={"reason": "录错"})
    assert refused.status_code == 403
    done = api.post(f"/api/funds/disbursements/{paid.pk}/reverse", token=people.district_official.token, json={"reason": "录错金额"})
    assert done.status_code == 200 and done.json()["reversal_reason"] == "录错金额"
    theirs.refresh_from_db()
    assert theirs.spent_fen == 0


def test_finance_allocates_and_communities_read_their_own(api, people, home, away):
    body = {"community_code": home, "year": making.YEAR, "source": "donation", "amount_fen": 250_000}
    assert api.post("/api/funds/allocations", token=people.community_official.token, json=body).status_code == 403
    set_ = api.post("/api/funds/allocations", token=people.subdistrict_official.token, json=body)
    assert set_.status_code == 200 and set_.json()["amount_yuan"] == "¥2,500.00"
    away_body = {**body, "community_code": away}
    assert api.post("/api/funds/allocations", token=people.subdistrict_official.token, json=away_body).status_code == 404
    assert not Allocation.objects.filter(community_code=away).exists()
    assert api.post("/api/funds/allocations", token=people.district_official.token, json=away_body).status_code == 200
    mine = api.get(f"/api/funds/allocations?year={making.YEAR}", token=people.community_official.token).json()
    assert [(a["community_code"], a["source"]) for a in mine] == [(home, "donation")]
    assert api.get(f"/api/funds/allocations?year={making.YEAR}&community_code={away}", token=people.community_official.token).status_code == 404


def test_the_money_is_set_over_the_api_while_the_project_is_a_draft(api, people, home):
    making.allocation(home, 10_000)
    project = making.project(home)
    url, token = f"/api/funds/projects/{project.pk}/budget-lines", people.community_official.token
    set_ = api.post(url, token=token, json={"source": "community_service", "amount_fen": 8_000})
    assert set_.status_code == 200 and set_.json()["budgeted_fen"] == 8_000
    too_much = api.post(url, token=token, json={"source": "community_service", "amount_fen": 10_001})
    assert too_much.status_code == 400 and too_much.json()["errors"][0]["reason"].endswith("剩余 ¥100.00")


def test_the_ledger_sums_per_community_and_source_and_exports(api, people, home, away):
    line = making.funded(home, 60_000, allocated_fen=100_000)
    making.pay(line, 10_000)
    making.pay(line, 2_500)
    reversed_ = making.pay(line, 7_000)
    disbursement_reverse(actor=None, disbursement=reversed_, reason="重复录入")
    making.pay(making.funded(away, 9_000), 9_000)
    rows = api.get(f"/api/funds/ledger?year={making.YEAR}", token=people.community_official.token).json()
    assert rows == [{"community_code": home, "community_name": people.home_grid.community.name, "source": "community_service", "source_name": "社区服务群众专项经费",
                     "allocated_fen": 100_000, "budgeted_fen": 60_000, "spent_fen": 12_500, "unspent_fen": 47_500, "unbudgeted_fen": 40_000}]
    district = api.get(f"/api/funds/ledger?year={making.YEAR}", token=people.district_official.token).json()
    assert {r["community_code"]: r["spent_fen"] for r in district} == {home: 12_500, away: 9_000}
    for row in district:  # the sums over the disbursements agree with the counters the locks keep
        assert row["spent_fen"] == Allocation.objects.get(community_code=row["community_code"], year=making.YEAR, source__code=row["source"]).spent_fen
    projects = api.get(f"/api/funds/ledger/projects?year={making.YEAR}&community_code={home}", token=people.community_official.token).json()
    assert [(p["project_id"], p["budgeted_fen"], p["spent_fen"]) for p in projects] == [(line.project.pk, 60_000, 12_500)]
    assert api.get(f"/api/funds/ledger/projects?year={making.YEAR}&community_code={away}", token=people.community_official.token).status_code == 404
    sheet = api.get(f"/api/funds/ledger.xlsx?year={making.YEAR}", token=people.community_official.token)
    assert sheet.status_code == 200
    cells = list(openpyxl.load_workbook(io.BytesIO(sheet.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert cells[0][:4] == ("社区代码", "社区", "资金来源", "下达额度（元）")
    assert [tuple(str(v) for v in row[:6]) for row in cells[1:]] == [(home, people.home_grid.community.name, "社区服务群众专项经费", "1000", "600", "125")]


def test_a_pdf_receipt_is_served_as_a_download(api, people, home):
    line = making.funded(home, 50_000)
    token = people.community_official.token
    paid = api.post(f"/api/funds/projects/{line.project.pk}/disbursements", token=token, data=_form(), files={"receipt": ("scan.png", making.pdf(), "image/png")})
    assert paid.status_code == 201 and paid.json()["receipt_type"] == "application/pdf"
    receipt = api.get(paid.json()["receipt_url"], token=token)
    assert receipt.content == making.pdf() and receipt.headers["content-type"] == "application/pdf"
    assert receipt.headers["Content-Disposition"].startswith("attachment;")


def test_the_district_keeps_the_forbidden_expenditure_over_the_api(api, people):
    rule = {"code": "banquet", "name": "宴请", "words": "宴请、聚餐", "active": True}
    assert api.post("/api/funds/expense-rules", token=people.subdistrict_official.token, json=rule).status_code == 403
    saved = api.post("/api/funds/expense-rules", token=people.district_official.token, json=rule)
    assert saved.status_code == 200 and saved.json() == rule
    listed = api.get("/api/funds/expense-rules", token=people.community_official.token).json()
    assert [r["name"] for r in listed][:5] == ["办公经费", "人员工资", "偿还债务", "居民个人应承担的费用", "已由其他预算支付的项目"] and rule in listed
    assert api.get("/api/funds/expense-rules", token=people.resident.token).status_code == 403
