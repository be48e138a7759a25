from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wangge.core import checkpoints
from wangge.core.audit import (
    CheckpointRefused,
    PurgeRefused,
    acting_as,
    audit_checkpoint,
    audit_purge,
    audit_record,
    audit_verify,
    stop_acting,
)
from wangge.core.models import AuditRecord


class Command(BaseCommand):
    help = "审计记录：verify 校验审计链及封存点（发现篡改、删除或插入时以非零状态退出）；checkpoint 封存各链末端；purge 清除保存期（180 天）以前的记录；tail 查看最近记录"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="从起点逐条校验 HMAC-SM3 审计链，并与库外的封存点核对末端")
        sub.add_parser("checkpoint", help="把各链末端（序号与 MAC）封存到库外的文件（worker 每隔数分钟自动执行）")
        purge = sub.add_parser("purge", help="清除某日以前的记录（不得晚于 180 天前）")
        purge.add_argument("--before", required=True, help="日期，如 2026-01-01")
        tail = sub.add_parser("tail", help="最近的记录")
        tail.add_argument("-n", type=int, default=20)

    def handle(self, *args, action, **options):
        token = acting_as(None, None)
        try:
            getattr(self, f"_{action}")(**options)
        finally:
            stop_acting(token)

    def _verify(self, **options):
        verdict = audit_verify()
        audit_record(action="audit.verified", object_type="command", result="ok" if verdict.ok else "failed", detail=verdict.reason)
        if not verdict.ok:
            where = f"第一条问题记录：第 {verdict.chain} 链序号 {verdict.first_bad}：" if verdict.chain is not None else ""
            raise CommandError(f"审计链校验失败：已核对 {verdict.checked} 条；{where}{verdict.reason}")
        self.stdout.write(f"审计链完整：共 {verdict.checked} 条记录")
        latest = checkpoints.checkpoint_latest()
        if latest is None:
            self.stdout.write(f"提示：尚无封存点，末端被删除的记录无从发现；`wangge worker` 每 {settings.WANGGE_AUDIT_CHECKPOINT_MINUTES} 分钟封存一次，或运行 `wangge audit checkpoint`")
        else:
            self.stdout.write(f"与封存点核对一致：最近的封存点 {latest.name}（{latest.at}）")

    def _checkpoint(self, **options):
        try:
            path = audit_checkpoint()
        except CheckpointRefused as refused:
            raise CommandError(f"未写入封存点：{refused}") from None
        self.stdout.write(f"已封存审计链末端：{path}")

    def _purge(self, *, before, **options):
        try:
            moment = timezone.make_aware(datetime.fromisoformat(before))
            removed = audit_purge(before=moment)
        except ValueError:
            raise CommandError(f"--before：日期格式应为 YYYY-MM-DD，收到 {before}") from None
        except PurgeRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"已清除 {removed} 条审计记录")

    def _tail(self, *, n, **options):
        for row in reversed(AuditRecord.objects.order_by("-at", "-id")[:n]):
            self.stdout.write(f"{row.chain}:{row.seq}\t{row.at:%Y-%m-%d %H:%M:%S}\t{row.username or '-'}\t{row.action}\t{row.object_type}:{row.object_id}\t{row.result}\t{row.address or '-'}")
