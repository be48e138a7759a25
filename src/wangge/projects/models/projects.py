from django.conf import settings
from django.db import models

from wangge.core.models import WorkflowStep

from .catalogue import Category


class Status(models.TextChoices):
    DRAFT = "draft", "草拟"
    PROPOSED = "proposed", "已提议"
    VOTING = "voting", "居民投票"
    NOTICE = "notice", "公示中"
    FILED = "filed", "已备案"
    IMPLEMENTING = "implementing", "实施中"
    ACCEPTED = "accepted", "已验收"
    DISCLOSED = "disclosed", "结果已公开"
    CLOSED = "closed", "已结项"
    WITHDRAWN = "withdrawn", "已撤回"
    REJECTED = "rejected", "未通过"


class Origin(models.TextChoices):
    NEEDS = "needs", "群众需求"
    DELIBERATION = "deliberation", "议事协商"
    PLAN = "plan", "社区计划"
    MATCH = "match", "供需对接"


class Project(models.Model):
    """A community service project (社区服务项目): proposed by the community's party
    organisation, noticed on the portal, filed by the subdistrict, carried out, accepted and
    disclosed. Its status moves only through `projects/workflow.py`; its money is its budget
    lines (`models/funds.py`)."""

    number = models.CharField("项目编号", max_length=20, unique=True)
    title = models.CharField("项目名称", max_length=80)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="projects", verbose_name="项目类别")
    community_code = models.CharField("所在社区代码", max_length=32, db_index=True)
    origin = models.CharField("项目来源", max_length=16, choices=Origin.choices, default=Origin.PLAN)
    scope = models.TextField("服务内容", help_text="服务对象、内容、地点和周期")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    status_note = models.CharField("状态说明", max_length=500, blank=True)
    notice_starts_at = models.DateTimeField("公示开始", null=True, blank=True)
    notice_ends_at = models.DateTimeField("公示结束", null=True, blank=True)
    notice = models.ForeignKey("portal.Disclosure", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="项目公示")
    result_disclosure = models.ForeignKey("portal.Disclosure", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="结果公开")
    needs = models.ManyToManyField("matching.Need", blank=True, related_name="projects", verbose_name="回应的群众需求")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+", verbose_name="预防的网格案件")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "社区服务项目"
        indexes = [models.Index(fields=["community_code", "status"], name="projects_community_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_ends_at__isnull=True) | models.Q(notice_ends_at__gt=models.F("notice_starts_at")), name="projects_notice_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ProjectLink(models.Model):
    """What else a project answers or uses, named by kind and id: the deliberation that resolved
    it (一征三议两公开), the supply-demand match it carries out, the facility it runs in. The
    matching app's needs and the grid cases have their own fields (`Project.needs`,
    `Project.cases`); the kinds here are for the records the next apps add, which may replace
    a kind with a foreign key of their own once they exist."""

    class Kind(models.TextChoices):
        DELIBERATION = "deliberation", "议事协商"
        MATCH = "match", "供需对接"
        RESOURCE = "resource", "资源"
        FACILITY = "facility", "服务设施"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links", verbose_name="项目")
    kind = models.CharField("关联类型", max_length=16, choices=Kind.choices)
    target_id = models.CharField("关联对象编号", max_length=64)

    class Meta:
        ordering = ["kind", "target_id"]
        verbose_name = verbose_name_plural = "项目关联"
        constraints = [models.UniqueConstraint(fields=["project", "kind", "target_id"], name="projects_link_once")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.target_id}"


class ProjectStep(WorkflowStep):
    """Every move of a project through its life: from, to, who, when, why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps", verbose_name="项目")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "项目流转记录"
