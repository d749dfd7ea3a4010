"""Assign reviewers to applications: enough distinct, eligible reviewers each, loads balanced.

Rules: every application gets at least ``per_application`` distinct reviewers; nobody reviews
their own application (reviewers and applicants are compared by person id) or one from their
own community (an empty community is no community); reviewer loads differ by at most one
when that is possible, and otherwise the largest load is as small as possible.

Applications with the same community (and the same excluded reviewers) are interchangeable,
as are reviewers with the same community and load, so a maximum flow between these groups
(``scipy.sparse.csgraph.maximum_flow``) decides how many reviews go from each reviewer group
to each application group; round robin then spreads them inside the groups, which keeps
every application's reviewers distinct and every reviewer's load within one of the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array
from scipy.sparse.csgraph import maximum_flow


class AssignmentError(ValueError):
    """The applications, reviewers or existing assignments given are not usable."""


class InfeasibleAssignment(AssignmentError):
    """Some application cannot get enough eligible reviewers; ``application`` is its id."""

    def __init__(self, message: str, application: str) -> None:
        super().__init__(message)
        self.application = application


@dataclass(frozen=True, slots=True)
class ReviewApplication:
    id: str
    applicant: str  # the applicant's person id
    community: str = ""


@dataclass(frozen=True, slots=True)
class Reviewer:
    id: str  # the reviewer's person id
    community: str = ""


@dataclass(frozen=True, slots=True)
class ReviewerAssignment:
    reviewers: Mapping[str, tuple[str, ...]]  # application id -> existing, then new, reviewers
    loads: Mapping[str, int]  # reviewer id -> applications to review, existing included
    is_balanced: bool  # loads differ by at most one


def assign_reviewers(
    applications: Sequence[ReviewApplication],
    reviewers: Sequence[Reviewer],
    *,
    per_application: int = 2,
    existing: Mapping[str, Collection[str]] | None = None,
) -> ReviewerAssignment:
    """Give each application ``per_application`` reviewers, keeping ``existing`` ones.

    Existing assignments are kept as they are and count towards ``per_application`` and the
    loads. Raises ``InfeasibleAssignment`` when an application has too few eligible reviewers.
    """
    existing = existing or {}
    _check(applications, reviewers, existing, per_application)
    already: dict[str, int] = defaultdict(int)
    for assigned in existing.values():
        for reviewer_id in assigned:
            already[reviewer_id] += 1
    groups = _Groups.build(applications, reviewers, existing, already)
    need = np.array([max(0, per_application - len(k[2])) for k in groups.g_keys], dtype=np.int64)
    _check_enough_eligible(groups, need, per_application)
    flows = _least_loaded_flows(groups, need, len(reviewers), len(applications))
    result = _spread_within_groups(groups, flows, existing)
    loads = {r.id: already[r.id] for r in reviewers}
    for application in applications:
        for reviewer_id in result[application.id][len(existing.get(application.id, ())) :]:
            loads[reviewer_id] += 1
    spread = max(loads.values(), default=0) - min(loads.values(), default=0)
    return ReviewerAssignment(
        reviewers={a.id: result[a.id] for a in applications},
        loads=loads,
        is_balanced=spread <= 1,
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Groups:
    """Interchangeable reviewers (``h``: community, themselves when they apply or already
    review, load so far) and applications (``g``: community, the applicant when they also
    review, the existing reviewers); ``eligible[g, h]``: group h may review group g."""

    reviewers: dict[tuple[str, str, int], list[str]]
    applications: dict[tuple[str, str, frozenset[str]], list[ReviewApplication]]
    h_keys: list[tuple[str, str, int]]
    g_keys: list[tuple[str, str, frozenset[str]]]
    h_size: npt.NDArray[np.int64]
    g_size: npt.NDArray[np.int64]
    eligible: npt.NDArray[np.bool_]

    @classmethod
    def build(
        cls,
        applications: Sequence[ReviewApplication],
        reviewers: Sequence[Reviewer],
        existing: Mapping[str, Collection[str]],
        already: Mapping[str, int],
    ) -> _Groups:
        reviewer_ids = {r.id for r in reviewers}
        applicant_ids = {a.applicant for a in applications}
        involved = {r for assigned in existing.values() for r in assigned}
        # Reviewers who also apply or already review are groups of their own, so an
        # application can exclude exactly them.
        reviewer_groups: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        for reviewer in sorted(reviewers, key=lambda r: r.id):
            alone = reviewer.id if reviewer.id in applicant_ids or reviewer.id in involved else ""
            reviewer_groups[reviewer.community, alone, already[reviewer.id]].append(reviewer.id)
        application_groups: dict[tuple[str, str, frozenset[str]], list[ReviewApplication]] = (
            defaultdict(list)
        )
        for application in sorted(applications, key=lambda a: a.id):
            own = application.applicant if application.applicant in reviewer_ids else ""
            excluded = frozenset(existing.get(application.id, ()))
            application_groups[application.community, own, excluded].append(application)
        h_keys, g_keys = list(reviewer_groups), list(application_groups)
        return cls(
            reviewers=reviewer_groups,
            applications=application_groups,
            h_keys=h_keys,
            g_keys=g_keys,
            h_size=np.array([len(reviewer_groups[k]) for k in h_keys], dtype=np.int64),
            g_size=np.array([len(application_groups[k]) for k in g_keys], dtype=np.int64),
            eligible=_eligible(g_keys, h_keys),
        )


def _eligible(
    g_keys: list[tuple[str, str, frozenset[str]]], h_keys: list[tuple[str, str, int]]
) -> npt.NDArray[np.bool_]:
    """``[g, h]``: not the same (non-empty) community, and a reviewer on their own is neither
    the applicant nor already reviewing the application."""
    return np.array(
        [
            [
                not (g_community and g_community == h_community)
                and (not h_alone or (h_alone != g_own and h_alone not in g_existing))
                for h_community, h_alone, _ in h_keys
            ]
            for g_community, g_own, g_existing in g_keys
        ],
        dtype=bool,
    ).reshape(len(g_keys), len(h_keys))


def _check_enough_eligible(
    groups: _Groups, need: npt.NDArray[np.int64], per_application: int
) -> None:
    """Raise ``InfeasibleAssignment`` for the first application with too few eligible reviewers."""
    available = groups.eligible.astype(np.int64) @ groups.h_size
    short = np.flatnonzero(available < need)
    if not len(short):
        return
    g = int(short[0])
    application = groups.applications[groups.g_keys[g]][0]
    have = int(available[g]) + len(groups.g_keys[g][2])
    noun = "reviewer" if have == 1 else "reviewers"
    raise InfeasibleAssignment(
        f"application {application.id} has only {have} eligible {noun}, needs {per_application}",
        application.id,
    )


def _least_loaded_flows(
    groups: _Groups, need: npt.NDArray[np.int64], reviewers: int, applications: int
) -> npt.NDArray[np.int64]:
    """Reviews from each reviewer group to each application group: loads within one of each
    other when possible, else the smallest largest load (a binary search on it)."""
    h_size, g_size = groups.h_size, groups.g_size
    load = np.array([k[2] for k in groups.h_keys], dtype=np.int64)
    total = int(load @ h_size + need @ g_size)
    floor, ceil = (total // reviewers, -(-total // reviewers)) if reviewers else (0, 0)
    supply = g_size * need
    capacity = g_size[:, None] * h_size[None, :] * groups.eligible
    flows = _group_flows(
        supply, capacity, h_size * np.maximum(floor - load, 0), h_size * np.maximum(ceil - load, 0)
    )
    if flows is not None:
        return flows
    none = np.zeros_like(h_size)
    low, high = ceil, ceil + applications
    while low < high:
        middle = (low + high) // 2
        trial = _group_flows(supply, capacity, none, h_size * np.maximum(middle - load, 0))
        low, high = (low, middle) if trial is not None else (middle + 1, high)
    flows = _group_flows(supply, capacity, none, h_size * np.maximum(low - load, 0))
    assert flows is not None  # noqa: S101 — _check_enough_eligible passed, so the top of the search is feasible
    return flows


def _spread_within_groups(
    groups: _Groups, flows: npt.NDArray[np.int64], existing: Mapping[str, Collection[str]]
) -> dict[str, tuple[str, ...]]:
    """Each application's reviewers, existing first: round robin over the application group's
    members, and within each reviewer group a pointer going round its members."""
    result: dict[str, tuple[str, ...]] = {}
    h_members = [groups.reviewers[key] for key in groups.h_keys]
    pointer = [0] * len(h_members)
    for g, g_key in enumerate(groups.g_keys):
        members = groups.applications[g_key]
        slots = np.repeat(np.arange(len(h_members)), flows[g])
        for i, application in enumerate(members):
            chosen = list(existing.get(application.id, ()))
            for h, taken in zip(
                *np.unique(slots[i :: len(members)], return_counts=True), strict=True
            ):
                group = h_members[h]
                for step in range(int(taken)):
                    chosen.append(group[(pointer[h] + step) % len(group)])
                pointer[h] += int(taken)
            result[application.id] = tuple(chosen)
    return result


def _check(
    applications: Sequence[ReviewApplication],
    reviewers: Sequence[Reviewer],
    existing: Mapping[str, Collection[str]],
    per_application: int,
) -> None:
    if per_application < 0:
        raise AssignmentError("the number of reviewers per application must not be negative")
    application_ids = {a.id for a in applications}
    reviewer_ids = {r.id for r in reviewers}
    if len(application_ids) != len(applications):
        raise AssignmentError("an application id occurs more than once")
    if len(reviewer_ids) != len(reviewers):
        raise AssignmentError("a reviewer id occurs more than once")
    for application_id, assigned in existing.items():
        if application_id not in application_ids:
            raise AssignmentError(f"existing assignment for unknown application {application_id}")
        unknown = set(assigned) - reviewer_ids
        if unknown:
            raise AssignmentError(
                f"application {application_id} has unknown reviewer {min(unknown)}"
            )
        if len(set(assigned)) != len(assigned):
            raise AssignmentError(f"application {application_id} has a reviewer twice")


def _group_flows(
    supply: np.ndarray, capacity: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> np.ndarray | None:
    """Flows application group -> reviewer group meeting every supply exactly, or None.

    Reviewer group h must receive between ``lower[h]`` and ``upper[h]``. Lower bounds are
    removed the usual way: a circulation with a return edge sink -> source is feasible iff
    a maximum flow from a new source to a new sink saturates the demands.
    """
    groups, reviewer_groups = capacity.shape
    source, sink, new_source, new_sink = 0, 1, 2, 3
    app_node = 4 + np.arange(groups)
    rev_node = 4 + groups + np.arange(reviewer_groups)
    if (lower > upper).any():
        return None
    excess = np.zeros(4 + groups + reviewer_groups, dtype=np.int64)
    excess[app_node] += supply
    excess[source] -= supply.sum()
    excess[sink] += lower.sum()
    excess[rev_node] -= lower
    big = int(supply.sum()) + 1
    g_index, h_index = np.nonzero(capacity)
    heads = [app_node[g_index], rev_node, [sink]]
    tails = [rev_node[h_index], np.full(reviewer_groups, sink), [source]]
    caps = [capacity[g_index, h_index], upper - lower, [big]]
    positive, negative = np.flatnonzero(excess > 0), np.flatnonzero(excess < 0)
    heads += [np.full(len(positive), new_source), negative]
    tails += [positive, np.full(len(negative), new_sink)]
    caps += [excess[positive], -excess[negative]]
    size = 4 + groups + reviewer_groups
    graph = coo_array(
        (
            np.concatenate(caps).astype(np.int32),
            (np.concatenate(heads).astype(np.int32), np.concatenate(tails).astype(np.int32)),
        ),
        shape=(size, size),
    ).tocsr()
    result = maximum_flow(graph, new_source, new_sink, method="dinic")
    if result.flow_value != excess[positive].sum():
        return None
    flow = result.flow.toarray()
    return np.maximum(flow[np.ix_(app_node, rev_node)], 0).astype(np.int64)
