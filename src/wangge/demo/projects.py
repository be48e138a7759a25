"""The service projects of the demo district (`wangge demo`, after the cases and the ratings):
158 projects across the district's eight categories in every stage, written through the
projects' services by the demo's officials (the community's party organisation drafts,
budgets, proposes, notices, carries out and accepts; the subdistrict allocates, files and
rejects), each move recorded in the project's history.

Money: each community's allocation per source for the year covers what its projects budget;
budget lines are set while the projects are drafts; filed projects spend through
`disbursement_record` with a small receipt image generated here, so spending never passes a
budget or an allocation (the services refuse it).

Time: the services date everything now. A notice whose period is over when the project was
filed is dated back to when it ran (with its disclosure, sealed again, as `demo/portal.py`
dates its pieces), so filing finds the period over, as it would have been.

A residents' vote counted with its winners in notice, and one open; a few objections answered,
and one project in notice with an objection still waiting for its answer.

Deterministic: every choice follows the plan's order and the rows' order.
"""

import io
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from PIL import Image, ImageDraw

from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.people.models import Person
from wangge.portal.models import Disclosure, Objection
from wangge.projects.funds.services import allocation_set, budget_line_set, disbursement_record
from wangge.projects.models import Category, FundSource, Origin, Project, Status, VoteRound
from wangge.projects.services.objections import project_objection_answer, project_objection_lodge
from wangge.projects.services.projects import project_create, project_move
from wangge.projects.services.votes import EntryIn, ballot_cast, round_create, round_move

from .portal import _backdate

S = Status
PROJECTS = 158
# How many projects stand in each stage: most are being carried out or closed.
STAGES = (
    (S.IMPLEMENTING, 45), (S.CLOSED, 44), (S.NOTICE, 12), (S.PROPOSED, 10), (S.FILED, 8), (S.ACCEPTED, 8),
    (S.WITHDRAWN, 7), (S.REJECTED, 7), (S.DISCLOSED, 6), (S.DRAFT, 6), (S.VOTING, 5),
)
# The main path, and where each stage stands on it.
PATH = (S.PROPOSED, S.NOTICE, S.FILED, S.IMPLEMENTING, S.ACCEPTED, S.DISCLOSED, S.CLOSED)
SPENT = {S.IMPLEMENTING: (35, 75), S.ACCEPTED: (88, 100), S.DISCLOSED: (88, 100), S.CLOSED: (88, 100)}

TITLES = {
    "life-services": ("老年助餐点运营", "便民维修服务", "社区理发义剪", "家电清洗便民服务", "社区便民菜摊", "快递代收服务点"),
    "assistance": ("困难家庭帮扶", "残疾人康复助行", "低保家庭节日慰问", "困境儿童助学", "大病家庭临时救助", "独居老人探访关爱"),
    "venue-sharing": ("党群服务中心场地共享", "社区活动室错时开放", "单位停车位夜间共享", "小区闲置用房改建议事厅", "学校操场周末开放", "共享图书角"),
    "culture-sports": ("社区广场舞队培训", "邻里文化节", "少儿书法公益课", "健身器材更新", "社区篮球联赛", "戏曲进社区"),
    "elderly-children": ("四点半课堂", "长者健康讲座", "暑期托管班", "老年人智能手机培训", "婴幼儿早教活动", "失能老人喘息服务"),
    "safety": ("楼道消防设施更新", "电动车集中充电棚", "平安巡逻志愿队", "防诈骗宣传进楼院", "老旧小区监控补点", "燃气安全入户检查"),
    "environment": ("楼院绿化提升", "垃圾分类督导", "背街小巷环境整治", "口袋公园建设", "楼道小广告清理", "雨水管网疏通"),
    "capacity": ("社区工作者业务培训", "楼栋长能力提升", "居民议事骨干培训", "社会组织孵化", "志愿者服务技能培训", "网格员调解技能培训"),
}
SCOPES = {
    "life-services": ("辖区老年人和有需要的居民", "活动室和便民服务点"),
    "assistance": ("辖区困难家庭、残疾人和困境儿童", "入户和社区服务站"),
    "venue-sharing": ("辖区居民和驻区单位", "党群服务中心和共享场地"),
    "culture-sports": ("辖区居民群众", "社区广场和活动室"),
    "elderly-children": ("辖区老年人和少年儿童", "社区日间照料中心"),
    "safety": ("辖区楼院居民", "各楼院公共区域"),
    "environment": ("辖区楼院居民", "背街小巷和楼院公共区域"),
    "capacity": ("社区工作者、楼栋长和志愿者", "社区党群服务中心"),
}
ORIGINS = (Origin.NEEDS, Origin.PLAN, Origin.DELIBERATION, Origin.NEEDS, Origin.PLAN)
PAYEES = ("金水家政服务有限公司", "郑州市管城区邻里互助服务中心", "郑州恒安消防设备有限公司", "管城区银龄社会工作服务中心",
          "郑州绿源园林绿化有限公司", "河南百姓文化传播有限公司", "管城区阳光助残服务社", "郑州惠民物资供应有限公司")
