"""The supply-demand fair (社洽会) of a community or subdistrict, and the matches it proposes,
confirms and signs (`matching.fair`)."""

from django.conf import settings
from django.db import models

from wangge.core.models import WorkflowStep


class Fair(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        PUBLISHED = "published", "需求已发布"
        PRESENTING = "presenting", "资源路演"
        MATCHING = "matching", "供需匹配"
        SIGNING = "signing", "签约"
        CLOSED = "closed", "已结束"

    title = models.CharField("名称", max_length=100)
    division_code = models.CharField("举办社区或街道代码", max_length=12, db_index=True)
    held_on = models.DateField("举办日期")
    max_distance_m = models.PositiveIntegerField("最远对接距离（米）", default=3000)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = verbose_name_plural = "社洽会"

    def __str__(self) -> str:
        return self.title


class FairStep(WorkflowStep):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="steps", verbose_name="社洽会")

    class Meta(WorkflowStep.Meta):
        verbose_name = verbose_name_plural = "社洽会流转记录"


class FairMatch(models.Model):
    """A need paired with a resource at a fair: proposed by the matcher, confirmed by both sides
    (意向: the need's side by a community official on the resident's behalf, the resource's by
    its provider or an official), signed (签约), then converted into a service project."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待确认"
        NEED_CONFIRMED = "need_confirmed", "需求方已确认"
        RESOURCE_CONFIRMED = "resource_confirmed", "资源方已确认"
        AGREED = "agreed", "双方达成意向"
        SIGNED = "signed", "已签约"
        CONVERTED = "converted", "已转为服务项目"
        DROPPED = "dropped", "已放弃"

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="matches", verbose_name="社洽会")
    need = models.ForeignKey("matching.Need", on_delete=models.PROTECT, related_name="fair_matches", verbose_name="需求")
    resource = models.ForeignKey("matching.Resource", on_delete=models.PROTECT, related_name="fair_matches", verbose_name="资源")
    quantity = models.PositiveIntegerField("对接数量")
    distance_m = models.PositiveIntegerField("距离（米）")
    explanation = models.TextField("匹配理由")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    project_number = models.CharField("服务项目编号", max_length=32, blank=True)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        ordering = ["fair", "pk"]
        verbose_name = verbose_name_plural = "社洽会对接"

    def __str__(self) -> str:
        return f"{self.need} ← {self.resource}"


class FairMatchStep(WorkflowStep):
    match = models.ForeignKey(FairMatch, on_delete=models.CASCADE, related_name="steps", verbose_name="对接")
    # The longest status name is 18 characters; the floor's history row keeps 16.
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)

    class Meta(WorkflowStep.Meta):
        verbose_name = verbose_name_plural = "社洽会对接流转记录"
