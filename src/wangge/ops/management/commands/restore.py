import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wangge.core.audit import CheckpointRefused, audit_checkpoint, audit_record
from wangge.core.models import AuditRecord
from wangge.ops.backup import BackupError, backup_read, backup_restore


class Command(BaseCommand):
    help = "从备份恢复数据库及媒体文件：先校验备份密钥的封存与 SM3 摘要，恢复后核对各表行数与审计链；备份中的审计封存点取代当前的封存点"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="`wangge backup` 生成的备份文件")
        parser.add_argument("--replace", action="store_true", help="目标数据库已有数据时用备份覆盖")
        parser.add_argument("--check", action="store_true", help="只校验备份文件，不恢复")

    def handle(self, *args, file: Path, replace: bool, check: bool, **options):
        try:
            if check:
                return self._check(file)
            report = backup_restore(path=file, replace=replace)
        except BackupError as problem:
            raise CommandError(f"未恢复：{problem}") from None
        manifest = report.manifest
        self.stdout.write(f"已从 {file} 恢复 {manifest.vendor} 数据库（备份于 {manifest.created_at}），封存与 SM3 摘要校验通过")
        for table, (expected, found) in report.mismatched.items():
            self.stderr.write(f"表 {table}：备份清单 {expected} 行，恢复后 {found if found is not None else '缺失'}")
        if not report.mismatched:
            self.stdout.write(f"行数核对一致：{len(manifest.tables)} 张表，{manifest.rows} 行")
        self.stdout.write(f"媒体文件已恢复：{len(manifest.media)} 个（SM3 逐个校验通过）")
        if report.audit.ok:
            self.stdout.write(f"审计链校验通过：{report.audit.checked} 条记录")
        else:
            self.stderr.write(f"审计链校验未通过：{report.audit.reason}（WANGGE_AUDIT_KEY 是否与备份来源一致？）")
        if report.superseded:
            self.stdout.write(f"审计链回到备份时的末端：原封存点 {report.superseded} 已移至 superseded/，以备份中的封存点为准")
        result = AuditRecord.Result.OK if report.ok else AuditRecord.Result.FAILED
        audit_record(action="ops.restore", result=result, object_type="ops.backup", object_id=manifest.dump_sm3,
                     before={"checkpoint": report.superseded}, detail=f"从 {file.name} 恢复（备份于 {manifest.created_at}）")
        if not report.ok:
            raise CommandError("恢复后的核对未通过，见上")
        try:  # the restore's own record sealed at once, not at the worker's next round
            audit_checkpoint()
        except CheckpointRefused as refused:
            raise CommandError(f"未写入审计封存点：{refused}") from None

    def _check(self, file: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="wangge-check-") as tmp:
            manifest, _ = backup_read(file, into=Path(tmp))
        self.stdout.write(f"备份文件完好：{manifest.vendor}，备份于 {manifest.created_at}，"
                          f"{len(manifest.tables)} 张表，{manifest.rows} 行，SM3 {manifest.dump_sm3}")