PAYMENTS = {  # category → (expense type, purpose)
    "life-services": ("services", "助餐及便民服务费"), "assistance": ("goods", "帮扶物资采购"), "venue-sharing": ("repair", "共享场地维修维护"),
    "culture-sports": ("activity", "文体活动组织费"), "elderly-children": ("services", "为老助幼服务购买"), "safety": ("goods", "安全设施设备采购"),
    "environment": ("services", "绿化与环境整治服务费"), "capacity": ("activity", "培训活动组织费"),
}
OBJECTIONS = ("服务点选址离小区较远，老人步行不便，建议调整。", "项目预算中的物资单价偏高，请说明依据。", "希望服务时间延长到周末。")
ANSWERS = ("已与居民代表实地查看，选址调整到小区东门活动室。", "已公开询价记录，单价按三家比价的最低价确定。", "已采纳，服务时间调整为每周一至周六。")
NOTICE_DAYS_AGO = {S.FILED: 20, S.IMPLEMENTING: 60, S.ACCEPTED: 120, S.DISCLOSED: 150, S.CLOSED: 200}


def _plan() -> list[str]:
    """The stage of each of the 158 projects, stages interleaved so that each spreads over the
    categories and communities."""
    slots = sorted(((i + 0.5) / n, order, status) for order, (status, n) in enumerate(STAGES) for i in range(n))
    plan = [status for _, _, status in slots]
    assert len(plan) == PROJECTS
    return plan


def _official(username: str, name: str, role: str, scope: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"password": "!", "full_name": name, "role": role, "scope_code": scope})
    return user


def _yuan(n: int) -> int:
    return n * 100


def _receipt(number: str, salt: int) -> SimpleUploadedFile:
    """A small receipt image (PNG) drawn here: a paper slip with ruled lines."""
    image = Image.new("RGB", (160, 100), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 155, 95), outline=(200, 40, 40), width=2)
    for row in range(4):
        draw.line((12, 28 + row * 16, 148, 28 + row * 16), fill=(120, 120, 120))
    draw.text((12, 8), number, fill=(60, 60, 60))
    draw.rectangle((120, 70, 120 + salt % 20, 88), fill=(200, 40, 40))
    data = io.BytesIO()
    image.save(data, format="PNG")
    return SimpleUploadedFile(f"{number}.png", data.getvalue(), content_type="image/png")


class _Demo:
    def __init__(self, now):
        self.now = now
        self.today = timezone.localdate()
        self.year = self.today.year
        self.communities = list(Division.objects.filter(kind=Division.Kind.COMMUNITY).select_related("parent").order_by("code"))
        self.community_official = {
            c.code: _official(f"demo_projects_{c.code}", f"{c.name}党组织", Role.COMMUNITY_OFFICIAL, c.code) for c in self.communities
        }
        self.subdistrict_official = {
            s.code: _official(f"demo_projects_{s.code}", f"{s.name}项目备案", Role.SUBDISTRICT_OFFICIAL, s.code)
            for s in {c.parent for c in self.communities}
        }
        self.sources = {s.code: s for s in FundSource.objects.filter(active=True)}
        self.made: Counter = Counter()

    def community_of(self, code: str) -> User:
        return self.community_official[code]

    def subdistrict_of(self, code: str) -> User:
        return self.subdistrict_official[next(c.parent.code for c in self.communities if c.code == code)]


def _budget(index: int) -> dict[str, int]:
    """The project's budget per source, in fen: every project from the community service funds,
    one in three also from the party organisation's funds, one in seven with a donation."""
    lines = {"community_service": _yuan(8000 + (index * 37 % 17) * 2500)}
    if index % 3 == 1:
        lines["party_service"] = _yuan(5000 + (index * 11 % 7) * 1500)
    if index % 7 == 3:
        lines["donation"] = _yuan(2000 + (index % 5) * 1000)
    return lines


