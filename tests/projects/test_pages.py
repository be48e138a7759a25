"""The projects' back-office pages: the list by stage and its export, a project's page with
its timeline, money, objections and moves, and the forms, their refusals beside their fields;
out of scope answers as missing, other roles are refused."""

import io

from openpyxl import load_workbook

from tests.projects.conftest import draft, in_notice, notice_over, proposed
from tests.projects.funds.making import funded, pay, receipt
from wangge.portal.models import Objection
from wangge.projects.models import BudgetLine, Disbursement, Project, VoteRound
from wangge.projects.services.objections import project_objection_lodge
from wangge.projects.services.projects import moves_offered


def test_the_list_counts_each_stage_filters_and_exports_only_the_scope(client, people, world):
    mine = proposed(people, world, title="楼道照明改造")
    draft(people, world, title="儿童托管")
    theirs = draft(people, world, title="远处项目")
    Project.objects.filter(pk=theirs.pk).update(community_code=world.other_community)
    client.force_login(people.community_official.user)
    page = client.get("/projects").content.decode()
    assert "楼道照明改造" in page and "儿童托管" in page and "远处项目" not in page
    assert "已提议（1）" in page and "草拟（1）" in page and "全部（2）" in page
    stage = client.get("/projects?status=proposed").content.decode()
    assert "楼道照明改造" in stage and "儿童托管" not in stage
    exported = client.get("/projects?export=xlsx&status=proposed")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert mine.number in cells and "楼道照明改造" in cells and "已提议" in cells and "儿童托管" not in cells and "远处项目" not in cells


def test_other_roles_are_refused_and_out_of_scope_is_missing(client, people, world):
    project = draft(people, world)
    client.force_login(people.grid_worker.user)
    assert client.get("/projects").status_code == 403
    assert client.get(f"/projects/{project.pk}").status_code == 403
    client.force_login(world.voter.user)
    assert client.get(f"/projects/{project.pk}").status_code == 403
    Project.objects.filter(pk=project.pk).update(community_code=world.other_community)
    client.force_login(people.community_official.user)
    hidden, missing = client.get(f"/projects/{project.pk}"), client.get("/projects/999999")
    assert hidden.status_code == missing.status_code == 404 and project.title not in hidden.content.decode()
    moved = client.post(f"/projects/{project.pk}", {"form": "move", "to": "proposed"})
    assert moved.status_code == 404 and Project.objects.get(pk=project.pk).status == "draft"


def test_the_draft_form_creates_and_refuses_beside_the_field(client, people, world):
    client.force_login(people.community_official.user)
    body = {"title": "", "category": world.category.pk, "community_code": world.community, "origin": "plan", "year": "2026", "scope": "助餐"}
    refused = client.post("/projects/new", body)
    assert refused.status_code == 400 and 'id="id_title-error"' in refused.content.decode() and "请填写项目名称" in refused.content.decode()
    assert not Project.objects.exists()
    elsewhere = client.post("/projects/new", {**body, "title": "远处", "community_code": world.other_community})
    assert elsewhere.status_code == 400 and not Project.objects.exists()
    made = client.post("/projects/new", {**body, "title": "助餐点"})
    project = Project.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/projects/{project.pk}" and project.status == "draft"
    edited = client.post(f"/projects/{project.pk}/edit", {**body, "title": "老年助餐点"})
    assert edited.status_code == 302 and Project.objects.get().title == "老年助餐点"


def test_a_project_page_shows_timeline_and_offers_only_the_viewers_moves(client, people, world):
    project = in_notice(people, world)
    client.force_login(people.community_official.user)
    page = client.get(f"/projects/{project.pk}").content.decode()
    assert "草拟 → 已提议" in page and "已提议 → 公示中" in page and 'id="move-withdrawn"' in page and 'id="move-filed"' not in page
    assert [m.target for m in moves_offered(project, people.subdistrict_official.user)] == ["filed", "rejected"]
    assert moves_offered(project, people.grid_worker.user) == []
    client.force_login(people.subdistrict_official.user)
    assert 'id="move-filed"' in client.get(f"/projects/{project.pk}").content.decode()


def test_filing_is_refused_beside_its_button_until_the_objection_is_answered(client, people, world):
    project = in_notice(people, world)
    objection = project_objection_lodge(project=project, text="选址离住户太近，噪音扰民")
    notice_over(project)
    client.force_login(people.subdistrict_official.user)
    refused = client.post(f"/projects/{project.pk}", {"form": "move", "to": "filed", "name": ""})
    text = refused.content.decode()
    assert refused.status_code == 400 and "尚有未答复的异议，不能备案" in text and "选址离住户太近" in text
    assert Project.objects.get(pk=project.pk).status == "notice"
    empty = client.post(f"/projects/{project.pk}", {"form": "answer", "objection": objection.pk, "answer": " "})
    assert empty.status_code == 400 and Objection.objects.get(pk=objection.pk).state == "pending"
    answered = client.post(f"/projects/{project.pk}", {"form": "answer", "objection": objection.pk, "answer": "已调整选址至社区服务中心"})
    assert answered.status_code == 302 and Objection.objects.get(pk=objection.pk).state == "answered"
    assert client.post(f"/projects/{project.pk}", {"form": "move", "to": "filed", "name": ""}).status_code == 302
    assert Project.objects.get(pk=project.pk).status == "filed"


