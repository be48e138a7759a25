"""The rating's arithmetic (`rating.scoring`): sections, computed inputs, thresholds, veto caps."""

from decimal import Decimal

from wangge.property.rating.scoring import (
    CaseInputs,
    Section,
    cases_points,
    minimums_problem,
    section_points,
    stars_for,
    survey_points,
)

MINIMUMS = [600, 700, 800, 900, 1000]
NO_CASES = CaseInputs(cases=0, on_time_rate=None, reopen_rate=None, satisfaction=None)


def test_it_gives_the_stars_whose_least_total_is_reached():
    assert stars_for(Decimal("599.99"), MINIMUMS) == 0
    assert stars_for(Decimal(600), MINIMUMS) == 1
    assert stars_for(Decimal("899.5"), MINIMUMS) == 3
    assert stars_for(Decimal(1100), MINIMUMS) == 5


def test_it_caps_the_stars_at_a_veto_items_cap():
    assert stars_for(Decimal(1050), MINIMUMS, caps=[2]) == 2
    assert stars_for(Decimal(1050), MINIMUMS, caps=[2, 0]) == 0
    assert stars_for(Decimal(650), MINIMUMS, caps=[3]) == 1  # a cap never raises


def test_it_keeps_an_inspection_score_within_its_section():
    section = Section(points=150, source="inspection")
    assert section_points(section, scored=Decimal(200), cases=NO_CASES, survey=None) == 150
    assert section_points(section, scored=Decimal("120.5"), cases=NO_CASES, survey=None) == Decimal("120.5")
    assert section_points(section, scored=None, cases=NO_CASES, survey=None) == 0


def test_it_computes_the_cases_section_from_the_case_record():
    perfect = CaseInputs(cases=10, on_time_rate=Decimal(1), reopen_rate=Decimal(0), satisfaction=Decimal(5))
    assert cases_points(100, perfect) == 100
    poor = CaseInputs(cases=10, on_time_rate=Decimal("0.5"), reopen_rate=Decimal("0.2"), satisfaction=Decimal(3))
    assert cases_points(100, poor) == Decimal("62.00")  # 100 × (0.2 + 0.24 + 0.18)
    assert cases_points(100, NO_CASES) == 100


def test_it_computes_the_survey_section_from_the_average_satisfaction():
    assert survey_points(200, Decimal(5)) == 200
    assert survey_points(200, Decimal(1)) == 0
    assert survey_points(200, Decimal(4)) == 150
    assert survey_points(200, None) == 0


def test_it_refuses_thresholds_that_do_not_climb_or_pass_the_full_points():
    assert minimums_problem(MINIMUMS, 1100) == ""
    assert "逐级升高" in minimums_problem([600, 600, 800, 900, 1000], 1100)
    assert "超过方案满分" in minimums_problem([60, 70, 80, 90, 101], 100)
    assert "五个整数" in minimums_problem([60, 70], 100)
