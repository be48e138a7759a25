"""Property companies: registration by credit code, their accounts, the compounds they serve,
their staff, and the backstop company each subdistrict names."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.cases.models import Department
from wangge.core.credit_code import credit_code_checked
from wangge.geo.models import Division
from wangge.people.models import Person
from wangge.people.permissions import require, require_found

from ..models import (
    Backstop,
    CompanyAccount,
    CompanyService,
    CompanyStaff,
    Compound,
    PropertyCompany,
)
from ..permissions import can_keep_property
from ..selectors.records import (
    SUBDISTRICT_KINDS,
    active_services,
    companies_visible,
    compounds_visible,
    divisions_kept,
)
from . import period_end

REFUSED = "只有区、街道、社区干部可以维护物业服务企业"


@transaction.atomic
def company_register(*, actor, name: str, credit_code: str, subdistrict: Division, state_owned: bool = False, phone: str = "") -> PropertyCompany:
    """Register a company filed in a subdistrict of the caller's, with the department through
    which it handles cases. A code already registered is refused without naming its company."""
    require(actor, can_keep_property, REFUSED)
    require_found(divisions_kept(actor, *SUBDISTRICT_KINDS), subdistrict)
    name, credit_code = _identity_checked(name=name, credit_code=credit_code)
    company = PropertyCompany(name=name, credit_code=credit_code, subdistrict=subdistrict, state_owned=state_owned, phone=phone.strip())
    company.full_clean(validate_constraints=False)
    company_department_attach(company=company)
    return company


def _identity_checked(*, name: str, credit_code: str, company: PropertyCompany | None = None) -> tuple[str, str]:
    """A company's name and credit code, checked; taken by another company is refused without
    naming it. Raises the errors of both fields at once."""
    name = (name or "").strip()
    others = PropertyCompany.objects.exclude(pk=company.pk) if company else PropertyCompany.objects.all()
    departments = Department.objects.exclude(pk=company.department_id) if company and company.department_id else Department.objects.all()
    errors: dict[str, list[str]] = {}
    try:
        credit_code = credit_code_checked(credit_code)
    except ValidationError as refused:
        errors |= refused.message_dict
    if not name:
        errors["name"] = ["企业名称不能为空"]
    elif others.filter(name=name).exists() or departments.filter(name=name).exists():
        errors["name"] = [f"名称「{name}」已被使用"]
    if "credit_code" not in errors and others.filter(credit_code=credit_code).exists():
        # Credit codes are public (国家企业信用信息公示系统); saying one is taken names nothing.
        errors["credit_code"] = ["该统一社会信用代码已登记，请勿重复登记"]
    if errors:
        raise ValidationError(errors)
    return name, credit_code


@transaction.atomic
def company_update(*, actor, company: PropertyCompany, name: str, credit_code: str, state_owned: bool, phone: str = "") -> PropertyCompany:
    """Correct a company's registration; its case department keeps the company's name."""
    require(actor, can_keep_property, REFUSED)
    require_found(companies_visible(actor), company)
    name, credit_code = _identity_checked(name=name, credit_code=credit_code, company=company)
    company.name, company.credit_code, company.state_owned, company.phone = name, credit_code, state_owned, phone.strip()
    company.full_clean(validate_constraints=False)
    company.save(update_fields=["name", "credit_code", "state_owned", "phone"])
    if company.department_id and company.department.name != name:
        company.department.name = name
        company.department.save(update_fields=["name"])
    return company


def company_department_attach(*, company: PropertyCompany) -> PropertyCompany:
    """Give a company the department through which it handles cases, and save it."""
    if company.department_id is None:
        company.department = Department.objects.create(code=f"property-{company.credit_code.lower()}", name=company.name, kind=Department.Kind.PROPERTY_COMPANY)
    company.save()
    return company


@transaction.atomic
def company_account_grant(*, actor, company: PropertyCompany, user: User) -> CompanyAccount:
    """Let a property-company account sign in for a company: it handles the company's cases."""
    require(actor, can_keep_property, REFUSED)
    require_found(companies_visible(actor), company)
    if user.role != Role.PROPERTY_COMPANY:
        raise ValidationError({"user": f"账号「{user.username}」的角色不是物业服务企业"})
    if CompanyAccount.objects.filter(user=user).exclude(company=company).exists():
        raise ValidationError({"user": f"账号「{user.username}」已属于另一家企业"})
    account, _ = CompanyAccount.objects.get_or_create(user=user, company=company)
    company.department.handlers.add(user)
    return account


