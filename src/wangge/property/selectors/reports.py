"""The Red Property reports, computed from records at request time: ownerless compounds no
company backs, party work in companies, and cross-appointment (双向进入、交叉任职)."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from wangge.geo.models import Division
from wangge.people.models import CommitteePost, Person
from wangge.people.services.party import may_form_branch

from ..crossing import MANAGING_POSTS, post_is_right
from ..models import (
    CompanyService,
    CompanyStaff,
    Compound,
    OwnersCommitteeMember,
    PartyInstructor,
    PropertyCompany,
)
from .records import active_services, companies_visible, compounds_visible

FULL = Person.Party.FULL


def ownerless_without_backstop(user) -> QuerySet[Compound]:
    """Ownerless compounds and courtyards that no company (the backstop or another) serves."""
    served = active_services().values("compound_id")
    return (
        compounds_visible(user).filter(mode=Compound.Mode.OWNERLESS).exclude(pk__in=served)
        .select_related("community__parent").order_by("community__code", "name")
    )


def companies_with_party_facts(user) -> QuerySet[PropertyCompany]:
    """Companies with their full and probationary party members among staff, whether they
    belong to a party organisation and whether an instructor serves them now."""
    party_staff = Q(staff__person__party__in=[FULL, Person.Party.PROBATIONARY])
    return companies_visible(user).annotate(
        full_members=Count("staff", filter=Q(staff__person__party=FULL)),
        party_members=Count("staff", filter=party_staff),
        has_organisation=Exists(PropertyCompany.party_organisations.through.objects.filter(propertycompany_id=OuterRef("pk"))),
        has_instructor=Exists(PartyInstructor.objects.filter(company_id=OuterRef("pk"), ended_on__isnull=True)),
    ).order_by("name")


def party_report(user) -> dict:
    companies = list(companies_with_party_facts(user))
    return {
        "companies": companies,
        "owing_organisation": [c for c in companies if may_form_branch(c.full_members) and not c.has_organisation],
        "with_neither": [c for c in companies if not c.has_organisation and not c.has_instructor],
    }


@dataclass
class Appointment:
    """A person on both sides: a post in a company or an owners' committee, and one in a
    community's committees; `right` when a party member sits on the party committee part-time
    and anyone else on the residents' committee."""

    person: str
    side: str  # the company or owners' committee post, in words
    committee: str
    part_time: bool
    right: bool


@dataclass
class Standing:
    name: str
    pk: int
    communities: list[str] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def in_place(self) -> bool:
        return any(a.right for a in self.appointments)


def _committee_posts(person_ids: set[int], community_ids: set[int]) -> dict[tuple[int, int], list[tuple[str, bool]]]:
    posts: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    rows = CommitteePost.objects.filter(person_id__in=person_ids, community_id__in=community_ids)
    for person_id, community_id, committee, part_time in rows.values_list("person_id", "community_id", "committee", "part_time"):
        posts.setdefault((person_id, community_id), []).append((committee, part_time))
    return posts


def _appointments(people: list[tuple[int, str, str, str]], community_ids: set[int], posts) -> list[Appointment]:
    """people: (person id, name, party, side) against the posts held in `community_ids`."""
    found = []
    for person_id, name, party, side in people:
        for community_id in community_ids:
            for committee, part_time in posts.get((person_id, community_id), []):
                label = CommitteePost.Committee(committee).label + ("（兼职）" if part_time else "")
                found.append(Appointment(name, side, label, part_time, post_is_right(party, committee, part_time)))
    return found


def cross_appointment_report(user) -> dict:
    """Per company (its managers in the communities it serves) and per community (those
    companies' managers and its owners' committees' members), from records, in a fixed number
    of queries."""
    services = list(active_services().filter(compound__in=compounds_visible(user)).values_list("company_id", "compound__community_id", "compound__community__name"))
    companies = {c.pk: Standing(c.name, c.pk) for c in companies_visible(user).order_by("name")}
    served: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for company_id, community_id, community_name in services:
        served.setdefault(company_id, set()).add(community_id)
        names[community_id] = community_name
    managers: dict[int, list[tuple[int, str, str, str]]] = {}
    staff = CompanyStaff.objects.filter(company_id__in=companies, post__in=MANAGING_POSTS)
    for company_id, person_id, name, party, post, company in staff.values_list("company_id", "person_id", "person__name", "person__party", "post", "company__name"):
        managers.setdefault(company_id, []).append((person_id, name, party, f"{company}{CompanyStaff.Post(post).label}"))
    members: dict[int, list[tuple[int, str, str, str]]] = {}
    committee = OwnersCommitteeMember.objects.filter(committee__compound__in=compounds_visible(user))
    for community_id, person_id, name, party, post, compound in committee.values_list(
        "committee__compound__community_id", "person_id", "person__name", "person__party", "post", "committee__compound__name",
    ):
        members.setdefault(community_id, []).append((person_id, name, party, f"{compound}业委会{OwnersCommitteeMember.Post(post).label}"))
    community_ids = set(names) | set(members)
    names.update(Division.objects.filter(pk__in=community_ids).values_list("pk", "name"))
    person_ids = {p[0] for ps in [*managers.values(), *members.values()] for p in ps}
    posts = _committee_posts(person_ids, community_ids)
    for company_id, standing in companies.items():
        standing.communities = sorted(names[c] for c in served.get(company_id, ()))
        standing.appointments = _appointments(managers.get(company_id, []), served.get(company_id, set()), posts)
    communities = {}
    for community_id in sorted(community_ids, key=lambda c: names.get(c, "")):
        standing = Standing(names.get(community_id, ""), community_id)
        serving = [m for company_id, ids in served.items() if community_id in ids for m in managers.get(company_id, [])]
        standing.appointments = _appointments(serving + members.get(community_id, []), {community_id}, posts)
        communities[community_id] = standing
    return {"companies": list(companies.values()), "communities": list(communities.values())}


def services_of(company: PropertyCompany) -> QuerySet[CompanyService]:
    return active_services().filter(company=company).select_related("compound__community", "project_manager").order_by("compound__name")
