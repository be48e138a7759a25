from django.db import models

from wangge.geo.models import Division, Grid

from .persons import Person


class PartyOrganisation(models.Model):
    """A grid party branch, party group or joint branch, with its secretary (or group leader).

    A branch or group serves one level-3 grid; a joint branch joins the grids of one community
    that are too small for a branch of their own. The rules across rows (who may lead, how many
    full members a branch needs) live in `wangge.people.services.party`.
    """

    class Kind(models.TextChoices):
        BRANCH = "branch", "党支部"
        GROUP = "group", "党小组"
        JOINT_BRANCH = "joint_branch", "联合党支部"

    class Ground(models.TextChoices):
        GRID = "grid", "网格"
        COMPANY = "company", "物业服务企业"

    name = models.CharField("组织名称", max_length=100, unique=True)
    kind = models.CharField("组织类型", max_length=12, choices=Kind.choices)
    # What it stands on: grids (`grids`), or property companies (linked from `wangge.property`),
    # whose organisations the grid pages and reports leave out.
    ground = models.CharField("所在", max_length=10, choices=Ground.choices, default=Ground.GRID)
    community = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="party_organisations", verbose_name="所属社区")
    grids = models.ManyToManyField(Grid, related_name="party_organisations", verbose_name="所在网格")
    secretary = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="party_organisations_led", verbose_name="书记（组长）"
    )
    members = models.ManyToManyField(Person, through="PartyMembership", related_name="party_organisations", verbose_name="党员")

    class Meta:
        verbose_name = "网格党组织"
        verbose_name_plural = "网格党组织"
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return self.name


class PartyMembership(models.Model):
    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.CASCADE, related_name="memberships", verbose_name="党组织")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="party_memberships", verbose_name="党员")

    class Meta:
        verbose_name = "党组织成员"
        verbose_name_plural = "党组织成员"
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="party_membership_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.person}"
