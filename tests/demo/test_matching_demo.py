"""The demo's supply and demand (`demo/matching.py`): 543 resources, 259 needs at every stage, a
fair per subdistrict, deliberations at every step (some reconvened for lack of quorum) and the
facilities of the five seeded kinds, all written through matching's services; the headline over
HTTP counts what the records hold."""

from collections import Counter

from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.matching.deliberation.rules import Outcome
from wangge.matching.kinds import Kind
from wangge.matching.models import Deliberation, Facility, Fair, FairMatch, Meeting, Need, Resource
from wangge.portal.models import Disclosure


def test_the_demo_matching_stands_on_records(api):
    """One build (it takes seconds), every part of it checked."""
    from wangge.demo.matching import demo_matching_build

    made = demo_matching_build(seed=410104)
    _numbers(made)
    _provider(made)
    _fairs(made)
    _deliberations(made)
    _headline(api, made)


def _numbers(made):
    assert Resource.objects.count() == 543 == made["resources"]
    assert Need.objects.count() == 259
    assert set(Resource.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert set(Resource.objects.values_list("provider_kind", flat=True)) == set(Resource.ProviderKind.values)
    assert set(Need.objects.values_list("state", flat=True)) == set(Need.State.values)
    assert set(Need.objects.values_list("source", flat=True)) == set(Need.Source.values)
    # Every gathered need moved off "new" was moved by the workflow, its steps recorded.
    gathered = Need.objects.filter(source=Need.Source.GRID)
    assert set(gathered.values_list("state", flat=True)) == set(Need.State.values)
    assert not gathered.exclude(state=Need.State.NEW).filter(steps__isnull=True).exists()
    facilities = Counter(Facility.objects.values_list("kind__name", flat=True))
    assert facilities == {"儿童微游园": 20, "老年人活动区": 21, "残疾人康复站": 10, "庭院微美化": 11, "中医理疗室": 2}
    assert not [f for f in Facility.objects.all() if not f.community_code or f.hours == "" or not f.capacity]


def _provider(made):
    provider = User.objects.get(username="demo_provider")
    assert provider.role == Role.RESOURCE_PROVIDER and Resource.objects.filter(owner=provider).count() >= 10


def _fairs(made):
    """A fair per subdistrict, at different steps, most signed."""
    subdistricts = set(Division.objects.filter(kind=Division.Kind.SUBDISTRICT).values_list("code", flat=True))
    fairs = list(Fair.objects.all())
    assert sorted(f.division_code for f in fairs) == sorted(subdistricts)
    assert {f.status for f in fairs} == set(Fair.Status.values)
    signed = [f for f in fairs if f.matches.filter(status=FairMatch.Status.SIGNED).exists()]
    assert len(signed) > len(fairs) / 2
    for match in FairMatch.objects.filter(status=FairMatch.Status.SIGNED).select_related("need", "resource", "fair"):
        assert match.need.state == Need.State.MATCHED and match.resource.community_code.startswith(match.fair.division_code[:9])
        assert match.explanation
    assert FairMatch.objects.filter(status=FairMatch.Status.PROPOSED).exists()


def _deliberations(made):
    """At every step, some reconvened after a sitting without quorum."""
    assert set(Deliberation.objects.values_list("status", flat=True)) == set(Deliberation.Status.values)
    reconvened = Deliberation.objects.filter(meetings__outcome=Outcome.NO_QUORUM.value).distinct()
    assert reconvened.exists() and made["reconvened"] == reconvened.count()
    for item in reconvened:
        first, *later = item.meetings.order_by("held_on", "pk")
        assert first.outcome == Outcome.NO_QUORUM.value and first.present * 2 <= first.members and later
    disclosed = Deliberation.objects.exclude(disclosure_id="")
    assert disclosed.exists()
    kinds = set(Disclosure.objects.filter(pk__in=[*disclosed.values_list("disclosure_id", flat=True),
                                                  *disclosed.exclude(result_disclosure_id="").values_list("result_disclosure_id", flat=True)]).values_list("kind", flat=True))
    assert kinds == {"deliberation", "result"}
    assert Meeting.objects.count() >= Deliberation.objects.exclude(status__in=["soliciting", "proposed", "consulted"]).count()


def _headline(api, made):
    figures = api.get("/api/stats/headline").json()
    assert figures["resources"]["total"] == Resource.objects.filter(active=True).count() == 543
    assert figures["needs"]["by_kind"] == dict(Counter(Need.objects.values_list("kind", flat=True))) | {k: 0 for k in Kind.values if not Need.objects.filter(kind=k).exists()}
    assert figures["facilities"]["by_kind"] == {"children_park": 20, "elderly_area": 21, "rehabilitation": 10, "courtyard": 11, "tcm_room": 2}
