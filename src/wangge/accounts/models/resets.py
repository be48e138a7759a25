from django.db import models

from .users import User


class OfficerReset(models.Model):
    """A reset of an officer's password or second factor (三员分立): asked for by one of the two
    other officers, carried out when the third approves. Nobody approves their own request or a
    reset of their own account; the database refuses both too."""

    class Kind(models.TextChoices):
        PASSWORD = "password", "重置密码"
        TOTP = "totp", "重置动态口令"

    target = models.ForeignKey(User, on_delete=models.PROTECT, related_name="officer_resets", verbose_name="被重置账号")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    reason = models.CharField("事由", max_length=200)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="officer_reset_requests", verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="officer_reset_approvals", verbose_name="审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "三员重置申请"
        verbose_name_plural = "三员重置申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(requested_by=models.F("target")), name="officer_reset_requested_by_another"),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | (~models.Q(approved_by=models.F("requested_by")) & ~models.Q(approved_by=models.F("target"))),
                name="officer_reset_approved_by_a_third",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target} {self.requested_at:%Y-%m-%d}"