@transaction.atomic
def company_service_start(
    *, actor, company: PropertyCompany, compound: Compound, started_on: datetime.date | None = None, project_manager: Person | None = None,
) -> CompanyService:
    """A company starts serving a compound (the one serving before stops that day)."""
    require(actor, can_keep_property, REFUSED)
    require_found(compounds_visible(actor), compound)
    require_found(companies_visible(actor) | PropertyCompany.objects.filter(pk__in=_backstops_for(compound)), company)
    started_on = started_on or timezone.localdate()
    if project_manager is not None and not company.staff.filter(person=project_manager).exists():
        raise ValidationError({"project_manager": f"{project_manager.name} 不是{company.name}的员工"})
    current = active_services().select_for_update().filter(compound=compound).first()
    if current is not None:
        if current.company_id == company.pk:
            current.project_manager = project_manager
            current.save(update_fields=["project_manager"])
            return current
        if current.started_on > started_on:
            raise ValidationError({"started_on": f"起始日期不能早于现服务企业的起始日期 {current.started_on}"})
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    return CompanyService.objects.create(company=company, compound=compound, started_on=started_on, project_manager=project_manager)


@transaction.atomic
def company_service_end(*, actor, compound: Compound, ended_on: datetime.date | None = None) -> CompanyService:
    """The company serving a compound of the caller's stops serving it (no company serves it after)."""
    require(actor, can_keep_property, REFUSED)
    require_found(compounds_visible(actor), compound)
    current = active_services().select_for_update().filter(compound=compound).first()
    if current is None:
        raise ValidationError({"ended_on": f"{compound.name}目前没有物业服务企业"})
    period_end(current, ended_on, noun="终止日期", start_noun="起始日期")
    return current


def _backstops_for(compound: Compound):
    return Backstop.objects.filter(subdistrict_id=compound.community.parent_id).values("company_id")


@transaction.atomic
def company_staff_save(*, actor, company: PropertyCompany, person: Person, post: str) -> CompanyStaff:
    require(actor, can_keep_property, REFUSED)
    require_found(companies_visible(actor), company)
    if post not in CompanyStaff.Post.values:
        raise ValidationError({"post": f"岗位应为{'、'.join(CompanyStaff.Post.labels)}之一"})
    staff, _ = CompanyStaff.objects.update_or_create(company=company, person=person, defaults={"post": post})
    return staff


@transaction.atomic
def backstop_name(*, actor, subdistrict: Division, company: PropertyCompany) -> Backstop:
    """A subdistrict names its state-owned backstop company; every ownerless compound of the
    subdistrict that no company serves is assigned to it."""
    require(actor, can_keep_property, REFUSED)
    require_found(divisions_kept(actor, *SUBDISTRICT_KINDS), subdistrict)
    require_found(companies_visible(actor), company)
    if not company.state_owned:
        raise ValidationError({"company": f"{company.name}不是国有企业，不能承担托底"})
    backstop, _ = Backstop.objects.update_or_create(subdistrict=subdistrict, defaults={"company": company})
    ownerless = Compound.objects.filter(community__parent=subdistrict, mode=Compound.Mode.OWNERLESS)
    backstop_assign(backstop=backstop, compounds=list(ownerless))
    return backstop


def backstop_assign(*, backstop: Backstop, compounds: Sequence[Compound]) -> int:
    """The backstop company starts serving those of `compounds` no company serves; returns how many."""
    served = set(active_services().filter(compound__in=compounds).values_list("compound_id", flat=True))
    today = timezone.localdate()
    new = [CompanyService(company=backstop.company, compound=c, started_on=today) for c in compounds if c.pk not in served]
    CompanyService.objects.bulk_create(new)
    return len(new)
