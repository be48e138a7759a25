"""The worker links the cases reported at a compound's buildings to the compound (`links`)."""

from datetime import timedelta

from wangge.core.jobs import job

from .links import compound_cases_link

# Cases are linked within a few days of their report; a late address change is caught at review.
LOOK_BACK = timedelta(days=3)


@job("property.link_cases", order=60)
def link_cases(now) -> int:
    return compound_cases_link(since=now - LOOK_BACK)
