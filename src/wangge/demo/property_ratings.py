"""The star rating, owners' votes and demonstrations of the demo district, written after its Red
Property and its year of cases (`wangge demo`), and only from records: last year's round is run
through the rating's services to publication (scores with their authors, survey answers of
registry households entered by their grid workers, case inputs computed from the demo's cases),
this year's stands in publicity with a company's objection; two owners' votes are cast by
registered owners; the demonstrations are the best-rated compounds and the communities and
subdistricts that hold them, for the criteria their records meet.

Deterministic: every choice follows the rows' order and ids.
"""

from collections import Counter

from django.db.models import Count
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.people.models import Household
from wangge.property.demonstrations.services import demonstration_designate
from wangge.property.models import CompanyAccount, Compound, DwellingOwner, OwnersCommittee
from wangge.property.models.demonstrations import Demonstration
from wangge.property.models.rating import (
    RatingEntry,
    RatingRound,
    RatingScheme,
    SectionScore,
    SurveyVote,
)
from wangge.property.models.votes import Ballot, OwnersVote
from wangge.property.rating.services import (
    objection_submit,
    round_move,
    round_open,
    scheme_create,
    veto_find,
)

SECTIONS = [
    {"name": "基础管理", "points": 150}, {"name": "房屋管理", "points": 150}, {"name": "共用设施设备", "points": 150},
    {"name": "秩序维护", "points": 150}, {"name": "环境卫生", "points": 150}, {"name": "服务成效（事件办理）", "points": 150, "source": "cases"},
    {"name": "居民满意度", "points": 100, "source": "survey"}, {"name": "加分项", "points": 100, "bonus": True},
]
VETOES = [{"name": "重大安全事故", "cap_stars": 0}, {"name": "弃管", "cap_stars": 0}, {"name": "拒不整改", "cap_stars": 2}]
MINIMUMS = [600, 700, 800, 900, 1000]
# Designated in the reference district; a smaller demo takes the same shares of what it has.
DEMONSTRATIONS = {"subdistricts": 4, "communities": 11, "compounds": 52}
SURVEY_EVERY = 3  # one household in three answers


def _rater(username: str, name: str, role: str, scope: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"password": "!", "full_name": name, "role": role, "scope_code": scope})
    return user


def _raters() -> tuple[User, dict[int, User]]:
    district = Division.objects.get(kind=Division.Kind.DISTRICT)
    official = _rater("demo_rater", "区物业评定组", Role.DISTRICT_OFFICIAL, district.code)
    by_subdistrict = {
        s.pk: _rater(f"demo_rater_{s.code}", f"{s.name}物业评定组", Role.SUBDISTRICT_OFFICIAL, s.code)
        for s in Division.objects.filter(kind__in=[Division.Kind.SUBDISTRICT, Division.Kind.ZONE]).order_by("code")
    }
    return official, by_subdistrict


def _survey(rating_round: RatingRound, salt: int) -> int:
    """Every third registry household of a rated compound answers, entered by its grid worker."""
    workers = dict(User.objects.filter(role=Role.GRID_WORKER, username__startswith="gw").values_list("scope_code", "pk"))
    entries = dict(rating_round.entries.values_list("compound_id", "pk"))
    votes = []
    households = Household.objects.filter(building__compound_holding__compound_id__in=entries, members__isnull=False).distinct()
    for pk, compound, grid in households.order_by("pk").values_list("pk", "building__compound_holding__compound_id", "building__grid_code"):
        if (pk + salt) % SURVEY_EVERY or grid not in workers:
            continue
        satisfaction = (5, 4, 4, 5, 3, 4, 2, 5)[(pk * 7 + compound + salt) % 8]
        votes.append(SurveyVote(round=rating_round, entry_id=entries[compound], household_id=pk, satisfaction=satisfaction, channel="visit",
                                recorded_by_id=workers[grid]))
    SurveyVote.objects.bulk_create(votes, batch_size=2000)
    return len(votes)


def _score(rating_round: RatingRound, official: User, by_subdistrict: dict[int, User], salt: int) -> None:
    """Each inspection section scored by the compound's rater (the district for market compounds,
    the subdistrict otherwise), between 60 % and 100 % of its points; a third earn a bonus.
    Written in bulk, as the service would write them (`tests/demo/test_property_ratings_demo.py`)."""
    sections = [s for s in rating_round.scheme.sections.all() if s.source == "inspection"]
    now, scores = timezone.now(), []
    for entry in rating_round.entries.select_related("compound__community").order_by("pk"):
        rater = official if entry.compound.mode == Compound.Mode.MARKET else by_subdistrict[entry.compound.community.parent_id]
        for section in sections:
            share = 0 if section.bonus and (entry.pk + salt) % 3 else (60 + (entry.pk * 13 + section.pk * 7 + salt) % 41) / 100
            scores.append(SectionScore(entry=entry, section=section, points=round(section.points * share), note="现场检查", author=rater, at=now))
    SectionScore.objects.bulk_create(scores, batch_size=2000)
    found = rating_round.entries.filter(compound__mode=Compound.Mode.OWNERLESS).select_related("compound__community").order_by("pk").first()
    if found is not None:
        veto_find(entry=found, item=rating_round.scheme.vetoes.get(name="拒不整改"), note="屋面漏水问题经两次督办仍未整改",
                  actor=by_subdistrict[found.compound.community.parent_id])


