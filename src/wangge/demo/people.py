"""The demo district's people and organisations: residents in a sample of dwellings, grid
staff under 一格一干 多专多群, a party organisation in every level-3 grid, community social
organisations with members and activities, and the new-employment workers enlisted in the
grids' groups. Pure: the same district and seed give the same people.

Every person is invented; ID numbers carry valid GB 11643 check digits but are generated.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from wangge.people.identity import check_char

from . import names
from .shares import allocate

GRID_TEAM = 2497  # leaders, deputies, full-time grid workers and specialists, distinct people
SOCIAL_ORGANISATIONS = 1143
DWELLINGS_PER_BUILDING = 2
HOME_AREA = "410104"
OTHER_AREAS = ["410102", "410103", "410105", "410122", "411302", "410922", "412726", "341221", "410482", "411723"]
SPECIALIST_DUTIES = ["police", "urban_management", "market_supervision", "judicial", "fire_safety"]
NEW_EMPLOYMENT_DUTIES = ["courier", "ride_hailing", "delivery"]
CARE = ["elderly_alone", "empty_nest", "disabled", "low_income", "extreme_poverty", "left_behind_child", "key_youth", "veteran", "serious_illness"]
HEALTH = ["良好", "良好", "良好", "慢性病", "高血压", "糖尿病", "行动不便"]
SOCIAL_KINDS = {
    "place": ["邻里互助会", "楼院自治会", "平安巡防队", "楼道管家队", "老年协会"],
    "trade": ["商户联盟", "快递小哥服务队", "退役军人服务队", "法律服务团", "家政服务联合会"],
    "interest": ["舞蹈队", "书画社", "太极拳队", "合唱团", "读书会", "棋牌社", "摄影协会", "戏曲社"],
}
ACTIVITIES = ["邻里节", "义诊进社区", "反诈宣传", "垃圾分类宣讲", "清洁家园行动", "文艺汇演", "关爱老人走访", "法律咨询"]


@dataclass
class DemoPeople:
    households: list[dict] = field(default_factory=list)  # building (index), unit, room
    persons: list[dict] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)  # grid_code, person (index), role, duty
    party_organisations: list[dict] = field(default_factory=list)
    social_organisations: list[dict] = field(default_factory=list)


class _People:
    """Makes persons with unique, valid ID numbers."""

    def __init__(self, rng, out: DemoPeople) -> None:
        self.rng, self.out = rng, out
        self.taken: dict[tuple[str, date], int] = defaultdict(int)

    def id_number(self, area: str, birth: date, female: bool) -> str:
        n = self.taken[(area, birth)]
        self.taken[(area, birth)] += 1
        first17 = f"{area}{birth:%Y%m%d}{2 * n + (0 if female else 1):03d}"
        return first17 + check_char(first17)

    def make(self, *, born_after: int, born_before: int, area: str = HOME_AREA, household: int | None = None, **extra) -> int:
        rng = self.rng
        birth = date(born_after, 1, 1) + timedelta(days=int(rng.integers((date(born_before, 1, 1) - date(born_after, 1, 1)).days)))
        female = bool(rng.random() < 0.5)
        hui = rng.random() < 0.12
        person = {
            "name": names.person_name(rng),
            "id_number": self.id_number(area, birth, female),
            "phone": f"1{int(rng.choice([3, 5, 7, 8, 9]))}{int(rng.integers(10**9)):09d}",
            "ethnicity": "回族" if hui else "汉族",
            "religion": "伊斯兰教" if hui and rng.random() < 0.7 else "",
            "health": HEALTH[int(rng.integers(len(HEALTH)))] if rng.random() < 0.4 else "",
            "household": household,
            "residence": "" if household is None else ("registered" if area == HOME_AREA else "floating"),
            "party": "none",
            "retired_cadre": False,
            "care": [],
            "birth_year": birth.year,
            "user_grid": "",
        } | extra
        self.out.persons.append(person)
        return len(self.out.persons) - 1


def _residents(people: _People, buildings: list[dict], rng) -> dict[str, list[int]]:
    """Residents of a sample of dwellings; returns person indexes by grid code."""
    by_grid: dict[str, list[int]] = defaultdict(list)
    for b, building in enumerate(buildings):
        rooms = sorted(rng.choice(np.arange(1, 31), size=DWELLINGS_PER_BUILDING, replace=False).tolist())
        for r in rooms:
            people.out.households.append({"building": b, "unit": str(1 + r % 3), "room": f"{1 + r // 4}0{1 + r % 4}"})
            household = len(people.out.households) - 1
            floating = rng.random() < 0.2
            area = OTHER_AREAS[int(rng.integers(len(OTHER_AREAS)))] if floating else HOME_AREA
            for _ in range(1 + int(rng.integers(4))):
                i = people.make(born_after=1936, born_before=2022, area=area, household=household)
                person = people.out.persons[i]
                age = 2026 - person["birth_year"]
                if age >= 18 and rng.random() < 0.16:
                    person["party"] = "full" if rng.random() < 0.92 else "probationary"
                    person["retired_cadre"] = age >= 62 and rng.random() < 0.25
                if age >= 70 and rng.random() < 0.3:
                    person["care"].append("elderly_alone" if rng.random() < 0.5 else "empty_nest")
                if rng.random() < 0.04:
                    person["care"].append(CARE[2 + int(rng.integers(len(CARE) - 2))])
                by_grid[building["grid_code"]].append(i)
    return by_grid


def _staff(people: _People, communities: dict[str, list[str]], rng) -> None:
    """The grid team of exactly GRID_TEAM people, and the groups (not counted in the team)."""
    out = people.out
    post = lambda grid, person, role, duty=None: out.posts.append({"grid_code": grid, "person": person, "role": role, "duty": duty})  # noqa: E731
    grids = [g for codes in communities.values() for g in codes]
    # A few grids are short of specialists or groups, so the staffing report has something to say.
    short = set(rng.choice(len(grids), size=max(1, len(grids) // 40), replace=False).tolist())
    for code in grids:
        post(code, people.make(born_after=1966, born_before=2000, party="full", user_grid=code), "full_time")
        post(code, people.make(born_after=1964, born_before=1992, party="full"), "leader")
    specialists = 0
    for codes in communities.values():
        for duty in SPECIALIST_DUTIES:
            person = people.make(born_after=1968, born_before=1998, party="full" if rng.random() < 0.6 else "none")
            specialists += 1
            for n, code in enumerate(codes):
                if grids.index(code) not in short or (duty == "police" and n % 2 == 0):
                    post(code, person, "specialist", duty)
    deputies = GRID_TEAM - 2 * len(grids) - specialists
    weights = rng.uniform(0.5, 1.5, size=len(grids)).tolist()
    for code, count in zip(grids, allocate(deputies, weights, minimum=0), strict=True):
        for _ in range(count):
            post(code, people.make(born_after=1960, born_before=1996, party="full" if rng.random() < 0.5 else "none"), "deputy")
    for i, code in enumerate(grids):
        heads = 0 if i in short else 1 + int(rng.integers(3))
        for _ in range(heads):
            post(code, people.make(born_after=1950, born_before=1985), "group", "courtyard_head")
        for _ in range(int(rng.integers(3))):
            post(code, people.make(born_after=1955, born_before=2004), "group", "volunteer")
    for codes in communities.values():
        for _ in range(2 + int(rng.integers(4))):
            area = OTHER_AREAS[int(rng.integers(len(OTHER_AREAS)))]
            person = people.make(born_after=1980, born_before=2004, area=area)
            duty = NEW_EMPLOYMENT_DUTIES[int(rng.integers(len(NEW_EMPLOYMENT_DUTIES)))]
            for code in rng.choice(codes, size=1 + int(rng.integers(min(3, len(codes)))), replace=False).tolist():
                post(code, person, "group", duty)


def _party(out: DemoPeople, grid_names: dict[str, str], residents: dict[str, list[int]]) -> None:
    """A branch where a grid has three full members, a party group where it has fewer."""
    staff: dict[str, list[int]] = defaultdict(list)
    leader: dict[str, int] = {}
    for p in out.posts:
        staff[p["grid_code"]].append(p["person"])
        if p["role"] == "leader":
            leader[p["grid_code"]] = p["person"]
    for code, grid_name in grid_names.items():
        candidates = dict.fromkeys(staff[code] + residents.get(code, []))
        members = [i for i in candidates if out.persons[i]["party"] != "none"]
        full = sum(1 for i in members if out.persons[i]["party"] == "full")
        kind = "branch" if full >= 3 else "group"
        suffix = "党支部" if kind == "branch" else "党小组"
        out.party_organisations.append({"name": f"{grid_name}{suffix}", "kind": kind, "grid_code": code, "secretary": leader[code], "members": members})


def _social(out: DemoPeople, communities: dict[str, list[str]], community_names: dict[str, str], residents: dict[str, list[int]], rng) -> None:
    weights = [len(residents.get(c, [])) + 1 for c in communities]
    kinds = [(bond, kind) for bond, options in SOCIAL_KINDS.items() for kind in options]
    for (community, codes), count in zip(communities.items(), allocate(SOCIAL_ORGANISATIONS, weights, minimum=4), strict=True):
        pool = residents.get(community, [])
        offset = int(rng.integers(len(kinds)))
        for n in range(count):
            bond, kind = kinds[(n + offset) % len(kinds)]
            served = sorted(rng.choice(codes, size=1 + int(rng.integers(len(codes))), replace=False).tolist())
            members = rng.choice(pool, size=min(len(pool), 2 + int(rng.integers(5))), replace=False).tolist() if pool else []
            activities = [
                {
                    "held_on": date(2026, 1, 1) + timedelta(days=int(rng.integers(320))),
                    "title": ACTIVITIES[int(rng.integers(len(ACTIVITIES)))],
                    "participants": 10 + int(rng.integers(80)),
                }
                for _ in range(int(rng.integers(4)))
            ]
            out.social_organisations.append(
                {
                    "name": f"{community_names[community]}{kind}" + (f"（{n // len(kinds) + 1}）" if n >= len(kinds) else ""),
                    "bond": bond,
                    "status": "registered" if rng.random() < 0.3 else "filed",
                    "community_code": community,
                    "grids": served,
                    "members": [(int(m), "leader" if k == 0 else "member") for k, m in enumerate(members)],
                    "activities": activities,
                }
            )


def generate_people(*, buildings: list[dict], grid_names: dict[str, str], community_names: dict[str, str], seed: int) -> DemoPeople:
    """People for a demo district whose level-3 grids are `grid_names` (code → name)."""
    rng = np.random.default_rng([seed, 3])
    out = DemoPeople()
    people = _People(rng, out)
    residents = _residents(people, buildings, rng)
    communities: dict[str, list[str]] = defaultdict(list)
    for code in sorted(grid_names):
        communities[code[:12]].append(code)
    _staff(people, communities, rng)
    _party(out, grid_names, residents)
    by_community: dict[str, list[int]] = defaultdict(list)
    for code, persons in sorted(residents.items()):
        by_community[code[:12]].extend(persons)
    _social(out, communities, community_names, by_community, rng)
    return out
