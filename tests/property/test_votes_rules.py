"""Civil Code art. 278 as counted by `votes.rules`: participation, ordinary and special matters."""

from fractions import Fraction

from wangge.property.votes.rules import Cast, tally


def _casts(spec: list[tuple[int, int, str]]) -> list[Cast]:
    return [Cast(owner=owner, area=Fraction(area), choice=choice) for owner, area, choice in spec]


def test_it_does_not_count_a_vote_below_two_thirds_of_the_area():
    casts = _casts([(i, 50, "yes") for i in range(7)])  # 7 of 10 owners, 350 of 1,000 m²
    result = tally(casts, total_area=Fraction(1000), total_owners=10, matter="ordinary")
    assert result.owners_quorum_met and not result.area_quorum_met
    assert not result.counts and not result.passed


def test_it_does_not_count_a_vote_below_two_thirds_of_the_owners():
    casts = _casts([(i, 140, "yes") for i in range(6)])  # 840 of 1,000 m², 6 of 10 owners
    result = tally(casts, total_area=Fraction(1000), total_owners=10, matter="ordinary")
    assert result.area_quorum_met and not result.owners_quorum_met and not result.passed


def test_it_counts_exactly_two_thirds_as_enough():
    casts = _casts([(i, 100, "yes") for i in range(2)])  # 200 of 300 m², 2 of 3 owners
    assert tally(casts, total_area=Fraction(300), total_owners=3, matter="ordinary").counts


def test_it_passes_an_ordinary_matter_with_more_than_half_of_both():
    casts = _casts([(0, 100, "yes"), (1, 100, "yes"), (2, 100, "no")])
    assert tally(casts, total_area=Fraction(300), total_owners=3, matter="ordinary").passed
    tied = _casts([(0, 100, "yes"), (1, 100, "no"), (2, 100, "yes"), (3, 100, "no")])
    assert not tally(tied, total_area=Fraction(400), total_owners=4, matter="ordinary").passed  # half is not more than half


def test_it_refuses_a_repair_fund_vote_at_seventy_percent():
    # Everybody takes part; 7 of 10 owners holding 70 % of the area agree: enough for an
    # ordinary matter, not for the repair fund, which needs three quarters of both.
    casts = _casts([(i, 100, "yes" if i < 7 else "no") for i in range(10)])
    assert tally(casts, total_area=Fraction(1000), total_owners=10, matter="ordinary").passed
    fund = tally(casts, total_area=Fraction(1000), total_owners=10, matter="repair_fund")
    assert fund.counts and not fund.area_consent_met and not fund.owners_consent_met and not fund.passed


def test_it_needs_three_quarters_of_both_area_and_owners_for_special_matters():
    # 3 of 4 owners agree (75 %) but they hold only 70 % of the area.
    casts = _casts([(0, 300, "yes"), (1, 200, "yes"), (2, 200, "yes"), (3, 300, "no")])
    result = tally(casts, total_area=Fraction(1000), total_owners=4, matter="rebuild")
    assert result.owners_consent_met and not result.area_consent_met and not result.passed
    heavy = _casts([(0, 400, "yes"), (1, 200, "yes"), (2, 200, "yes"), (3, 200, "no")])
    assert tally(heavy, total_area=Fraction(1000), total_owners=4, matter="shared_use").passed


def test_it_counts_an_owner_of_two_dwellings_once():
    casts = _casts([(0, 100, "yes"), (0, 100, "yes"), (1, 100, "no")])
    result = tally(casts, total_area=Fraction(300), total_owners=2, matter="ordinary")
    assert result.owners_taking_part == 2 and result.owners_for == 1
    assert result.area_consent_met and not result.owners_consent_met and not result.passed
