from django.db import models


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
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_once")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"
