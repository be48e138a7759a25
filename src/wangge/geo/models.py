import uuid

from django.conf import settings
from django.db import models


class Division(models.Model):
    """A node of the administrative tree: district, subdistrict (or zone) or community.

    Codes are 12 digits (GB/T 2260 + GB/T 10114): 6 for the district, 3 for the subdistrict
    (001-099 subdistricts, 400-599 development zones and the like), 3 for the community.
    """

    class Kind(models.TextChoices):
        DISTRICT = "district", "区"
        SUBDISTRICT = "subdistrict", "街道"
        ZONE = "zone", "开发区"
        COMMUNITY = "community", "社区"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级")
    geometry = models.JSONField("边界（GeoJSON，WGS84）", null=True, blank=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{12}$"), name="division_code_12_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class GridLayer(models.Model):
    """A versioned set of grids of levels 1-3. Exactly one layer is active at a time."""

    name = models.CharField("名称", max_length=100)
    # Identifies this layer's content for caches: unlike the id, it is never handed out twice,
    # even when a transaction that created a layer is rolled back.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_active = models.BooleanField("启用中", default=False)
    source_crs = models.CharField("导入坐标系", max_length=16, default="wgs84")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="创建人")

    class Meta:
        verbose_name = "网格图层"
        verbose_name_plural = "网格图层"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_grid_layer"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.pk} 版）"


class GridLayerActivation(models.Model):
    """Who switched the district to which layer, when and why."""

    layer = models.ForeignKey(GridLayer, on_delete=models.PROTECT, related_name="activations", verbose_name="启用的图层")
    previous = models.ForeignKey(GridLayer, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="此前图层")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="操作人")
    reason = models.CharField("原因", max_length=200, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "图层启用记录"
        verbose_name_plural = "图层启用记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} 启用 {self.layer}"


class Grid(models.Model):
    """A management cell. Level 3 is the basic grid and lies inside exactly one community.

    Grid codes (15 digits where the platform builds them): level 3 = community code + 3-digit
    sequence numbered west to east, north to south; level 2 = community code + "000";
    level 1 = subdistrict code + "000". Imported layers may use their own codes for levels 1
    and 2; level-3 codes always follow the rule. Household and population counts are derived
    from buildings (`grid_counts_refresh`).
    """

    layer = models.ForeignKey(GridLayer, on_delete=models.CASCADE, related_name="grids", verbose_name="图层")
    code = models.CharField("网格编码", max_length=32)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name="上级网格")
    community = models.ForeignKey(Division, null=True, blank=True, on_delete=models.PROTECT, related_name="grids", verbose_name="所属社区")
    geometry = models.JSONField("边界（GeoJSON，WGS84）")
    households = models.PositiveIntegerField("户数", default=0)
    population = models.PositiveIntegerField("人口", default=0)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["layer", "code"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "code"], name="grid_code_unique_in_layer"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=3), name="grid_level_1_to_3"),
        ]
        indexes = [models.Index(fields=["layer", "level"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
