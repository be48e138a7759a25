"""Reads for the dashboards: the grid tree in scope with a figure added up it, and the name of
the caller's node. Every figure comes from the apps' registered functions (registry.py)."""

from dataclasses import dataclass, field

from django.http import Http404

from wangge.core.figures import GridFigure
from wangge.geo.models import Grid
from wangge.geo.scope import Scope
from wangge.geo.selectors import active_layer, basic_grids, division_list, grid_list


@dataclass
class Node:
    pk: int
    code: str
    name: str
    level: int
    parent_pk: int | None
    children: list["Node"] = field(default_factory=list)
    parts: list[int] | None = None


def grid_tree(scope: Scope) -> dict[int, Node]:
    """The active layer's grids in scope (level-3 grids in scope and the grids above them)."""
    rows = grid_list(scope, active_layer()).order_by("code").values_list("pk", "code", "name", "level", "parent_id")
    nodes = {pk: Node(pk, code, name, level, parent) for pk, code, name, level, parent in rows}
    for node in nodes.values():
        if node.parent_pk in nodes:
            nodes[node.parent_pk].children.append(node)
    return nodes


def top_nodes(nodes: dict[int, Node]) -> list[Node]:
    return [n for n in nodes.values() if n.parent_pk not in nodes]


def node_by_code(nodes: dict[int, Node], code: str) -> Node:
    """A grid in scope by code; one out of scope is answered as one that does not exist."""
    for node in nodes.values():
        if node.code == code:
            return node
    raise Http404


def trail_of(nodes: dict[int, Node], node: Node) -> list[Node]:
    trail = [node]
    while trail[0].parent_pk in nodes:
        trail.insert(0, nodes[trail[0].parent_pk])
    return trail


def basic_codes_under(node: Node) -> set[str]:
    if node.level == 3 or not node.children:
        return {node.code}
    return {code for child in node.children for code in basic_codes_under(child)}


def add_up(nodes: dict[int, Node], figure: GridFigure, scope: Scope) -> None:
    """Each grid's parts: its own for a level-3 grid, the sum of its children's above."""
    width = 2 if figure.rate else 1
    parts = figure.parts(scope)
    for node in nodes.values():
        node.parts = [0] * width
    for node in nodes.values():
        if node.level != 3:
            continue
        own = parts.get(node.code)
        if not own:
            continue
        walker: Node | None = node
        while walker is not None:
            walker.parts = [a + b for a, b in zip(walker.parts, own, strict=True)]
            walker = nodes.get(walker.parent_pk)


def value_of(parts: list[int], figure: GridFigure) -> int | float | None:
    if figure.rate:
        return round(parts[0] / parts[1], 4) if parts[1] else None
    return parts[0]


def geometries(nodes: list[Node]) -> dict[int, dict]:
    return dict(Grid.objects.filter(pk__in=[n.pk for n in nodes]).values_list("pk", "geometry"))


def scope_name(scope: Scope) -> str:
    """The caller's node: the district, a subdistrict, a community or a grid."""
    if scope.prefix is None:
        return ""
    top = division_list(scope).order_by("code").values_list("name", flat=True).first()
    if top:
        return top
    grid = basic_grids(scope).values_list("name", flat=True).first()
    return grid or ""
