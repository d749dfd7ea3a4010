"""Feasibility, rule by rule, and the English message naming what blocks (the web translates
the rule and figures itself, in ``reviews/diagnosis.py``)."""

from __future__ import annotations

from cohortkit.reviews.allocation.groups import _check_rules, _group
from cohortkit.reviews.allocation.model import RULE_TOO_FEW, AllocationInfeasible, Cohort, Rules
from cohortkit.reviews.allocation.network import _build_network, _max_flow


def _shortfall(cohort: Cohort, rules: Rules) -> int:
    gr = _group(cohort, rules)
    if gr.total == 0:
        return 0
    if gr.n_reviewers == 0:
        return gr.total
    flow, _ = _max_flow(_build_network(gr, spread=None))
    return gr.total - flow


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _too_few_message(cohort: Cohort, rules: Rules, shortfall: int) -> str:
    k = rules.reviews
    authors = int(cohort.author_flags().sum())
    reviewers = int(cohort.reviewer_flags().sum())
    if cohort.is_author is None and cohort.is_reviewer is None:
        return (
            f"too few people: {len(cohort)} participants cannot give {k} reviews each to others "
            f"(need at least K+1={k + 1}); short by {_count(shortfall, 'review')}"
        )
    return (
        f"too few people: {reviewers} reviewers cannot give {authors} authors {k} reviews each "
        f"from people other than themselves; short by {_count(shortfall, 'review')}"
    )


def _not_same_message(cohort: Cohort, rules: Rules, column: str, shortfall: int) -> str:
    """Name the value whose authors cannot get enough reviews from outside it, if one does."""
    k = rules.reviews
    values = cohort.columns[column]
    is_author = cohort.author_flags()
    is_reviewer = cohort.reviewer_flags()
    n_reviewers = int(is_reviewer.sum())
    total = k * int(is_author.sum())
    high = -(-total // n_reviewers) if n_reviewers else 0
    worst: tuple[int, str, int, int, int, int] | None = None
    counts: dict[str, list[int]] = {}
    for value, author, reviewer in zip(
        values, is_author.tolist(), is_reviewer.tolist(), strict=True
    ):
        if value:
            entry = counts.setdefault(value, [0, 0, 0])
            entry[0] += 1
            entry[1] += author
            entry[2] += reviewer
    for value, (people, authors, reviewers_inside) in counts.items():
        outside = n_reviewers - reviewers_inside
        need = k * authors
        can = outside * min(high, authors)
        if need > can and (worst is None or need - can > worst[0]):
            worst = (need - can, value, people, authors, outside, can)
    plain = cohort.is_author is None and cohort.is_reviewer is None
    if worst is None:
        earlier = ", ".join(rules.not_same[: rules.not_same.index(column)])
        return (
            f"not-same {column}: together with the rules before it ({earlier}), it leaves "
            f"{shortfall} reviews that cannot be placed"
        )
    _, value, people, authors, outside, can = worst
    who = "participants" if plain else "people"
    reviewers = _count(outside, "reviewer")
    short = _count(shortfall, "review")
    return (
        f"not-same {column}: {column} {value!r} has {people} of {len(cohort)} {who}; its "
        f"{authors} authors need {k * authors} reviews but only {reviewers} outside "
        f"{value!r} can review them, giving at most {can}; short by {short}"
    )


def check_feasibility(cohort: Cohort, rules: Rules) -> None:
    """Raise :class:`AllocationInfeasible` naming the first rule that blocks, else return.

    Rules are added one at a time: first K alone (``too-few-people``), then each not-same
    column in the order given. The spread column is soft and never blocks.
    """
    _check_rules(cohort, rules)
    base = Rules(reviews=rules.reviews)
    short = _shortfall(cohort, base)
    if short:
        raise AllocationInfeasible(RULE_TOO_FEW, short, _too_few_message(cohort, rules, short))
    if not rules.not_same:
        return
    if not _shortfall(cohort, Rules(reviews=rules.reviews, not_same=rules.not_same)):
        return
    for i, column in enumerate(rules.not_same):
        short = _shortfall(cohort, Rules(reviews=rules.reviews, not_same=rules.not_same[: i + 1]))
        if short:
            raise AllocationInfeasible(
                f"not-same:{column}", short, _not_same_message(cohort, rules, column, short)
            )
