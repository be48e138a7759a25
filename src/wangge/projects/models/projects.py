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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "社区服务项目"
        indexes = [models.Index(fields=["community_code", "status"], name="projects_community_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ProjectStep(WorkflowStep):
    """Every move of a project through its life: from, to, who, when, why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps", verbose_name="项目")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "项目流转记录"
