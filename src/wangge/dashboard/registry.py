"""The headline figures: each app registers one `figures(scope) -> dict`; the dashboard composes.

No app reaches into another's tables for its figures; each computes its own keys from its own
data, limited to the caller's scope.
"""

from collections.abc import Callable

_FIGURES: dict[str, Callable] = {}


def register_figures(app: str, function: Callable) -> None:
    _FIGURES[app] = function


def headline(scope) -> dict:
    result: dict = {}
    for app in sorted(_FIGURES):
        result.update(_FIGURES[app](scope))
    return result
