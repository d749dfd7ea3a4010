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
    reviewer_ids = {r.id for r in reviewers}
    applicant_ids = {a.applicant for a in applications}
    already: dict[str, int] = defaultdict(int)
    for assigned in existing.values():
        for reviewer_id in assigned:
            already[reviewer_id] += 1
    involved = {r for assigned in existing.values() for r in assigned}

    # Reviewers who also apply or already review are groups of their own, so an
    # application can exclude exactly them.
    reviewer_groups: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for reviewer in sorted(reviewers, key=lambda r: r.id):
        alone = reviewer.id if reviewer.id in applicant_ids or reviewer.id in involved else ""
        key = (reviewer.community, alone, already[reviewer.id])
        reviewer_groups[key].append(reviewer.id)
    application_groups: dict[tuple[str, str, frozenset[str]], list[ReviewApplication]] = (
        defaultdict(list)
    )
    for application in sorted(applications, key=lambda a: a.id):
        own = application.applicant if application.applicant in reviewer_ids else ""
        excluded = frozenset(existing.get(application.id, ()))
        application_groups[application.community, own, excluded].append(application)

    h_keys = list(reviewer_groups)
    g_keys = list(application_groups)
    h_size = np.array([len(reviewer_groups[k]) for k in h_keys], dtype=np.int64)
    g_size = np.array([len(application_groups[k]) for k in g_keys], dtype=np.int64)
    need = np.array([max(0, per_application - len(k[2])) for k in g_keys], dtype=np.int64)
    eligible = np.array(
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
    available = eligible.astype(np.int64) @ h_size
    short = np.flatnonzero(available < need)
    if len(short):
        g = int(short[0])
        application = application_groups[g_keys[g]][0]
        have = int(available[g]) + len(g_keys[g][2])
        noun = "reviewer" if have == 1 else "reviewers"
        raise InfeasibleAssignment(
            f"application {application.id} has only {have} eligible {noun}, "
            f"needs {per_application}",
            application.id,
        )

    load = np.array([k[2] for k in h_keys], dtype=np.int64)
    total = int(load @ h_size + need @ g_size)
    count = len(reviewers)
    floor, ceil = (total // count, -(-total // count)) if count else (0, 0)
    flows = _group_flows(
        g_size * need,
        g_size[:, None] * h_size[None, :] * eligible,
        h_size * np.maximum(floor - load, 0),
        h_size * np.maximum(ceil - load, 0),
    )
    if flows is None:  # balanced loads are impossible: make the largest load the smallest
        low, high = ceil, ceil + len(applications)
        while low < high:
            middle = (low + high) // 2
            trial = _group_flows(
                g_size * need,
                g_size[:, None] * h_size[None, :] * eligible,
                np.zeros_like(h_size),
                h_size * np.maximum(middle - load, 0),
            )
            low, high = (low, middle) if trial is not None else (middle + 1, high)
        flows = _group_flows(
            g_size * need,
            g_size[:, None] * h_size[None, :] * eligible,
            np.zeros_like(h_size),
            h_size * np.maximum(low - load, 0),
        )
        assert flows is not None  # noqa: S101 (every application has enough eligible reviewers)

    result: dict[str, tuple[str, ...]] = {}
    pointer = [0] * len(h_keys)
    for g, g_key in enumerate(g_keys):
        members = application_groups[g_key]
        slots = np.repeat(np.arange(len(h_keys)), flows[g])
        for i, application in enumerate(members):
            chosen = list(existing.get(application.id, ()))
            for h, taken in zip(
                *np.unique(slots[i :: len(members)], return_counts=True), strict=True
            ):
                group = reviewer_groups[h_keys[h]]
                for step in range(int(taken)):
                    chosen.append(group[(pointer[h] + step) % len(group)])
                pointer[h] += int(taken)
            result[application.id] = tuple(chosen)
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
