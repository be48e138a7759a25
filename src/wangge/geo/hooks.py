"""What the apps standing on the net add to its moves, registered from their `ready()`, so that
the net imports none of them. People registers both: its buildings take the grid codes of a
layer that becomes active, and they are what a grid's households and population sum.
"""

from collections.abc import Callable

from .scope import Scope

_activated: list[Callable[..., object]] = []
_totals: list[Callable[..., dict[str, tuple[int, int]]]] = []


def on_layer_activated(receiver: Callable[..., object]) -> None:
    """`receiver(layer=...)` runs inside the activation's transaction, once the layer is active."""
    if receiver not in _activated:  # an app set up twice (tests) registers once
        _activated.append(receiver)


def add_grid_totals(source: Callable[..., dict[str, tuple[int, int]]]) -> None:
    """`source(scope, index=...)` gives {level-3 grid code: (households, population)} for the
    points it places with a layer's locator index (`geo.locator.LayerIndex`)."""
    if source not in _totals:
        _totals.append(source)


def layer_activated(layer) -> None:
    for receiver in _activated:
        receiver(layer=layer)


def grid_totals(index) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for source in _totals:
        for code, (households, population) in source(Scope.district(), index=index).items():
            before = found.get(code, (0, 0))
            found[code] = (before[0] + households, before[1] + population)
    return found
