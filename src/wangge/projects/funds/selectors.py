"""The funds as a caller may see them: officials by their subtree (the project's community code),
everyone else nothing; what is out of scope answers as what does not exist (404). The ledger's
sums are GROUP BYs in SQL."""

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from wangge.geo.models import Division
from wangge.geo.scope import Scope, scope_of

from ..models import Allocation, BudgetLine, Disbursement, FundSource, Project
from .permissions import NOT_FOUND, can_read_funds


def funds_scope(user) -> Scope:
    """The subtree whose money the user reads: the district for the system (None)."""
    if user is None:
        return Scope.district()
    return scope_of(user) if can_read_funds(user) else Scope(None)


def projects_visible(user) -> QuerySet[Project]:
    return Project.objects.filter(funds_scope(user).q("community_code"))


def project_get(user, project_id: int) -> Project:
    found = projects_visible(user).filter(pk=project_id).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def community_get(user, code: str) -> Division:
    """A community of the caller's subtree, by its code."""
    found = Division.objects.filter(funds_scope(user).q("code"), kind=Division.Kind.COMMUNITY, code=code).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def allocations_visible(user) -> QuerySet[Allocation]:
    return Allocation.objects.filter(funds_scope(user).q("community_code")).select_related("source")


def disbursements_visible(user) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(funds_scope(user).q("community_code")).select_related("source")


def disbursement_get(user, disbursement_id: int) -> Disbursement:
    found = disbursements_visible(user).filter(pk=disbursement_id).select_related("project").first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def source_by_code(code: str) -> FundSource | None:
    return FundSource.objects.filter(code=code, active=True).first()


def project_lines(project: Project) -> QuerySet[BudgetLine]:
    """A project's budget per source, with what is left to spend."""
    return (
        project.budget_lines.select_related("source").order_by("source__order", "pk")
        .annotate(remaining_fen=F("amount_fen") - F("spent_fen"), disbursements_count=Count("disbursements"))
    )


@dataclass(frozen=True)
class LedgerRow:
    community_code: str
    community_name: str
    source_code: str
    source_name: str
    allocated_fen: int
    budgeted_fen: int
    spent_fen: int

    @property
    def unspent_fen(self) -> int:
        """Budgeted to projects and not yet paid."""
        return self.budgeted_fen - self.spent_fen

    @property
    def unbudgeted_fen(self) -> int:
        """Allocated and not yet given to any project."""
        return self.allocated_fen - self.budgeted_fen


def spending_by_community_source(scope: Scope, year: int) -> dict[tuple[str, int], int]:
    """What the disbursements of a year (not reversed) sum to per community and source: one
    GROUP BY, read from the ledger's covering index on PostgreSQL."""
    rows = (
        Disbursement.objects.filter(scope.q("community_code"), year=year, reversed_at__isnull=True)
        .order_by().values_list("community_code", "source_id").annotate(total=Sum("amount_fen"))
    )
    return {(code, source): total for code, source, total in rows}


def community_ledger(user, *, year: int, community_code: str | None = None) -> list[LedgerRow]:
    """Per community and source: allocated, budgeted (the allocation's, kept with each budget
    line) and spent (summed from the disbursements)."""
    scope = funds_scope(user)
    if community_code:
        scope = Scope(community_get(user, community_code).code)
    spent = spending_by_community_source(scope, year)
    allocations = Allocation.objects.filter(scope.q("community_code"), year=year).select_related("source").order_by("community_code", "source__order")
    names = dict(Division.objects.filter(code__in=[a.community_code for a in allocations]).values_list("code", "name"))
    return [
        LedgerRow(a.community_code, names.get(a.community_code, ""), a.source.code, a.source.name, a.amount_fen, a.budgeted_fen, spent.get((a.community_code, a.source_id), 0))
        for a in allocations
    ]


def ledger_projects(user, *, year: int, community_code: str) -> QuerySet:
    """A community's projects of a year with their budget and spending, summed per project."""
    community = community_get(user, community_code)
    return (
        BudgetLine.objects.filter(project__community_code=community.code, project__year=year).order_by("project__number")
        .values("project_id", "project__number", "project__title", "project__status")
        .annotate(budgeted_fen=Coalesce(Sum("amount_fen"), 0), spent_fen=Coalesce(Sum("spent_fen"), 0))
    )
