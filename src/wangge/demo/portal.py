"""The demo portal: news, notices and disclosures written for the demo district, and needs
residents stated on it.

Everything goes through the publishing services (drafted and submitted by one district
official, approved by another), so the digests are real and `wangge portal verify` passes on
a fresh demo. The texts are put together here from templates and the demo's own places; none
is taken from any real outlet. Dates are spread over the last year and sealed again afterwards.
"""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.matching.models import Need
from wangge.matching.services import need_submit
from wangge.people.models import Building
from wangge.portal.models import Article, Disclosure, Objection, Publishable, Stage
from wangge.portal.objections import objection_answer, objection_submit
from wangge.portal.publishing import (
    article_save,
    disclosure_save,
    publication_approve,
    publication_reseal,
    publication_submit,
)

from .names import GIVEN, SURNAMES

ARTICLES = 30
NEEDS = 20
SOURCE = "区网格化服务管理中心"
TOPICS = ["楼道照明改造", "非机动车充电棚建设", "小区停车位重新划线", "老旧楼院加装电梯", "垃圾分类投放点调整", "背街小巷路面修补", "小区门岗改造", "口袋公园绿化提升"]
SERVICES = ["助老助餐", "儿童托管", "康复训练", "法律咨询", "就业指导", "心理疏导", "家电义修", "理发义剪"]

