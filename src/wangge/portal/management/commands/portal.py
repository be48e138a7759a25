"""`wangge portal verify`: re-render every published page, compare it with the digest sealed at
publication and scan it again for sensitive words; list each page that fails and exit non-zero."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wangge.portal.verify import verify_run


class Command(BaseCommand):
    help = "门户网站：检查已发布页面是否被篡改或含敏感词"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="检查全部已发布页面；发现问题时以非零状态退出")

    def handle(self, *args, action: str, **options):
        run = verify_run(now=timezone.now())
        for finding in run.findings:
            self.stdout.write(f"{finding['path']}\t{finding['title']}\t{finding['problem']}")
        if run.findings:
            raise CommandError(f"检查 {run.checked} 个页面，{len(run.findings)} 处异常")
        self.stdout.write(f"检查 {run.checked} 个页面，未发现异常")
