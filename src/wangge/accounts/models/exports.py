from django.db import models

from .users import User


class ExportApproval(models.Model):
    """A request to export personal data unmasked, approved by a second person before use."""

    kind = models.CharField("导出类型", max_length=30)
    reason = models.CharField("事由", max_length=200)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="export_requests", verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="export_approvals", verbose_name="审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出审批"
        verbose_name_plural = "导出审批"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(approved_by=models.F("requested_by")), name="export_approved_by_another"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.requested_by} {self.requested_at:%Y-%m-%d}"
