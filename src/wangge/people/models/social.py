from django.db import models

from wangge.geo.models import Division, Grid

from .persons import Person


class SocialOrganisation(models.Model):
    """A community social organisation and the grids of its community that it serves."""

    class Bond(models.TextChoices):
        PLACE = "place", "地缘"
        TRADE = "trade", "业缘"
        INTEREST = "interest", "趣缘"

    class Status(models.TextChoices):
        REGISTERED = "registered", "登记"
        FILED = "filed", "备案"

    name = models.CharField("组织名称", max_length=100, unique=True)
    bond = models.CharField("联结类型", max_length=10, choices=Bond.choices)
    status = models.CharField("登记状态", max_length=10, choices=Status.choices)
    community = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="social_organisations", verbose_name="所属社区")
    grids = models.ManyToManyField(Grid, blank=True, related_name="social_organisations", verbose_name="服务网格")
    members = models.ManyToManyField(Person, through="SocialMembership", related_name="social_organisations", verbose_name="成员")

    class Meta:
        verbose_name = "社区社会组织"
        verbose_name_plural = "社区社会组织"
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return self.name


class SocialMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "负责人"
        MEMBER = "member", "成员"

    organisation = models.ForeignKey(SocialOrganisation, on_delete=models.CASCADE, related_name="memberships", verbose_name="社会组织")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="social_memberships", verbose_name="成员")
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = "社会组织成员"
        verbose_name_plural = "社会组织成员"
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="social_membership_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.person}"


class SocialActivity(models.Model):
    organisation = models.ForeignKey(SocialOrganisation, on_delete=models.CASCADE, related_name="activities", verbose_name="社会组织")
    held_on = models.DateField("活动日期")
    title = models.CharField("活动名称", max_length=100)
    participants = models.PositiveIntegerField("参与人数", default=0)

    class Meta:
        verbose_name = "社会组织活动"
        verbose_name_plural = "社会组织活动"
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"
