"""Service facilities (服务设施) of the communities, by kinds the district keeps, for the
portal's facility map and its "nearest to me" search."""

from django.db import models


class FacilityKind(models.Model):
    code = models.SlugField("类型代码", max_length=32, unique=True)
    name = models.CharField("类型名称", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = verbose_name_plural = "服务设施类型"

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "开放"
        MAINTENANCE = "maintenance", "维护中暂停开放"

    kind = models.ForeignKey(FacilityKind, on_delete=models.PROTECT, related_name="facilities", verbose_name="类型")
    name = models.CharField("名称", max_length=60)
    community_code = models.CharField("社区代码", max_length=32, db_index=True)
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    address = models.CharField("地址", max_length=200)
    hours = models.CharField("开放时间", max_length=100, blank=True)
    capacity = models.PositiveIntegerField("容纳人数", null=True, blank=True)
    project_number = models.CharField("建设项目编号", max_length=32, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["kind__order", "name", "pk"]
        verbose_name = verbose_name_plural = "服务设施"

    def __str__(self) -> str:
        return self.name
