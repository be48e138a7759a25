"""Red Property in the demo district: the compounds its buildings already name, the companies
serving them (with valid credit codes), staff, backstops, owners' committees,
cross-appointments, company party organisations and instructors, and one account per company.

Deterministic: every choice follows the order of the rows the demo wrote before. Written in
bulk like the rest of the demo; `tests/demo/test_property_demo.py` checks that the rows keep
the rules the services enforce.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from wangge.accounts.models import Role, User
from wangge.cases.models import Department
from wangge.core.credit_code import credit_code_compose
from wangge.geo.models import Division
from wangge.people.models import (
    Building,
    CommitteePost,
    Household,
    PartyMembership,
    PartyOrganisation,
    Person,
)
from wangge.property.models import (
    Backstop,
    CompanyAccount,
    CompanyPartyOrganisation,
    CompanyService,
    CompanyStaff,
    Compound,
    CompoundBuilding,
    Dwelling,
    DwellingOwner,
    OwnersCommittee,
    OwnersCommitteeMember,
    PartyInstructor,
    PropertyCompany,
)

from .property_programme import (
    COMPANIES_CROSS_APPOINTED,
    COMPANY_PARTY_ORGANISATIONS,
    MARKET_COMPANIES_PER_SUBDISTRICT,
    demo_programme_start,
)

BATCH = 2000
BRANDS = ["锦程", "嘉和", "安泰", "宏达", "恒顺", "和美", "瑞丰", "祥和", "华庭", "康居", "盛世", "润泽", "新元", "同泰", "众安", "德信"]
STARTED = datetime.date(2022, 1, 1)
FULL, NONE = Person.Party.FULL, Person.Party.NONE
ADULT_BEFORE = datetime.date(2004, 1, 1)
# How many full party members each company's staff counts, by its place in its subdistrict's
# list: two form branches (as many as the programme's plan), one has three and no organisation
# yet, one gets an instructor.
PARTY_PLAN = {0: 4, 1: 3, 2: 1, 3: 4}
BRANCH_AT = (0, 3)
SUBDISTRICT_KINDS = (Division.Kind.SUBDISTRICT, Division.Kind.ZONE)


def _mode(index: int, households: int) -> tuple[str, str]:
    """(kind, mode) of the index-th compound: about one in nine is an ownerless courtyard."""
    if index % 9 == 4:
        return Compound.Kind.COURTYARD, Compound.Mode.OWNERLESS
    kind = Compound.Kind.COURTYARD if households < 380 else Compound.Kind.COMPOUND
    return kind, Compound.Mode.SELF if index % 11 == 7 else Compound.Mode.MARKET


class _Pool:
    """Adult residents of each subdistrict, by party membership, handed out once each."""

    def __init__(self) -> None:
        self.by_subdistrict: dict[tuple[int, str], list[int]] = defaultdict(list)
        rows = Person.objects.filter(household__isnull=False, birth_date__lt=ADULT_BEFORE).order_by("pk")
        for pk, party, subdistrict in rows.values_list("pk", "party", "household__building__community__parent_id"):
            self.by_subdistrict[(subdistrict, FULL if party == FULL else NONE)].append(pk)
        self.used: set[int] = set()

    def take(self, subdistrict: int, party: str, count: int) -> list[int]:
        found = []
        pool = self.by_subdistrict[(subdistrict, party)]
        while pool and len(found) < count:
            pk = pool.pop()
            if pk not in self.used:
                self.used.add(pk)
                found.append(pk)
        return found


def _compounds() -> list[Compound]:
    groups: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for pk, community_id, name, households in Building.objects.exclude(compound="").order_by("pk").values_list("pk", "community_id", "compound", "households"):
        groups[(community_id, name)].append((pk, households))
    compounds = []
    for index, ((community_id, name), held) in enumerate(groups.items()):
        kind, mode = _mode(index, sum(h for _, h in held))
        compounds.append(Compound(name=name, kind=kind, mode=mode, community_id=community_id))
    Compound.objects.bulk_create(compounds, batch_size=BATCH)
    CompoundBuilding.objects.bulk_create(
        [CompoundBuilding(compound=c, building_id=pk) for c, held in zip(compounds, groups.values(), strict=True) for pk, _ in held], batch_size=BATCH
    )
    return compounds


def _dwellings(compounds: list[Compound]) -> int:
    """Every registry household a dwelling of 55 to 144 square metres, owned by its eldest member."""
    of_building = dict(CompoundBuilding.objects.values_list("building_id", "compound_id"))
    households = list(Household.objects.order_by("pk").values_list("pk", "building_id"))
    dwellings = Dwelling.objects.bulk_create(
        [Dwelling(household_id=pk, compound_id=of_building[b], area=Decimal(55 + (pk * 37) % 90) + Decimal("0.50")) for pk, b in households if b in of_building],
        batch_size=BATCH,
    )
    eldest: dict[int, int] = {}
    for pk, household in Person.objects.filter(household__isnull=False).order_by("-birth_date", "pk").values_list("pk", "household_id"):
        eldest[household] = pk  # the last written is the eldest
    DwellingOwner.objects.bulk_create(
        [DwellingOwner(dwelling=d, person_id=eldest[d.household_id]) for d in dwellings if d.household_id in eldest], batch_size=BATCH
    )
    return len(dwellings)


def _company(name: str, number: int, subdistrict: Division, state_owned: bool) -> PropertyCompany:
    code = credit_code_compose(authority="9", kind="1", division=subdistrict.code[:6], organisation_body=f"MA{number:06d}")
    department = Department.objects.create(code=f"property-{code.lower()}", name=name, kind=Department.Kind.PROPERTY_COMPANY)
    return PropertyCompany.objects.create(name=name, credit_code=code, subdistrict=subdistrict, state_owned=state_owned, department=department)


def _staff(company: PropertyCompany, subdistrict: Division, full: int, managers: int, pool: _Pool) -> list[CompanyStaff]:
    """A manager, `managers` project managers and three others; `full` of them full party members."""
    posts = [CompanyStaff.Post.MANAGER] + [CompanyStaff.Post.PROJECT_MANAGER] * managers + [CompanyStaff.Post.STAFF] * 3
    members = pool.take(subdistrict.pk, FULL, min(full, len(posts)))
    others = pool.take(subdistrict.pk, NONE, len(posts) - len(members))
    return CompanyStaff.objects.bulk_create([CompanyStaff(company=company, person_id=p, post=post) for p, post in zip(members + others, posts, strict=False)])


def demo_property_build() -> dict:
    compounds = _compounds()
    dwellings = _dwellings(compounds)
    pool = _Pool()
    subdistricts = list(Division.objects.filter(kind__in=SUBDISTRICT_KINDS).order_by("code"))
    by_subdistrict: dict[int, list[Compound]] = defaultdict(list)
    parents = dict(Division.objects.filter(kind=Division.Kind.COMMUNITY).values_list("pk", "parent_id"))
    for compound in compounds:
        by_subdistrict[parents[compound.community_id]].append(compound)
    made = defaultdict(int)
    number = 0
    for s, subdistrict in enumerate(subdistricts):
        number += 1
        backstop = _company(f"{subdistrict.name}国有物业服务有限公司", number, subdistrict, state_owned=True)
        _staff(backstop, subdistrict, 2, 1, pool)
        # The last subdistrict has not named its backstop yet: the report shows its ownerless courtyards.
        if s < len(subdistricts) - 1:
            Backstop.objects.create(subdistrict=subdistrict, company=backstop)
        market = []
        for k in range(MARKET_COMPANIES_PER_SUBDISTRICT):
            number += 1
            market.append(_company(f"{BRANDS[(s + k) % len(BRANDS)]}{subdistrict.name.removesuffix('街道')}物业服务有限公司", number, subdistrict, state_owned=False))
        made["companies"] += 1 + len(market)
        services = _services(by_subdistrict[subdistrict.pk], market, backstop if s < len(subdistricts) - 1 else None)
        for k, company in enumerate(market):
            served = [sv for sv in services if sv.company_id == company.pk]
            staff = _staff(company, subdistrict, PARTY_PLAN.get(k, 0), min(len(served), 3), pool)
            _assign_managers(served, staff)
            made["party_organisations"] += _party_work(company, staff, subdistrict, k, pool, made["party_organisations"] < COMPANY_PARTY_ORGANISATIONS)
        made["services"] += len(services)
    made["committees"] = _owners_committees(compounds, pool)
    made["cross_appointments"] = _cross_appointments()
    made["compounds"], made["dwellings"] = len(compounds), dwellings
    made["accounts"] = _accounts()
    made["programme_compounds"] = demo_programme_start()
    return dict(made)


def _services(compounds: list[Compound], market: list[PropertyCompany], backstop: PropertyCompany | None) -> list[CompanyService]:
    rows = []
    for i, compound in enumerate(compounds):
        if compound.mode == Compound.Mode.MARKET:
            rows.append(CompanyService(company=market[i % len(market)], compound=compound, started_on=STARTED))
        elif compound.mode == Compound.Mode.OWNERLESS and backstop is not None:
            rows.append(CompanyService(company=backstop, compound=compound, started_on=STARTED))
    return CompanyService.objects.bulk_create(rows, batch_size=BATCH)


def _assign_managers(services: list[CompanyService], staff: list[CompanyStaff]) -> None:
    managers = [s.person_id for s in staff if s.post == CompanyStaff.Post.PROJECT_MANAGER]
    for i, service in enumerate(services):
        service.project_manager_id = managers[i % len(managers)] if managers else None
    CompanyService.objects.bulk_update(services, ["project_manager"], batch_size=BATCH)


def _party_work(company: PropertyCompany, staff: list[CompanyStaff], subdistrict: Division, k: int, pool: _Pool, branch_wanted: bool) -> int:
    """The company's party organisation or instructor; 1 when an organisation was formed."""
    full = list(Person.objects.filter(pk__in=[s.person_id for s in staff], party=FULL).order_by("pk").values_list("pk", flat=True))
    if k in BRANCH_AT and branch_wanted and len(full) >= 3:
        organisation = PartyOrganisation.objects.create(
            name=f"{company.name}党支部", kind=PartyOrganisation.Kind.BRANCH, ground=PartyOrganisation.Ground.COMPANY,
            community=subdistrict, secretary_id=full[0],
        )
        PartyMembership.objects.bulk_create([PartyMembership(organisation=organisation, person_id=p) for p in full])
        CompanyPartyOrganisation.objects.create(organisation=organisation).companies.set([company])
        return 1
    if k == 2:
        instructor = pool.take(subdistrict.pk, FULL, 1)
        if instructor:
            PartyInstructor.objects.create(company=company, person_id=instructor[0], sent_by=subdistrict, started_on=STARTED)
    return 0


