"""Owners' common decisions (业主共同决定, Civil Code art. 278): a vote in a compound and its
ballots, one per owner per dwelling, weighted by the dwelling's floor area (`votes/rules.py`)."""

from django.conf import settings
from django.db import models

from wangge.people.models import Person

from .compounds import Compound, Dwelling


class OwnersVote(models.Model):
    class Matter(models.TextChoices):
        ORDINARY = "ordinary", "一般事项"
        REPAIR_FUND = "repair_fund", "筹集或使用专项维修资金"
        REBUILD = "rebuild", "改建、重建建筑物及其附属设施"
        SHARED_USE = "shared_use", "改变共有部分用途或利用共有部分从事经营活动"

    class Status(models.TextChoices):
        OPEN = "open", "表决中"
        CLOSED = "closed", "已结束"

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="owners_votes", verbose_name="小区")
    title = models.CharField("表决事项", max_length=120)
    matter = models.CharField("事项类别", max_length=12, choices=Matter.choices)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "业主共同决定"
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", "同意"
        NO = "no", "反对"
        ABSTAIN = "abstain", "弃权"

    vote = models.ForeignKey(OwnersVote, on_delete=models.CASCADE, related_name="ballots", verbose_name="表决")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="ballots", verbose_name="房屋")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owner_ballots", verbose_name="业主")
    choice = models.CharField("意见", max_length=8, choices=Choice.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "表决票"
        constraints = [models.UniqueConstraint(fields=["vote", "dwelling", "owner"], name="ballot_once_per_owner_per_dwelling")]

    def __str__(self) -> str:
        return f"{self.vote} {self.dwelling_id} {self.owner_id}"
