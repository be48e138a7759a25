"""The shared floor's records: the audit trail, the outbox and the Idempotency-Key claims; and
the abstract history row a workflow keeps per move (`WorkflowStep`), which each app subclasses.

They kept their tables when they moved here from accounts and cases (the migrations moved only
Django's idea of which app owns them), so the names are explicit.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditRecord(models.Model):
    """One line of the audit trail. Rows are only ever added: the database refuses updates and
    deletes (triggers in the migration), and each row's `mac` chains it to the one before
    of its `chain` (HMAC-SM3 over the previous `mac` and this row's fields, `seq` included), so
    that `wangge audit verify` finds the first altered, deleted or inserted row: `seq` runs
    without gaps in each chain, so a deletion shows as a gap the attacker cannot renumber. There
    are several chains so that writers at the same moment need not wait for one another
    (`audit.CHAINS`). Purging (rows past the retention period, from the start of each chain) is
    the only removal, and it records itself.
    """

    class Result(models.TextChoices):
        OK = "ok", "成功"
        DENIED = "denied", "拒绝"
        FAILED = "failed", "失败"

    chain = models.PositiveSmallIntegerField("链", default=0)
    seq = models.BigIntegerField("序号")
    at = models.DateTimeField("时间", db_index=True)
    user_id = models.BigIntegerField("用户ID", null=True, blank=True)
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)
    mac = models.CharField("链式校验值", max_length=64)

    class Meta:
        db_table = "accounts_auditrecord"  # kept from before the model moved to the shared floor
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_once")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"


class OutboxMessage(models.Model):
    """A message to send (an alert, a summons, a scheduled check); `wangge worker` drains it."""

    kind = models.CharField("类型", max_length=40)
    payload = models.JSONField("内容", default=dict)
    due_at = models.DateTimeField("发送时间", db_index=True)
    sent_at = models.DateTimeField("已发送", null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        db_table = "cases_outboxmessage"  # kept from before the model moved to the shared floor
        verbose_name = "待发消息"
        verbose_name_plural = "待发消息"
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """A request made with an Idempotency-Key: its body's digest and, once done, its response."""

    # No index of its own: the unique (user, key) index leads with it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户", db_index=False)
    key = models.CharField("幂等键", max_length=128)
    request_digest = models.CharField("请求摘要", max_length=64)
    done = models.BooleanField("已完成", default=False)
    response_status = models.PositiveSmallIntegerField("响应状态", null=True, blank=True)
    response_body = models.JSONField("响应内容", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        db_table = "cases_idempotencyrecord"  # kept from before the model moved to the shared floor
        verbose_name = "幂等记录"
        verbose_name_plural = "幂等记录"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


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


class Notice(models.Model):
    """One message in one user's inbox (`/inbox`), written by the outbox's sender of its kind
    (`core/notify.py`); only its recipient ever reads or marks it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name="接收人")
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("标题", max_length=120)
    body = models.CharField("内容", max_length=1000, blank=True)
    link = models.CharField("链接", max_length=300, blank=True)  # a path on the platform, never another host
    created = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notice_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notice_unread"),
        ]

    def __str__(self) -> str:
        return self.title
