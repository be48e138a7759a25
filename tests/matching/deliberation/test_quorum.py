"""The Organic Law's two majorities, at their boundaries: more than half present, more than
half of those present in favour; half exactly is not enough on either count."""

import pytest

from wangge.matching.deliberation.rules import Outcome, quorum


@pytest.mark.parametrize(
    ("members", "present", "in_favour", "outcome"),
    [
        (10, 5, 5, Outcome.NO_QUORUM),  # exactly half present
        (10, 4, 4, Outcome.NO_QUORUM),
        (10, 0, 0, Outcome.NO_QUORUM),
        (11, 5, 5, Outcome.NO_QUORUM),  # 5 of 11 is under half
        (11, 6, 6, Outcome.ADOPTED),  # 6 of 11 is over half
        (10, 6, 3, Outcome.NOT_ADOPTED),  # exactly half of those present in favour
        (10, 6, 4, Outcome.ADOPTED),
        (10, 7, 3, Outcome.NOT_ADOPTED),
        (10, 7, 4, Outcome.ADOPTED),  # 4 of 7 is over half
        (10, 10, 5, Outcome.NOT_ADOPTED),
        (10, 10, 6, Outcome.ADOPTED),
        (1, 1, 1, Outcome.ADOPTED),
        (1, 1, 0, Outcome.NOT_ADOPTED),
        (2, 1, 1, Outcome.NO_QUORUM),
    ],
)
def test_it_needs_more_than_half_present_and_more_than_half_of_them_in_favour(members, present, in_favour, outcome):
    assert quorum(members, present, in_favour) == outcome


def test_it_agrees_with_the_two_counts_on_every_small_sitting():
    for members in range(1, 16):
        for present in range(members + 1):
            for in_favour in range(present + 1):
                expected = Outcome.NO_QUORUM if present <= members / 2 else (Outcome.ADOPTED if in_favour > present / 2 else Outcome.NOT_ADOPTED)
                assert quorum(members, present, in_favour) == expected, (members, present, in_favour)
