"""The allocation itself: groups, then the flow, then pairs of people."""

from __future__ import annotations

import numpy as np

from cohortkit.reviews.allocation.feasibility import check_feasibility
from cohortkit.reviews.allocation.groups import _available_values, _check_rules, _group, _Groups
from cohortkit.reviews.allocation.model import Allocation, Cohort, IntArray, Rules
from cohortkit.reviews.allocation.network import (
    _build_network,
    _max_flow,
    _min_cost_flow,
    _pair_counts,
)
from cohortkit.reviews.allocation.realise import _realise


def allocate_reviewers(cohort: Cohort, rules: Rules) -> Allocation:
    """Assign every author K reviewers under the rules (see the package docstring).

    Deterministic: the same cohort and rules give the same pairs. Raises
    :class:`RulesError` for unknown columns or K < 1 and :class:`AllocationInfeasible` when
    no allocation exists.
    """
    _check_rules(cohort, rules)
    gr = _group(cohort, rules)
    if gr.total == 0:
        return Allocation(cohort, rules, np.zeros(0, np.int64), np.zeros(0, np.int64))
    if gr.n_reviewers == 0:
        check_feasibility(cohort, rules)
    # With spread, first ask for the per-author bound: reaching it proves the optimum and
    # feasibility with one maximum flow. Otherwise check feasibility, then solve exactly.
    net = _build_network(gr, spread="bound" if rules.spread is not None else None)
    flow_value, arc_flow = _max_flow(net)
    if flow_value < net.required:
        if rules.spread is not None:
            plain_flow, _ = _max_flow(_build_network(gr, spread=None))
            feasible = plain_flow == gr.total
        else:
            feasible = False
        if not feasible:
            check_feasibility(cohort, rules)
            raise AssertionError("unreachable: infeasible but no rule blocks")  # pragma: no cover
        net = _build_network(gr, spread="exact")
        arc_flow = _min_cost_flow(net)
    reviewer, author = _realise(gr, _pair_counts(net, arc_flow))
    total, bound = _spread_scores(cohort, rules, gr, reviewer, author)
    return Allocation(cohort, rules, reviewer, author, spread_total=total, spread_bound=bound)


def _spread_scores(
    cohort: Cohort, rules: Rules, gr: _Groups, reviewer: IntArray, author: IntArray
) -> tuple[int, int]:
    if rules.spread is None:
        return 0, 0
    keys = np.sort(author * gr.n_values + gr.person_value[reviewer])
    distinct = int(np.count_nonzero(np.diff(keys))) + (1 if len(keys) else 0)
    per_group = np.minimum((_available_values(gr) > 0).sum(axis=1), gr.reviews)
    return distinct, int((per_group * gr.authors.size).sum())


def spread_per_author(allocation: Allocation) -> dict[str, int]:
    """Distinct spread values among each author's reviewers, by author id."""
    column = allocation.rules.spread
    if column is None:
        return {}
    values = allocation.cohort.columns[column]
    ids = allocation.cohort.ids
    seen: dict[str, set[str]] = {}
    for r, a in zip(
        allocation.reviewer_index.tolist(), allocation.author_index.tolist(), strict=True
    ):
        seen.setdefault(ids[a], set()).add(values[r])
    return {author: len(v) for author, v in seen.items()}
