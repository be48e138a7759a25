from django.db import models

from wangge.geo.models import Division


class Building(models.Model):
    """A residential building with its household and population counts.

    Its address follows GB/T 39609: division (district, subdistrict, community) → street or
    compound → building; `address` is composed from those parts, never typed in.
    `grid_code` is the level-3 grid of the active layer it stands in, derived from its
    location (never typed in) and refreshed when another layer becomes active; it decides
    the building's data scope.
    """

    community = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="buildings", verbose_name="所属社区")
    compound = models.CharField("街路巷或小区", max_length=100, blank=True)
    name = models.CharField("楼栋", max_length=100)
    address = models.CharField("地址", max_length=200, editable=False)
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    grid_code = models.CharField("所在网格编码", max_length=32, blank=True, db_index=True, editable=False)
    households = models.PositiveIntegerField("户数", default=0)
    population = models.PositiveIntegerField("人口", default=0)

    class Meta:
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["community", "compound", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90), name="building_lonlat_range"),
        ]

    def __str__(self) -> str:
        return self.address


class Household(models.Model):
    """A dwelling in a building: unit and room complete the GB/T 39609 address."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="dwellings", verbose_name="楼栋")
    unit = models.CharField("单元", max_length=20, blank=True)
    room = models.CharField("户室", max_length=20)

    class Meta:
        verbose_name = "住户"
        verbose_name_plural = "住户"
        ordering = ["building", "unit", "room"]
        constraints = [models.UniqueConstraint(fields=["building", "unit", "room"], name="household_unique_room")]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        return self.building.address + dwelling_label(self.unit, self.room)


def dwelling_label(unit: str, room: str) -> str:
    """`2单元301室`; a unit or room given with its own suffix keeps it."""
    unit_part = f"{unit}单元" if unit.isdigit() else unit
    room_part = f"{room}室" if room.isdigit() else room
    return unit_part + room_part
