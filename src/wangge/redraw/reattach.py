"""Switching the active layer with everything that stands on it, in one reviewed step:
`reattach_plan` shows what would move where and why; `layer_switch` activates the new layer and
re-attaches staff, organisations and grid workers' scopes in the same transaction, exactly as
reviewed, or does nothing when the data the plan was made from has changed since. Any other
activation (geo's API and `wangge grids activate`) carries them along too (`staff_follow`, a geo
hook), so that no moment shows an active layer without its grid workers.

An activation that would leave a grid worker, an organisation or an account's scope on no grid
of the new layer (an old grid whose community has no grid in the new layer, and no household in
any) is refused, with a Chinese reason naming each of them.

Which new grid takes over an old grid: old and new grids are paired one to one by the
households they share, largest first (ties by code), so that each new grid takes over at most
one old grid's team; an old grid left over takes a new grid of its community that took over
none (the nearest); failing that, it joins the new grid holding the largest share of its
households, and the people app's rules decide who keeps a single post there
(`moves`).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wangge.core.audit import audit_record
from wangge.geo import permissions
from wangge.geo.geometry import shapes
from wangge.geo.models import GridLayer, GridLayerActivation
from wangge.geo.services import grid_layer_activate

from . import moves as people_moves
from .mapping import legacy_mapping, platform_buildings, stored_grids


class PlanStale(Exception):
    def __init__(self) -> None:
        super().__init__("生成调整方案后数据已有变动（岗位、党组织、账号、楼栋或网格），请重新生成方案并复核")


@dataclass
class Plan:
    old_layer: int
    new_layer: int
    new_layer_active: bool
    digest: str
    grids: list[dict]  # per old grid: its new grid, share, how it was chosen, note
    items: list[dict]  # per post, organisation and account: old and new grid, action, note
    blocking: list[str] = field(default_factory=list)  # what must be fixed before applying

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for item in self.items:
            key = f"{item['kind']}.{item['action']}"
            found[key] = found.get(key, 0) + 1
        return found

    def conflicts(self) -> list[dict]:
        return [i for i in self.items if i["action"] != "move" or i["note"]]


def _pairs(mapping: list[dict]) -> tuple[dict[str, dict], set[str], dict[str, dict[str, float]]]:
    """Old code -> {"code", "share", "how", "note"}: the one-to-one pairing, then vacancies."""
    pairs = sorted(
        ((-o["households"], -o["share"], entry["legacy"], o["grid"]) for entry in mapping for o in entry["overlaps"] if o["grid"]),
    )
    chosen: dict[str, dict] = {}
    claimed: set[str] = set()
    shares = {entry["legacy"]: {o["grid"]: o["share"] for o in entry["overlaps"] if o["grid"]} for entry in mapping}
    for _, _, old, new in pairs:
        if old not in chosen and new not in claimed:
            best = mapping_best(shares[old])
            how, note = ("best", "") if new == best else ("other", f"占比最大的新网格 {best} 已由户数交叠更多的原网格承接，改由 {new} 承接")
            chosen[old] = {"code": new, "share": shares[old][new], "how": how, "note": note}
            claimed.add(new)
    return chosen, claimed, shares


def mapping_best(shares: dict[str, float]) -> str | None:
    return min(shares, key=lambda code: (-shares[code], code)) if shares else None


def _targets(old_layer: GridLayer, new_layer: GridLayer) -> tuple[dict[str, dict], list[str]]:
    old_grids, new_grids = stored_grids(old_layer), stored_grids(new_layer)
    mapping = legacy_mapping(old_grids, new_grids, platform_buildings())
    new_community = dict(new_layer.grids.filter(level=3).values_list("code", "community__code"))
    chosen, claimed, shares = _pairs(mapping)
    centroid = {g.code: shapes.centroid(g.geometry) for g in old_grids + new_grids}
    old_community = dict(old_layer.grids.filter(level=3).values_list("code", "community__code"))
    blocking = []
    for grid in old_grids:
        if grid.code in chosen:
            continue
        community = old_community.get(grid.code) or grid.code[:12]
        vacant = [c for c, com in new_community.items() if com == community and c not in claimed]
        x, y = centroid[grid.code]
        if vacant:
            new = min(vacant, key=lambda c: ((centroid[c][0] - x) ** 2 + (centroid[c][1] - y) ** 2, c))
            claimed.add(new)
            chosen[grid.code] = {"code": new, "share": shares[grid.code].get(new, 0.0), "how": "vacant", "note": f"交叠的新网格均已有承接，改由本社区空缺的新网格 {new} 承接"}
            continue
        best = mapping_best(shares[grid.code]) or min(
            (c for c, com in new_community.items() if com == community), key=lambda c: ((centroid[c][0] - x) ** 2 + (centroid[c][1] - y) ** 2, c), default=None
        )
        if best is None:
            blocking.append(grid.code)
            continue
        chosen[grid.code] = {
            "code": best, "share": shares[grid.code].get(best, 0.0), "how": "surplus",
            "note": f"本社区新网格少于原网格：并入 {best}，单一岗位按一格一干处理",
        }
    return chosen, blocking


def _digest(old_layer, new_layer, old_ids, new_ids, old_codes, grid_rows) -> str:
    rows = {
        "layers": [(old_layer.pk, str(old_layer.uid), old_layer.is_active), (new_layer.pk, str(new_layer.uid), new_layer.is_active)],
        "grids": grid_rows,
        "buildings": platform_buildings(),
        **people_moves.inputs_rows(old_ids=old_ids, new_ids=new_ids, old_codes=old_codes),
    }
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def reattach_plan(*, old_layer: GridLayer, new_layer: GridLayer) -> Plan:
    """What would move from `old_layer`'s level-3 grids to `new_layer`'s, and why."""
    if old_layer.pk == new_layer.pk:
        raise ValidationError({"new_layer": "原图层与新图层相同"})
    # The plan speaks of the layers as stored, not as some caller's copy remembers them.
    old_layer, new_layer = GridLayer.objects.get(pk=old_layer.pk), GridLayer.objects.get(pk=new_layer.pk)
    grid_rows = list(old_layer.grids.filter(level=3).order_by("code").values_list("pk", "code")) + list(
        new_layer.grids.filter(level=3).order_by("code").values_list("pk", "code")
    )
    old_id = dict(old_layer.grids.filter(level=3).values_list("code", "pk"))
    new_id = dict(new_layer.grids.filter(level=3).values_list("code", "pk"))
    chosen, unmapped = _targets(old_layer, new_layer)
    blocking = [
        f"原网格 {code} 所在社区在新图层中没有网格，无法承接：{'、'.join(left)}"
        for code, left in people_moves.left_behind(grids={old_id[code]: code for code in unmapped}).items()
    ]
    targets = {old_id[old]: {"old": old, "grid": new_id[t["code"]], "code": t["code"], "share": round(t["share"], 4)} for old, t in chosen.items()}
    # Old grids that found a new grid of their own claim its single posts first.
    order = sorted(targets, key=lambda g: (chosen[targets[g]["old"]]["how"] == "surplus", targets[g]["old"]))
    items = people_moves.moves_plan(targets=targets, order=order, new_ids=list(new_id.values()))
    grids = [{"old": old, **{k: (round(v, 4) if k == "share" else v) for k, v in t.items()}} for old, t in sorted(chosen.items())]
    return Plan(
        old_layer=old_layer.pk, new_layer=new_layer.pk, new_layer_active=new_layer.is_active,
        digest=_digest(old_layer, new_layer, list(old_id.values()), list(new_id.values()), list(old_id), grid_rows),
        grids=grids, items=items, blocking=blocking,
    )


def _refused(plan: Plan) -> ValidationError:
    return ValidationError({"layer": f"不能启用图层 {plan.new_layer}：以下人员、组织或账号在新图层中无处挂靠，请先调整图层或人员——" + "；".join(plan.blocking)})


@transaction.atomic
def layer_switch(*, new_layer: GridLayer, digest: str, actor=None, reason: str) -> dict[str, int]:
    """Activate `new_layer` and re-attach everything on the active layer's grids to it, as the
    plan named by `digest` (reviewed by the caller) says; refused whole otherwise."""
    if actor is not None and not permissions.can_manage_grid_layers(actor):  # None: the system
        raise PermissionDenied("只有区级网格图层管理人员可以启用网格图层")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整原因"})
    layers = list(GridLayer.objects.select_for_update().filter(pk=new_layer.pk) | GridLayer.objects.select_for_update().filter(is_active=True))
    new = next((layer for layer in layers if layer.pk == new_layer.pk), None)
    old = next((layer for layer in layers if layer.is_active), None)
    if new is None:
        raise ValidationError({"layer": "图层不存在"})
    if old is None or old.pk == new.pk:
        raise ValidationError({"layer": "该图层已在启用中，没有需要调整的内容"})
    plan = reattach_plan(old_layer=old, new_layer=new)
    if plan.digest != digest:
        raise PlanStale()
    if plan.blocking:
        raise _refused(plan)
    grid_layer_activate(layer=new, actor=actor, reason=reason)  # staff_follow moves them
    return plan.counts()


def staff_follow(*, layer: GridLayer) -> None:
    """Run by geo inside every activation: what stood on the previous layer's grids moves to
    `layer`'s in the same transaction, or the activation is refused."""
    activation = GridLayerActivation.objects.filter(layer=layer).select_related("previous", "actor").first()
    if activation is None or activation.previous is None:
        return
    plan = reattach_plan(old_layer=activation.previous, new_layer=layer)
    if plan.blocking:
        raise _refused(plan)
    old_ids = list(activation.previous.grids.filter(level=3).values_list("pk", flat=True))
    counts = people_moves.moves_apply(items=plan.items, old_ids=old_ids)
    # Written in bulk, past the per-row audit: the whole step is recorded once, with its reason.
    audit_record(
        action="geo.gridlayer.reattached", obj=layer, user=activation.actor, detail=(activation.reason or "启用图层")[:200],
        after={
            "from_layer": activation.previous.pk, "digest": plan.digest, "counts": counts,
            "grids": {g["old"]: g["code"] for g in plan.grids},
            "decisions": [{k: i[k] for k in ("kind", "id", "old", "new", "action", "note")} for i in plan.conflicts()],
        },
    )
