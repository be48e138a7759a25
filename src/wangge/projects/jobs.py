"""The projects' share of each worker round: residents' votes whose time is over are closed."""

from wangge.core.jobs import job

from .services.votes import rounds_close_due


@job("projects.rounds_close", order=65)
def close_rounds(now) -> int:
    return rounds_close_due(now=now)
