import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohortkit.applications.assignment import (
    InfeasibleAssignment,
    ReviewApplication,
    Reviewer,
    ReviewerAssignment,
    assign_reviewers,
)

COMMUNITIES = ["", "north", "south"]


def eligible(application: ReviewApplication, reviewer: Reviewer) -> bool:
    same = application.community and application.community == reviewer.community
    return reviewer.id != application.applicant and not same


def test_assign_reviewers_spreads_the_load_evenly() -> None:
    applications = [ReviewApplication(f"a{i}", f"p{i}") for i in range(3)]
    reviewers = [Reviewer("r1"), Reviewer("r2"), Reviewer("r3")]

    assignment = assign_reviewers(applications, reviewers, per_application=2)

    assert assignment == ReviewerAssignment(
        reviewers=assignment.reviewers,
        loads={"r1": 2, "r2": 2, "r3": 2},
        is_balanced=True,
    )
    assert all(len(set(chosen)) == 2 for chosen in assignment.reviewers.values())


def test_assign_reviewers_never_assigns_own_application_or_community() -> None:
    applications = [
        ReviewApplication("a1", "r1", "north"),
        ReviewApplication("a2", "x", "north"),
        ReviewApplication("a3", "r3", ""),
    ]
    reviewers = [Reviewer("r1", "south"), Reviewer("r2", "north"), Reviewer("r3", "")]

    assignment = assign_reviewers(applications, reviewers, per_application=1)

    assert dict(assignment.reviewers) == {"a1": ("r3",), "a2": ("r1",), "a3": ("r2",)}


def test_assign_reviewers_names_an_application_without_enough_reviewers() -> None:
    applications = [ReviewApplication("a1", "r1", "north")]
    reviewers = [Reviewer("r1"), Reviewer("r2", "north"), Reviewer("r3", "south")]

    with pytest.raises(InfeasibleAssignment) as raised:
        assign_reviewers(applications, reviewers, per_application=2)

    assert str(raised.value) == "application a1 has only 1 eligible reviewer, needs 2"
    assert raised.value.application == "a1"


def test_assign_reviewers_keeps_existing_assignments_and_adds_what_is_missing() -> None:
    applications = [ReviewApplication("a1", "p1"), ReviewApplication("a2", "p2")]
    reviewers = [Reviewer("r1"), Reviewer("r2"), Reviewer("r3")]

    assignment = assign_reviewers(
        applications, reviewers, per_application=2, existing={"a1": ["r1", "r2"]}
    )

    assert assignment == ReviewerAssignment(
        reviewers={"a1": ("r1", "r2"), "a2": ("r1", "r3")},
        loads={"r1": 2, "r2": 1, "r3": 1},
        is_balanced=True,
    )


def test_assign_reviewers_reports_unbalanced_loads_when_communities_force_them() -> None:
    applications = [ReviewApplication(f"a{i}", f"p{i}", "north") for i in range(4)]
    reviewers = [Reviewer("r1", "north"), Reviewer("r2", "south")]

    assignment = assign_reviewers(applications, reviewers, per_application=1)

    assert assignment == ReviewerAssignment(
        reviewers={f"a{i}": ("r2",) for i in range(4)},
        loads={"r1": 0, "r2": 4},
        is_balanced=False,
    )


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[ReviewApplication], list[Reviewer], int]:
    reviewers = [
        Reviewer(f"p{i}", draw(st.sampled_from(COMMUNITIES)))
        for i in range(draw(st.integers(1, 4)))
    ]
    applications = [
        ReviewApplication(
            f"a{i}", f"p{draw(st.integers(0, 6))}", draw(st.sampled_from(COMMUNITIES))
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    return applications, reviewers, draw(st.integers(1, 2))


def best_spread(
    applications: list[ReviewApplication], reviewers: list[Reviewer], per_application: int
) -> tuple[int, bool] | None:
    """Brute force: the smallest largest load, and whether loads within one are possible."""
    options = [
        list(itertools.combinations([r.id for r in reviewers if eligible(a, r)], per_application))
        for a in applications
    ]
    best: tuple[int, bool] | None = None
    for choice in itertools.product(*options):
        loads = {r.id: 0 for r in reviewers}
        for chosen in choice:
            for reviewer_id in chosen:
                loads[reviewer_id] += 1
        largest, balanced = max(loads.values()), max(loads.values()) - min(loads.values()) <= 1
        best = (largest, balanced) if best is None else (min(best[0], largest), best[1] or balanced)
    return best


@settings(max_examples=300, deadline=None)
@given(instances())
def test_assign_reviewers_follows_the_rules_and_balances_like_brute_force(
    instance: tuple[list[ReviewApplication], list[Reviewer], int],
) -> None:
    applications, reviewers, per_application = instance
    by_id = {r.id: r for r in reviewers}
    expected = best_spread(applications, reviewers, per_application)
    try:
        assignment = assign_reviewers(applications, reviewers, per_application=per_application)
    except InfeasibleAssignment:
        assert expected is None
        return

    assert expected is not None
    for application in applications:
        chosen = assignment.reviewers[application.id]
        assert len(set(chosen)) == len(chosen) == per_application
        assert all(eligible(application, by_id[r]) for r in chosen)
    assert assignment.is_balanced == expected[1]
    if not expected[1]:
        assert max(assignment.loads.values()) == expected[0]
    assert sum(assignment.loads.values()) == per_application * len(applications)
