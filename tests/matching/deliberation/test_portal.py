"""Both disclosures of 两公开 on the portal's own pages: the resolution, open for objections while
it is shown — an objection lodged there holds the work back until it is answered — and the result."""

import pytest
from django.core.exceptions import ValidationError

from tests.matching.deliberation.steps import S, publicity_over
from wangge.matching.deliberation import services
from wangge.portal.models import Objection
from wangge.portal.objections import objection_answer


def test_an_objection_on_the_portal_holds_the_work_until_answered(client, steps, people):
    d = steps.at(S.PUBLICITY)
    listing = client.get("/disclosures?kind=deliberation").content.decode()
    assert "加装电梯议事决议公示" in listing and "议事结果公开" in listing
    page = client.get(f"/disclosures/{d.disclosure_id}").content.decode()
    assert "3号楼东侧加装电梯一部" in page and "应到 21 人" in page
    lodged = client.post(f"/disclosures/{d.disclosure_id}/objections", {"text": "费用分摊不公平"})
    assert lodged.status_code == 200
    publicity_over(d)
    with pytest.raises(ValidationError, match="尚有未答复的异议"):
        services.deliberation_move(actor=steps.official, deliberation=d, to=S.IMPLEMENTING)
    objection_answer(objection=Objection.objects.get(disclosure_id=int(d.disclosure_id)), actor=people.community_official.user, answer="已按楼层调整")
    assert services.deliberation_move(actor=steps.official, deliberation=d, to=S.IMPLEMENTING).status == S.IMPLEMENTING


def test_the_result_is_shown_under_its_kind(client, steps):
    d = steps.at(S.RESULT_DISCLOSED)
    listing = client.get("/disclosures?kind=result").content.decode()
    assert "加装电梯议事实施结果公开" in listing and "实施结果公开" in listing
    assert "电梯已于11月建成并通过验收" in client.get(f"/disclosures/{d.result_disclosure_id}").content.decode()