# (section, title, paragraphs, keywords). Placeholders: {community} {subdistrict} {compound}
# {topic} {service} {name} {n} {m} {year}.
WORK = [
    ("{community}网格员开展“敲门行动” 入户走访{n}户",
     ["近日，{community}组织专职网格员、楼院长和党员志愿者开展“敲门行动”，逐楼逐户走访辖区居民{n}户。",
      "走访中，网格员重点了解独居老人、困难家庭和残疾人的生活状况，登记居民反映的问题{m}条，当场解答{k}条，其余已录入网格事件系统，按流程派遣办理。",
      "社区党委书记表示，网格员走访要做到“底数清、情况明”，让居民的小事不出网格、大事不出社区。"],
     "网格员,入户走访,敲门行动"),
    ("{community}召开社区议事会 商议{topic}",
     ["为回应居民诉求，{community}召开社区议事会，围绕{topic}听取居民代表、物业服务企业和网格员的意见。",
      "会上，{n}名居民代表逐一发言，就施工时间、费用分担、安全保障等提出建议。经充分讨论，议事会形成初步方案，将按“一征三议两公开”程序在社区公示。",
      "社区将在公示期满后组织实施，并及时公开实施结果，接受居民监督。"],
     "社区议事会,一征三议两公开,{topic}"),
    ("“红色物业”进楼院 {compound}服务有了新变化",
     ["在{subdistrict}党工委指导下，{compound}推行“红色物业”，物业服务企业与社区“两委”双向进入、交叉任职，共同研究解决楼院管理难题。",
      "今年以来，{compound}累计解决楼道堆物、路灯损坏、排水不畅等问题{n}件，居民满意度明显提升。",
      "下一步，社区将把党员亮身份、物业亮服务、居民亮需求结合起来，推动楼院治理常态长效。"],
     "红色物业,交叉任职,物业服务"),
    ("{subdistrict}举办社区供需对接会 现场对接项目{n}个",
     ["{subdistrict}日前举办社区供需对接会，辖区社区、社会组织和驻区单位围绕居民需求面对面洽谈。",
      "对接会现场发布居民需求清单{m}项、资源清单{k}项，涉及{service}等内容，当场达成对接意向{n}个。",
      "街道将跟踪对接项目落地情况，定期在门户网站公开进展。"],
     "供需对接会,社洽会,资源清单"),
    ("{community}儿童友好微公园建成开放",
     ["经过两个多月的施工，{community}儿童友好微公园近日建成开放。微公园利用原闲置空地改造，面积约{n}平方米。",
      "微公园的设计方案在前期征集了{m}户居民家庭和社区儿童的意见，设置了沙池、攀爬架、自然观察角和家长休息区。",
      "社区将联合志愿者开展每周巡查，及时维护设施，让孩子们玩得开心、家长放心。"],
     "儿童友好,微公园,社区建设"),
    ("{community}康复驿站为{n}名居民提供康复服务",
     ["{community}康复驿站自开放以来，已为辖区{n}名有康复需求的居民提供日间照料和康复训练服务。",
      "驿站配备专业康复指导员，定期开展肢体训练、手工活动和家属培训，网格员负责上门了解需求、协助预约。",
      "居民如有需要，可向所在网格的网格员登记，或在门户网站“群众需求”栏目提交。"],
     "康复驿站,社区服务,助残"),
]
NOTICES = [
    ("关于开展{year}年度物业服务企业星级评定的通知",
     ["各街道、社区，各物业服务企业：", "根据红色物业工作安排，决定开展{year}年度物业服务企业星级评定工作。评定围绕党建引领、服务质量、居民满意度等方面进行，采取企业自评、社区初评、街道复核、区级评定的方式。",
      "请各物业服务企业于规定时间内完成自评并报所在社区，评定结果将在门户网站公示。"],
     "星级评定,物业服务企业,红色物业"),
    ("关于征集社区服务项目的公告",
     ["为更好满足居民多样化需求，现面向辖区社会组织、驻区单位征集社区服务项目，重点方向包括{service}、{service2}等。",
      "申报单位请通过所在社区提交项目方案，项目经社区议事会审议并公示后备案实施，资金使用情况按规定公开。"],
     "社区服务项目,项目征集,备案"),
    ("关于公开招募社区志愿者的通知",
     ["为壮大社区志愿服务力量，{subdistrict}面向辖区居民公开招募社区志愿者，服务内容包括{service}、秩序维护、环境整治等。",
      "年满十八周岁、身体健康、热心公益的居民均可报名，报名请联系所在社区或网格员。"],
     "志愿者招募,志愿服务"),
    ("关于开展冬季消防安全排查的通知",
     ["为防范冬季火灾事故，全区各网格即日起开展消防安全排查，重点检查楼道堆物、电动自行车违规充电、消防通道占用等问题。",
      "网格员发现隐患将当场告知并录入网格事件系统，请广大居民予以配合。"],
     "消防安全,隐患排查,网格"),
]
POLICY = [
    ("一图读懂“一征三议两公开”议事流程",
     ["“一征三议两公开”是社区议事协商的基本程序：一征，即广泛征集居民意见；三议，即社区党组织提议、“两委”商议、居民代表会议决议；两公开，即决议公开、实施结果公开。",
      "每一项涉及居民切身利益的事项，都要经过这一程序，公开期间居民可以对公示内容提出异议，社区须在公示页面答复。"],
     "一征三议两公开,议事协商,政策解读"),
    ("“一格一干、多专多群”怎么落实？网格力量配置解读",
     ["“一格一干”是指每个基础网格配备一名专职网格员；“多专”是指公安、城管、市场监管等部门的专业力量下沉网格；“多群”是指楼院长、党员、志愿者等群防群治力量。",
      "全区按照“全区一张网”的要求划分网格，网格之间无缝隙、无重叠，每名网格员只负责自己的网格。"],
     "网格化,一格一干,网格员"),
    ("红色物业“双向进入、交叉任职”问答",
     ["问：什么是“双向进入、交叉任职”？答：符合条件的社区“两委”成员通过法定程序兼任业委会成员，物业服务企业党员负责人可兼任社区党组织兼职委员。",
      "问：无主管楼院怎么办？答：由国有物业服务企业托底管理，社区和网格员协助做好日常服务。"],
     "红色物业,交叉任职,无主管楼院"),
    ("居民需求如何登记、怎样对接？供需对接机制解读",
     ["居民可以在门户网站“群众需求”栏目登记需求，也可以向网格员反映。社区汇总需求后，在供需对接会上与场地、物资、服务、人力、智力等资源对接。",
      "登记的姓名和联系电话仅用于工作人员联系，页面上只显示部分信息。"],
     "群众需求,供需对接,社洽会"),
]
MEDIA = [
    ("小网格里的大民生——走进{community}",
     ["清晨七点，{community}的网格员{name}已经开始当天的巡查。从楼道里的一盏灯，到小区门口的一处积水，都被记录在她的工作手机里。",
      "“以前居民有事不知道找谁，现在一个电话就能找到网格员。”一位在社区住了二十多年的居民说。今年以来，{community}通过网格受理居民诉求{n}件，办结率持续保持高位。",
      "网格虽小，连着千家万户。{subdistrict}正在把更多服务送进网格，让居民在家门口就能办成事。"],
     "网格化治理,民生,网格员"),
    ("从“吹哨”到“报到”：{subdistrict}破解基层治理难题",
     ["在{subdistrict}，网格里发现的问题如果超出社区能力，网格员可以“吹哨”，相关职能部门须按时“报到”。",
      "今年以来，街道累计“吹哨”{n}次，职能部门按时报到率明显提高，一批群众反映强烈的老大难问题得到解决。",
      "“吹哨报到”机制让条块之间形成合力，也让居民看到了问题解决的全过程。"],
     "吹哨报到,基层治理"),
    ("老旧小区变了样：{compound}的红色物业故事",
     ["几年前，{compound}还是一个没有物业的老旧小区，环境脏乱、设施老化。如今，在社区党组织引领下，国有物业服务企业托底进驻，小区面貌焕然一新。",
      "物业服务中心就设在小区门口，党员物业管家每天巡楼，居民的报修最快当天就能处理。", "“现在回家心情都不一样了。”居民们说。"],
     "红色物业,老旧小区,托底"),
]
DISCLOSURE_PLAN = [  # (kind, days ago the period began, days shown, objections, answered)
    ("project", 2, 7, 2, 1), ("deliberation", 3, 7, 2, 1), ("finance", 5, 15, 1, 0), ("rating", 1, 7, 1, 1),
    ("notice", 4, 30, 0, 0), ("result", 10, 30, 0, 0),
    ("project", 60, 7, 0, 0), ("deliberation", 95, 7, 0, 0), ("result", 150, 30, 0, 0), ("finance", 200, 15, 0, 0),
    ("rating", 300, 7, 0, 0), ("notice", 330, 30, 0, 0),
]  # fmt: skip
OBJECTIONS = ["公示的施工时间与孩子上下学时间冲突，建议调整到白天上课时段。", "希望把费用明细再公开得细一些，列明每一项的单价。",
              "方案中的位置离我家窗户太近，担心噪音，请重新考虑选址。", "对评定结果有疑问，希望说明各项得分的依据。",
              "建议增加老年人休息座椅。"]  # fmt: skip
