from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from wangge.cases.models import Case
from wangge.demo.accounts import demo_accounts_refresh
from wangge.demo.cases import demo_cases_build
from wangge.demo.matching import demo_matching_build
from wangge.demo.projects import demo_projects_build
from wangge.demo.property import demo_property_cases
from wangge.demo.property_ratings import demo_ratings_build
from wangge.demo.services import DemoRefused, database_is_empty, demo_build
from wangge.projects.models import Status as ProjectStatus
from wangge.property.models.demonstrations import Demonstration


class Command(BaseCommand):
    help = "生成确定性的演示区（管城回族区轮廓内的街道、社区、三级网格、楼栋、居民、网格力量、党组织和社会组织），以及最近一年的演示事件"

    def add_arguments(self, parser):
        parser.add_argument(
            "action", nargs="?", choices=["accounts"],
            help="accounts：为每个演示角色创建或刷新一个登录账号，共用一个新生成的密码并打印（仅开发和演示环境）",
        )
        parser.add_argument("--seed", type=int, default=410104, help="随机种子；同一种子生成完全相同的演示区")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时跳过而不报错")
        parser.add_argument("--no-cases", action="store_true", help="不生成演示事件（默认生成最近一年的事件）")
        parser.add_argument("--case-days", type=int, default=365, help="演示事件覆盖的天数（截至今天），默认 365")

    def handle(self, *args, action, seed, if_empty, no_cases, case_days, **options):
        if action == "accounts":
            return self._accounts()
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
        p = made["property"]
        self.stdout.write(
            f"红色物业已生成：小区（楼院）{p['compounds']} 个，物业服务企业 {p['companies']} 家，服务项目 {p['services']} 个，"
            f"业委会 {p['committees']} 个，交叉任职 {p['cross_appointments']} 人次。"
        )
        if no_cases:
            return
        try:
            cases = demo_cases_build(seed=seed, days=case_days)
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        counts = "，".join(f"{Case.Status(status).label} {n} 件" for status, n in cases["by_status"].items() if n)
        self.stdout.write(
            f"演示事件已生成：最近 {case_days} 天共 {cases['cases']} 件（{counts}），流转记录 {cases['transitions']} 条，"
            f"升级 {cases['escalations']} 次，报到 {cases['summonses']} 个；职能部门 {cases['departments']} 个，经办人 {cases['handlers']} 名。"
        )
        reported, dispatched = demo_property_cases()
        self.stdout.write(f"物业事件已生成：{reported} 件，立案后派遣到所在小区物业服务企业 {dispatched} 件。")
        r = demo_ratings_build()
        # The designations the demo holds, whichever part made them (the programme's plan or the
        # rating's best-rated places): not only what the rating's part added.
        shown = {level: n for level, n in Demonstration.objects.values("level").annotate(n=Count("pk")).values_list("level", "n")}
        self.stdout.write(
            f"星级评定已生成：评定 {r['rounds']} 次（上年度已发布，本年度公示中，企业异议 {r.get('objections', 0)} 条），"
            f"业主共同决定 {r['votes']} 项、表决票 {r['ballots']} 张；红色物业示范街道 {shown.get('subdistrict', 0)} 个、"
            f"社区 {shown.get('community', 0)} 个、小区 {shown.get('compound', 0)} 个。"
        )
        j = demo_projects_build()
        stages = "，".join(f"{ProjectStatus(status).label} {n} 个" for status, n in j["by_status"].items() if n)
        self.stdout.write(
            f"社区服务项目已生成：{j['projects']} 个（{stages}）；资金额度 {j.get('allocations', 0)} 项、支出 {j.get('disbursements', 0)} 笔，"
            f"居民投票 {j.get('rounds', 0)} 轮、选票 {j.get('ballots', 0)} 张，公示异议 {j.get('objections', 0)} 条。"
        )
        m = demo_matching_build(seed=seed)
        self.stdout.write(
            f"供需对接已生成：资源 {m['resources']} 项，本次新增需求 {m['needs']} 项，社洽会 {m['fairs']} 场（匹配方案 {m['proposed']} 对，签约 {m['signed']} 对），"
            f"议事协商 {m['deliberations']} 项（因未过半数重新召集 {m['reconvened']} 项），服务设施 {m['facilities']} 处。"
        )

    def _accounts(self):
        try:
            accounts, password = demo_accounts_refresh()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        width = max(len(a.username) for a in accounts)
        self.stdout.write("演示账号（仅开发和演示环境；区、街道、社区干部和三员首次登录时绑定身份验证器）：")
        self.stdout.write(f"  {'角色':<10}{'用户名':<{width + 2}}所在节点")
        for a in accounts:
            self.stdout.write(f"  {a.role:<10}{a.username:<{width + 2}}{a.node}")
        self.stdout.write(f"  共用密码：{password}")
