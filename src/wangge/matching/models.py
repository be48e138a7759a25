"""Supply and demand: the needs residents state on the portal or grid workers gather (需求清单),
the resources offered to them (`models_resources`), and the supply-demand fair (`models_fair`)."""

from django.conf import settings
from django.db import models

from wangge.core.models import WorkflowStep
from wangge.core.pii import EncryptedField

from .kinds import Beneficiary, Kind
from .models_fair import Fair, FairMatch, FairMatchStep, FairStep  # noqa: F401
from .models_resources import Resource  # noqa: F401


def _any_day() -> list[int]:
    return []


class Need(models.Model):
    """A need a resident states on the portal or a grid worker gathers (群众需求), moved by
    `matching.workflow.NEED`."""

    class State(models.TextChoices):
        NEW = "new", "已登记"
        MATCHED = "matched", "已对接"
        SERVED = "served", "已服务"
        CLOSED = "closed", "已办结"
        DECLINED = "declined", "不予受理"

    class Source(models.TextChoices):
        PORTAL = "portal", "门户网站"
        GRID = "grid", "网格员采集"

    number = models.CharField("受理编号", max_length=20, unique=True)
    category = models.CharField("需求类别", max_length=32)
    kind = models.CharField("所需资源类型", max_length=16, choices=Kind.choices, default=Kind.SERVICE)
    beneficiary = models.CharField("服务对象", max_length=16, choices=Beneficiary.choices, default=Beneficiary.EVERYONE)
    quantity = models.PositiveIntegerField("需求数量", default=1)
    urgency = models.PositiveSmallIntegerField("紧急程度（1–5）", default=3)
    description = models.TextField("需求内容")
    community_code = models.CharField("所在社区代码", max_length=32, db_index=True)
    grid_code = models.CharField("所在网格代码", max_length=15, blank=True, db_index=True)
    lon = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    wanted_weekdays = models.JSONField("希望的日子（ISO 周几，空为不限）", default=_any_day, blank=True)
    wanted_from = models.PositiveSmallIntegerField("希望开始时间（时）", default=0)
    wanted_until = models.PositiveSmallIntegerField("希望结束时间（时）", default=24)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.PORTAL)
    name = EncryptedField("姓名")
    phone = EncryptedField("联系电话")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("登记时间", auto_now_add=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.NEW)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = verbose_name_plural = "群众需求"
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="matching_need_quantity_positive"),
            models.CheckConstraint(condition=models.Q(urgency__gte=1, urgency__lte=5), name="matching_need_urgency_1_5"),
        ]

    def __str__(self) -> str:
        return self.number


class NeedStep(WorkflowStep):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="steps", verbose_name="需求")

    class Meta(WorkflowStep.Meta):
        verbose_name = verbose_name_plural = "需求流转记录"


from .models_deliberation import Consultation, Deliberation, DeliberationStep, Meeting, Opinion  # noqa: E402,F401
from .models_facilities import Facility, FacilityKind  # noqa: E402,F401