ANSWERS = ["感谢您的意见。经社区议事会再次商议，施工时间已调整，具体安排将在实施前另行通知。",
           "您好，相关明细已补充到公示附件中，可到社区居委会查阅原始票据。",
           "感谢关注。评定得分依据已在评定细则中列明，如仍有疑问可到街道当面咨询。"]  # fmt: skip
NEED_TEXTS = {
    "养老服务": ["家中老人行动不便，希望社区能提供上门助浴服务。", "想为独居的父亲申请助餐服务，每天送一顿午饭。"],
    "助残服务": ["家里有肢体残疾的亲属，希望了解康复驿站的训练安排。"],
    "儿童关爱": ["双职工家庭，放学后孩子无人照看，希望社区开设四点半课堂。", "希望小区附近能有一处安全的儿童活动场地。"],
    "医疗健康": ["希望社区卫生服务站能定期上门为老人测血压、血糖。"],
    "就业帮扶": ["本人失业半年，希望获得就业指导和技能培训信息。"],
    "文体活动": ["社区广场舞队想借用活动室排练，希望协调场地。", "希望社区组织书法、绘画兴趣班。"],
    "法律服务": ["邻里之间因漏水产生纠纷，希望有律师提供法律咨询。"],
    "环境改善": ["楼道照明损坏很久了，希望尽快修复。", "小区内非机动车乱停放，希望规划充电停放区域。"],
    "其他": ["希望社区设置旧衣物回收箱。"],
}


