"""What `wangge worker` runs each round, as each app registers it from its `ready()`.

A job is `function(now) -> int | tuple | None`: it decides itself whether it is due (a
checkpoint every few minutes, a verification run every hour) and returns what it did. Jobs run
in `order` (then name), so a round does the same things in the same sequence whatever order the
apps were loaded in. A job's `summary(result)` is its part of the round's one-line report; the
line is printed when any summarised job did something.
"""

from collections.abc import Callable
from dataclasses import dataclass

_JOBS: dict[str, "Job"] = {}


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable
    order: int
    summary: Callable | None = None
    stoppable: bool = False  # called with `stopping=` so that it can stop between items


def register_job(name: str, function: Callable, *, order: int, summary: Callable | None = None, stoppable: bool = False) -> None:
    _JOBS[name] = Job(name=name, function=function, order=order, summary=summary, stoppable=stoppable)


def job(name: str, *, order: int, summary: Callable | None = None, stoppable: bool = False) -> Callable:
    def register(function: Callable) -> Callable:
        register_job(name, function, order=order, summary=summary, stoppable=stoppable)
        return function

    return register


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda j: (j.order, j.name))


def did_something(result) -> bool:
    values = result if isinstance(result, tuple) else (result,)
    return any(bool(value) for value in values)
