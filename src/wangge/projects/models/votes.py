"""Residents' vote over a community's proposed projects (participatory budgeting).

Money is in integer fen (分) everywhere in the app: a round's budget, an entry's cost. The
ballot is secret: `Voter` says who voted in a round (one row per person, a database
constraint); `Ballot` holds the choices and nothing that leads back to the voter (a random
key, no time, no account).
"""

import uuid

from django.conf import settings
from django.db import models

from wangge.core.models import WorkflowStep

from .projects import Project


class VoteRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        OPEN = "open", "投票中"
        CLOSED = "closed", "投票结束"
        COUNTED = "counted", "已计票"

    class Mode(models.TextChoices):
        APPROVAL = "approval", "赞成投票（最多选 N 项）"
        BASKET = "basket", "预算篮子（总额不低于预算的一定比例且不超预算）"

    community_code = models.CharField("所在社区代码", max_length=32, db_index=True)
    title = models.CharField("投票名称", max_length=80)
    budget_fen = models.PositiveBigIntegerField("预算（分）")
    mode = models.CharField("投票方式", max_length=16, choices=Mode.choices, default=Mode.APPROVAL)
    max_choices = models.PositiveSmallIntegerField("最多可选项目数", default=3)
    min_share_percent = models.PositiveSmallIntegerField("篮子最低占预算比例（%）", default=70)
    opens_at = models.DateTimeField("投票开始")
    closes_at = models.DateTimeField("投票结束")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    eligible = models.PositiveIntegerField("有投票资格的居民数", null=True, blank=True, help_text="计票时按登记在册的本社区居民计算")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = verbose_name_plural = "居民投票"
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="projects_round_period"),
            models.CheckConstraint(condition=models.Q(budget_fen__gt=0), name="projects_round_budget"),
            models.CheckConstraint(condition=models.Q(min_share_percent__lte=100), name="projects_round_share"),
        ]

    def __str__(self) -> str:
        return self.title


class VoteRoundStep(WorkflowStep):
    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="steps", verbose_name="居民投票")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "居民投票流转记录"


class RoundEntry(models.Model):
    """A proposed project on a round's ballot, with its cost (for now entered with the round;
    the project's budget lines will supply it)."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="entries", verbose_name="居民投票")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="round_entries", verbose_name="项目")
    cost_fen = models.PositiveBigIntegerField("项目费用（分）")
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    won = models.BooleanField("入选", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "投票项目"
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="projects_entry_once"),
            models.CheckConstraint(condition=models.Q(cost_fen__gt=0), name="projects_entry_cost"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.project_id}"


class Voter(models.Model):
    """Who has voted in a round: one row per person, whatever the channel."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="voters", verbose_name="居民投票")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name="投票人")
    voted_at = models.DateTimeField("投票时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "投票人"
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="projects_vote_once")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.person_id}"


class Ballot(models.Model):
    """A cast ballot: a random key and the round, nothing else (the choices are its rows)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="ballots", verbose_name="居民投票")

    class Meta:
        verbose_name = verbose_name_plural = "选票"

    def __str__(self) -> str:
        return str(self.pk)


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        verbose_name = verbose_name_plural = "选票选项"
        constraints = [models.UniqueConstraint(fields=["ballot", "entry"], name="projects_choice_once")]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.entry_id}"
