"""The reference district's Red Property programme, as the demo draws it: where the programme
has started (12 subdistricts, 44 communities, 178 compounds), how many market companies each
subdistrict has, how many of them have a manager cross-appointed to the community committees,
and how many company party organisations there are. `demo/property.py` builds the records to
this plan; the published figures (`property/headline.py`) count the records, never the plan.
"""

import datetime
from collections import defaultdict

from wangge.geo.models import Division
from wangge.property.models import Compound
from wangge.property.models.demonstrations import Demonstration

# The reference district's programme (管城回族区红色物业).
PROGRAMME_SUBDISTRICTS = 12
PROGRAMME_COMMUNITIES = 44
PROGRAMME_COMPOUNDS = 178
COMPANIES_CROSS_APPOINTED = 162
COMPANY_PARTY_ORGANISATIONS = 24
MARKET_COMPANIES_PER_SUBDISTRICT = 14
PROGRAMME_STARTED = datetime.date(2022, 3, 1)
DEMONSTRATION_SUBDISTRICTS, DEMONSTRATION_COMMUNITIES, DEMONSTRATION_COMPOUNDS = 4, 11, 52
DEMONSTRATION_YEAR = 2026


def programme_compounds() -> list[int]:
    """The compounds where the programme has started: in each of the first subdistricts its
    first communities by code (the communities spread evenly over the subdistricts), four
    compounds in each; the plan's remainder from fifth compounds, a community with five
    taking the place of a subdistrict's last chosen one, from the last subdistrict back."""
    subdistricts = list(Division.objects.filter(kind=Division.Kind.SUBDISTRICT).order_by("code")[:PROGRAMME_SUBDISTRICTS])
    per_subdistrict = [PROGRAMME_COMMUNITIES // len(subdistricts) + (1 if i < PROGRAMME_COMMUNITIES % len(subdistricts) else 0) for i in range(len(subdistricts))]
    base = PROGRAMME_COMPOUNDS // PROGRAMME_COMMUNITIES
    compounds: dict[int, list[int]] = defaultdict(list)
    for pk, community_id in Compound.objects.order_by("community__code", "name").values_list("pk", "community_id"):
        compounds[community_id].append(pk)
    candidates = [
        list(Division.objects.filter(parent=subdistrict, kind=Division.Kind.COMMUNITY, pk__in=[c for c, held in compounds.items() if len(held) >= base])
             .order_by("code").values_list("pk", flat=True))
        for subdistrict in subdistricts
    ]
    chosen = [found[:count] for found, count in zip(candidates, per_subdistrict, strict=True)]
    short = PROGRAMME_COMPOUNDS - base * PROGRAMME_COMMUNITIES - sum(1 for ids in chosen for c in ids if len(compounds[c]) > base)
    for found, ids in reversed(list(zip(candidates, chosen, strict=True))):
        spare = [c for c in found if c not in ids and len(compounds[c]) > base]
        if short > 0 and spare and len(compounds[ids[-1]]) == base:
            ids[-1] = spare[0]
            short -= 1
    communities = [c for ids in chosen for c in ids]
    picked = [pk for c in communities for pk in compounds[c][:base]]
    extra = [pk for c in communities for pk in compounds[c][base:]]
    return picked + extra[: PROGRAMME_COMPOUNDS - len(picked)]


def demo_programme_start() -> int:
    """Record the programme's start in its compounds; how many."""
    return Compound.objects.filter(pk__in=programme_compounds()).update(programme_started_on=PROGRAMME_STARTED)


def demo_demonstrations_designate() -> int:
    """Designate the plan's demonstrations of 2026 among the places where the programme has
    started, unless the demo has designated demonstrations already; how many were designated."""
    if Demonstration.objects.exists():
        return 0
    # The last places by code, so that the first subdistrict, community and compound stay plain ones.
    compounds = list(Compound.objects.filter(programme_started_on__isnull=False).order_by("-community__code", "-name"))
    communities = list(Division.objects.filter(pk__in=[c.community_id for c in compounds]).order_by("-code"))
    subdistricts = list(Division.objects.filter(pk__in=[c.parent_id for c in communities]).order_by("-code"))
    level = Demonstration.Level
    rows = [Demonstration(year=DEMONSTRATION_YEAR, level=level.SUBDISTRICT, division=d, criteria=["party_led", "cross_appointment", "backstop"])
            for d in subdistricts[:DEMONSTRATION_SUBDISTRICTS]]
    rows += [Demonstration(year=DEMONSTRATION_YEAR, level=level.COMMUNITY, division=d, criteria=["party_led", "cross_appointment"])
             for d in communities[:DEMONSTRATION_COMMUNITIES]]
    rows += [Demonstration(year=DEMONSTRATION_YEAR, level=level.COMPOUND, compound=c, criteria=["party_led", "case_handling"])
             for c in compounds[:DEMONSTRATION_COMPOUNDS]]
    return len(Demonstration.objects.bulk_create(rows))
