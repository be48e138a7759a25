"""Abstract models the apps build on; the floor itself keeps no table."""

from django.conf import settings
from django.db import models


class WorkflowStep(models.Model):
    """One move of a workflow (`wangge.core.workflow`): from, to, who (empty for the system),
    when, why, and the deadline the new status was given. An app subclasses it with a foreign
    key to the object it moves and names both in its workflow's declaration."""

    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间")
    reason = models.CharField("原因", max_length=500, blank=True)
    # Kept with the step: the object's own deadline is overwritten at the next move.
    deadline_at = models.DateTimeField("本环节时限", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"
