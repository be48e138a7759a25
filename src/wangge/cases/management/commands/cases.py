from django.core.management.base import BaseCommand

from wangge.cases.summaries import in_use, summaries_rebuild


class Command(BaseCommand):
    help = "事件：重建汇总表（PostgreSQL 由触发器维护，此命令重新安装触发器并按事件重新统计）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="area", required=True)
        summaries = sub.add_parser("summaries", help="事件汇总表")
        summaries.add_subparsers(dest="action", required=True).add_parser("rebuild", help="按事件表重新统计汇总表")

    def handle(self, *args, area, action, **options):
        if not in_use():
            self.stdout.write("SQLite 不维护汇总表：统计图表直接按事件表计算，无需重建。")
            return
        tally, months = summaries_rebuild()
        self.stdout.write(f"已重建事件汇总：{tally} 行分类汇总，{months} 行月度汇总。")
