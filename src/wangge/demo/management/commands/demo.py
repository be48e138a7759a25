from django.core.management.base import BaseCommand, CommandError

from wangge.demo.services import DemoRefused, database_is_empty, demo_build


class Command(BaseCommand):
    help = "生成确定性的演示区（管城回族区轮廓内的街道、社区、三级网格、楼栋、居民、网格力量、党组织和社会组织）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=410104, help="随机种子；同一种子生成完全相同的演示区")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时跳过而不报错")

    def handle(self, *args, seed, if_empty, **options):
        if if_empty and not database_is_empty():
            self.stdout.write("数据库已有数据，跳过演示区生成。")
            return
        try:
            made = demo_build(seed=seed)
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"演示区已生成：区划 {made['divisions']} 个，网格 {made['grids']} 个，楼栋 {made['buildings']} 栋，"
            f"人员 {made['persons']} 名，网格岗位 {made['posts']} 个，网格党组织 {made['party_organisations']} 个，"
            f"社会组织 {made['social_organisations']} 个；启用图层 {made['layer']}。"
        )