def _owners_committees(compounds: list[Compound], pool: _Pool) -> int:
    """Every third market compound has a committee of five of its residents."""
    chosen = [c for i, c in enumerate(compounds) if c.mode == Compound.Mode.MARKET and i % 3 == 0]
    residents: dict[int, list[int]] = defaultdict(list)
    rows = Person.objects.filter(household__property_dwelling__compound__in=chosen, birth_date__lt=ADULT_BEFORE).order_by("pk")
    for pk, compound_id in rows.values_list("pk", "household__property_dwelling__compound_id"):
        if pk not in pool.used:
            residents[compound_id].append(pk)
    committees = OwnersCommittee.objects.bulk_create(
        [OwnersCommittee(compound=c, elected_on=datetime.date(2024, 6, 1), term_ends_on=datetime.date(2029, 5, 31)) for c in chosen if len(residents[c.pk]) >= 5]
    )
    posts = [OwnersCommitteeMember.Post.DIRECTOR, OwnersCommitteeMember.Post.DEPUTY] + [OwnersCommitteeMember.Post.MEMBER] * 3
    OwnersCommitteeMember.objects.bulk_create(
        [OwnersCommitteeMember(committee=c, person_id=p, post=post) for c in committees for p, post in zip(residents[c.compound_id][:5], posts, strict=True)],
        batch_size=BATCH,
    )
    return len(committees)


