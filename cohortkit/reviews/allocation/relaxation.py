"""The least relaxation of rules that no allocation satisfies."""

from __future__ import annotations

from cohortkit.reviews.allocation.allocate import allocate_reviewers
from cohortkit.reviews.allocation.feasibility import check_feasibility
from cohortkit.reviews.allocation.groups import _check_rules
from cohortkit.reviews.allocation.model import AllocationInfeasible, Cohort, Relaxation, Rules


def relaxation_ladder(rules: Rules) -> list[tuple[Rules, tuple[str, ...], int]]:
    """The documented relaxation order, least relaxed first.

    1. The rules as given.
    2. Drop not-same rules from the least important (last given) up: first the last one,
       then the last two, ... until none is left.
    3. With no not-same rules, reduce K one step at a time down to 1.

    The spread column is kept throughout: it is soft, so dropping it never makes an
    allocation possible. Returns (rules, dropped not-same columns, reduction of K).
    """
    ladder: list[tuple[Rules, tuple[str, ...], int]] = []
    for keep in range(len(rules.not_same), -1, -1):
        dropped = rules.not_same[keep:]
        ladder.append((Rules(rules.reviews, rules.not_same[:keep], rules.spread), dropped, 0))
    for k in range(rules.reviews - 1, 0, -1):
        ladder.append((Rules(k, (), rules.spread), rules.not_same, rules.reviews - k))
    return ladder


def relax_rules(cohort: Cohort, rules: Rules) -> Relaxation:
    """Allocate under the first rung of :func:`relaxation_ladder` that is feasible.

    Raises the original :class:`AllocationInfeasible` if even K = 1 with no not-same rules is
    impossible (fewer than two people).
    """
    _check_rules(cohort, rules)
    first_error: AllocationInfeasible | None = None
    for relaxed, dropped, reduced in relaxation_ladder(rules):
        try:
            check_feasibility(cohort, relaxed)
        except AllocationInfeasible as error:
            first_error = first_error or error
            continue
        allocation = allocate_reviewers(cohort, relaxed)
        return Relaxation(rules, relaxed, dropped, reduced, allocation)
    assert first_error is not None  # noqa: S101 — the ladder's first rung is the rules as given, so one was tried
    raise first_error
