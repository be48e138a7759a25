"""The district's resources (资源清单) offered to residents' needs: venues, materials, services,
manpower and expertise, each with its provider, capacity, availability and place."""

from django.conf import settings
from django.db import models

from .kinds import ALL_WEEK, Kind, week_text


def _all_week() -> list[int]:
    return list(ALL_WEEK)


class Resource(models.Model):
    class ProviderKind(models.TextChoices):
        UNIT = "unit", "驻区单位"
        COMPANY = "company", "企业"
        SOCIAL_ORGANISATION = "social_organisation", "社会组织"
        VOLUNTEER_TEAM = "volunteer_team", "志愿服务队"
        RESIDENT = "resident", "居民"

    name = models.CharField("资源名称", max_length=100)
    kind = models.CharField("资源类型", max_length=16, choices=Kind.choices)
    serves = models.JSONField("可对接的需求类型", default=list)  # Kind values; the resource's own kind at least
    description = models.TextField("说明", blank=True)
    provider_kind = models.CharField("提供方类型", max_length=24, choices=ProviderKind.choices)
    provider_name = models.CharField("提供方名称", max_length=100)
    # A provider with an account keeps its own resources; None: kept by the community's officials.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="matching_resources", verbose_name="提供方账号")
    capacity = models.PositiveIntegerField("可供数量")
    weekdays = models.JSONField("开放日（ISO 周几）", default=_all_week)
    opens_at = models.PositiveSmallIntegerField("开始时间（时）", default=8)
    closes_at = models.PositiveSmallIntegerField("结束时间（时）", default=18)
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    community_code = models.CharField("所在社区代码", max_length=12, db_index=True)
    grid_code = models.CharField("所在网格代码", max_length=15, blank=True, db_index=True)
    active = models.BooleanField("可用", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["community_code", "name", "pk"]
        verbose_name = verbose_name_plural = "资源"
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="matching_resource_capacity_positive"),
            models.CheckConstraint(condition=models.Q(opens_at__lt=models.F("closes_at"), closes_at__lte=24), name="matching_resource_hours_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def availability(self) -> str:
        return week_text(self.weekdays, self.opens_at, self.closes_at)
