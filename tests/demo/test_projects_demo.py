"""The demo's service projects (`demo/projects.py`) stand on records: 158 projects across the
eight categories in every stage, each moved through the workflow with its history, money that
never passes a budget or an allocation, receipts that are images, a counted and an open
residents' vote, objections; and the headline over HTTP equals the records."""

from collections import defaultdict

import pytest
from django.db.models import Sum

from wangge.demo.projects import PROJECTS, demo_projects_build
from wangge.portal.models import Disclosure, Objection
from wangge.projects.models import (
    Allocation,
    BudgetLine,
    Category,
    Disbursement,
    Project,
    Status,
    VoteRound,
)
from wangge.projects.rules import SPENDING

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"




def test_the_demo_projects_stand_on_records(api):
    made = demo_projects_build()
    projects = list(Project.objects.select_related("category"))
    assert len(projects) == PROJECTS == made["projects"] == 158
    assert {p.category.code for p in projects} == set(Category.objects.filter(active=True).values_list("code", flat=True))
    assert len({p.category_id for p in projects}) == 8
    assert {p.status for p in projects} == set(Status.values)  # every stage
    assert len({p.community_code for p in projects}) > 8  # spread over the communities

    # Their history: every project past its draft moved through the workflow, last step its status.
    for project in projects:
        steps = list(project.steps.order_by("at", "pk").values_list("to_status", flat=True))
        if project.status == Status.DRAFT:
            assert steps == []
        else:
            assert steps and steps[0] == Status.PROPOSED
            assert project.steps.order_by("-pk").values_list("to_status", flat=True).first() == project.status
        if project.status in (Status.FILED, Status.IMPLEMENTING, Status.ACCEPTED, Status.DISCLOSED, Status.CLOSED):
            assert Status.NOTICE in steps and Status.FILED in steps
            assert project.notice_ends_at <= project.steps.get(to_status=Status.FILED).at  # filed once the period was over
            notice = Disclosure.objects.get(pk=project.notice_id)
            assert notice.kind == "project" and notice.shown_until == project.notice_ends_at
            assert not Objection.objects.filter(disclosure=notice, state=Objection.State.PENDING).exists()
    # The notices on the portal: one in notice still waits for an answer to its objection.
    waiting = Objection.objects.filter(state=Objection.State.PENDING, disclosure__in=[p.notice_id for p in projects if p.notice_id])
    assert waiting.count() == 1
    assert Project.objects.get(notice_id=waiting.get().disclosure_id).status == Status.NOTICE
    assert Objection.objects.filter(state=Objection.State.ANSWERED, disclosure__in=[p.notice_id for p in projects if p.notice_id]).count() >= 3

    # The residents' votes: one counted with winners in notice or beyond and a project not chosen, one open.
    counted, open_round = VoteRound.objects.get(status="counted"), VoteRound.objects.get(status="open")
    winners = counted.entries.filter(won=True)
    assert winners.count() >= 2 and counted.entries.filter(won=False).exists()
    assert sum(e.cost_fen for e in winners) <= counted.budget_fen
    assert all(e.project.status not in (Status.PROPOSED, Status.VOTING) for e in winners)
    assert counted.voters.count() > 0 and open_round.voters.count() > 0
    assert set(open_round.entries.values_list("project__status", flat=True)) == {Status.VOTING}

    # The money: spent within every line, every line's spent its disbursements, budgeted within every allocation.
    paid = defaultdict(int)
    for d in Disbursement.objects.filter(reversed_at__isnull=True):
        paid[d.line_id] += d.amount_fen
    lines = list(BudgetLine.objects.select_related("project"))
    assert lines and all(0 <= line.spent_fen <= line.amount_fen and line.spent_fen == paid[line.pk] for line in lines)
    assert all(line.spent_fen == 0 for line in lines if line.project.status not in (*SPENDING, Status.ACCEPTED, Status.DISCLOSED, Status.CLOSED))
    budgeted = defaultdict(int)
    for line in lines:
        budgeted[line.project.community_code, line.project.year, line.source_id] += line.amount_fen
    for allocation in Allocation.objects.all():
        assert allocation.budgeted_fen == budgeted[allocation.community_code, allocation.year, allocation.source_id] <= allocation.amount_fen
        assert allocation.spent_fen <= allocation.budgeted_fen
    closed = [line for line in lines if line.project.status == Status.CLOSED]
    assert closed and all(line.spent_fen >= line.amount_fen * 88 // 100 - 1 for line in closed)
    receipt = Disbursement.objects.order_by("pk").first()
    with receipt.receipt.open("rb") as f:
        assert f.read(8) == PNG and receipt.receipt_type == "image/png"

    # The headline over HTTP equals the records.
    figures = api.get("/api/stats/headline").json()
    counted_projects = Project.objects.exclude(status=Status.DRAFT)
    assert figures["service_projects"] == counted_projects.count() == PROJECTS - 6
    assert figures["project_categories"] == 8
    assert figures["projects_by_status"] == {s: counted_projects.filter(status=s).count() for s in Status.values if s != Status.DRAFT}
    assert all(n > 0 for n in figures["projects_by_category"].values())
    spent = Disbursement.objects.filter(project__in=counted_projects, reversed_at__isnull=True).aggregate(t=Sum("amount_fen"))["t"]
    budget = BudgetLine.objects.filter(project__in=counted_projects).aggregate(t=Sum("amount_fen"))["t"]
    assert figures["funds_spent"] == _yuan(spent) and figures["funds_budgeted"] == _yuan(budget)
    assert 0 < spent < budget
