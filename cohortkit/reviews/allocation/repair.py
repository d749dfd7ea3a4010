"""Repairing an allocation after the cohort or the rules change, changing the fewest pairs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cohortkit.reviews.allocation.allocate import _spread_scores
from cohortkit.reviews.allocation.feasibility import check_feasibility
from cohortkit.reviews.allocation.groups import _codes, _group
from cohortkit.reviews.allocation.model import (
    Allocation,
    BoolArray,
    Cohort,
    IntArray,
    Repair,
    Rules,
)


def repair_allocation(cohort: Cohort, rules: Rules, previous: Iterable[tuple[str, str]]) -> Repair:
    """Adapt ``previous`` (reviewer id, author id) pairs to a changed cohort and rules.

    Pairs with people no longer in the cohort, no longer in that role or now against a
    rule are dropped; the rest are kept where possible. The result is valid under the hard
    rules and changes (adds plus removes) as few pairs as possible:

    * exact when every reviewer gives the same number of reviews (always in the plain
      K-regular case): a min-cost flow by successive shortest paths from the kept pairs,
      new pairs costing 1 and previous pairs 0, so no valid allocation keeps more;
    * otherwise (loads differing by one) the same in two phases, first up to the lower load
      and then the rest: always valid, but it may change a few more pairs than needed.

    The spread column is not re-optimised: repairing keeps pairs rather than spread.
    Time is O(changes x people^2) in the worst case and usually far less thanks to early
    stopping: meant for web-sized cohorts (thousands), not for 100,000.
    """
    check_feasibility(cohort, rules)
    k = rules.reviews
    ids = cohort.ids
    position = {pid: i for i, pid in enumerate(ids)}
    r_global = np.flatnonzero(cohort.reviewer_flags()).astype(np.int64)
    a_global = np.flatnonzero(cohort.author_flags()).astype(np.int64)
    r_local = {int(p): i for i, p in enumerate(r_global)}
    a_local = {int(p): i for i, p in enumerate(a_global)}
    if rules.not_same:
        codes = np.stack([_codes(cohort.columns[c]) for c in rules.not_same], axis=1)
    else:
        codes = np.zeros((len(ids), 0), dtype=np.int64)
    a_codes = codes[a_global]
    total = k * len(a_global)
    low, extra = divmod(total, len(r_global)) if len(r_global) else (0, 0)
    high = low + (1 if extra else 0)

    def allowed_row(r: int) -> BoolArray:
        p = int(r_global[r])
        mine = codes[p]
        ok: BoolArray = a_global != p
        if mine.size:
            ok &= np.all((a_codes != mine) | (mine == -1), axis=1)
        return ok

    previous_list = list(previous)
    old: list[set[int]] = [set() for _ in r_global]
    usable: list[tuple[int, int]] = []
    for reviewer_id, author_id in previous_list:
        p, q = position.get(reviewer_id), position.get(author_id)
        if p is None or q is None or p not in r_local or q not in a_local:
            continue
        r, a = r_local[p], a_local[q]
        if a in old[r] or not allowed_row(r)[a]:
            continue
        old[r].add(a)
        usable.append((r, a))

    outs: list[set[int]] = []
    for initial_cap in (high, low) if high > low else (low,):
        # Keeping up to the higher load keeps the most, but phase one may then strand a
        # reviewer below the lower load; keeping up to the lower load never does.
        outs = [set() for _ in r_global]
        ins: list[set[int]] = [set() for _ in a_global]
        for r, a in usable:
            if len(outs[r]) < initial_cap and len(ins[a]) < k:
                outs[r].add(a)
                ins[a].add(r)
        search = _PathSearch(allowed_row, old, outs, ins, k)
        try:
            search.augment(cap=low, total=total)
            search.augment(cap=high, total=total)
        except _NoPath:
            continue
        if all(low <= len(s) <= high for s in outs) and sum(map(len, outs)) == total:
            break
    else:  # pragma: no cover -- keeping up to the lower load always succeeds when feasible
        raise AssertionError("repair found no allocation although one exists")
    pairs = sorted((int(r_global[r]), int(a_global[a])) for r, s in enumerate(outs) for a in s)
    reviewer = np.array([p for p, _ in pairs], dtype=np.int64)
    author = np.array([q for _, q in pairs], dtype=np.int64)
    spread_total, bound = _spread_scores(cohort, rules, _group(cohort, rules), reviewer, author)
    allocation = Allocation(cohort, rules, reviewer, author, spread_total, bound)
    new_pairs = allocation.pairs()
    old_pairs = set(previous_list)
    new_set = set(new_pairs)
    return Repair(
        allocation=allocation,
        kept=len(new_set & old_pairs),
        added=tuple(p for p in new_pairs if p not in old_pairs),
        removed=tuple(sorted(old_pairs - new_set)),
    )


class _NoPath(Exception):
    pass


class _PathSearch:
    """Successive shortest augmenting paths on the person-level reviewer -> author graph.

    Residual arcs: reviewer -> author for an allowed pair not in use (cost 0 if it was a
    previous pair, else 1); author -> reviewer for a pair in use (minus its cost: giving it
    up). Johnson potentials keep reduced costs non-negative so Dijkstra applies; the graph
    stays implicit (a reviewer's allowed authors are a numpy row, computed when needed).
    """

    def __init__(
        self,
        allowed_row: Callable[[int], BoolArray],
        old: list[set[int]],
        outs: list[set[int]],
        ins: list[set[int]],
        k: int,
    ) -> None:
        self.allowed_row = allowed_row
        self.old, self.outs, self.ins, self.k = old, outs, ins, k
        self.pi_r = np.zeros(len(outs))
        self.pi_a = np.zeros(len(ins))
        self.pi_t = 0.0
        self._rows: dict[int, BoolArray] = {}

    def augment(self, *, cap: int, total: int) -> None:
        """Augment from reviewers giving fewer than ``cap`` until ``total`` pairs are placed."""
        outs = self.outs
        placed = sum(map(len, outs))
        while placed < total:
            sources = np.array([len(s) < cap for s in outs], dtype=np.bool_)
            if not sources.any():
                return
            self._shortest_path(sources)
            placed += 1

    def _row(self, r: int) -> BoolArray:
        """Authors reviewer ``r`` may review; cached while the cache stays small."""
        row = self._rows.get(r)
        if row is None:
            row = self.allowed_row(r)
            if len(self._rows) * len(row) < 20_000_000:
                self._rows[r] = row
        return row

    def _shortest_path(self, sources: BoolArray) -> None:
        """One Dijkstra from the short reviewers to a short author, then augment along it."""
        labels = _Labels.start(sources, self.pi_r, len(self.ins))
        n_r = len(self.outs)
        level = min(labels.buckets)
        while (found := labels.next_node(level)) is not None:
            node, level = found
            if node < n_r:
                self._settle_reviewer(labels, node, level)
            else:
                self._settle_author(labels, node - n_r, level)
        self.pi_r = self.pi_r + np.minimum(labels.dist_r, labels.dist_t)
        self.pi_a = self.pi_a + np.minimum(labels.dist_a, labels.dist_t)
        self.pi_t += labels.dist_t
        self._augment_along(labels)

    def _settle_reviewer(self, labels: _Labels, r: int, level: int) -> None:
        """Reviewer ``r`` is at distance ``level``: relax its arcs to the authors it may take."""
        if labels.done_r[r] or labels.dist_r[r] != level:
            return  # settled already, or a stale queue entry
        labels.done_r[r] = True
        row = self._row(r) & ~labels.done_a
        if self.outs[r]:
            row[list(self.outs[r])] = False
        cand = np.flatnonzero(row)
        nd = level + self._costs(labels, r, cand) + self.pi_r[r] - self.pi_a[cand]
        better = nd < labels.dist_a[cand]
        idx, nd = cand[better], nd[better]
        labels.dist_a[idx] = nd
        labels.prev_a[idx] = r
        n_r, buckets = len(self.outs), labels.buckets
        for a, d in zip(idx.tolist(), nd.tolist(), strict=True):
            buckets.setdefault(round(d), []).append(n_r + a)  # labels.push, inlined: hot

    def _costs(self, labels: _Labels, r: int, cand: IntArray) -> npt.NDArray[np.float64]:
        """The cost of reviewer ``r`` newly reviewing each of ``cand``: 0 for a previous pair."""
        cost = np.ones(cand.size)
        if self.old[r]:
            previous = list(self.old[r])
            labels.is_old[previous] = True
            cost[labels.is_old[cand]] = 0.0
            labels.is_old[previous] = False
        return cost

    def _settle_author(self, labels: _Labels, a: int, level: int) -> None:
        """Author ``a`` is at distance ``level``: relax giving up each of its pairs, and the
        sink when it still lacks reviews."""
        if labels.done_a[a] or labels.dist_a[a] != level:
            return  # settled already, or a stale queue entry
        labels.done_a[a] = True
        for r2 in self.ins[a]:
            back = 0.0 if a in self.old[r2] else -1.0
            d = float(level + back + self.pi_a[a] - self.pi_r[r2])
            if d < labels.dist_r[r2]:
                labels.dist_r[r2] = d
                labels.prev_r[r2] = a
                labels.push(d, r2)
        if len(self.ins[a]) < self.k:
            d = float(level + self.pi_a[a] - self.pi_t)
            if d < labels.dist_t:
                labels.dist_t, labels.prev_t = d, a

    def _augment_along(self, labels: _Labels) -> None:
        """Take the path's new pairs and give up the pairs it crosses backwards."""
        outs, ins = self.outs, self.ins
        a = labels.prev_t
        while True:
            r = int(labels.prev_a[a])
            outs[r].add(a)
            ins[a].add(r)
            given_up = int(labels.prev_r[r])
            if given_up < 0:
                break
            outs[r].discard(given_up)
            ins[given_up].discard(r)
            a = given_up


@dataclass(slots=True, eq=False)
class _Labels:
    """One Dijkstra's state. Reviewers are nodes ``0 ... n_r - 1``, authors ``n_r + a``.

    Distances are reduced costs, integers, so the queue is a bucket per distance (``push``,
    ``next_node``). ``prev_a[a]`` is the reviewer that newly takes author ``a``, ``prev_r[r]``
    the author whose pair reviewer ``r`` gives up; ``prev_t`` the short author reaching the
    sink at ``dist_t``.
    """

    dist_r: npt.NDArray[np.float64]
    dist_a: npt.NDArray[np.float64]
    done_r: BoolArray
    done_a: BoolArray
    prev_a: IntArray
    prev_r: IntArray
    is_old: BoolArray  # scratch, all False between uses
    buckets: dict[int, list[int]]
    dist_t: float = np.inf
    prev_t: int = -1

    @classmethod
    def start(cls, sources: BoolArray, pi_r: npt.NDArray[np.float64], n_a: int) -> _Labels:
        n_r = len(sources)
        pi_s = float(pi_r[sources].max())  # any potential >= the sources' keeps arcs >= 0
        labels = cls(
            dist_r=np.where(sources, pi_s - pi_r, np.inf),
            dist_a=np.full(n_a, np.inf),
            done_r=np.zeros(n_r, dtype=np.bool_),
            done_a=np.zeros(n_a, dtype=np.bool_),
            prev_a=np.full(n_a, -1, dtype=np.int64),
            prev_r=np.full(n_r, -1, dtype=np.int64),
            is_old=np.zeros(n_a, dtype=np.bool_),
            buckets={},
        )
        for r in np.flatnonzero(sources).tolist():
            labels.push(labels.dist_r[r], r)
        return labels

    def push(self, distance: float, node: int) -> None:
        self.buckets.setdefault(round(distance), []).append(node)

    def next_node(self, level: int) -> tuple[int, int] | None:
        """The next node to settle (the last pushed at the lowest level, from ``level`` on)
        and its level; None once the sink's distance is reached. Raises :class:`_NoPath`
        when the queue empties before any path reaches the sink."""
        while self.dist_t > level:
            bucket = self.buckets.get(level)
            if bucket:
                return bucket.pop(), level
            self.buckets.pop(level, None)
            if not self.buckets:
                if self.dist_t < np.inf:
                    return None
                raise _NoPath
            level = min(self.buckets)
        return None