def _cross_appointments() -> int:
    """In as many companies as the programme's plan, the project manager of the company's first
    compound sits on its community's committees part-time (party members on the party
    committee, others on the residents' committee); so does the director of every other
    owners' committee."""
    posts: dict[tuple[int, int], CommitteePost] = {}
    services = CompanyService.objects.filter(project_manager__isnull=False).order_by("company_id", "pk")
    companies: set[int] = set()
    for company_id, community_id, person_id, party in services.values_list("company_id", "compound__community_id", "project_manager_id", "project_manager__party"):
        if company_id not in companies and len(companies) < COMPANIES_CROSS_APPOINTED:
            companies.add(company_id)
            committee = CommitteePost.Committee.PARTY if party != NONE else CommitteePost.Committee.RESIDENTS
            posts.setdefault((community_id, person_id), CommitteePost(community_id=community_id, person_id=person_id, committee=committee, part_time=True))
    directors = OwnersCommitteeMember.objects.filter(post=OwnersCommitteeMember.Post.DIRECTOR).order_by("pk")
    for i, (community_id, person_id, party) in enumerate(directors.values_list("committee__compound__community_id", "person_id", "person__party")):
        if i % 2 == 0:
            committee = CommitteePost.Committee.PARTY if party != NONE else CommitteePost.Committee.RESIDENTS
            posts.setdefault((community_id, person_id), CommitteePost(community_id=community_id, person_id=person_id, committee=committee, part_time=True))
    return len(CommitteePost.objects.bulk_create(posts.values(), batch_size=BATCH))


