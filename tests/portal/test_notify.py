"""An objection to a disclosure reaches the officials who may answer it (those whose scope
covers its area) and nobody else, without the objector's name, number or words."""

from datetime import timedelta

from django.utils import timezone

from tests.portal.making import reviewer
from tests.portal.test_publishing import draft_disclosure, publish
from wangge.accounts.models import Role, User
from wangge.core.models import Notice, OutboxMessage
from wangge.core.outbox import outbox_drain
from wangge.portal.objections import objection_submit


def test_it_tells_the_officials_who_may_answer_an_objection_and_nobody_else(people):
    OutboxMessage.objects.all().delete()  # the demo's own objections are not this test's
    home = people.home_grid.community
    elsewhere = User.objects.create(username="other_community_official", role=Role.COMMUNITY_OFFICIAL, scope_code=people.other_grid.community.code)
    start = timezone.now() - timedelta(days=1)
    disclosure = draft_disclosure(people.district_official.user, home.code, shown_from=start, shown_until=start + timedelta(days=7))
    disclosure = publish(disclosure, people.district_official.user, reviewer())

    objection = objection_submit(disclosure=disclosure, text="施工时间影响孩子午休", name="张三丰", phone="13812345678")
    outbox_drain(now=timezone.now())

    notices = {n.recipient_id: n for n in Notice.objects.filter(kind="portal.objection")}
    district = set(User.objects.filter(role=Role.DISTRICT_OFFICIAL, is_active=True, is_superuser=False).values_list("pk", flat=True))
    assert set(notices) == district | {people.subdistrict_official.user.pk, people.community_official.user.pk}
    assert elsewhere.pk not in notices and people.grid_worker.user.pk not in notices and people.resident.user.pk not in notices
    notice = notices[people.community_official.user.pk]
    assert objection.number in notice.title and disclosure.title in notice.body and notice.link == "/portal/objections"
    for secret in ("张三丰", "13812345678", "午休"):
        assert secret not in notice.title + notice.body