def _round(year: int, scheme: RatingScheme, official: User, by_subdistrict: dict[int, User], *, to: tuple[str, ...]) -> RatingRound:
    rating_round = round_open(year=year, scheme=scheme, actor=official)
    _survey(rating_round, salt=year)
    round_move(rating_round=rating_round, to="scoring", actor=official)
    _score(rating_round, official, by_subdistrict, salt=year)
    for status in to:
        rating_round = round_move(rating_round=rating_round, to=status, actor=official)
    return rating_round


def _objection(rating_round: RatingRound) -> int:
    entry = rating_round.entries.filter(company__accounts__isnull=False).order_by("total", "pk").first()
    if entry is None:
        return 0
    account = CompanyAccount.objects.filter(company=entry.company).select_related("user").order_by("pk").first()
    objection_submit(entry=entry, text=f"本企业在{entry.compound.name}的居民满意度调查样本偏少，申请复核。", actor=account.user)
    return 1


def _votes() -> int:
    """Two owners' votes in the two compounds with the most owners: an ordinary matter most owners
    agree to, and a repair-fund matter that falls short of three quarters."""
    chosen = list(Compound.objects.annotate(owners=Count("dwellings__ownerships")).filter(owners__gt=0).order_by("-owners", "pk")[:2])
    plans = [("续聘物业服务企业", OwnersVote.Matter.ORDINARY, ("yes", "yes", "yes", "no", "yes", "abstain", "yes", "yes", "no", None)),
             ("使用专项维修资金更换电梯", OwnersVote.Matter.REPAIR_FUND, ("yes", "yes", "no", "yes", "yes", "no", "yes", "abstain", "yes", "no"))]
    ballots = []
    for compound, (title, matter, pattern) in zip(chosen, plans, strict=False):
        vote = OwnersVote.objects.create(compound=compound, title=title, matter=matter)
        seen: dict[int, str] = {}
        for i, ownership in enumerate(DwellingOwner.objects.filter(dwelling__compound=compound).order_by("pk")):
            choice = seen.get(ownership.person_id) or pattern[i % len(pattern)]
            if choice is None:
                continue
            seen[ownership.person_id] = choice  # an owner of several dwellings gives one choice
            ballots.append(Ballot(vote=vote, dwelling_id=ownership.dwelling_id, owner_id=ownership.person_id, choice=choice))
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    return len(ballots)


def _demonstrations(published: RatingRound, official: User) -> Counter:
    """The best-rated compounds of the published round (four stars or more, no veto), and the
    communities and subdistricts that hold most of them, in the reference district's numbers
    or the same shares of a smaller demo."""
    if Demonstration.objects.exists():
        # The district's plan has designated them already (demo/property_programme.py, the
        # reference numbers 4 / 11 / 52): one source of demonstrations, not two stacked.
        return Counter()
    total = Compound.objects.count()
    share = min(1.0, total / DEMONSTRATIONS["compounds"])
    wanted = {k: max(1, round(v * share)) for k, v in DEMONSTRATIONS.items()}
    committees = set(OwnersCommittee.objects.values_list("compound_id", flat=True))
    best = RatingEntry.objects.filter(round=published, stars__gte=4, vetoes__isnull=True).select_related("compound__community").order_by("-total", "pk")
    made: Counter = Counter()
    compounds = list(best[: wanted["compounds"]])
    for entry in compounds:
        criteria = ["star_rating"] + (["owners_committee"] if entry.compound_id in committees else [])
        demonstration_designate(year=published.year, level="compound", compound=entry.compound, criteria=criteria, actor=official)
        made["compounds"] += 1
    communities = Counter(e.compound.community for e in compounds)
    for community, _ in communities.most_common(wanted["communities"]):
        demonstration_designate(year=published.year, level="community", division=community, criteria=["star_rating"], actor=official)
        made["communities"] += 1
    subdistricts = Counter(e.compound.community.parent for e in compounds)
    for subdistrict, _ in subdistricts.most_common(wanted["subdistricts"]):
        criteria = ["star_rating"] + (["backstop"] if hasattr(subdistrict, "property_backstop") else [])
        demonstration_designate(year=published.year, level="subdistrict", division=subdistrict, criteria=criteria, actor=official)
        made["subdistricts"] += 1
    return made


def demo_ratings_build() -> dict:
    """Last year's round published, this year's in publicity with an objection, owners' votes
    and demonstrations; what was made."""
    if not Compound.objects.exists():
        return {"rounds": 0, "votes": 0, "ballots": 0, "demonstrations": {}}
    official, by_subdistrict = _raters()
    scheme = scheme_create(name="物业服务星级评定千分制方案", sections=SECTIONS, star_minimums=MINIMUMS, vetoes=VETOES, actor=official)
    year = timezone.localdate().year
    published = _round(year - 1, scheme, official, by_subdistrict, to=("review", "publicity", "published"))
    current = _round(year, scheme, official, by_subdistrict, to=("review", "publicity"))
    objections = _objection(current)
    ballots = _votes()
    return {"rounds": 2, "objections": objections, "votes": OwnersVote.objects.count(), "ballots": ballots,
            "demonstrations": dict(_demonstrations(published, official))}
