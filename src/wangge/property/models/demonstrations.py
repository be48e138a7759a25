"""Red Property demonstrations (红色物业示范): a subdistrict, community or compound designated
for a year, with the criteria it met."""

from django.conf import settings
from django.db import models

from wangge.geo.models import Division

from .compounds import Compound

# The criteria a demonstration may be designated for; a designation names those it met.
CRITERIA = {
    "party_led": "党建引领：物业企业建立党组织或选派党建指导员",
    "cross_appointment": "双向进入、交叉任职",
    "owners_committee": "依法成立业主委员会",
    "star_rating": "年度星级评定四星及以上",
    "case_handling": "事件按时办结、居民满意",
    "backstop": "无主管楼院国有物业托底全覆盖",
}


class Demonstration(models.Model):
    class Level(models.TextChoices):
        SUBDISTRICT = "subdistrict", "示范街道"
        COMMUNITY = "community", "示范社区"
        COMPOUND = "compound", "示范小区"

    year = models.PositiveSmallIntegerField("年度")
    level = models.CharField("示范类别", max_length=12, choices=Level.choices)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="property_demonstrations", verbose_name="街道或社区")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="demonstrations", verbose_name="小区")
    criteria = models.JSONField("达到的标准", default=list)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="命名人")
    designated_at = models.DateTimeField("命名时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "红色物业示范"
        ordering = ["-year", "level", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="compound", compound__isnull=False, division__isnull=True)
                | models.Q(level__in=["subdistrict", "community"], compound__isnull=True, division__isnull=False),
                name="demonstration_names_its_place",
            ),
            models.UniqueConstraint(fields=["year", "division"], name="demonstration_division_once_a_year"),
            models.UniqueConstraint(fields=["year", "compound"], name="demonstration_compound_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度{self.get_level_display()} {self.place}"

    @property
    def place(self):
        return self.compound or self.division
