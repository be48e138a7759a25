from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wangge.core.audit import audit_record
from wangge.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库（按存储原样，个人信息保持加密）及媒体文件（事件照片），附清单：格式、时间、数据库类型、各表行数、SM3 摘要、审计封存点；清单以备份密钥（WANGGE_BACKUP_KEY）HMAC-SM3 封存"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="备份文件路径，如 wangge-20250101.tar.gz")

    def handle(self, *args, out: Path, **options):
        try:
            manifest = backup_create(out=out)
        except BackupError as problem:
            raise CommandError(str(problem)) from None
        audit_record(action="ops.backup", object_type="ops.backup", object_id=manifest.dump_sm3,
                     detail=f"备份到 {out.name}：{len(manifest.tables)} 张表，{manifest.rows} 行")
        self.stdout.write(f"已备份到 {out}：{manifest.vendor}，{len(manifest.tables)} 张表，{manifest.rows} 行，"
                          f"{manifest.dump_bytes} 字节，SM3 {manifest.dump_sm3}；媒体文件 {len(manifest.media)} 个")