def _communities_with_voters(demo: _Demo) -> list[str]:
    """The two communities with most registered residents: the residents' votes are held there."""
    codes = {c.code for c in demo.communities}
    counted = (Person.objects.filter(household__building__community__code__in=codes).values("household__building__community__code")
               .annotate(n=Count("pk")).order_by("-n", "household__building__community__code"))
    return [row["household__building__community__code"] for row in counted[:2]]


def _assign(demo: _Demo, plan: list[str]) -> list[tuple[str, str, str]]:
    """(stage, category code, community code) of each project; the projects in the open vote
    all in one community, four of the counted vote's in another."""
    categories = list(Category.objects.filter(active=True).order_by("order", "pk").values_list("code", flat=True))
    voting_at, counted_at = demo.vote_communities = (_communities_with_voters(demo) + [demo.communities[0].code] * 2)[:2]
    rows, counted_taken = [], Counter()
    # The counted vote: two winners carried out, one winner in notice, and one not chosen.
    counted_wants = Counter({S.IMPLEMENTING: 1, S.CLOSED: 1, S.NOTICE: 1, S.PROPOSED: 1})
    for index, stage in enumerate(plan):
        community = demo.communities[(index * 5) % len(demo.communities)].code
        if stage == S.VOTING:
            community = voting_at
        elif counted_taken[stage] < counted_wants[stage]:
            counted_taken[stage] += 1
            community = counted_at
        rows.append((stage, categories[index % len(categories)], community))
    return rows


