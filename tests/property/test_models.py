import datetime

import pytest
from django.db import IntegrityError, transaction

from wangge.core.credit_code import credit_code_compose
from wangge.geo.models import Division
from wangge.property.models import CompanyService, Compound, PropertyCompany

pytestmark = pytest.mark.django_db


def _company(name: str, body: str, subdistrict: Division) -> PropertyCompany:
    code = credit_code_compose(authority="9", kind="1", division="410104", organisation_body=body)
    return PropertyCompany.objects.create(name=name, credit_code=code, subdistrict=subdistrict)


def test_it_lets_a_compound_have_one_serving_company_at_a_time():
    community = Division.objects.filter(kind=Division.Kind.COMMUNITY).first()
    compound = Compound.objects.create(name="测试花园", kind=Compound.Kind.COMPOUND, mode=Compound.Mode.MARKET, community=community)
    first, second = _company("甲物业", "QT000001", community.parent), _company("乙物业", "QT000002", community.parent)
    CompanyService.objects.create(company=first, compound=compound, started_on=datetime.date(2024, 1, 1), ended_on=datetime.date(2024, 12, 31))
    CompanyService.objects.create(company=second, compound=compound, started_on=datetime.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyService.objects.create(company=first, compound=compound, started_on=datetime.date(2025, 6, 1))
