"""Party organisations in property companies, and the instructors sent where none can be formed.

A company with three or more full party members forms a branch of its own, or a joint branch
with neighbouring companies; with fewer, the subdistrict or community sends a party-building
instructor. The rules every organisation keeps are people's (`organisation_core_errors`);
what is the company's own: a branch stands on one company, a joint branch on two or more, a
company belongs to one organisation, and the secretary and members work for its companies.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.geo.models import Division
from wangge.people.models import PartyMembership, PartyOrganisation, Person
from wangge.people.permissions import require, require_found
from wangge.people.services.party import organisation_core_errors

from ..models import CompanyPartyOrganisation, CompanyStaff, PartyInstructor, PropertyCompany
from ..permissions import can_keep_property
from ..selectors.records import SUBDISTRICT_KINDS, companies_visible, divisions_kept
from . import period_end

Kind = PartyOrganisation.Kind
REFUSED = "只有区、街道、社区干部可以维护物业企业党组织"


def company_party_errors(*, kind: str, companies: Sequence[PropertyCompany], secretary: Person | None, members: Sequence[Person],
                         link: CompanyPartyOrganisation | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, message in organisation_core_errors(kind=kind, secretary=secretary, members=members):
        errors.setdefault(field, []).append(message)
    if kind == Kind.BRANCH and len(companies) != 1:
        errors.setdefault("companies", []).append("党支部应建在一家企业")
    elif kind == Kind.JOINT_BRANCH and len(companies) < 2:
        errors.setdefault("companies", []).append("联合党支部应联合两家以上企业")
    elif kind not in (Kind.BRANCH, Kind.JOINT_BRANCH):
        errors.setdefault("kind", []).append("物业企业党组织应为党支部或联合党支部")
    taken = CompanyPartyOrganisation.companies.through.objects.filter(propertycompany__in=companies).exclude(companypartyorganisation_id=link.pk if link else None)
    for company, name in taken.values_list("propertycompany__name", "companypartyorganisation__organisation__name"):
        errors.setdefault("companies", []).append(f"{company}已有党组织：{name}")
    working = set(CompanyStaff.objects.filter(company__in=companies).values_list("person_id", flat=True))
    for person in {p.pk: p for p in [*members, *([secretary] if secretary else [])]}.values():
        if person.pk not in working:
            errors.setdefault("members", []).append(f"{person.name} 不是所在企业的员工")
    return errors


@transaction.atomic
def company_party_organisation_save(
    *, actor, name: str, kind: str, companies: Sequence[PropertyCompany], secretary: Person | None, members: Sequence[Person],
    link: CompanyPartyOrganisation | None = None,
) -> CompanyPartyOrganisation:
    require(actor, can_keep_property, REFUSED)
    require_found(companies_visible(actor), *companies)
    members = list({p.pk: p for p in [*members, *([secretary] if secretary else [])]}.values())
    errors = company_party_errors(kind=kind, companies=companies, secretary=secretary, members=members, link=link)
    name = (name or "").strip()
    limit = PartyOrganisation._meta.get_field("name").max_length
    if not name:
        errors.setdefault("name", []).append("不能为空")
    elif len(name) > limit:
        errors.setdefault("name", []).append(f"不能超过 {limit} 个字符")
    elif PartyOrganisation.objects.filter(name=name).exclude(pk=link.organisation_id if link else None).exists():
        errors.setdefault("name", []).append(f"已有同名党组织：{name}")
    if errors:
        raise ValidationError(errors)
    organisation = link.organisation if link else PartyOrganisation(ground=PartyOrganisation.Ground.COMPANY)
    # A company organisation's division is the subdistrict its (first) company is filed in.
    organisation.name, organisation.kind, organisation.secretary, organisation.community = name, kind, secretary, companies[0].subdistrict
    organisation.save()
    organisation.memberships.exclude(person__in=members).delete()
    existing = set(organisation.memberships.values_list("person_id", flat=True))
    PartyMembership.objects.bulk_create([PartyMembership(organisation=organisation, person=m) for m in members if m.pk not in existing])
    link = link or CompanyPartyOrganisation.objects.create(organisation=organisation)
    link.companies.set(companies)
    return link


@transaction.atomic
def party_instructor_send(*, actor, company: PropertyCompany, person: Person, sent_by: Division, started_on: datetime.date | None = None) -> PartyInstructor:
    """A subdistrict or community of the caller's sends an instructor to a company."""
    require(actor, can_keep_property, REFUSED)
    require_found(companies_visible(actor), company)
    kept = divisions_kept(actor, *SUBDISTRICT_KINDS, Division.Kind.COMMUNITY)
    require_found(kept, sent_by)
    if person.party != Person.Party.FULL:
        raise ValidationError({"person": f"{person.name} 不是中共正式党员，不能担任党建指导员"})
    if company.party_instructors.filter(person=person, ended_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.name} 已是{company.name}的党建指导员"})
    return PartyInstructor.objects.create(company=company, person=person, sent_by=sent_by, started_on=started_on or timezone.localdate())


@transaction.atomic
def party_instructor_end(*, actor, instructor: PartyInstructor, ended_on: datetime.date | None = None) -> PartyInstructor:
    """End an instructor's posting, by an official of the company's scope (the company may since
    have formed its own organisation, or the instructor been replaced)."""
    require(actor, can_keep_property, REFUSED)
    instructor = PartyInstructor.objects.select_for_update(of=("self",)).select_related("company", "person").get(pk=instructor.pk)
    require_found(companies_visible(actor), instructor.company)
    if instructor.ended_on is not None:
        raise ValidationError({"ended_on": f"{instructor.person.name} 的选派已于 {instructor.ended_on:%Y-%m-%d} 结束"})
    period_end(instructor, ended_on, noun="结束日期", start_noun="选派日期")
    return instructor
