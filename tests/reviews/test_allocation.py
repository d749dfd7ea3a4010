"""The peer-review allocator, checked against independent references.

Feasibility is compared with a maximum flow on the full person-level reviewer -> author
graph; the spread optimum with brute force (tiny cohorts) and a person-level integer program.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import maximum_flow

from cohortkit.reviews.allocation import (
    RULE_TOO_FEW,
    Allocation,
    AllocationInfeasible,
    Cohort,
    CohortError,
    Participant,
    Rules,
    RulesError,
    allocate_reviewers,
    check_feasibility,
    relax_rules,
    relaxation_ladder,
    repair_allocation,
    spread_per_author,
)
from cohortkit.reviews.allocation_io import parse_cohort_csv

# ---------------------------------------------------------------------------------------------
# Independent references


def allowed_pairs(cohort: Cohort, rules: Rules) -> list[tuple[int, int]]:
    authors = cohort.author_flags()
    reviewers = cohort.reviewer_flags()
    pairs = []
    for r, a in itertools.product(range(len(cohort)), repeat=2):
        if r == a or not reviewers[r] or not authors[a]:
            continue
        if any(
            cohort.columns[c][r] and cohort.columns[c][r] == cohort.columns[c][a]
            for c in rules.not_same
        ):
            continue
        pairs.append((r, a))
    return pairs


def loads(cohort: Cohort, k: int) -> tuple[int, int]:
    n_reviewers = int(cohort.reviewer_flags().sum())
    total = k * int(cohort.author_flags().sum())
    low, extra = divmod(total, n_reviewers) if n_reviewers else (0, 0)
    return low, low + (1 if extra else 0)


def reference_feasible(cohort: Cohort, rules: Rules) -> bool:
    """Max flow on the person-level graph, with reviewer loads in [low, high] via lower bounds.

    Source -> reviewer carries the lower load (must saturate), a pool carries the rest up to
    the higher load; author -> sink K. Feasible iff the flow is K * authors.
    """
    n = len(cohort)
    k = rules.reviews
    total = k * int(cohort.author_flags().sum())
    if total == 0:
        return True
    low, high = loads(cohort, k)
    source, sink, pool = 2 * n, 2 * n + 1, 2 * n + 2
    rows, cols, caps = [], [], []

    def arc(u: int, v: int, c: int) -> None:
        if c > 0:
            rows.append(u)
            cols.append(v)
            caps.append(c)

    n_reviewers = int(cohort.reviewer_flags().sum())
    arc(source, pool, total - low * n_reviewers)
    for r in np.flatnonzero(cohort.reviewer_flags()).tolist():
        arc(source, r, low)
        arc(pool, r, high - low)
    for a in np.flatnonzero(cohort.author_flags()).tolist():
        arc(n + a, sink, k)
    for r, a in allowed_pairs(cohort, rules):
        arc(r, n + a, 1)
    graph = sparse.csr_array(
        (np.array(caps, dtype=np.int32), (rows, cols)), shape=(2 * n + 3, 2 * n + 3)
    )
    return maximum_flow(graph, source, sink).flow_value == total


def spread_score(cohort: Cohort, column: str, pairs: list[tuple[int, int]]) -> int:
    values = cohort.columns[column]
    return len({(a, values[r]) for r, a in pairs})


def reference_spread_optimum(cohort: Cohort, rules: Rules) -> int:
    """Person-level integer program: binary pair variables, a 0/1 "covered" per (author, value)."""
    assert rules.spread is not None
    k = rules.reviews
    pairs = allowed_pairs(cohort, rules)
    values = cohort.columns[rules.spread]
    covers = sorted({(a, values[r]) for r, a in pairs})
    if not cohort.author_flags().any():
        return 0
    n_x, n_z = len(pairs), len(covers)
    low, high = loads(cohort, k)
    matrix: list[list[float]] = []
    lower: list[float] = []
    upper: list[float] = []
    for r in np.flatnonzero(cohort.reviewer_flags()).tolist():
        matrix.append([1.0 if p[0] == r else 0.0 for p in pairs] + [0.0] * n_z)
        lower.append(low)
        upper.append(high)
    for a in np.flatnonzero(cohort.author_flags()).tolist():
        matrix.append([1.0 if p[1] == a else 0.0 for p in pairs] + [0.0] * n_z)
        lower.append(k)
        upper.append(k)
    for j, (a, v) in enumerate(covers):
        row = [-1.0 if p[1] == a and values[p[0]] == v else 0.0 for p in pairs] + [0.0] * n_z
        row[n_x + j] = 1.0
        matrix.append(row)
        lower.append(-np.inf)
        upper.append(0.0)
    result = milp(
        c=np.array([0.0] * n_x + [-1.0] * n_z),
        integrality=np.ones(n_x + n_z),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(np.array(matrix), lower, upper),
    )
    assert result.x is not None
    return round(-result.fun)


def brute_force_spread_optimum(cohort: Cohort, rules: Rules) -> int:
    """Every K-regular choice of reviewers per author, tiny plain cohorts only."""
    assert rules.spread is not None
    k = rules.reviews
    n = len(cohort)
    allowed = set(allowed_pairs(cohort, rules))
    options = [
        [c for c in itertools.combinations(range(n), k) if all((r, a) in allowed for r in c)]
        for a in range(n)
    ]
    best = -1
    for choice in itertools.product(*options):
        given = Counter(r for c in choice for r in c)
        if all(given[r] == k for r in range(n)):
            pairs = [(r, a) for a, c in enumerate(choice) for r in c]
            best = max(best, spread_score(cohort, rules.spread, pairs))
    return best


def assert_valid(allocation: Allocation) -> None:
    cohort, rules = allocation.cohort, allocation.rules
    k = rules.reviews
    pairs = list(
        zip(allocation.reviewer_index.tolist(), allocation.author_index.tolist(), strict=True)
    )
    assert len(set(pairs)) == len(pairs), "a reviewer reviews the same author twice"
    assert pairs == sorted(pairs), "pairs are not in (reviewer, author) order"
    assert set(pairs) <= set(allowed_pairs(cohort, rules))
    received = Counter(a for _, a in pairs)
    given = Counter(r for r, _ in pairs)
    for a in np.flatnonzero(cohort.author_flags()):
        assert received[int(a)] == k
    low, high = loads(cohort, k)
    for r in np.flatnonzero(cohort.reviewer_flags()):
        assert low <= given[int(r)] <= high
    if rules.spread is not None:
        assert allocation.spread_total == spread_score(cohort, rules.spread, pairs)
        assert allocation.spread_total <= allocation.spread_bound


# ---------------------------------------------------------------------------------------------
# Generated cohorts


@st.composite
def cohorts(draw: st.DrawFn, *, max_size: int = 40, roles: bool = False) -> tuple[Cohort, Rules]:
    n = draw(st.integers(1, max_size))
    k = draw(st.integers(1, 4))
    n_columns = draw(st.integers(0, 3))
    columns = {}
    for c in range(n_columns):
        alphabet = draw(st.sampled_from(["ab", "abc", "abcdef", "a", "abcdefghij"]))
        values = (
            st.sampled_from(["", *alphabet]) if draw(st.booleans()) else st.sampled_from(alphabet)
        )
        columns[f"c{c}"] = tuple(draw(st.lists(values, min_size=n, max_size=n)))
    names = list(columns)
    not_same = tuple(draw(st.lists(st.sampled_from(names), unique=True))) if names else ()
    spread = draw(st.sampled_from([None, *names])) if names else None
    is_author = is_reviewer = None
    if roles:
        role = draw(
            st.lists(st.sampled_from(["both", "author", "reviewer"]), min_size=n, max_size=n)
        )
        is_author = tuple(r != "reviewer" for r in role)
        is_reviewer = tuple(r != "author" for r in role)
    cohort = Cohort(
        ids=tuple(f"p{i}" for i in range(n)),
        columns=columns,
        is_author=is_author,
        is_reviewer=is_reviewer,
    )
    return cohort, Rules(k, not_same, spread)


def check_against_references(cohort: Cohort, rules: Rules) -> None:
    if not reference_feasible(cohort, rules):
        with pytest.raises(AllocationInfeasible) as caught:
            allocate_reviewers(cohort, rules)
        assert caught.value.shortfall > 0
        return
    assert_valid(allocate_reviewers(cohort, rules))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_allocation_obeys_rules_and_detects_infeasibility_exactly(
    case: tuple[Cohort, Rules],
) -> None:
    check_against_references(*case)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(roles=True))
def test_allocation_with_separate_authors_and_reviewers_matches_reference(
    case: tuple[Cohort, Rules],
) -> None:
    check_against_references(*case)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_size=12))
def test_spread_equals_person_level_optimum(case: tuple[Cohort, Rules]) -> None:
    cohort, rules = case
    if rules.spread is None or not reference_feasible(cohort, rules):
        return
    allocation = allocate_reviewers(cohort, rules)
    assert allocation.spread_total == reference_spread_optimum(cohort, rules)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_size=10, roles=True))
def test_spread_equals_optimum_with_separate_roles(case: tuple[Cohort, Rules]) -> None:
    cohort, rules = case
    if rules.spread is None or not reference_feasible(cohort, rules):
        return
    allocation = allocate_reviewers(cohort, rules)
    assert allocation.spread_total == reference_spread_optimum(cohort, rules)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_size=5))
def test_spread_equals_brute_force_on_tiny_cohorts(case: tuple[Cohort, Rules]) -> None:
    cohort, rules = case
    rules = Rules(min(rules.reviews, 2), rules.not_same, rules.spread)
    if rules.spread is None or not reference_feasible(cohort, rules):
        return
    allocation = allocate_reviewers(cohort, rules)
    assert allocation.spread_total == brute_force_spread_optimum(cohort, rules)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_size=25))
def test_relaxation_returns_first_feasible_rung(case: tuple[Cohort, Rules]) -> None:
    cohort, rules = case
    ladder = relaxation_ladder(rules)
    feasible = [reference_feasible(cohort, rung) for rung, _, _ in ladder]
    if not any(feasible):
        with pytest.raises(AllocationInfeasible):
            relax_rules(cohort, rules)
        return
    relaxation = relax_rules(cohort, rules)
    assert relaxation.rules == ladder[feasible.index(True)][0]
    assert_valid(relaxation.allocation)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_size=16), st.data())
def test_repair_after_change_is_valid_and_keeps_the_most_pairs(
    case: tuple[Cohort, Rules], data: st.DataObject
) -> None:
    cohort, rules = case
    rules = Rules(rules.reviews, rules.not_same)
    if not reference_feasible(cohort, rules):
        return
    before = allocate_reviewers(cohort, rules)
    keep = data.draw(st.lists(st.booleans(), min_size=len(cohort), max_size=len(cohort)))
    late = data.draw(st.integers(0, 2))
    ids = [pid for pid, kept in zip(cohort.ids, keep, strict=True) if kept]
    ids += [f"late{i}" for i in range(late)]
    rows = [cohort.ids.index(pid) if pid in cohort.ids else None for pid in ids]
    columns = {
        name: tuple(values[i] if i is not None else values[0] for i in rows)
        for name, values in cohort.columns.items()
    }
    changed = Cohort(ids=tuple(ids), columns=columns)
    if not reference_feasible(changed, rules):
        with pytest.raises(AllocationInfeasible):
            repair_allocation(changed, rules, before.pairs())
        return
    repair = repair_allocation(changed, rules, before.pairs())
    assert_valid(repair.allocation)
    assert repair.kept == max_keepable(changed, rules, before.pairs())


def max_keepable(cohort: Cohort, rules: Rules, previous: list[tuple[str, str]]) -> int:
    """Person-level integer program: the most previous pairs any valid allocation keeps."""
    pairs = allowed_pairs(cohort, rules)
    old = {
        (cohort.ids.index(r), cohort.ids.index(a))
        for r, a in previous
        if r in cohort.ids and a in cohort.ids
    }
    k = rules.reviews
    n = len(cohort)
    if not pairs:
        return 0
    matrix = [[1.0 if p[0] == i else 0.0 for p in pairs] for i in range(n)]
    matrix += [[1.0 if p[1] == i else 0.0 for p in pairs] for i in range(n)]
    result = milp(
        c=np.array([-1.0 if p in old else 0.0 for p in pairs]),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(np.array(matrix), k, k),
    )
    assert result.x is not None
    return round(-result.fun)


# ---------------------------------------------------------------------------------------------
# Examples


def plain(ids: str, **columns: str) -> Cohort:
    return Cohort(ids=tuple(ids), columns={name: tuple(v) for name, v in columns.items()})


def test_too_few_people_names_the_rule_and_the_need() -> None:
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_reviewers(plain("abc"), Rules(3))
    assert caught.value.rule == RULE_TOO_FEW
    assert caught.value.shortfall == 3
    assert str(caught.value) == (
        "too few people: 3 participants cannot give 3 reviews each to others "
        "(need at least K+1=4); short by 3 reviews"
    )


def test_not_same_names_the_dominant_value_and_the_shortfall() -> None:
    cohort = plain("0123456789", community="XXXXXXXYYY")
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_reviewers(cohort, Rules(3, ("community",)))
    error = caught.value
    assert (error.rule, error.shortfall) == ("not-same:community", 12)
    assert str(error) == (
        "not-same community: community 'X' has 7 of 10 participants; its 7 authors need 21 "
        "reviews but only 3 reviewers outside 'X' can review them, giving at most 9; "
        "short by 12 reviews"
    )


def test_blocking_rule_is_the_first_in_order_of_importance() -> None:
    cohort = plain("012345", team="aabbcc", city="xxxyyy")
    check_feasibility(cohort, Rules(3, ("team",)))
    with pytest.raises(AllocationInfeasible) as caught:
        check_feasibility(cohort, Rules(3, ("team", "city")))
    assert caught.value.rule == "not-same:city"


def test_empty_not_same_value_shares_with_nobody() -> None:
    cohort = Cohort(ids=("0", "1", "2", "3"), columns={"community": ("", "", "", "")})
    allocation = allocate_reviewers(cohort, Rules(3, ("community",)))
    assert len(allocation) == 12


def test_plain_allocation_is_k_regular_and_deterministic() -> None:
    cohort = plain("abcdefgh", community="xxyyzzww", country="pqpqrrpq")
    rules = Rules(3, ("community",), "country")
    first = allocate_reviewers(cohort, rules)
    assert_valid(first)
    assert first.pairs() == allocate_reviewers(cohort, rules).pairs()


def test_spread_reaches_the_bound_when_values_allow() -> None:
    cohort = plain("0123456789AB", country="abcdabcdabcd")
    allocation = allocate_reviewers(cohort, Rules(3, (), "country"))
    assert allocation.spread_total == allocation.spread_bound == 36
    assert set(spread_per_author(allocation).values()) == {3}


def test_authors_who_did_not_submit_are_not_reviewed_and_loads_are_even() -> None:
    cohort = Cohort.from_participants([Participant(str(i), {}, is_author=i < 3) for i in range(5)])
    allocation = allocate_reviewers(cohort, Rules(2))
    assert_valid(allocation)
    assert sorted(Counter(r for r, _ in allocation.pairs()).values()) == [1, 1, 1, 1, 2]
    assert {a for _, a in allocation.pairs()} == {"0", "1", "2"}


def test_unknown_column_is_a_rules_error() -> None:
    with pytest.raises(RulesError, match="unknown column 'team'"):
        allocate_reviewers(plain("abcd", community="xxyy"), Rules(1, ("team",)))


def test_relaxation_drops_least_important_not_same_first() -> None:
    cohort = plain("012345", team="aabbcc", city="xxxyyy")
    relaxation = relax_rules(cohort, Rules(3, ("team", "city")))
    assert relaxation.rules == Rules(3, ("team",))
    assert relaxation.dropped_not_same == ("city",)
    assert relaxation.reviews_reduced_by == 0


def test_relaxation_reduces_k_last() -> None:
    relaxation = relax_rules(plain("abc", community="xyz"), Rules(3, ("community",)))
    assert relaxation.rules == Rules(2)
    assert relaxation.reviews_reduced_by == 1


def test_repair_after_late_submission_changes_few_pairs() -> None:
    cohort = plain("abcdefgh")
    rules = Rules(3)
    before = allocate_reviewers(cohort, rules)
    repair = repair_allocation(plain("abcdefghi"), rules, before.pairs())
    assert_valid(repair.allocation)
    # the newcomer reviews 3 and is reviewed by 3, taking over 3 reviews: 6 added, 3 removed
    assert (len(repair.added), len(repair.removed)) == (6, 3)


def test_repair_after_withdrawal_only_replaces_the_lost_reviews() -> None:
    rules = Rules(2)
    before = allocate_reviewers(plain("abcdefg"), rules)
    repair = repair_allocation(plain("abcdef"), rules, before.pairs())
    assert_valid(repair.allocation)
    assert len(repair.removed) == 4
    assert len(repair.added) == 2


def test_parse_csv_reads_ids_and_columns() -> None:
    cohort = parse_cohort_csv("id,community,country\n1,x,DE\n2, y ,\n")
    assert cohort.ids == ("1", "2")
    assert cohort.columns == {"community": ("x", "y"), "country": ("DE", "")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("name,community\nA,x\n", "no 'id' column"),
        ("id\n1\n1\n2\n", "duplicate ids: 1"),
        ("id,c\n1,x,y\n", "row 2 has 3 cells"),
        ("id,c\n,x\n", "row 2 has an empty id"),
    ],
)
def test_parse_csv_rejects_bad_files(text: str, message: str) -> None:
    with pytest.raises(CohortError, match=message):
        parse_cohort_csv(text)


def test_allocation_when_a_large_reviewer_group_gives_nothing() -> None:
    # found by a longer randomized run: a hub that carries no flow at all
    cohort = Cohort(
        ids=("p0", "p1", "p2", "p3", "p4", "p5"),
        columns={"c1": ("a", "a", "a", "a", "a", "b")},
        is_author=(True, False, False, False, False, True),
        is_reviewer=(True,) * 6,
    )
    allocation = allocate_reviewers(cohort, Rules(1, (), "c1"))
    assert_valid(allocation)
    assert allocation.spread_total == 2
