"""Proposed matches over an area: the needs and resources of the records, handed to the matcher
(`optimiser`) as arrays, and each pair — and each need left unmatched — explained in Chinese.
Nothing is written: a fair records the proposals it adopts (`fair.services`)."""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet, Sum

from wangge.geo.geometry.transform import metric_points

from .kinds import Kind
from .models import FairMatch, Need, Resource
from .optimiser import (
    Needs,
    Pairs,
    Resources,
    compatible,
    day_mask,
    hour_mask,
    kind_fits,
    kind_mask,
    nearby,
    solve,
)

KINDS = list(Kind.values)
# Matches that hold capacity and quantity: all but those merely proposed or dropped.
HOLDING = [s for s in FairMatch.Status.values if s not in (FairMatch.Status.PROPOSED, FairMatch.Status.DROPPED)]


@dataclass
class Proposal:
    need: Need
    resource: Resource
    quantity: int
    distance_m: int
    explanation: str


@dataclass
class Unmatched:
    need: Need
    matched: int  # units matched (less than the need's quantity left)
    reason: str


@dataclass
class Proposals:
    max_distance_m: int
    weight: int = 0
    pairs: list[Proposal] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


def _held(queryset: QuerySet, key: str) -> dict[int, int]:
    rows = FairMatch.objects.filter(**{f"{key}__in": queryset.values("pk")}, status__in=HOLDING).values(key).annotate(n=Sum("quantity"))
    return {row[key]: row["n"] for row in rows}


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f}".rstrip("0").rstrip(".")


def _arrays(needs: list[Need], need_left: list[int], resources: list[Resource], capacity_left: list[int]) -> tuple[Needs, Resources]:
    nx, ny = metric_points([n.lon for n in needs], [n.lat for n in needs])
    rx, ry = metric_points([r.lon for r in resources], [r.lat for r in resources])
    return (
        Needs(np.array([KINDS.index(n.kind) for n in needs], np.int64), np.array(need_left, np.int64), np.array([n.urgency for n in needs], np.int64),
              np.asarray(nx, float), np.asarray(ny, float), np.array([day_mask(n.wanted_weekdays) for n in needs], np.int64),
              np.array([hour_mask(n.wanted_from, n.wanted_until) for n in needs], np.int64)),
        Resources(np.array([kind_mask(r.serves, KINDS) for r in resources], np.int64), np.array(capacity_left, np.int64),
                  np.asarray(rx, float), np.asarray(ry, float), np.array([day_mask(r.weekdays) for r in resources], np.int64),
                  np.array([hour_mask(r.opens_at, r.closes_at) for r in resources], np.int64)),
    )


def _pair_text(need: Need, resource: Resource, units: int, metres: float, left: int, max_distance_m: int) -> str:
    return (
        f"「{resource.name}」（{resource.get_provider_kind_display()}：{resource.provider_name}）可提供{need.get_kind_display()}，"
        f"相距 {_km(metres)} 公里（{_km(max_distance_m)} 公里以内），服务时间{resource.availability}"
        f"与需求时间重合；紧急程度 {need.urgency} 的需求分得 {units} 个单位，该资源剩余容量 {left}/{resource.capacity}"
    )


def _unmatched_text(need: Need, near: list[tuple[Resource, bool, bool]], max_distance_m: int) -> str:
    """Why a need (or its rest) is left: nothing of its kind near, no common time, or the
    capacity near went to needs at least as urgent (an optimum never gives a unit to a less
    urgent need that this one could have taken)."""
    within, kind = f"{_km(max_distance_m)} 公里内", need.get_kind_display()
    of_kind = [r for r, kind_ok, _ in near if kind_ok]
    if not of_kind:
        return f"{within}没有可提供「{kind}」的资源"
    fitting = [r for r, _, fits in near if fits]
    if not fitting:
        return f"{within}可提供「{kind}」的资源（{len(of_kind)} 处）服务时间都与需求时间不重合"
    names = "、".join(f"「{r.name}」" for r in fitting[:3]) + ("等" if len(fitting) > 3 else "")
    return f"{within}可对接的资源{names}容量已全部分给紧急程度不低于本需求（{need.urgency}）的需求"


def propose(needs: QuerySet[Need], resources: QuerySet[Resource], *, max_distance_m: int) -> Proposals:
    """The best matches of these needs (new ones, with a place) to these resources (active),
    net of what fairs' confirmed matches already hold."""
    result = Proposals(max_distance_m)
    needs_held, resources_held = _held(needs, "need"), _held(resources, "resource")
    all_needs = list(needs.filter(state=Need.State.NEW).order_by("pk"))
    for need in all_needs:
        if need.lon is None:
            result.unmatched.append(Unmatched(need, 0, "未标注位置，无法计算距离：请网格员核实位置后再匹配"))
    placed = [n for n in all_needs if n.lon is not None and n.quantity > needs_held.get(n.pk, 0)]
    offered = [r for r in resources.filter(active=True).order_by("pk") if r.capacity > resources_held.get(r.pk, 0)]
    need_left = [n.quantity - needs_held.get(n.pk, 0) for n in placed]
    capacity_left = [r.capacity - resources_held.get(r.pk, 0) for r in offered]
    arrays = _arrays(placed, need_left, offered, capacity_left)
    near = nearby(*arrays, max_distance_m) if placed and offered else Pairs(*(np.empty(0, np.int64),) * 2, np.empty(0))
    fits = compatible(*arrays, near)
    matching = solve(*arrays, near.take(fits), max_distance_m)
    result.weight = matching.weight
    left = list(capacity_left)
    matched = [0] * len(placed)
    for i, j, units in zip(matching.need, matching.resource, matching.quantity, strict=True):
        left[j] -= int(units)
        matched[i] += int(units)
    for i, j, units, metres in zip(matching.need, matching.resource, matching.quantity, matching.distance, strict=True):
        text = _pair_text(placed[i], offered[j], int(units), metres, left[j], max_distance_m)
        result.pairs.append(Proposal(placed[i], offered[j], int(units), int(round(metres)), text))
    kind_ok = kind_fits(*arrays, near)
    for i, need in enumerate(placed):
        if matched[i] < need_left[i]:
            mine = np.flatnonzero(near.need == i)
            mine = mine[np.argsort(near.distance[mine], kind="stable")]
            reason = _unmatched_text(need, [(offered[near.resource[e]], bool(kind_ok[e]), bool(fits[e])) for e in mine], max_distance_m)
            result.unmatched.append(Unmatched(need, matched[i], (f"已匹配 {matched[i]}/{need_left[i]}，其余：" if matched[i] else "") + reason))
    return result
