"""Supply and demand: for now the needs residents state on the portal (群众需求), kept for
the matching of local resources to them."""

from django.conf import settings
from django.db import models

from wangge.core.pii import EncryptedField


class Need(models.Model):
    """A need a resident states on the portal (群众需求), kept for the supply-demand matching."""

    class State(models.TextChoices):
        NEW = "new", "已登记"
        MATCHED = "matched", "已对接"
        CLOSED = "closed", "已办结"

    number = models.CharField("受理编号", max_length=20, unique=True)
    category = models.CharField("需求类别", max_length=32)
    description = models.TextField("需求内容")
    community_code = models.CharField("所在社区代码", max_length=32, db_index=True)
    name = EncryptedField("姓名")
    phone = EncryptedField("联系电话")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("登记时间", auto_now_add=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.NEW)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = verbose_name_plural = "群众需求"

    def __str__(self) -> str:
        return self.number

from .models_deliberation import Consultation, Deliberation, DeliberationStep, Meeting, Opinion  # noqa: E402,F401
from .models_facilities import Facility, FacilityKind  # noqa: E402,F401
