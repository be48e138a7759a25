"""Making the funds' world in tests: projects in a stage, allocations, receipts, a disbursement."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wangge.projects.funds import services
from wangge.projects.models import Allocation, BudgetLine, Category, FundSource, Project, Status

YEAR = 2026
_numbers = itertools.count(1)


def png(size=(30, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def receipt(data: bytes | None = None, name: str = "invoice.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png() if data is None else data)


def source(code: str = "community_service") -> FundSource:
    return FundSource.objects.get(code=code)


def project(community_code: str, *, status: str = Status.DRAFT, year: int = YEAR, title: str = "老年助餐服务") -> Project:
    category = Category.objects.get(code="life-services")  # seeded by the migrations
    number = f"T{year}{next(_numbers):06d}"
    return Project.objects.create(number=number, title=title, category=category, community_code=community_code, scope="为辖区老人提供助餐", year=year, status=status)


def allocation(community_code: str, amount_fen: int, *, code: str = "community_service", year: int = YEAR) -> Allocation:
    return services.allocation_set(actor=None, community_code=community_code, year=year, source=code, amount_fen=amount_fen)


def funded(community_code: str, budget_fen: int, *, allocated_fen: int | None = None, status: str = Status.IMPLEMENTING, code: str = "community_service") -> BudgetLine:
    """A project of the community with a budget line from one source, moved to `status`
    (budgets are set while it is a draft, as the lifecycle allows)."""
    allocation(community_code, allocated_fen if allocated_fen is not None else budget_fen, code=code)
    made = project(community_code)
    line = services.budget_line_set(actor=None, project=made, source=code, amount_fen=budget_fen)
    Project.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    line.project = made
    return line


def pay(line: BudgetLine, amount_fen: int, *, actor=None, invoice: str | None = None, **fields):
    values = {"source": line.source, "payee": "郑州市暖心助餐服务中心", "purpose": "十一月老年助餐配送", "expense_type": "services",
              "paid_on": timezone.localdate().isoformat(), "invoice_number": invoice or f"INV{next(_numbers):08d}", "receipt": receipt()}
    return services.disbursement_record(actor=actor, project=line.project, amount_fen=amount_fen, **{**values, **fields})
