"""Capacity held by confirmed matches: two fairs proposing the same last unit cannot both
confirm it, one after the other or at the same moment."""


import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.matching.making import need_in, resource_in
from tests.races import race
from wangge.matching.fair.services import fair_create, fair_move, fair_propose, match_confirm
from wangge.matching.models import Fair, FairMatch, Need, Resource


def _two_fairs_proposing_one_unit(grid) -> tuple[Resource, list[FairMatch]]:
    resource = resource_in(grid, capacity=1)
    need = need_in(grid, urgency=5)
    matches = []
    for code in (grid.community.code, grid.community.parent.code):
        fair = fair_create(actor=None, title=f"社洽会{code}", division_code=code, held_on="2026-12-20")
        for to in ("published", "presenting", "matching"):
            fair_move(actor=None, fair_id=fair.pk, to=to)
        proposed, _ = fair_propose(actor=None, fair_id=fair.pk)
        matches.append(next(m for m in proposed if m.resource_id == resource.pk and m.need_id == need.pk))
    return resource, matches


def test_a_second_fair_cannot_confirm_the_unit_the_first_holds(api, people):
    resource, (first, second) = _two_fairs_proposing_one_unit(people.home_grid)
    assert api.post(f"/api/matching/matches/{first.pk}/confirm", token=people.community_official.token, json={"side": "need"}).status_code == 200
    refused = api.post(f"/api/matching/matches/{second.pk}/confirm", token=people.subdistrict_official.token, json={"side": "resource"})
    assert refused.status_code == 400 and refused.json()["errors"][0] == {"field": "quantity", "reason": "该资源剩余容量不足：可供 1，其他对接已占用 1，本对接需要 1"}
    assert FairMatch.objects.get(pk=second.pk).status == "proposed" and not FairMatch.objects.get(pk=second.pk).steps.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's IMMEDIATE transactions serialise writers; the race exists on PostgreSQL")
def test_two_fairs_confirming_the_last_unit_at_once_give_it_to_one(django_db_blocker):
    with django_db_blocker.unblock():
        from wangge.geo.models import Grid

        grid = Grid.objects.filter(layer__is_active=True, level=3).order_by("code").first()
        resource, matches = _two_fairs_proposing_one_unit(grid)

        def refusal(answer):
            return "refused" if answer.message_dict["quantity"][0].startswith("该资源剩余容量不足") else answer

        answers = race([lambda m=m: match_confirm(actor=None, match_id=m.pk, side="need").status for m in matches])
        answers = [refusal(answer) if isinstance(answer, ValidationError) else answer for answer in answers]
        try:
            assert sorted(answers) == ["need_confirmed", "refused"], answers
            assert FairMatch.objects.filter(resource=resource, status="need_confirmed").count() == 1
        finally:
            fairs = list(Fair.objects.filter(matches__resource=resource).distinct())
            needs = list(Need.objects.filter(fair_matches__resource=resource).distinct())
            FairMatch.objects.filter(resource=resource).delete()
            for fair in fairs:
                fair.delete()
            for need in needs:
                need.delete()
            resource.delete()
