from django.db import models

from wangge.geo.models import Division


class Building(models.Model):
    """A residential building with its household and population counts.

    `grid_code` is the level-3 grid of the active layer it stands in, derived from its
    location (never typed in) and refreshed when another layer becomes active; it decides
    the building's data scope.
    """

    community = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="buildings", verbose_name="所属社区")
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    grid_code = models.CharField("所在网格编码", max_length=32, blank=True, db_index=True, editable=False)
    households = models.PositiveIntegerField("户数", default=0)
    population = models.PositiveIntegerField("人口", default=0)

    class Meta:
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["community", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90), name="building_lonlat_range"),
        ]

    def __str__(self) -> str:
        return self.address
