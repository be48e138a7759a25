from django.conf import settings
from django.db import models
from django.utils import timezone

from .persons import Person


class SignupCode(models.Model):
    """A one-time code a grid worker hands a resident on a household visit, with which the
    resident claims their account (`services.signup`). Only the code's keyed digest is kept;
    a code works once, until `expires_at`, and issuing a new one voids the old."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signup_codes", verbose_name="居民")
    digest = models.CharField("注册码索引", max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="发放人")
    issued_at = models.DateTimeField("发放时间", default=timezone.now)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "注册码"
        verbose_name_plural = "注册码"
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.person} 的注册码"
