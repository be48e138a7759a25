from django.db import models

from wangge.geo.models import Division
from wangge.people.models import Building, Household, Person


class Compound(models.Model):
    """A residential compound (小区) or courtyard (楼院): where it lies (a boundary, or the
    registry's buildings it holds) and who manages it.

    Its data scope is its community's code. Households and floor area are never typed in:
    they are summed from the registry's buildings and dwellings (`selectors`).
    """

    class Kind(models.TextChoices):
        COMPOUND = "compound", "小区"
        COURTYARD = "courtyard", "楼院"

    class Mode(models.TextChoices):
        MARKET = "market", "市场化物业"
        SELF = "self", "自管"
        OWNERLESS = "ownerless", "无主管"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    mode = models.CharField("管理模式", max_length=10, choices=Mode.choices)
    community = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="compounds", verbose_name="所属社区")
    # A GeoJSON Polygon or MultiPolygon in WGS84, checked like a grid's outline (`geo.geometry`).
    boundary = models.TextField("边界（GeoJSON，WGS84）", blank=True)
    buildings = models.ManyToManyField(Building, through="CompoundBuilding", related_name="property_compounds", verbose_name="楼栋")
    # When Red Property work started here (红色物业开展日期); empty: not yet in the programme.
    programme_started_on = models.DateField("红色物业开展日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "小区（楼院）"
        verbose_name_plural = "小区（楼院）"
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="compound_name_in_community")]

    def __str__(self) -> str:
        return self.name


class CompoundBuilding(models.Model):
    """A registry building held by a compound; a building lies in one compound at most. A
    building the registry removes (people refuse while anyone lives there) leaves its compound."""

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="holdings", verbose_name="小区")
    building = models.OneToOneField(Building, on_delete=models.CASCADE, related_name="compound_holding", verbose_name="楼栋")

    class Meta:
        verbose_name = "小区楼栋"
        verbose_name_plural = "小区楼栋"

    def __str__(self) -> str:
        return f"{self.compound} {self.building.name}"


class Dwelling(models.Model):
    """A registry household's dwelling as property sees it: its floor area and its owners.

    Owners' votes count one vote per owner per dwelling weighted by area; the rating survey one
    vote per dwelling.
    """

    # Goes with its household (a building the registry removes). Owners are kept when they move
    # out: a person still named here stays known to the registry (`people.services.persons`).
    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="property_dwelling", verbose_name="住户")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="dwellings", verbose_name="小区")
    area = models.DecimalField("建筑面积（平方米）", max_digits=8, decimal_places=2)
    owners = models.ManyToManyField(Person, through="DwellingOwner", related_name="dwellings_owned", verbose_name="业主")

    class Meta:
        verbose_name = "房屋"
        verbose_name_plural = "房屋"
        ordering = ["compound", "household"]
        constraints = [models.CheckConstraint(condition=models.Q(area__gt=0), name="dwelling_area_positive")]

    def __str__(self) -> str:
        return f"{self.compound} {self.household_id}"


class DwellingOwner(models.Model):
    dwelling = models.ForeignKey(Dwelling, on_delete=models.CASCADE, related_name="ownerships", verbose_name="房屋")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dwelling_ownerships", verbose_name="业主")

    class Meta:
        verbose_name = "业主"
        verbose_name_plural = "业主"
        constraints = [models.UniqueConstraint(fields=["dwelling", "person"], name="dwelling_owner_once")]

    def __str__(self) -> str:
        return f"{self.dwelling} {self.person}"


class OwnersCommittee(models.Model):
    """A compound's owners' committee (业委会) and its term."""

    compound = models.OneToOneField(Compound, on_delete=models.CASCADE, related_name="owners_committee", verbose_name="小区")
    elected_on = models.DateField("选举日期", null=True, blank=True)
    term_ends_on = models.DateField("任期届满", null=True, blank=True)
    members = models.ManyToManyField(Person, through="OwnersCommitteeMember", related_name="owners_committees", verbose_name="成员")

    class Meta:
        verbose_name = "业主委员会"
        verbose_name_plural = "业主委员会"

    def __str__(self) -> str:
        return f"{self.compound}业委会"


class OwnersCommitteeMember(models.Model):
    """A member's post; whether they are a party member is the registry's (`Person.party`)."""

    class Post(models.TextChoices):
        DIRECTOR = "director", "主任"
        DEPUTY = "deputy", "副主任"
        MEMBER = "member", "委员"

    committee = models.ForeignKey(OwnersCommittee, on_delete=models.CASCADE, related_name="memberships", verbose_name="业委会")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owners_committee_posts", verbose_name="成员")
    post = models.CharField("职务", max_length=10, choices=Post.choices)

    class Meta:
        verbose_name = "业委会成员"
        verbose_name_plural = "业委会成员"
        ordering = ["committee", "post", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="owners_committee_member_once"),
            models.UniqueConstraint(fields=["committee"], condition=models.Q(post="director"), name="owners_committee_one_director"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_post_display()} {self.person}"
