"""The matcher against exhaustive search on small instances, and its guarantees on any."""

import math
from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.matching.optimiser import (
    ANY_DAY,
    day_mask,
    greedy,
    hour_mask,
    match,
    needs_of,
    resources_of,
)

MAX_DISTANCE = 500.0
DAYS = (ANY_DAY, day_mask([1, 2, 3, 4, 5]), day_mask([6, 7]))
HOURS = (hour_mask(0, 24), hour_mask(8, 12), hour_mask(14, 18))

need_rows = st.lists(st.fixed_dictionaries({
    "kind": st.integers(0, 2), "quantity": st.integers(1, 3), "urgency": st.integers(1, 5),
    "x": st.integers(0, 8).map(lambda v: v * 100.0), "y": st.integers(0, 8).map(lambda v: v * 100.0),
    "days": st.sampled_from(DAYS), "hours": st.sampled_from(HOURS),
}), max_size=6)
resource_rows = st.lists(st.fixed_dictionaries({
    "serves": st.integers(1, 7), "capacity": st.integers(1, 3),
    "x": st.integers(0, 8).map(lambda v: v * 100.0), "y": st.integers(0, 8).map(lambda v: v * 100.0),
    "days": st.sampled_from(DAYS), "hours": st.sampled_from(HOURS),
}), max_size=4)


def _fits(need: dict, resource: dict) -> bool:
    """Compatibility stated again from the rows, over every pair (no spatial index)."""
    return (
        bool(resource["serves"] >> need["kind"] & 1) and bool(need["days"] & resource["days"]) and bool(need["hours"] & resource["hours"])
        and math.dist((need["x"], need["y"]), (resource["x"], resource["y"])) <= MAX_DISTANCE
    )


def _splits(total: int, caps: tuple[int, ...]):
    """Every way of giving at most `total` units to resources with these capacities."""
    if not caps:
        yield ()
        return
    for first in range(min(total, caps[0]) + 1):
        for rest in _splits(total - first, caps[1:]):
            yield (first, *rest)


def brute_force(needs: list[dict], resources: list[dict]) -> int:
    """The best urgency-weighted quantity, by trying every split of every need in turn."""

    @cache
    def best(i: int, left: tuple[int, ...]) -> int:
        if i == len(needs):
            return 0
        fits = [j for j, r in enumerate(resources) if _fits(needs[i], r)]
        result = 0
        for split in _splits(needs[i]["quantity"], tuple(left[j] for j in fits)):
            after = list(left)
            for j, units in zip(fits, split, strict=True):
                after[j] -= units
            result = max(result, needs[i]["urgency"] * sum(split) + best(i + 1, tuple(after)))
        return result

    return best(0, tuple(r["capacity"] for r in resources))


@settings(max_examples=300, deadline=None)
@given(need_rows, resource_rows)
def test_it_matches_the_weight_exhaustive_search_finds(needs, resources):
    found = match(needs_of(needs), resources_of(resources), MAX_DISTANCE)
    assert found.weight == brute_force(needs, resources)
    assert found.weight == sum(needs[i]["urgency"] * q for i, q in zip(found.need, found.quantity, strict=True))


@settings(max_examples=300, deadline=None)
@given(need_rows, resource_rows)
def test_it_never_exceeds_a_capacity_nor_pairs_what_does_not_fit(needs, resources):
    found = match(needs_of(needs), resources_of(resources), MAX_DISTANCE)
    given_to = np.bincount(found.resource, weights=found.quantity, minlength=len(resources))
    taken_by = np.bincount(found.need, weights=found.quantity, minlength=len(needs))
    assert all(given_to[j] <= r["capacity"] for j, r in enumerate(resources))
    assert all(taken_by[i] <= n["quantity"] for i, n in enumerate(needs))
    assert all(_fits(needs[i], resources[j]) for i, j in zip(found.need, found.resource, strict=True))
    assert (found.quantity > 0).all()


@settings(max_examples=200, deadline=None)
@given(need_rows, resource_rows)
def test_it_never_does_worse_than_the_greedy_baseline(needs, resources):
    assert match(needs_of(needs), resources_of(resources), MAX_DISTANCE).weight >= greedy(needs_of(needs), resources_of(resources), MAX_DISTANCE).weight


def _need(x, urgency=3, quantity=1, kind=0):
    return {"kind": kind, "quantity": quantity, "urgency": urgency, "x": x, "y": 0.0, "days": ANY_DAY, "hours": HOURS[0]}


def _resource(x, capacity=1, serves=1):
    return {"serves": serves, "capacity": capacity, "x": x, "y": 0.0, "days": ANY_DAY, "hours": HOURS[0]}


def test_it_breaks_a_tie_in_weight_by_distance():
    found = match(needs_of([_need(0.0)]), resources_of([_resource(400.0), _resource(100.0), _resource(300.0)]), MAX_DISTANCE)
    assert (list(found.resource), list(found.distance)) == ([1], [100.0])


def test_it_leaves_the_nearest_resource_to_a_need_that_has_no_other_where_greedy_would_not():
    # The most urgent need takes its nearest resource under greedy, and the other need goes
    # without; the optimum sends the urgent one a little farther and serves both.
    needs = [_need(0.0, urgency=5), _need(400.0, urgency=4)]
    resources = [_resource(100.0), _resource(-300.0)]
    found = match(needs_of(needs), resources_of(resources), MAX_DISTANCE)
    assert found.weight == 9 and sorted(zip(found.need.tolist(), found.resource.tolist(), strict=True)) == [(0, 1), (1, 0)]
    assert greedy(needs_of(needs), resources_of(resources), MAX_DISTANCE).weight == 5


def test_it_refuses_pairs_too_far_apart_or_of_another_kind_or_time():
    far = match(needs_of([_need(0.0)]), resources_of([_resource(501.0)]), MAX_DISTANCE)
    other_kind = match(needs_of([_need(0.0, kind=1)]), resources_of([_resource(10.0, serves=0b1)]), MAX_DISTANCE)
    weekend = {**_resource(10.0), "days": DAYS[2]}
    other_time = match(needs_of([{**_need(0.0), "days": DAYS[1]}]), resources_of([weekend]), MAX_DISTANCE)
    assert far.weight == other_kind.weight == other_time.weight == 0


@settings(max_examples=300, deadline=None)
@given(need_rows, resource_rows)
def test_what_a_need_goes_without_went_to_needs_at_least_as_urgent(needs, resources):
    """The reason given for an unmatched need: every resource that fits it is full, and only
    with needs at least as urgent."""
    found = match(needs_of(needs), resources_of(resources), MAX_DISTANCE)
    taken_by = np.bincount(found.need, weights=found.quantity, minlength=len(needs))
    given_to = np.bincount(found.resource, weights=found.quantity, minlength=len(resources))
    for i, need in enumerate(needs):
        if taken_by[i] == need["quantity"]:
            continue
        for j, resource in enumerate(resources):
            if _fits(need, resource):
                assert given_to[j] == resource["capacity"]
                assert all(needs[k]["urgency"] >= need["urgency"] for k, r in zip(found.need, found.resource, strict=True) if r == j)