class _Pen:
    """Fills the templates from the demo's places, deterministically for a seed."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        communities = list(Division.objects.filter(kind=Division.Kind.COMMUNITY).select_related("parent").order_by("code"))
        self.communities = communities
        compounds = dict(Building.objects.exclude(compound="").order_by("community__code", "compound").values_list("community__code", "compound").distinct())
        self.compounds = compounds

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))

    def values(self, community: Division) -> dict:
        rng = self.rng
        services = rng.sample(SERVICES, 2)
        return {
            "community": community.name, "subdistrict": community.parent.name if community.parent else "",
            "compound": self.compounds.get(community.code) or f"{community.name.removesuffix('社区')}小区", "topic": rng.choice(TOPICS),
            "service": services[0], "service2": services[1], "name": self.name(), "year": self.now.year,
            "n": rng.randint(12, 180), "m": rng.randint(6, 60), "k": rng.randint(3, 30),
        }


def _html(paragraphs: list[str], values: dict) -> str:
    return "".join(f"<p>{escape(p.format(**values))}</p>" for p in paragraphs)


def _publish(item: Publishable, editor: User, reviewer: User) -> Publishable:
    publication_submit(item=item, actor=editor)
    return publication_approve(item=item, actor=reviewer)


def _officials(district_code: str) -> tuple[User, User]:
    def official(username: str, full_name: str) -> User:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "role": Role.DISTRICT_OFFICIAL, "scope_code": district_code, "password": "!"}
        )
        return user

    return official("portal_editor", "区网格中心编辑"), official("portal_reviewer", "区网格中心审核")


def _articles(pen: _Pen, editor: User, reviewer: User) -> list[Article]:
    plan = [("work", t) for t in WORK] * 2 + [("notices", t) for t in NOTICES] + [("policy", t) for t in POLICY] + [("media", t) for t in MEDIA]
    plan = (plan * 2)[:ARTICLES]
    made = []
    for index, (section, (title, paragraphs, keywords)) in enumerate(plan):
        values = pen.values(pen.communities[(index * 7) % len(pen.communities)])
        body = _html(paragraphs, values)
        article = article_save(
            actor=editor, section=section, title=title.format(**values), body=body, summary=paragraphs[0].format(**values)[:120],
            source=SOURCE if section != "media" else "区融媒体中心（演示）", author=pen.name(),
            meta_keywords=keywords.format(**values), meta_description=title.format(**values),
        )
        made.append(_publish(article, editor, reviewer))
        days = int((index + 0.5) * 360 / ARTICLES) + pen.rng.randint(0, 5)
        _backdate(article, pen.now - timedelta(days=days, hours=pen.rng.randint(0, 6)))
    return made


def _backdate(item: Publishable, at: datetime) -> None:
    """Move a piece's dates, and those of its moves, to when the demo says it happened, and seal it again."""
    at = at.replace(hour=9 + at.hour % 8, minute=at.minute % 60, second=0, microsecond=0)
    type(item).objects.filter(pk=item.pk).update(
        created_at=at - timedelta(hours=3), submitted_at=at - timedelta(hours=2), reviewed_at=at, published_at=at
    )
    item.transitions.filter(to_status=Stage.REVIEW).update(at=at - timedelta(hours=2))
    item.transitions.filter(to_status=Stage.PUBLISHED).update(at=at)
    item.refresh_from_db()
    publication_reseal(item=item)


def _disclosures(pen: _Pen, editor: User, reviewer: User) -> tuple[list[Disclosure], int]:
    made, objections = [], 0
    for index, (kind_code, ago, days, objected, answered) in enumerate(DISCLOSURE_PLAN):
        community = pen.communities[(index * 5 + 3) % len(pen.communities)]
        start = (pen.now - timedelta(days=ago)).replace(hour=9, minute=0, second=0, microsecond=0)
        values = {**pen.values(community), "year": start.year - 1 if kind_code == "rating" else start.year}
        area = "" if kind_code == "rating" else community.code
        title, body, subject = _disclosure_text(kind_code, values, index)
        disclosure = disclosure_save(
            actor=editor, kind=kind_code, subject_type=subject[0], subject_id=subject[1], area_code=area,
            title=title, body=body, shown_from=start, shown_until=start + timedelta(days=days),
        )
        _publish(disclosure, editor, reviewer)
        _backdate(disclosure, start)
        objections += _objections(pen, disclosure, reviewer, objected, answered)
        made.append(disclosure)
    return made, objections


