"""Supply and demand in the demo district (`wangge demo`), written through matching's services
after the district and its portal: the resource list (543 resources of every kind and provider,
each at a building of its community), the needs (259 in all with the portal's, stated on the
portal or gathered by grid workers in their grids, at every stage of their workflow), a
supply-demand fair per subdistrict (each at a different step, most with signed matches from the
matcher's proposals), deliberations by 一征三议两公开 at every step (some reconvened after a
sitting without quorum, their resolutions and results disclosed on the portal), and the service
facilities of the five seeded kinds.

Deterministic: every choice follows the seed and the rows' order.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.matching.deliberation.services import (
    consultation_add,
    deliberation_move,
    deliberation_open,
    meeting_record,
    opinion_add,
)
from wangge.matching.facilities.services import facility_save
from wangge.matching.fair.services import (
    fair_create,
    fair_move,
    fair_propose,
    match_confirm,
    match_sign,
)
from wangge.matching.kinds import CATEGORY_KINDS, Beneficiary, Kind
from wangge.matching.models import Deliberation, Fair, FairMatch, Meeting, Need, Resource
from wangge.matching.resources import resource_create
from wangge.matching.services import need_gather, need_move, need_submit
from wangge.people.models import Building

from .names import GIVEN, SURNAMES

RESOURCES = 543
NEEDS = 259  # with the portal's
PORTAL_NEEDS = 40  # of this part's: stated on the portal; the others gathered by grid workers
FACILITIES = {"children_park": 20, "elderly_area": 21, "rehabilitation": 10, "courtyard": 11, "tcm_room": 2}
PROVIDER_USERNAME = "demo_provider"
PROVIDER_KEEPS = 12  # resources the provider's account offers itself

UNITS = [
    "区人民医院", "中国移动管城分公司", "中国联通管城分公司", "中国电信管城分公司", "区中医院", "区妇幼保健院", "区图书馆", "区文化馆",
    "区第一中学", "区实验小学", "国网管城供电公司", "郑州银行管城支行", "区税务局", "区市场监管局", "区人社局", "区司法局",
]
COMPANIES = ["华联超市", "顺达家政服务有限公司", "安居物业服务有限公司", "康乐养老服务有限公司", "百姓大药房", "惠民便利店", "恒信律师事务所", "新程职业培训学校"]
TEAMS = ["党员先锋志愿服务队", "巾帼志愿服务队", "银龄志愿服务队", "青年志愿服务队", "平安巡逻志愿队"]
OFFERS = {
    Kind.VENUE: ["党群服务中心多功能厅", "会议室", "活动室", "篮球场", "阅览室", "文体广场"],
    Kind.MATERIALS: ["轮椅", "米面油慰问品", "防汛沙袋", "书籍", "急救包", "文具"],
    Kind.SERVICE: ["免费义诊", "理发", "家电维修", "助浴", "助餐", "上门护理"],
    Kind.MANPOWER: ["助老陪护", "环境整治", "秩序维护", "搬运", "四点半课堂看护"],
    Kind.EXPERTISE: ["法律咨询", "心理疏导", "就业指导", "政策宣讲", "反诈宣传", "健康讲座"],
}
SERVES = {Kind.VENUE: [Kind.SERVICE], Kind.MANPOWER: [Kind.SERVICE], Kind.EXPERTISE: [Kind.SERVICE]}
CAPACITY = {Kind.VENUE: (20, 120), Kind.MATERIALS: (10, 200), Kind.SERVICE: (5, 40), Kind.MANPOWER: (2, 20), Kind.EXPERTISE: (2, 15)}
HOURS = [([1, 2, 3, 4, 5, 6, 7], 8, 20), ([1, 2, 3, 4, 5], 9, 17), ([6, 7], 8, 18), ([1, 3, 5], 14, 18), ([2, 4, 6], 9, 12)]
NEED_TEXTS = {
    "养老服务": "独居老人希望有人定期上门探访、帮忙买菜", "助残服务": "肢体残疾居民需要上门康复训练指导", "儿童关爱": "双职工家庭孩子放学后无人看护",
    "医疗健康": "慢病老人希望在家门口测血压、量血糖", "就业帮扶": "失业人员希望参加技能培训、推荐岗位", "文体活动": "广场舞队缺少固定的活动场地",
    "法律服务": "邻里纠纷需要律师提供法律咨询", "环境改善": "楼院杂物堆积需要集中清理", "其他": "老旧楼院需要志愿者协助搬运",
}
NEED_STAGES = [Need.State.NEW] * 5 + [Need.State.MATCHED, Need.State.SERVED, Need.State.SERVED, Need.State.CLOSED, Need.State.CLOSED, Need.State.DECLINED]
ON_THE_WAY = {Need.State.NEW: [], Need.State.MATCHED: [Need.State.MATCHED], Need.State.SERVED: [Need.State.MATCHED, Need.State.SERVED],
              Need.State.CLOSED: [Need.State.MATCHED, Need.State.SERVED, Need.State.CLOSED]}
FAIR_STEPS = [Fair.Status.CLOSED, Fair.Status.SIGNING, Fair.Status.CLOSED, Fair.Status.SIGNING, Fair.Status.MATCHING, Fair.Status.CLOSED,
              Fair.Status.SIGNING, Fair.Status.PRESENTING, Fair.Status.CLOSED, Fair.Status.PUBLISHED, Fair.Status.SIGNING, Fair.Status.DRAFT]
FAIR_ORDER = [Fair.Status.DRAFT, Fair.Status.PUBLISHED, Fair.Status.PRESENTING, Fair.Status.MATCHING, Fair.Status.SIGNING, Fair.Status.CLOSED]
S = Deliberation.Status
# Each deliberation's last step; the third and the seventh were first put to a sitting without quorum.
DELIBERATION_STEPS = [S.SOLICITING, S.PROPOSED, S.CONSULTED, S.RESOLVED, S.NOT_ADOPTED, S.PUBLICITY, S.IMPLEMENTING, S.RESULT_DISCLOSED, S.CLOSED,
                      S.CLOSED, S.PUBLICITY, S.RESULT_DISCLOSED]
RECONVENED = {3, 7, 10}
MATTERS = [
    ("加装电梯议事", "老旧楼院加装电梯的出资分摊和施工安排"), ("停车位划设议事", "小区内部停车位的划设和收费管理"),
    ("口袋公园改造议事", "闲置空地改造为口袋公园的方案"), ("楼道杂物清理议事", "楼道杂物集中清理和长效管理"),
    ("充电桩建设议事", "电动自行车集中充电桩的选址和建设"), ("老年食堂选址议事", "社区老年助餐点的选址和运营"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 10**9 - 1):09d}"


def _places() -> dict[str, list[Building]]:
    """Each community's buildings, the points the demo's records stand at."""
    places: dict[str, list[Building]] = {}
    for building in Building.objects.exclude(grid_code="").order_by("pk").only("pk", "community_id", "grid_code", "address", "lon", "lat"):
        places.setdefault(building.grid_code[:12], []).append(building)
    return places


def _provider() -> User:
    user, _ = User.objects.get_or_create(username=PROVIDER_USERNAME, defaults={"password": "!", "full_name": "区人民医院演示账号", "role": Role.RESOURCE_PROVIDER, "scope_code": ""})
    return user


def _resources(rng: random.Random, communities: list[str], places: dict, socials: dict[str, list[str]]) -> int:
    provider = _provider()
    kinds, providers = list(Kind), list(Resource.ProviderKind)
    for index in range(RESOURCES):
        community = communities[index % len(communities)]
        building = places[community][(index // len(communities) * 7 + index) % len(places[community])]
        kind, provider_kind = kinds[index % len(kinds)], providers[(index // len(kinds) + index) % len(providers)]
        owned = index < PROVIDER_KEEPS
        if owned:
            provider_kind, provider_name = Resource.ProviderKind.UNIT, UNITS[0]
        elif provider_kind == Resource.ProviderKind.UNIT:
            provider_name = rng.choice(UNITS)
        elif provider_kind == Resource.ProviderKind.COMPANY:
            provider_name = rng.choice(COMPANIES)
        elif provider_kind == Resource.ProviderKind.SOCIAL_ORGANISATION:
            provider_name = rng.choice(socials.get(community) or ["社区社会工作服务中心"])
        elif provider_kind == Resource.ProviderKind.VOLUNTEER_TEAM:
            provider_name = rng.choice(TEAMS)
        else:
            provider_name = _name(rng)
        weekdays, opens, closes = HOURS[rng.randrange(len(HOURS))]
        offer = rng.choice(OFFERS[kind])
        resource_create(actor=provider if owned else None, values={
            "name": f"{provider_name}{offer}"[:100], "kind": kind, "serves": SERVES.get(kind, []), "description": f"{provider_name}提供的{offer}",
            "provider_kind": provider_kind, "provider_name": provider_name, "capacity": rng.randint(*CAPACITY[kind]),
            "weekdays": weekdays, "opens_at": opens, "closes_at": closes, "lon": building.lon, "lat": building.lat,
        })
    return RESOURCES


def _needs(rng: random.Random, communities: list[str], places: dict, workers: dict[str, User]) -> int:
    """Needs up to NEEDS in all: some stated on the portal, the rest gathered by the grid
    workers of the buildings they stand at."""
    categories = sorted(CATEGORY_KINDS)
    count = max(0, NEEDS - Need.objects.count())
    gathered_at = [b for c in communities for b in places[c] if b.grid_code in workers]
    for index in range(count):
        category = categories[index % len(categories)]
        if index < PORTAL_NEEDS:
            need_submit(category=category, description=NEED_TEXTS[category], community_code=communities[(index * 5 + 2) % len(communities)],
                        name=_name(rng), phone=_phone(rng))
            continue
        building = gathered_at[(index * 37) % len(gathered_at)]
        beneficiary = {"养老服务": Beneficiary.ELDERLY, "助残服务": Beneficiary.DISABLED, "儿童关爱": Beneficiary.CHILDREN}.get(
            category, rng.choice(list(Beneficiary)))
        need_gather(actor=workers[building.grid_code], values={
            "category": category, "kind": CATEGORY_KINDS[category], "beneficiary": beneficiary, "quantity": rng.randint(1, 6),
            "urgency": rng.randint(1, 5), "description": NEED_TEXTS[category], "wanted_weekdays": [], "lon": building.lon, "lat": building.lat,
            "name": _name(rng), "phone": _phone(rng),
        })
    return count


def _need_stages(rng: random.Random) -> None:
    """Part of the needs moved on by officials before the fairs (the fairs' signings move more)."""
    for index, need in enumerate(Need.objects.filter(state=Need.State.NEW).order_by("pk")):
        stage = NEED_STAGES[(index * 7 + rng.randrange(3)) % len(NEED_STAGES)]
        if stage == Need.State.DECLINED:
            need_move(actor=None, need_id=need.pk, to=stage, reason="不属于社区服务范围，已转相关部门")
            continue
        for step in ON_THE_WAY[stage]:
            need_move(actor=None, need_id=need.pk, to=step)


def _fairs(subdistricts: list[Division], today) -> dict:
    made = {"fairs": 0, "proposed": 0, "signed": 0}
    for index, subdistrict in enumerate(subdistricts):
        last = FAIR_STEPS[index % len(FAIR_STEPS)]
        fair = fair_create(actor=None, title=f"{subdistrict.name}社区资源供需对接会（社洽会）", division_code=subdistrict.code,
                           held_on=today - timedelta(days=7 * index), max_distance_m=5000)
        made["fairs"] += 1
        for step in FAIR_ORDER[1: FAIR_ORDER.index(last) + 1]:
            fair_move(actor=None, fair_id=fair.pk, to=step)
            if step == Fair.Status.MATCHING:
                matches, _ = fair_propose(actor=None, fair_id=fair.pk)
                made["proposed"] += len(matches)
                for m, match in enumerate(matches):
                    if m % 4 != 3:  # one in four stays a proposal nobody confirmed
                        match_confirm(actor=None, match_id=match.pk, side="need")
                    if m % 4 in (0, 1):
                        match_confirm(actor=None, match_id=match.pk, side="resource")
            if step == Fair.Status.SIGNING:
                for match in fair.matches.filter(status=FairMatch.Status.AGREED).order_by("pk"):
                    match_sign(actor=None, match_id=match.pk)
                    made["signed"] += 1
    return made


def _official(code: str, name: str) -> User:
    user, _ = User.objects.get_or_create(username=f"demo_yishi_{code}", defaults={"password": "!", "full_name": f"{name}议事协商", "role": Role.COMMUNITY_OFFICIAL, "scope_code": code})
    return user


def _deliberations(rng: random.Random, communities: list[Division], today) -> dict:
    made = {"deliberations": 0, "reconvened": 0}
    for index, last in enumerate(DELIBERATION_STEPS):
        community = communities[(index * 11 + 3) % len(communities)]
        actor = _official(community.code, community.name)
        title, matter = MATTERS[index % len(MATTERS)]
        item = deliberation_open(actor=actor, title=f"{community.name}{title}", matter=matter, community_code=community.code)
        made["deliberations"] += 1
        for house in range(3 + index % 4):
            opinion_add(actor=actor, deliberation=item, address=f"{community.name}{house + 1}号楼{rng.randint(1, 6)}单元", summary=rng.choice(
                ["同意，希望尽快实施", "原则同意，建议公开费用明细", "有顾虑，担心影响低层住户", "同意，愿意出力"]), name=_name(rng))
        if last == S.SOLICITING:
            continue
        item = deliberation_move(actor=actor, deliberation=item, to=S.PROPOSED, text=f"社区党委提议：{matter}，按居民意见分步实施")
        if last == S.PROPOSED:
            continue
        consultation_add(actor=actor, deliberation=item, unit="辖区物业服务企业", summary="同意配合实施", minutes="物业、业委会、居民代表参加商议")
        consultation_add(actor=actor, deliberation=item, unit="区住房和城乡建设局", summary="提供政策和技术指导")
        item = deliberation_move(actor=actor, deliberation=item, to=S.CONSULTED)
        if last == S.CONSULTED:
            continue
        held = today - timedelta(days=30 + index)
        if index in RECONVENED:  # the first sitting without quorum: kept, nothing moves
            meeting_record(actor=actor, deliberation=item, kind=Meeting.Kind.REPRESENTATIVES, held_on=held - timedelta(days=7), members=41, present=17,
                           votes_for=15, minutes="到会人数未过半，会议不能表决，择期重新召集")
            made["reconvened"] += 1
        adopted = last != S.NOT_ADOPTED
        meeting_record(actor=actor, deliberation=item, kind=Meeting.Kind.REPRESENTATIVES, held_on=held, members=41, present=33,
                       votes_for=27 if adopted else 12, votes_against=4 if adopted else 18, votes_abstain=2 if adopted else 3,
                       minutes="居民代表会议表决", attendance="签到名单见附件")
        if not adopted:
            continue
        item.refresh_from_db()
        if last == S.RESOLVED:
            continue
        item = deliberation_move(actor=actor, deliberation=item, to=S.PUBLICITY, days=7)
        if last == S.PUBLICITY:
            continue
        # The publicity ran its days without objection before the demo's today.
        Deliberation.objects.filter(pk=item.pk).update(publicity_ends_at=timezone.now() - timedelta(days=1))
        item.refresh_from_db()
        item = deliberation_move(actor=actor, deliberation=item, to=S.IMPLEMENTING)
        if last == S.IMPLEMENTING:
            continue
        item = deliberation_move(actor=actor, deliberation=item, to=S.RESULT_DISCLOSED, text=f"{matter}已按决议实施完成，居民验收满意")
        if last == S.CLOSED:
            deliberation_move(actor=actor, deliberation=item, to=S.CLOSED)
    return made


def _facilities(rng: random.Random, communities: list[str], places: dict) -> int:
    count = 0
    names = {"children_park": "儿童微游园", "elderly_area": "老年人活动区", "rehabilitation": "残疾人康复站", "courtyard": "庭院微美化", "tcm_room": "中医理疗室"}
    hours = {"children_park": "每天 06:00–22:00", "elderly_area": "每天 08:00–20:00", "rehabilitation": "周一至周五 09:00–17:00",
             "courtyard": "全天开放", "tcm_room": "周一至周六 08:30–17:30"}
    capacity = {"children_park": (30, 80), "elderly_area": (20, 60), "rehabilitation": (10, 30), "courtyard": (20, 100), "tcm_room": (6, 15)}
    for kind, n in FACILITIES.items():
        for i in range(n):
            community = communities[(count * 13 + i) % len(communities)]
            building = places[community][(i * 3) % len(places[community])]
            facility_save(actor=None, kind_code=kind, name=f"{building.address[-12:]}{names[kind]}", community_code=community, lon=building.lon, lat=building.lat,
                          address=f"{building.address}旁", hours=hours[kind], capacity=rng.randint(*capacity[kind]))
            count += 1
    return count


@transaction.atomic
def demo_matching_build(*, seed: int = 410104) -> dict:
    """Supply and demand, deliberations and facilities of the demo district; returns what was made."""
    from wangge.people.models import SocialOrganisation

    rng = random.Random(seed + 19)
    today = timezone.localdate()
    divisions = list(Division.objects.filter(kind=Division.Kind.COMMUNITY).order_by("code"))
    places = _places()
    divisions = [d for d in divisions if places.get(d.code)]
    if not divisions:
        return {"resources": 0, "needs": 0, "fairs": 0, "signed": 0, "deliberations": 0, "reconvened": 0, "facilities": 0}
    communities = [d.code for d in divisions]
    socials: dict[str, list[str]] = {}
    for name, code in SocialOrganisation.objects.order_by("pk").values_list("name", "community__code"):
        socials.setdefault(code, []).append(name)
    workers = {u.scope_code: u for u in User.objects.filter(role=Role.GRID_WORKER, is_active=True, username__startswith="gw").order_by("username")}
    made = {"resources": _resources(rng, communities, places, socials), "needs": _needs(rng, communities, places, workers)}
    _need_stages(rng)
    subdistricts = list(Division.objects.filter(kind=Division.Kind.SUBDISTRICT).order_by("code"))
    made.update(_fairs(subdistricts, today))
    made.update(_deliberations(rng, divisions, today))
    made["facilities"] = _facilities(rng, communities, places)
    return made
