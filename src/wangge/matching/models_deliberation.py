"""Deliberation of a community matter by 一征三议两公开: opinions solicited house by house (征),
a proposal of the community party organisation (提议), the committees' consultation of the
units concerned (商议), the resolution of a residents' (representatives') meeting (决议), and
two disclosures on the portal: the resolution, then the result of carrying it out (两公开).
The steps are moved by `deliberation/workflow.py`; each step's evidence is a row here."""

from django.conf import settings
from django.db import models

from wangge.core.models import WorkflowStep
from wangge.core.pii import EncryptedField


class Deliberation(models.Model):
    class Status(models.TextChoices):
        SOLICITING = "soliciting", "征集意见"
        PROPOSED = "proposed", "已提议"
        CONSULTED = "consulted", "已商议"
        RESOLVED = "resolved", "已决议"
        NOT_ADOPTED = "not_adopted", "未获通过"
        PUBLICITY = "publicity", "决议公示中"
        IMPLEMENTING = "implementing", "实施中"
        RESULT_DISCLOSED = "result_disclosed", "结果已公开"
        CLOSED = "closed", "已办结"

    number = models.CharField("编号", max_length=20, unique=True)
    title = models.CharField("议题", max_length=100)
    matter = models.TextField("事项说明")
    community_code = models.CharField("社区代码", max_length=32, db_index=True)
    status = models.CharField("环节", max_length=16, choices=Status.choices, default=Status.SOLICITING, db_index=True)
    proposal = models.TextField("提议内容", blank=True)
    resolution = models.TextField("决议内容", blank=True)
    publicity_ends_at = models.DateTimeField("公示结束", null=True, blank=True)
    disclosure_id = models.CharField("决议公示编号", max_length=64, blank=True)
    result = models.TextField("实施结果", blank=True)
    result_disclosure_id = models.CharField("结果公开编号", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "议事协商"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DeliberationStep(WorkflowStep):
    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="steps", verbose_name="议事协商")

    class Meta(WorkflowStep.Meta):
        verbose_name = verbose_name_plural = "议事流转记录"


class Opinion(models.Model):
    """One household's opinion, gathered at its door (入户征求意见)."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="opinions")
    address = models.CharField("户址", max_length=200)
    name = EncryptedField("姓名", blank=True)
    summary = models.TextField("意见摘要")
    gathered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="征集人")
    at = models.DateTimeField("征集时间")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "征集意见"

    def __str__(self) -> str:
        return self.address


class Consultation(models.Model):
    """The committees' consultation of one unit concerned (商议)."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="consultations")
    unit = models.CharField("参与单位", max_length=100)
    summary = models.TextField("商议要点")
    minutes = models.TextField("会议纪要", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("商议时间")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "商议记录"

    def __str__(self) -> str:
        return self.unit


class Meeting(models.Model):
    """One sitting of a residents' meeting or representatives' meeting and its vote; a sitting
    without quorum is kept, and the matter is put to a new sitting."""

    class Kind(models.TextChoices):
        RESIDENTS = "residents", "居民会议"
        REPRESENTATIVES = "representatives", "居民代表会议"

    class Outcome(models.TextChoices):
        NO_QUORUM = "no_quorum", "未达法定人数"
        NOT_ADOPTED = "not_adopted", "未获通过"
        ADOPTED = "adopted", "通过"

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("会议类型", max_length=16, choices=Kind.choices)
    held_on = models.DateField("召开日期")
    members = models.PositiveIntegerField("应到人数")
    present = models.PositiveIntegerField("实到人数")
    attendance = models.TextField("签到名单", blank=True)
    votes_for = models.PositiveIntegerField("赞成", default=0)
    votes_against = models.PositiveIntegerField("反对", default=0)
    votes_abstain = models.PositiveIntegerField("弃权", default=0)
    minutes = models.TextField("会议记录", blank=True)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = verbose_name_plural = "居民会议"
        constraints = [
            models.CheckConstraint(condition=models.Q(present__lte=models.F("members")), name="matching_meeting_present_within_members"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"