def _allocate(demo: _Demo, rows, budgets) -> None:
    """Each community's allocation per source: what its projects budget and a fifth more, in
    whole ten thousands of yuan."""
    needed: dict[tuple[str, str], int] = defaultdict(int)
    for (_, _, community), lines in zip(rows, budgets, strict=True):
        for source, fen in lines.items():
            needed[community, source] += fen
    for (community, source), fen in sorted(needed.items()):
        amount = -(-fen * 6 // 5 // _yuan(10000)) * _yuan(10000)
        allocation_set(actor=demo.subdistrict_of(community), community_code=community, year=demo.year, source=demo.sources[source], amount_fen=amount)
        demo.made["allocations"] += 1


def _create(demo: _Demo, index: int, category: Category, community: Division, lines: dict[str, int]) -> Project:
    actor = demo.community_of(community.code)
    titles = TITLES.get(category.code) or (f"{category.name}服务项目",)
    title = titles[(index // 8) % len(titles)]
    people, place = SCOPES.get(category.code, ("辖区居民", "社区"))
    scope = f"服务对象：{people}；服务地点：{community.name}{place}；服务周期：{demo.year} 年内，按月开展，预计服务 {120 + index * 7 % 300} 人次。"
    project = project_create(actor=actor, title=title, category=category, community_code=community.code, scope=scope, year=demo.year,
                             origin=ORIGINS[index % len(ORIGINS)])
    for source, fen in lines.items():
        budget_line_set(actor=actor, project=project, source=demo.sources[source], amount_fen=fen)
    return project


def _backdate_notice(demo: _Demo, project: Project, days_ago: int) -> None:
    """The notice ran `days_ago` days ago for its full period: the project, its disclosure (sealed
    again), the moves up to the notice and the objections lodged on it are dated so."""
    project.refresh_from_db()
    period = project.notice_ends_at - project.notice_starts_at
    start = (demo.now - timedelta(days=days_ago)).replace(hour=9, minute=0, second=0, microsecond=0)
    Project.objects.filter(pk=project.pk).update(notice_starts_at=start, notice_ends_at=start + period)
    project.steps.exclude(to_status=S.NOTICE).update(at=start - timedelta(days=3))  # proposed (and voted on) before
    project.steps.filter(to_status=S.NOTICE).update(at=start)
    for i, objection in enumerate(Objection.objects.filter(disclosure_id=project.notice_id).order_by("pk")):
        lodged = start + timedelta(days=1, hours=i)
        Objection.objects.filter(pk=objection.pk).update(
            submitted_at=lodged, number=f"YY{lodged:%Y%m%d}{objection.pk:06d}",
            answered_at=lodged + timedelta(days=1) if objection.answered_at else None,
        )
    Disclosure.objects.filter(pk=project.notice_id).update(shown_from=start, shown_until=start + period)
    _backdate(Disclosure.objects.get(pk=project.notice_id), start)


def _object(demo: _Demo, project: Project, n: int, *, answered: bool) -> None:
    for i in range(n):
        objection = project_objection_lodge(project=project, text=OBJECTIONS[(project.pk + i) % len(OBJECTIONS)], name="居民")
        demo.made["objections"] += 1
        if answered:
            project_objection_answer(project=project, objection=objection, actor=demo.community_of(project.community_code),
                                     answer=ANSWERS[(project.pk + i) % len(ANSWERS)])


def _spend(demo: _Demo, project: Project, stage: str, index: int) -> None:
    """Two payments per budget line, together the stage's share of it."""
    low, high = SPENT[stage]
    share = low + index * 13 % (high - low + 1)
    expense_type, purpose = PAYMENTS.get(project.category.code, ("services", "项目服务费"))
    actor = demo.community_of(project.community_code)
    for line in project.budget_lines.select_related("source").order_by("source__order"):
        total = line.amount_fen * share // 100
        for part, fen in enumerate((total * 3 // 5, total - total * 3 // 5)):
            if fen <= 0:
                continue
            number = f"FP{demo.year}{project.pk:05d}{line.source.order}{part}"
            paid_on = min(demo.today, max(date(demo.year, 1, 2), demo.today - timedelta(days=(NOTICE_DAYS_AGO[stage] - 14) * (2 - part) // 2)))
            disbursement_record(
                actor=actor, project=project, source=line.source, payee=PAYEES[(project.pk + part) % len(PAYEES)],
                purpose=f"{project.title}{purpose}（第 {part + 1} 笔）", expense_type=expense_type, paid_on=paid_on, amount_fen=fen,
                invoice_number=number, receipt=_receipt(number, project.pk + part),
            )
            demo.made["disbursements"] += 1


def _advance(demo: _Demo, project: Project, stage: str, index: int) -> Project:
    """From where the project stands (proposed or in notice) along the main path to `stage`."""
    community, subdistrict = demo.community_of(project.community_code), demo.subdistrict_of(project.community_code)
    if stage == S.WITHDRAWN:
        if index % 2:
            project = project_move(project=project, actor=community, to=S.NOTICE)
        return project_move(project=project, actor=community, to=S.WITHDRAWN, reason="经社区两委复议，该需求已由驻区单位承接，项目撤回")
    if stage == S.REJECTED:
        if index % 2:
            project = project_move(project=project, actor=community, to=S.NOTICE)
        return project_move(project=project, actor=subdistrict, to=S.REJECTED, reason="服务内容与已实施项目重复，不予备案")
    target = PATH.index(stage)
    for step in PATH[PATH.index(project.status) + 1: target + 1]:
        if step == S.FILED:
            if index % 20 == 4:
                _object(demo, project, 1 + index % 2, answered=True)
            _backdate_notice(demo, project, NOTICE_DAYS_AGO[stage])
            project = project_move(project=project, actor=subdistrict, to=S.FILED)
        elif step == S.ACCEPTED:
            _spend(demo, project, stage, index)
            project = project_move(project=project, actor=community, to=S.ACCEPTED)
        else:
            project = project_move(project=project, actor=community, to=step)
    if stage == S.IMPLEMENTING:
        _spend(demo, project, stage, index)
    return project


def _voters(code: str, n: int) -> list[User]:
    """Sign-in accounts of the community's first `n` registered residents without one (the demo's
    own, `demo_voter_…`, with no usable password)."""
    voters = []
    for person in Person.objects.filter(household__building__community__code=code, user__isnull=True).order_by("pk")[:n]:
        user = User.objects.create(username=f"demo_voter_{person.pk}", password="!", role=Role.RESIDENT, full_name=person.name[:50])
        person.user = user
        person.save(update_fields=["user"])
        voters.append(user)
    return voters


# Ballots over the counted round's four entries (two winners carried out, a winner left in
# notice, and one not chosen): 7, 6, 6 and 2 votes.
COUNTED_BALLOTS = ((0, 1), (0, 2), (1, 2), (0, 1), (2, 3), (0, 2), (1,), (0,), (1, 2), (0, 3), (2,), (0, 1))
OPEN_BALLOTS = ((0, 1), (2,), (0, 3), (1, 4), (0,))


def _round(demo: _Demo, projects: list[Project], ballots, *, counted: bool) -> VoteRound:
    code = projects[0].community_code
    actor = demo.community_of(code)
    costs = [sum(projects[i].budget_lines.values_list("amount_fen", flat=True)) for i in range(len(projects))]
    budget = sum(costs[:3]) if counted else sum(costs) - min(costs)
    vote_round = round_create(
        actor=actor, community_code=code, title=f"{demo.year} 年度社区服务项目居民投票" + ("" if counted else "（第二轮）"), budget_fen=budget,
        entries=[EntryIn(project=p, cost_fen=c) for p, c in zip(projects, costs, strict=True)],
        opens_at=demo.now - timedelta(days=3), closes_at=demo.now + timedelta(days=1 if counted else 6), max_choices=2,
    )
    vote_round = round_move(vote_round=vote_round, actor=actor, to=VoteRound.Status.OPEN)
    entries = list(vote_round.entries.order_by("pk"))
    by_project = {e.project_id: e.pk for e in entries}
    voters = _voters(code, len(ballots))
    for user, choice in zip(voters, ballots, strict=False):
        ballot_cast(vote_round=vote_round, actor=user, entry_ids=[by_project[projects[i].pk] for i in choice if i < len(projects)])
        demo.made["ballots"] += 1
    if counted:
        vote_round = round_move(vote_round=vote_round, actor=actor, to=VoteRound.Status.CLOSED)
        vote_round = round_move(vote_round=vote_round, actor=actor, to=VoteRound.Status.COUNTED)
    demo.made["rounds"] += 1
    return vote_round


@transaction.atomic
def demo_projects_build(*, now=None) -> dict:
    """The demo's service projects, their votes, objections and money; what was made."""
    demo = _Demo(now or timezone.now())
    if not demo.communities or not demo.sources:
        return {"projects": 0, "by_status": {}}
    rows = _assign(demo, _plan())
    budgets = [_budget(i) for i in range(len(rows))]
    _allocate(demo, rows, budgets)
    categories = {c.code: c for c in Category.objects.all()}
    divisions = {c.code: c for c in demo.communities}
    projects = []
    for index, ((stage, category, community), lines) in enumerate(zip(rows, budgets, strict=True)):
        project = _create(demo, index, categories[category], divisions[community], lines)
        if stage != S.DRAFT:
            project = project_move(project=project, actor=demo.community_of(community), to=S.PROPOSED)
        projects.append(project)
    # The votes: the open round over its community's projects planned for the vote; the counted
    # round over the four planned for it (its winners go to notice, the other back to proposed).
    voting_at, counted_at = demo.vote_communities
    in_vote = [p for p, (s, _, _) in zip(projects, rows, strict=True) if s == S.VOTING]
    _round(demo, in_vote, OPEN_BALLOTS, counted=False)
    wanted = (S.IMPLEMENTING, S.CLOSED, S.NOTICE, S.PROPOSED)
    chosen = {}
    for project, (stage, _, community) in zip(projects, rows, strict=True):
        if community == counted_at and stage in wanted and stage not in chosen:
            chosen[stage] = project
    if len(chosen) == len(wanted) and voting_at != counted_at:
        _round(demo, [chosen[s] for s in wanted], COUNTED_BALLOTS, counted=True)
    first_notice = True
    for index, (project, (stage, _, _)) in enumerate(zip(projects, rows, strict=True)):
        project.refresh_from_db()
        if stage in (S.DRAFT, S.PROPOSED, S.VOTING) or project.status == stage:
            if stage == S.NOTICE and project.status == S.NOTICE and first_notice:
                _object(demo, project, 1, answered=False)
                first_notice = False
            continue
        if stage == S.NOTICE:
            project = project_move(project=project, actor=demo.community_of(project.community_code), to=S.NOTICE)
            if first_notice:  # an objection still waiting for its answer: the project cannot be filed yet
                _object(demo, project, 1, answered=False)
                first_notice = False
            elif index % 4 == 1:
                _object(demo, project, 1, answered=True)
            continue
        _advance(demo, project, stage, index)
    by_status = dict(Project.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {"projects": len(projects), "by_status": {s.value: by_status.get(s.value, 0) for s in S}, **demo.made}