def test_an_objection_of_another_project_is_missing(client, people, world):
    project, other = in_notice(people, world), in_notice(people, world)
    theirs = project_objection_lodge(project=other, text="另一项目的异议")
    client.force_login(people.community_official.user)
    answered = client.post(f"/projects/{project.pk}", {"form": "answer", "objection": theirs.pk, "answer": "答复"})
    assert answered.status_code == 404 and Objection.objects.get(pk=theirs.pk).state == "pending"


def test_a_withdrawal_without_reason_is_refused_beside_its_field(client, people, world):
    project = draft(people, world)
    client.force_login(people.community_official.user)
    refused = client.post(f"/projects/{project.pk}", {"form": "move", "to": "withdrawn", "name": "", "reason": ""})
    assert refused.status_code == 400 and "撤回项目须说明原因" in refused.content.decode() and Project.objects.get(pk=project.pk).status == "draft"


def test_budget_and_disbursement_forms_keep_the_rules_and_link_the_receipt(client, people, world):
    line = funded(world.community, 100_000, allocated_fen=200_000, status="draft")
    client.force_login(people.community_official.user)
    over = client.post(f"/projects/{line.project.pk}", {"form": "budget", "source": "community_service", "amount_fen": "2000.01"})
    assert over.status_code == 400 and "超出本社区" in over.content.decode() and BudgetLine.objects.get().amount_fen == 100_000
    assert client.post(f"/projects/{line.project.pk}", {"form": "budget", "source": "community_service", "amount_fen": "1500.50"}).status_code == 302
    assert BudgetLine.objects.get().amount_fen == 150_050
    Project.objects.filter(pk=line.project.pk).update(status="implementing")
    body = {"form": "disbursement", "source": "community_service", "payee": "暖心助餐中心", "purpose": "助餐配送", "expense_type": "services",
            "paid_on": "2026-01-05", "amount_fen": "300", "invoice_number": "INV001"}
    forbidden = client.post(f"/projects/{line.project.pk}", {**body, "purpose": "社区办公室人员工资", "receipt": receipt()})
    assert forbidden.status_code == 400 and 'id="id_purpose-error"' in forbidden.content.decode() and not Disbursement.objects.exists()
    bad_amount = client.post(f"/projects/{line.project.pk}", {**body, "amount_fen": "三百", "receipt": receipt()})
    assert bad_amount.status_code == 400 and 'id="id_amount_fen-error"' in bad_amount.content.decode()
    paid = client.post(f"/projects/{line.project.pk}", {**body, "receipt": receipt()})
    assert paid.status_code == 302
    item = Disbursement.objects.get()
    page = client.get(f"/projects/{line.project.pk}").content.decode()
    assert item.amount_fen == 30_000 and f"/api/funds/disbursements/{item.pk}/receipt" in page and "¥300.00" in page and "¥1,200.50" in page
    assert client.get(f"/api/funds/disbursements/{item.pk}/receipt").status_code == 200


def test_a_filed_projects_budget_is_not_offered_and_refused(client, people, world):
    line = funded(world.community, 100_000, status="filed")
    pay(line, 1_000)
    client.force_login(people.community_official.user)
    page = client.get(f"/projects/{line.project.pk}").content.decode()
    assert 'id="budget-form"' not in page and 'id="disbursement-form"' in page
    refused = client.post(f"/projects/{line.project.pk}", {"form": "budget", "source": "community_service", "amount_fen": "5"})
    assert refused.status_code == 400 and "已备案项目变更内容须重新公示" in refused.content.decode() and BudgetLine.objects.get().amount_fen == 100_000


def test_a_move_the_viewer_is_not_offered_is_refused_above_the_page(client, people, world):
    project = notice_over(in_notice(people, world))
    client.force_login(people.community_official.user)
    refused = client.post(f"/projects/{project.pk}", {"form": "move", "to": "filed", "name": ""})
    assert refused.status_code == 400 and 'id="form-error"' in refused.content.decode() and "街道干部" in refused.content.decode()
    assert Project.objects.get(pk=project.pk).status == "notice"