def _disclosure_text(kind: str, v: dict, index: int) -> tuple[str, str, tuple[str, str]]:
    number = f"{v['year']}-{index + 1:03d}"
    texts = {
        "project": (f"{v['community']}“{v['service']}”社区服务项目公示",
                    [f"经{v['community']}社区议事会审议，拟实施“{v['service']}”社区服务项目，服务对象为辖区居民，预计服务{v['n']}人次。",
                     f"项目预算{v['m'] * 1000}元，由社区服务项目资金列支。公示期内如有异议，请在本页提出或向社区反映。"], ("project", f"XM{number}")),
        "deliberation": (f"{v['community']}关于{v['topic']}的议事结果公开",
                         [f"按照“一征三议两公开”程序，{v['community']}就{v['topic']}征集居民意见{v['n']}条，经社区党组织提议、“两委”商议、居民代表会议决议，形成如下决议：",
                          f"同意实施{v['topic']}，由社区组织施工，物业服务企业配合，预计工期{v['k']}天。"], ("deliberation", f"YS{number}")),
        "finance": (f"{v['community']}“{v['service']}”项目资金使用情况公开",
                    [f"{v['community']}“{v['service']}”项目已完成阶段实施，现将资金使用情况公开如下：",
                     f"项目预算{v['m'] * 1000}元，已支出{v['m'] * 800}元，其中服务购买{v['m'] * 500}元、物资采购{v['m'] * 300}元。"], ("project", f"XM{number}")),
        "rating": (f"{v['year']}年度物业服务企业星级评定结果公示",
                   [f"经企业自评、社区初评、街道复核和区级评定，{v['compound']}等物业服务项目拟评为星级物业服务项目。",
                    "公示期内，如对评定结果有异议，可在本页提出，评定工作组将逐一答复。"], ("rating", str(v["year"]))),
        "notice": (f"{v['subdistrict']}关于{v['topic']}施工期间出行安排的公告",
                   [f"因{v['topic']}施工，{v['community']}部分通道将临时调整，请居民注意出行安全。", "施工期间如遇问题，请联系所在网格的网格员。"], ("", "")),
        "result": (f"{v['community']}{v['topic']}实施结果公开",
                   [f"{v['community']}{v['topic']}已按议事决议实施完成，经居民代表验收合格。", f"项目实际用时{v['k']}天，惠及居民{v['n']}户。"], ("deliberation", f"YS{number}")),
    }
    title, paragraphs, subject = texts[kind]
    return title, "".join(f"<p>{escape(p)}</p>" for p in paragraphs), subject


def _objections(pen: _Pen, disclosure: Disclosure, reviewer: User, count: int, answered: int) -> int:
    for i in range(count):
        objection = objection_submit(disclosure=disclosure, text=pen.rng.choice(OBJECTIONS), name=pen.name(), phone=_phone(pen.rng))
        at = disclosure.shown_from + timedelta(hours=20 + 5 * i)
        Objection.objects.filter(pk=objection.pk).update(submitted_at=at, number=f"YY{at:%Y%m%d}{objection.pk:06d}")
        if i < answered:
            objection.refresh_from_db()
            objection_answer(objection=objection, actor=reviewer, answer=pen.rng.choice(ANSWERS))
            Objection.objects.filter(pk=objection.pk).update(answered_at=at + timedelta(hours=18))
    if answered:
        disclosure.refresh_from_db()
        publication_reseal(item=disclosure)  # the answers' dates changed above
    return count


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 10**9 - 1):09d}"


def _needs(pen: _Pen) -> int:
    categories = sorted(NEED_TEXTS)
    states = [Need.State.NEW] * 3 + [Need.State.MATCHED] * 2 + [Need.State.CLOSED]
    for index in range(NEEDS):
        category = categories[index % len(categories)]
        community = pen.communities[(index * 3 + 1) % len(pen.communities)]
        need = need_submit(category=category, description=pen.rng.choice(NEED_TEXTS[category]), community_code=community.code, name=pen.name(), phone=_phone(pen.rng))
        at = pen.now - timedelta(days=index * 9 + pen.rng.randint(0, 5), hours=pen.rng.randint(0, 8))
        # Numbered by the day it is dated; the primary key keeps the number unique.
        Need.objects.filter(pk=need.pk).update(submitted_at=at, number=f"XQ{at:%Y%m%d}{need.pk:06d}", state=pen.rng.choice(states))
    return NEEDS


@transaction.atomic
def demo_portal_build(*, seed: int, now: datetime | None = None) -> dict:
    """The demo's portal content on top of the demo district; returns what was made."""
    now = timezone.localtime(now or timezone.now())
    pen = _Pen(random.Random(seed), now)
    if not pen.communities:
        return {"articles": 0, "disclosures": 0, "objections": 0, "needs": 0}
    editor, reviewer = _officials(f"{settings.WANGGE_DISTRICT_CODE}000000")
    articles = _articles(pen, editor, reviewer)
    disclosures, objections = _disclosures(pen, editor, reviewer)
    return {"articles": len(articles), "disclosures": len(disclosures), "objections": objections, "needs": _needs(pen)}
