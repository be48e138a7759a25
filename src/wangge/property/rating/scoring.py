"""How an entry's stars follow from its scores, as pure functions.

- Inspection sections take the raters' points, never more than the section's points.
- A cases section is computed from the compound's year of cases: its points × (0.4 × on-time
  rate + 0.3 × (1 − reopen rate) + 0.3 × satisfaction / 5); a compound without cases in the year
  takes the full points (nothing went wrong), but without ratings the satisfaction part counts
  as the middle score 3.
- A survey section: its points × (average satisfaction − 1) / 4, so "very unsatisfied" gives
  nothing and "very satisfied" everything; no votes give nothing, since a company that nobody
  answered for has not shown residents are content.
- Stars: the most whose least total (`star_minimums`, one to five stars, ascending) the total
  reaches; below the first, no star. A veto item found caps them at its `cap_stars`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CaseInputs:
    cases: int
    on_time_rate: Decimal | None  # None: no case closed in the year
    reopen_rate: Decimal | None
    satisfaction: Decimal | None  # 1–5, None: no case rated


@dataclass(frozen=True)
class Section:
    points: int
    source: str  # "inspection", "cases" or "survey"


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def cases_points(points: int, inputs: CaseInputs) -> Decimal:
    if not inputs.cases:
        return Decimal(points)
    on_time = inputs.on_time_rate if inputs.on_time_rate is not None else Decimal(1)
    reopen = inputs.reopen_rate if inputs.reopen_rate is not None else Decimal(0)
    satisfaction = inputs.satisfaction if inputs.satisfaction is not None else Decimal(3)
    factor = Decimal("0.4") * on_time + Decimal("0.3") * (1 - reopen) + Decimal("0.3") * satisfaction / 5
    return rounded(points * factor)


def survey_points(points: int, satisfaction: Decimal | None) -> Decimal:
    if satisfaction is None:
        return Decimal(0)
    return rounded(points * (satisfaction - 1) / 4)


def section_points(section: Section, *, scored: Decimal | None, cases: CaseInputs, survey: Decimal | None) -> Decimal:
    if section.source == "cases":
        return cases_points(section.points, cases)
    if section.source == "survey":
        return survey_points(section.points, survey)
    return min(Decimal(section.points), scored or Decimal(0))


def stars_for(total: Decimal, minimums: list[int], caps: list[int] = ()) -> int:
    stars = sum(1 for least in minimums if total >= least)
    return min([stars, *caps])


def minimums_problem(minimums, full_points: int) -> str:
    """Why a scheme's star thresholds cannot be used, in Chinese, or ''."""
    if not isinstance(minimums, list) or len(minimums) != 5 or not all(isinstance(m, int) and not isinstance(m, bool) for m in minimums):
        return "星级分数线须为一星至五星五个整数"
    if any(b <= a for a, b in zip(minimums, minimums[1:], strict=False)) or minimums[0] <= 0:
        return "星级分数线须从一星到五星逐级升高且大于 0"
    if minimums[-1] > full_points:
        return f"五星分数线 {minimums[-1]} 超过方案满分 {full_points}"
    return ""
