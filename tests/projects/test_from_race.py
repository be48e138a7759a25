"""One signed match becomes one project, also when two officials convert it at the same moment."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.matching.making import need_in, resource_in
from tests.projects.conftest import community_official_of
from tests.races import race
from wangge.geo.models import Grid
from wangge.matching.fair.services import (
    fair_create,
    fair_move,
    fair_propose,
    match_confirm,
    match_sign,
)
from wangge.matching.models import Fair, FairMatch, Need
from wangge.projects.models import Project, ProjectLink, ProjectStep
from wangge.projects.services.origins import project_from_match

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's IMMEDIATE transactions serialise writers; the race exists on PostgreSQL")


def _signed_match(grid) -> FairMatch:
    resource = resource_in(grid, capacity=2, name="并发转项目的活动室")
    need = need_in(grid, quantity=1, urgency=5)
    fair = fair_create(actor=None, title="并发转项目社洽会", division_code=grid.community.code, held_on="2026-12-20")
    for to in ("published", "presenting", "matching"):
        fair_move(actor=None, fair_id=fair.pk, to=to)
    proposed, _ = fair_propose(actor=None, fair_id=fair.pk)
    match = next(m for m in proposed if m.resource_id == resource.pk and m.need_id == need.pk)
    match_confirm(actor=None, match_id=match.pk, side="resource")
    match_confirm(actor=None, match_id=match.pk, side="need")
    fair_move(actor=None, fair_id=fair.pk, to="signing")
    return match_sign(actor=None, match_id=match.pk)


def _clean(match: FairMatch) -> None:
    projects = list(Project.objects.filter(needs=match.need_id))
    ProjectLink.objects.filter(project__in=projects).delete()
    ProjectStep.objects.filter(project__in=projects).delete()
    for project in projects:
        project.needs.clear()
        project.delete()
    fair, need, resource = Fair.objects.get(pk=match.fair_id), Need.objects.get(pk=match.need_id), match.resource
    FairMatch.objects.filter(fair=fair).delete()
    fair.delete()
    need.delete()
    resource.delete()


def test_two_conversions_of_one_match_at_once_make_one_project(django_db_blocker):
    with django_db_blocker.unblock():
        grid = Grid.objects.filter(layer__is_active=True, level=3).order_by("-code").first()
        match = _signed_match(grid)
        official = community_official_of(grid.community.code)
        try:
            answers = race([lambda: project_from_match(match.pk, actor=official).number] * 2)
            refused = [answer for answer in answers if isinstance(answer, ValidationError)]
            made = [answer for answer in answers if isinstance(answer, str)]
            assert len(made) == 1 and len(refused) == 1, answers
            # Refused by the lock on the match taken first, or by the match's own move to converted:
            # either way the second conversion is undone whole.
            assert "转为服务项目" in refused[0].messages[0]
            assert list(Project.objects.filter(needs=match.need_id).values_list("number", flat=True)) == made
            assert FairMatch.objects.get(pk=match.pk).project_number == made[0]
        finally:
            _clean(match)