def _accounts() -> int:
    """One sign-in account per company (no password: `wangge demo accounts` gives one)."""
    companies = list(PropertyCompany.objects.order_by("pk").select_related("department"))
    users = User.objects.bulk_create(
        [User(username=f"wy{c.credit_code.lower()}", full_name=f"{c.name}管理员", role=Role.PROPERTY_COMPANY, password="!") for c in companies]
    )
    users = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    CompanyAccount.objects.bulk_create([CompanyAccount(user=users[f"wy{c.credit_code.lower()}"], company=c) for c in companies])
    Department.handlers.through.objects.bulk_create(
        [Department.handlers.through(department_id=c.department_id, user_id=users[f"wy{c.credit_code.lower()}"].pk) for c in companies]
    )
    return len(companies)


# The district marks which categories concern property (the admin's 事件类别); the demo marks these.
PROPERTY_CATEGORIES = ("trash_bin", "landscaping")
CASES_PER_SUBDISTRICT = 3
PROPERTY_CASE_TEXT = {"trash_bin": "小区内垃圾桶破损，垃圾外溢，请物业及时更换清运", "landscaping": "小区绿地树木枯死、杂草丛生，请物业修剪养护"}


def demo_property_cases() -> tuple[int, int]:
    """A few property cases reported in served compounds and accepted by the community's
    official, through the cases' services: each goes on to the compound's company by the
    router, as a real one would. Returns how many were reported, and dispatched so."""
    from wangge.cases.models import Case, Category
    from wangge.cases.services import case_report, case_transition

    Category.objects.filter(code__in=PROPERTY_CATEGORIES).update(concerns_property=True)
    categories = list(Category.objects.filter(code__in=PROPERTY_CATEGORIES).order_by("code"))
    if not categories:
        return 0, 0
    officials = {u.scope_code: u for u in User.objects.filter(role=Role.COMMUNITY_OFFICIAL, is_active=True).order_by("pk")}
    made = dispatched = 0
    for subdistrict in Division.objects.filter(kind__in=SUBDISTRICT_KINDS).order_by("code"):
        services = CompanyService.objects.filter(ended_on__isnull=True, compound__community__parent=subdistrict).select_related("compound__community", "company").order_by("pk")
        for i, service in enumerate(services[:CASES_PER_SUBDISTRICT]):
            building = service.compound.buildings.order_by("pk").first()
            official = officials.get(service.compound.community.code)
            reporter = User.objects.filter(username=f"gw{building.grid_code}").first() if building else None
            if building is None or official is None or reporter is None:
                continue
            category = categories[i % len(categories)]
            case, _ = case_report(reporter=reporter, category=category, description=PROPERTY_CASE_TEXT[category.code], lon=building.lon, lat=building.lat)
            case = case_transition(case=case, to=Case.Status.ACCEPTED, actor=official)
            made += 1
            dispatched += case.department_id == service.company.department_id
    return made, dispatched
