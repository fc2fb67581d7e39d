"""Scoring a self-assessment: a visitor's answers against an assessment's grid.

Pure Python, no Django: the view reads the assessment into `Grid` and the form's answers into
a dict, and `score()` returns the breakdown that the result page shows. The grids are content
that editors keep; nothing here names a route or a figure.
"""

from dataclasses import dataclass, field

POINTS, COUNT, ANY, POINTS_REQUIRED = "points", "count", "any", "points_required"
ONE, SUM, SUM_CAPPED, NUMBER = "one", "sum", "sum_capped", "number"


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    points: int | None = None
    meets: bool = False


@dataclass(frozen=True)
class Factor:
    key: str
    name: str
    maximum: int
    combine: str = ONE
    required: bool = False
    options: tuple = ()


@dataclass(frozen=True)
class Grid:
    rule: str
    pass_mark: int | None
    factors: tuple = ()

    @property
    def counted(self):
        """The factors that count towards the pass mark (required ones are conditions)."""
        if self.rule == COUNT:
            return [factor for factor in self.factors if not factor.required]
        return list(self.factors)


@dataclass(frozen=True)
class FactorResult:
    factor: Factor
    chosen: tuple = ()  # the options picked
    number: int | None = None  # what the visitor entered, for a NUMBER factor
    points: int = 0
    met: bool = False


@dataclass(frozen=True)
class Breakdown:
    grid: Grid
    results: tuple = field(default_factory=tuple)
    total: int = 0
    met_count: int = 0
    passed: bool = False
    unmet_required: tuple = ()

    @property
    def possible(self):
        """The most points (or criteria) the grid gives."""
        if self.grid.rule in (COUNT, ANY):
            return len(self.grid.counted)
        return sum(factor.maximum for factor in self.grid.factors)

    @property
    def short_by(self):
        """How many more points (or criteria) would pass, or 0."""
        if self.grid.rule == ANY or self.grid.pass_mark is None:
            return 0
        reached = self.met_count if self.grid.rule == COUNT else self.total
        return max(0, self.grid.pass_mark - reached)


def factor_result(factor, answer):
    """How one factor scores `answer`: option keys for a choice, a number for NUMBER."""
    if factor.combine == NUMBER:
        number = answer if isinstance(answer, int) else None
        points = min(max(number or 0, 0), factor.maximum)
        return FactorResult(factor, number=number, points=points, met=points > 0)
    keys = answer if isinstance(answer, (list, tuple)) else [answer]
    chosen = tuple(option for option in factor.options if option.key in keys)
    if factor.combine == ONE:
        chosen = chosen[:1]
    points = sum(option.points or 0 for option in chosen)
    if factor.combine in (ONE, SUM_CAPPED):
        points = min(points, factor.maximum)
    met = any(option.meets for option in chosen) or points > 0
    return FactorResult(factor, chosen=chosen, points=points, met=met)


def score(grid, answers):
    """The breakdown of `answers` ({factor key: answer}) against `grid`."""
    results = tuple(factor_result(f, answers.get(f.key)) for f in grid.factors)
    counted = {factor.key for factor in grid.counted}
    total = sum(result.points for result in results if result.factor.key in counted)
    met_count = sum(result.met for result in results if result.factor.key in counted)
    unmet_required = tuple(r.factor for r in results if r.factor.required and not r.met)
    if grid.rule == ANY:
        reached = met_count > 0
    elif grid.rule == COUNT:
        reached = met_count >= (grid.pass_mark or 0)
    else:
        reached = total >= (grid.pass_mark or 0)
    return Breakdown(
        grid,
        results,
        total=total,
        met_count=met_count,
        passed=reached and not unmet_required,
        unmet_required=unmet_required,
    )


def problems(grid):
    """What makes a grid wrong, in words that name the factor: empty list when it is sound."""
    return [*(found for factor in grid.factors for found in factor_problems(factor)),
            *pass_problems(grid)]  # fmt: skip


def pass_problems(grid):
    """Whether the pass rule can be met with the factors' maxima."""
    if grid.rule in (POINTS, POINTS_REQUIRED):
        best = sum(factor.maximum for factor in grid.factors)
        if grid.pass_mark is None:
            return ["A points grid needs a pass mark."]
        if best < grid.pass_mark:
            return [
                f"No one can pass: the factors give at most {best} points, "
                f"below the pass mark of {grid.pass_mark}."
            ]
    elif grid.rule == COUNT:
        criteria = len(grid.counted)
        if grid.pass_mark is None:
            return ["A count of criteria needs the number to meet."]
        if criteria < grid.pass_mark:
            return [
                f"No one can pass: there are {criteria} criteria, fewer than the "
                f"{grid.pass_mark} to meet."
            ]
    elif grid.rule == ANY and not any(
        option.meets for factor in grid.factors for option in factor.options
    ):
        return ["No answer qualifies: mark at least one option as meeting the test."]
    return []


def factor_problems(factor):
    if factor.combine == NUMBER:
        return []
    if not factor.options:
        return [f"“{factor.name}” has no options."]
    if all(option.points is None for option in factor.options):
        # A criterion: met or not, no points.
        if not any(option.meets for option in factor.options):
            return [f"“{factor.name}”: no option meets the criterion."]
        return []
    points = [option.points or 0 for option in factor.options]
    most = max(points) if factor.combine == ONE else sum(points)
    if factor.combine == SUM_CAPPED:
        most = min(most, factor.maximum)
    if most != factor.maximum:
        return [
            f"“{factor.name}”: its maximum is {factor.maximum} but its options give at most {most}."
        ]
    return []


def plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


def outcome(breakdown):
    """The result in one sentence: "You meet 7 of the 12 criteria; 6 are needed to apply."""
    grid = breakdown.grid
    if grid.rule == COUNT:
        criteria = plural(breakdown.possible, "criterion", "criteria")
        verb = "is" if grid.pass_mark == 1 else "are"
        sentence = (
            f"You meet {breakdown.met_count} of the {criteria}; "
            f"{grid.pass_mark} {verb} needed to apply."
        )
    elif grid.rule == ANY:
        sentence = (
            "One of your answers qualifies."
            if breakdown.met_count
            else "None of your answers qualifies."
        )
    else:
        sentence = (
            f"You score {breakdown.total} of {breakdown.possible} points; "
            f"{grid.pass_mark} are needed."
        )
    if breakdown.unmet_required:
        names = "; ".join(f"“{factor.name}”" for factor in breakdown.unmet_required)
        sentence += f" You do not meet a condition that is required: {names}"
    return sentence


def what_would_change(breakdown):
    """What would change the outcome, in a sentence; "" when nothing is missing."""
    if breakdown.unmet_required:
        return "Every required condition must be met, whatever else you score."
    short = breakdown.short_by
    if not short:
        return ""
    if breakdown.grid.rule == COUNT:
        return (
            f"Meeting {plural(short, 'more criterion', 'more criteria')} would reach the threshold."
        )
    return f"{plural(short, 'more point', 'more points')} would reach the pass mark."
