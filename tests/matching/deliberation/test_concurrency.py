"""Two sittings recorded at the same moment on one consulted proposal: the row lock makes the
second wait and then find the matter resolved, so there is one resolution and one adopted sitting."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.races import race
from wangge.accounts.models import Role, User
from wangge.geo.models import Grid
from wangge.matching.deliberation import services
from wangge.matching.models import Deliberation, DeliberationStep


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's IMMEDIATE transactions serialise writers; the race exists on PostgreSQL")
def test_two_concurrent_sittings_make_one_resolution(django_db_blocker):
    with django_db_blocker.unblock():
        community = Grid.objects.filter(layer__is_active=True, level=3).order_by("code").first().community.code
        official = User.objects.create(username="concurrent_official", role=Role.COMMUNITY_OFFICIAL, scope_code=community)
        d = services.deliberation_open(actor=official, title="并发议事", matter="说明", community_code=community)
        services.opinion_add(actor=official, deliberation=d, address="1号楼", summary="同意")
        d = services.deliberation_move(actor=official, deliberation=d, to="proposed", text="提议")
        services.consultation_add(actor=official, deliberation=d, unit="物业", summary="同意")
        d = services.deliberation_move(actor=official, deliberation=d, to="consulted")

        def sit():
            services.meeting_record(actor=official, deliberation=d, kind="residents", held_on=timezone.localdate(), members=10, present=8, votes_for=6)
            return "adopted"

        answers = ["；".join(answer.messages) if isinstance(answer, ValidationError) else answer for answer in race([sit, sit])]
        try:
            assert sorted(answers)[0] == "adopted" and "须先完成商议" in sorted(answers)[1], answers
            assert Deliberation.objects.get(pk=d.pk).meetings.count() == 1
            assert DeliberationStep.objects.filter(deliberation=d, to_status="resolved").count() == 1
        finally:
            Deliberation.objects.filter(pk=d.pk).delete()
