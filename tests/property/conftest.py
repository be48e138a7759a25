"""Red Property's personas on the demo district: a company serving a compound in the home
community, with a signed-in account, and another company serving elsewhere."""

from dataclasses import dataclass

import pytest

from tests.personas import Person as Persona
from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.property.models import CompanyService, Compound, PropertyCompany
from wangge.property.services.companies import company_account_grant


@dataclass
class Estate:
    company: PropertyCompany
    compound: Compound  # served by `company`, in the home grid's community
    manager: Persona  # the company's account
    other_company: PropertyCompany
    other_compound: Compound  # served by `other_company`, in another subdistrict
    other_manager: Persona


def company_account(username: str, company: PropertyCompany) -> Persona:
    user = User.objects.create(username=username, full_name=username, role=Role.PROPERTY_COMPANY)
    company_account_grant(actor=None, company=company, user=user)
    return Persona(user, token_issue(user=user))


@pytest.fixture
def estate(people) -> Estate:
    community = people.home_grid.community
    served = CompanyService.objects.filter(ended_on__isnull=True, compound__mode=Compound.Mode.MARKET).select_related("company", "compound").order_by("pk")
    home = served.filter(compound__community=community).first()
    other = served.exclude(company=home.company).exclude(compound__community__parent=community.parent).first()
    return Estate(
        company=home.company, compound=home.compound, manager=company_account("company_manager", home.company),
        other_company=other.company, other_compound=other.compound, other_manager=company_account("other_company_manager", other.company),
    )