def test_the_ledger_sums_per_source_and_project_and_exports_the_same(client, people, world):
    line = funded(world.community, 100_000, allocated_fen=250_000, status="filed")
    pay(line, 40_000)
    funded(world.other_community, 70_000, status="filed")
    client.force_login(people.community_official.user)
    page = client.get("/projects/ledger?year=2026").content.decode()
    assert "¥2,500.00" in page and "¥1,000.00" in page and "¥400.00" in page and "¥600.00" in page and "¥1,500.00" in page
    assert "¥700.00" not in page
    detail = client.get(f"/projects/ledger?year=2026&community={world.community}").content.decode()
    assert line.project.number in detail and 'id="ledger-projects"' in detail
    assert client.get(f"/projects/ledger?year=2026&community={world.other_community}").status_code == 404
    exported = client.get("/api/funds/ledger.xlsx?year=2026")
    cells = [c for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True) for c in row if c is not None]
    assert 2500 in cells and 400 in cells and 700 not in cells
    client.force_login(people.grid_worker.user)
    assert client.get("/projects/ledger").status_code == 403


def test_a_round_is_prepared_opened_closed_and_counted_from_its_page(client, people, world):
    first, second = proposed(people, world, title="楼道照明改造"), proposed(people, world, title="儿童托管")
    client.force_login(people.community_official.user)
    body = {"form": "create", "community_code": world.community, "title": "2026 微项目投票", "budget_fen": "10000", "mode": "approval",
            "max_choices": "1", "min_share_percent": "70", "opens_at": "2026-01-01T08:00", "closes_at": "2026-01-08T08:00",
            "project": [str(first.pk), str(second.pk)], f"cost-{first.pk}": "3000", f"cost-{second.pk}": "20000"}
    too_dear = client.post("/projects/rounds", body)
    assert too_dear.status_code == 400 and "第 2 项：费用超过本轮预算" in too_dear.content.decode() and not VoteRound.objects.exists()
    backwards = client.post("/projects/rounds", {**body, f"cost-{second.pk}": "4000", "closes_at": "2025-12-01T08:00"})
    assert backwards.status_code == 400 and "投票结束时间须晚于开始时间" in backwards.content.decode()
    assert client.post("/projects/rounds", {**body, f"cost-{second.pk}": "4000"}).status_code == 302
    vote_round = VoteRound.objects.get()
    assert vote_round.budget_fen == 1_000_000 and sorted(vote_round.entries.values_list("cost_fen", flat=True)) == [300_000, 400_000]
    for to in ("open", "closed", "counted"):
        assert client.post("/projects/rounds", {"form": "move", "round": vote_round.pk, "to": to}).status_code == 302
    assert VoteRound.objects.get().status == "counted"
    client.force_login(people.grid_worker.user)
    assert client.get("/projects/rounds").status_code == 403


def test_finance_reverses_a_disbursement_with_a_reason_on_the_page(client, people, world):
    line = funded(world.community, 100_000)
    paid = pay(line, 30_000)
    other = pay(funded(world.other_community, 50_000), 10_000)
    client.force_login(people.community_official.user)
    assert f'id="reverse-{paid.pk}"' not in client.get(f"/projects/{line.project.pk}").content.decode()
    refused = client.post(f"/projects/{line.project.pk}", {"form": "reverse", "disbursement": paid.pk, "reason": "录错金额"})
    assert refused.status_code == 400 and "只有区、街道干部可以下达资金额度和冲销支出" in refused.content.decode()
    client.force_login(people.subdistrict_official.user)
    assert f'id="reverse-{paid.pk}"' in client.get(f"/projects/{line.project.pk}").content.decode()
    unexplained = client.post(f"/projects/{line.project.pk}", {"form": "reverse", "disbursement": paid.pk, "reason": ""})
    assert unexplained.status_code == 400 and f'id="reverse-{paid.pk}-error"' in unexplained.content.decode() and "冲销原因" in unexplained.content.decode()
    assert Disbursement.objects.get(pk=paid.pk).reversed_at is None
    # Another project's disbursement, named on this project's page, is missing and stays as it is.
    assert client.post(f"/projects/{line.project.pk}", {"form": "reverse", "disbursement": other.pk, "reason": "录错金额"}).status_code == 404
    assert Disbursement.objects.get(pk=other.pk).reversed_at is None
    assert client.post(f"/projects/{line.project.pk}", {"form": "reverse", "disbursement": paid.pk, "reason": "录错金额"}).status_code == 302
    reversed_ = Disbursement.objects.get(pk=paid.pk)
    assert reversed_.reversed_at is not None and reversed_.reversed_by == people.subdistrict_official.user and reversed_.reversal_reason == "录错金额"
    assert BudgetLine.objects.get(pk=line.pk).spent_fen == 0
    page = client.get(f"/projects/{line.project.pk}").content.decode()
    assert "（已冲销：录错金额）" in page and f'id="reverse-{paid.pk}"' not in page
