"""Accounts the shared personas do not cover: the other back-office roles, the three officers,
and the two deny-by-default cases (no role; a role but no scope)."""

from dataclasses import dataclass

import pytest

from tests.personas import Person
from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User


@dataclass
class Others:
    property_company: Person
    social_organisation: Person
    system_admin: Person
    security_admin: Person
    second_security_admin: Person
    auditor: Person
    no_role: Person  # a district scope but no role
    no_scope: Person  # a grid worker's role but no scope


def _person(username: str, role: str, scope: str) -> Person:
    user = User.objects.create(username=username, full_name=username, role=role, scope_code=scope)
    return Person(user, token_issue(user=user))


@pytest.fixture
def others(people) -> Others:
    community, district = people.home_grid.community.code, people.district_official.user.scope_code
    return Others(
        property_company=_person("property_company", Role.PROPERTY_COMPANY, community),
        social_organisation=_person("social_organisation", Role.SOCIAL_ORGANISATION, community),
        system_admin=_person("system_admin", Role.SYSTEM_ADMIN, district),
        security_admin=_person("security_admin", Role.SECURITY_ADMIN, district),
        second_security_admin=_person("security_admin_2", Role.SECURITY_ADMIN, district),
        auditor=_person("auditor", Role.AUDITOR, district),
        no_role=_person("no_role", "", district),
        no_scope=_person("no_scope", Role.GRID_WORKER, ""),
    )
