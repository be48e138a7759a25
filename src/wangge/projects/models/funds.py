"""The projects' money, in integer fen (分), never floats.

The district allocates to each community per year and source (`Allocation`); a project budgets
per source out of what its community's allocation has not yet budgeted (`BudgetLine`, whose sum
per community, year and source is the allocation's `budgeted_fen`); a disbursement spends out of
one budget line (`Disbursement`), and raises the line's and the allocation's `spent_fen` in its
own transaction. The CheckConstraints are the last word: spent never exceeds budgeted, budgeted
never exceeds allocated, whatever code writes the rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .projects import Project


class FundSource(models.Model):
    """A source of the projects' money (社区服务群众专项经费 ...), kept by the district."""

    code = models.SlugField("来源代码", max_length=32, unique=True)
    name = models.CharField("资金来源", max_length=32, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = verbose_name_plural = "资金来源"

    def __str__(self) -> str:
        return self.name


class ExpenseRule(models.Model):
    """A kind of expenditure the district's rules forbid the projects' money to pay for (办公经费,
    人员工资 ...): refused when a disbursement names it as its type, or when its purpose holds
    one of the trigger words."""

    code = models.SlugField("规则代码", max_length=32, unique=True)
    name = models.CharField("不得列支的支出", max_length=40, unique=True)
    words = models.CharField("触发词", max_length=300, help_text="用顿号、逗号或空格分隔")
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "不得列支规则"

    def __str__(self) -> str:
        return self.name


class Allocation(models.Model):
    """A community's allocation for a year from one source (年度额度)."""

    community_code = models.CharField("社区代码", max_length=32)
    year = models.PositiveSmallIntegerField("年度")
    source = models.ForeignKey(FundSource, on_delete=models.PROTECT, related_name="allocations", verbose_name="资金来源")
    amount_fen = models.BigIntegerField("下达额度（分）")
    budgeted_fen = models.BigIntegerField("已安排预算（分）", default=0)
    spent_fen = models.BigIntegerField("已支出（分）", default=0)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="下达人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["community_code", "year", "source__order"]
        verbose_name = verbose_name_plural = "社区年度资金额度"
        constraints = [
            models.UniqueConstraint(fields=["community_code", "year", "source"], name="allocation_once_per_source"),
            models.CheckConstraint(condition=Q(spent_fen__gte=0) & Q(spent_fen__lte=F("budgeted_fen")), name="allocation_spent_within_budgeted"),
            models.CheckConstraint(condition=Q(budgeted_fen__gte=0) & Q(budgeted_fen__lte=F("amount_fen")), name="allocation_budgeted_within_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.community_code} {self.year} {self.source}"


class BudgetLine(models.Model):
    """A project's budget from one source."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name="项目")
    source = models.ForeignKey(FundSource, on_delete=models.PROTECT, related_name="budget_lines", verbose_name="资金来源")
    amount_fen = models.BigIntegerField("预算（分）")
    spent_fen = models.BigIntegerField("已支出（分）", default=0)

    class Meta:
        ordering = ["project", "source__order"]
        verbose_name = verbose_name_plural = "项目预算"
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="budget_line_once_per_source"),
            models.CheckConstraint(condition=Q(spent_fen__gte=0) & Q(spent_fen__lte=F("amount_fen")), name="budget_line_spent_within_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source}"


class ExpenseType(models.TextChoices):
    """What a disbursement pays for, chosen on the form; the district's forbidden kinds are
    `ExpenseRule` codes and are refused by name."""

    SERVICES = "services", "购买服务"
    GOODS = "goods", "物资采购"
    VENUE = "venue", "场地租用"
    ACTIVITY = "activity", "活动开展"
    REPAIR = "repair", "维修维护"
    OTHER = "other", "其他"


class Disbursement(models.Model):
    """A payment out of a project's budget line (支出), with its receipt. The community, year
    and source are the project's and the line's, copied so that the ledger sums one table."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements", verbose_name="项目")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="disbursements", verbose_name="预算来源")
    community_code = models.CharField("社区代码", max_length=32)
    year = models.PositiveSmallIntegerField("年度")
    source = models.ForeignKey(FundSource, on_delete=models.PROTECT, related_name="+", verbose_name="资金来源")
    payee = models.CharField("收款方", max_length=100)
    purpose = models.CharField("用途", max_length=200)
    expense_type = models.CharField("支出类别", max_length=32)
    paid_on = models.DateField("支付日期")
    amount_fen = models.BigIntegerField("金额（分）")
    invoice_number = models.CharField("发票（收据）号", max_length=40)
    receipt = models.FileField("票据", upload_to="receipts/%Y/%m")
    receipt_type = models.CharField("票据类型", max_length=40)
    receipt_sha256 = models.CharField("票据摘要", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="冲销人")
    reversed_at = models.DateTimeField("冲销时间", null=True, blank=True)
    reversal_reason = models.CharField("冲销原因", max_length=500, blank=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = verbose_name_plural = "项目支出"
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="disbursement_amount_positive"),
            # One claim per invoice of a payee; a reversed claim no longer counts.
            models.UniqueConstraint(fields=["payee", "invoice_number"], condition=Q(reversed_at__isnull=True), name="disbursement_invoice_once"),
        ]
        # The ledger's sums per community and source read this index alone (PostgreSQL).
        indexes = [
            models.Index(fields=["year", "community_code", "source"], include=["amount_fen"], condition=Q(reversed_at__isnull=True), name="disbursement_ledger"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.payee} {self.amount_fen}"
