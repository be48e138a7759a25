"""Reads of the service projects, always through the caller's data scope.

Officials see the projects and rounds of their subtree; the public sees a project from its
notice on and a round once it is open. Anything else answers as a missing object.
"""

from django.db.models import QuerySet
from django.http import Http404

from wangge.geo.scope import scope_of
from wangge.people.models import Person
from wangge.portal.models import Objection

from .models import Category, Project, ProjectStep, VoteRound
from .permissions import NOT_FOUND, can_read_projects
from .rules import PUBLIC

SUBJECT = "project"  # the disclosures' subject type for a project


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def category_get(category_id: int) -> Category:
    return _found(Category.objects.filter(pk=category_id))


def _found(items: QuerySet):
    item = items.first()
    if item is None:
        raise Http404(NOT_FOUND)
    return item


def _scoped(user, items: QuerySet, field: str = "community_code") -> QuerySet:
    if not can_read_projects(user):
        return items.none()
    return items if user.is_superuser else items.filter(scope_of(user).q(field))


def projects_visible(user) -> QuerySet[Project]:
    return _scoped(user, Project.objects.select_related("category"))


def project_get(user, project_id: int) -> Project:
    return _found(projects_visible(user).filter(pk=project_id))


def projects_public() -> QuerySet[Project]:
    return Project.objects.filter(status__in=PUBLIC).select_related("category", "notice")


def project_public_get(project_id: int) -> Project:
    return _found(projects_public().filter(pk=project_id))


def project_timeline(project: Project) -> QuerySet[ProjectStep]:
    return project.steps.select_related("actor")


def project_objections(project: Project) -> QuerySet[Objection]:
    """Every objection lodged against any notice of the project (a renoticed project has several)."""
    return Objection.objects.filter(disclosure__subject_type=SUBJECT, disclosure__subject_id=str(project.pk))


def project_objection_get(project: Project, objection_id: int) -> Objection:
    return _found(project_objections(project).select_related("disclosure").filter(pk=objection_id))


def unanswered_objections(project: Project) -> int:
    return project_objections(project).filter(state=Objection.State.PENDING).count()


def rounds_visible(user) -> QuerySet[VoteRound]:
    return _scoped(user, VoteRound.objects.all())


def round_get(user, round_id: int) -> VoteRound:
    return _found(rounds_visible(user).filter(pk=round_id))


def rounds_public() -> QuerySet[VoteRound]:
    return VoteRound.objects.exclude(status=VoteRound.Status.DRAFT)


def round_public_get(round_id: int) -> VoteRound:
    return _found(rounds_public().filter(pk=round_id))


def residents_of(community_code: str) -> QuerySet[Person]:
    """The registered persons living in the community: who may vote in its rounds."""
    return Person.objects.filter(household__building__community__code=community_code)


def voter_person(user, community_code: str) -> Person | None:
    """The registered person behind a signed-in account, when they live in the community."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return residents_of(community_code).filter(user=user).first()


def round_for_voter(user, round_id: int) -> VoteRound:
    """An open or past round of the caller's own community; any other answers as missing."""
    found = round_public_get(round_id)
    if voter_person(user, found.community_code) is None:
        raise Http404(NOT_FOUND)
    return found


def has_voted(vote_round: VoteRound, person: Person) -> bool:
    return vote_round.voters.filter(person=person).exists()
