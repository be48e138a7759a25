"""A project's spending made public on the portal as a `finance` disclosure, generated from its
budget lines and the payments not reversed."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.projects.funds import making
from wangge.portal.models import Disclosure
from wangge.projects.funds.disclosure import publish_spending
from wangge.projects.funds.services import disbursement_reverse


def test_it_publishes_the_spending_on_the_portal(client, people, home):
    line = making.funded(home, 80_000)
    making.pay(line, 12_345, payee="郑州市暖心助餐服务中心")
    wrong = making.pay(line, 5_000, payee="误录的收款方")
    disbursement_reverse(actor=None, disbursement=wrong, reason="误录")
    disclosure = Disclosure.objects.get(pk=publish_spending(line.project, people.community_official.user))
    assert (disclosure.kind, disclosure.subject_type, disclosure.subject_id, disclosure.area_code) == ("finance", "project", str(line.project.pk), home)
    assert disclosure.published_at is not None and disclosure.title == f"{line.project.title}资金使用情况公开"
    for shown in ("预算 ¥800.00，已支出 ¥123.45，结余 ¥676.55", "郑州市暖心助餐服务中心", "社区服务群众专项经费", "购买服务"):
        assert shown in disclosure.body_text, shown
    assert "误录的收款方" not in disclosure.body_text
    page = client.get(f"/disclosures/{disclosure.pk}")
    assert page.status_code == 200 and "郑州市暖心助餐服务中心" in page.content.decode()


def test_only_officials_of_the_projects_subtree_publish_it(people, away):
    line = making.funded(away, 1_000)
    for persona in (people.community_official, people.subdistrict_official, people.resident, people.grid_worker):
        with pytest.raises(PermissionDenied):
            publish_spending(line.project, persona.user)
    assert not Disclosure.objects.filter(kind="finance", subject_id=str(line.project.pk)).exists()
