from django.db import models

from wangge.geo.models import Grid

from .persons import Person


class Duty(models.Model):
    """What a specialist (多专) or a group member (多群) does on a grid; the district keeps the list."""

    class Kind(models.TextChoices):
        SPECIALIST = "specialist", "专业力量"
        GROUP = "group", "群防群治力量"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    new_employment = models.BooleanField("新就业群体", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "网格力量岗位"
        verbose_name_plural = "网格力量岗位"
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name


class GridPost(models.Model):
    """A person's post on a level-3 grid under the rule 一格一干 多专多群.

    A grid has at most one full-time grid worker (its cadre) and a person is the cadre of at
    most one grid; both are enforced by the database. Specialists and groups name their duty.
    """

    class Role(models.TextChoices):
        LEADER = "leader", "网格长"
        DEPUTY = "deputy", "副网格长"
        FULL_TIME = "full_time", "专职网格员"
        SPECIALIST = "specialist", "专业力量"
        GROUP = "group", "群防群治力量"

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="posts", verbose_name="网格")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts", verbose_name="人员")
    role = models.CharField("岗位", max_length=12, choices=Role.choices)
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name="具体职责")

    class Meta:
        verbose_name = "网格岗位"
        verbose_name_plural = "网格岗位"
        ordering = ["grid", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["grid"], condition=models.Q(role="full_time"), name="one_cadre_per_grid"),
            models.UniqueConstraint(fields=["person"], condition=models.Q(role="full_time"), name="cadre_of_one_grid"),
            models.UniqueConstraint(fields=["grid"], condition=models.Q(role="leader"), name="one_leader_per_grid"),
            models.UniqueConstraint(fields=["grid", "person", "role"], condition=models.Q(duty__isnull=True), name="post_unique"),
            models.UniqueConstraint(fields=["grid", "person", "duty"], condition=models.Q(duty__isnull=False), name="duty_post_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["specialist", "group"], duty__isnull=False) | models.Q(role__in=["leader", "deputy", "full_time"], duty__isnull=True),
                name="post_duty_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid.code} {self.get_role_display()} {self.person}"
