"""Scoring a self-assessment (guides/scoring.py) over generated grids and answers."""

from hypothesis import given
from hypothesis import strategies as st

from guides.scoring import (
    ANY,
    COUNT,
    NUMBER,
    ONE,
    POINTS,
    POINTS_REQUIRED,
    SUM,
    SUM_CAPPED,
    Factor,
    Grid,
    Option,
    problems,
    score,
)


@st.composite
def point_factors(draw, key):
    combine = draw(st.sampled_from([ONE, SUM, SUM_CAPPED, NUMBER]))
    if combine == NUMBER:
        return Factor(key, f"Factor {key}", draw(st.integers(1, 30)), NUMBER, draw(st.booleans()))
    points = draw(st.lists(st.integers(0, 25), min_size=1, max_size=5))
    options = tuple(Option(f"o{n}", f"Option {n}", value) for n, value in enumerate(points))
    most = max(points) if combine == ONE else sum(points)
    if combine == SUM_CAPPED:
        most = draw(st.integers(0, most))
    return Factor(key, f"Factor {key}", most, combine, draw(st.booleans()), options)


@st.composite
def point_grids(draw):
    count = draw(st.integers(1, 6))
    factors = tuple(draw(point_factors(f"f{n}")) for n in range(count))
    best = sum(factor.maximum for factor in factors)
    rule = draw(st.sampled_from([POINTS, POINTS_REQUIRED]))
    return Grid(rule, draw(st.integers(0, best)), factors)


def answer_for(draw, factor):
    if factor.combine == NUMBER:
        return draw(st.none() | st.integers(-5, 200))
    keys = [option.key for option in factor.options]
    if factor.combine == ONE:
        return draw(st.none() | st.sampled_from(keys))
    return draw(st.lists(st.sampled_from(keys), unique=True))


@st.composite
def graded(draw):
    grid = draw(point_grids())
    return grid, {factor.key: answer_for(draw, factor) for factor in grid.factors}


@given(graded())
def test_generated_grids_are_sound(case):
    grid, _ = case
    assert problems(grid) == []


@given(graded())
def test_the_total_never_exceeds_the_sum_of_the_maxima_nor_a_factor_its_maximum(case):
    grid, answers = case
    result = score(grid, answers)
    assert result.total <= sum(factor.maximum for factor in grid.factors)
    for factor_result in result.results:
        assert 0 <= factor_result.points <= factor_result.factor.maximum


@given(graded(), st.data())
def test_choosing_a_higher_scoring_option_never_lowers_the_total(case, data):
    grid, answers = case
    choices = [f for f in grid.factors if f.combine == ONE]
    if not choices:
        return
    factor = data.draw(st.sampled_from(choices))
    current = next((o for o in factor.options if o.key == answers[factor.key]), None)
    better = data.draw(st.sampled_from(factor.options))
    if current is not None and (better.points or 0) < (current.points or 0):
        return
    moved = {**answers, factor.key: better.key}
    assert score(grid, moved).total >= score(grid, answers).total


@given(graded())
def test_a_required_factor_unmet_always_fails(case):
    grid, answers = case
    result = score(grid, answers)
    if any(
        factor.required and not r.met
        for r, factor in zip(result.results, grid.factors, strict=True)
    ):
        assert not result.passed


def criteria_grid(count, pass_mark, required=0):
    yes_no = (Option("yes", "Yes", meets=True), Option("no", "No"))
    factors = [Factor(f"c{n}", f"Criterion {n}", 1, ONE, False, yes_no) for n in range(count)]
    factors += [Factor(f"r{n}", f"Condition {n}", 1, ONE, True, yes_no) for n in range(required)]
    return Grid(COUNT, pass_mark, tuple(factors))


@given(st.integers(1, 12), st.data())
def test_meeting_one_more_criterion_never_turns_a_pass_into_a_fail(count, data):
    grid = criteria_grid(count, data.draw(st.integers(0, count)), required=1)
    answers = {f.key: data.draw(st.sampled_from(["yes", "no"])) for f in grid.factors}
    unmet = [key for key, answer in answers.items() if answer == "no" and key.startswith("c")]
    if not unmet or not score(grid, answers).passed:
        return
    assert score(grid, {**answers, unmet[0]: "yes"}).passed


def test_a_count_grid_counts_criteria_and_holds_its_conditions_apart():
    grid = criteria_grid(12, 6, required=4)
    conditions = {f"r{n}": "yes" for n in range(4)}
    seven = {**conditions, **{f"c{n}": "yes" for n in range(7)}}
    result = score(grid, seven)
    assert (result.met_count, result.possible, result.passed, result.short_by) == (7, 12, True, 0)
    five = {**conditions, **{f"c{n}": "yes" for n in range(5)}}
    assert (score(grid, five).passed, score(grid, five).short_by) == (False, 1)
    assert not score(grid, {**seven, "r0": "no"}).passed


def test_any_qualifying_answer_passes_an_achievement_test():
    grid = Grid(ANY, None, (Factor("award", "An award", 1, ONE, False, (
        Option("yes", "Yes", meets=True), Option("no", "No"))),))  # fmt: skip
    assert score(grid, {"award": "yes"}).passed
    assert not score(grid, {"award": "no"}).passed
    assert not score(grid, {}).passed


def test_a_number_is_capped_at_the_factors_maximum():
    grid = Grid(POINTS, 5, (Factor("adaptability", "Adaptability", 10, NUMBER),))
    assert score(grid, {"adaptability": 25}).total == 10
    assert score(grid, {"adaptability": -4}).total == 0


def test_unsound_grids_are_named_by_their_factor():
    too_high = Grid(
        POINTS, 80, (Factor("age", "Age", 12, ONE, False, (Option("a", "18 to 35", 12),)),)
    )
    assert problems(too_high) == [
        "No one can pass: the factors give at most 12 points, below the pass mark of 80."
    ]
    wrong_max = Grid(
        POINTS, 5, (Factor("age", "Age", 20, ONE, False, (Option("a", "18 to 35", 12),)),)
    )
    assert problems(wrong_max) == ["“Age”: its maximum is 20 but its options give at most 12."]
    assert problems(criteria_grid(3, 6)) == [
        "No one can pass: there are 3 criteria, fewer than the 6 to meet."
    ]
