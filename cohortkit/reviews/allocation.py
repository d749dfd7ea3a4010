"""Peer-review allocation: who reviews whose final work.

Pure computation, no Django: the web views, the ``assign_reviewers`` command and the benchmark
all call :func:`allocate_reviewers`.

The rules
---------
* Every author gets exactly ``K`` reviews, from ``K`` different reviewers, never from themselves.
* In the plain case (everybody is author and reviewer, as in the command line) everybody also
  gives exactly ``K`` reviews: a K-regular bipartite reviewer -> author assignment.
  When authors and reviewers differ (the web may add participants who submitted nothing as
  reviewers, or leave them out), reviewers give "as equal as possible" counts: with ``T = K *
  authors`` reviews to give, every reviewer gives ``T // reviewers`` or one more, and exactly
  ``T % reviewers`` of them give one more.
* ``not_same`` columns (hard, in order of importance, most important first): a reviewer never
  shares the column's value with the author. An empty value shares with nobody, so a person
  with no community may review anyone and be reviewed by anyone.
* ``spread`` column (soft): maximise, summed over authors, the number of distinct values
  among each author's reviewers. An empty value counts as one more value of its own (the
  "unknown" value). The optimum is exact (see below); per author it can never exceed
  ``min(K, distinct values among that author's eligible reviewers)``, and
  :attr:`Allocation.spread_bound` is that bound summed over authors.

How
---
Participants are grouped by (not-same values, spread value, role); authors whose class may
not review itself are not split by spread value or role. Within a group everyone is
interchangeable, so the allocator first decides how many reviews go from each reviewer group
to each author group, with a network flow on the group graph:

* hard rules only: :func:`scipy.sparse.csgraph.maximum_flow` (exact feasibility);
* with a spread column: first a maximum flow that demands the per-author upper bound; when it
  is reached (the usual case in large cohorts) the bound proves it optimal. Otherwise a
  min-cost flow, solved as an integer program by HiGHS (:func:`scipy.optimize.milp`), whose
  objective counts, per author group ``h`` and spread value ``v``, ``min(size(h), reviews
  from v into h)``: exactly the distinct-value count the realisation below achieves, so the
  spread optimum is exact, not a heuristic.

The counts are then realised inside groups by cyclic ("round-robin") runs: each reviewer group
lays its reviews out in a cycle over its members, each author group likewise, blocks of the
same spread value adjacent, and a within-group block uses shifted circulants (reviewer ``i``
reviews ``i + s`` for distinct shifts ``s != 0``), so nobody reviews themselves or the same
author twice.

Cost: linear in the number of participants (numpy) plus the flow. The network has
about (reviewer groups x author classes) arcs, since group pairs share hubs per (spread
value, author class); explicit pair arcs exist only between groups of at most K people. One
not-same column of 25 values with 60 spread values at 100,000 people: ~54,000 arcs, 0.3-0.6 s
in all. Several not-same columns multiply the classes: two columns (25 x 8 values) with 60
spread values reach ~1.5 million arcs and ~7 s. Cohorts where most groups have at most K
people (many rare values) degrade towards a person-level graph.

Infeasibility is found before anything is returned (:class:`AllocationInfeasible`), rule by
rule in order; :func:`relax_rules` finds the least relaxation that works, and
:func:`repair_allocation` adapts an existing allocation to a changed cohort with the fewest
changed pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import maximum_flow

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

RULE_TOO_FEW: Final = "too-few-people"
"""Rule name when there are not enough people, whatever the not-same rules."""


# ---------------------------------------------------------------------------------------------
# Inputs and outputs


@dataclass(frozen=True, slots=True)
class Participant:
    """One person: an id, attribute values by column, and what they take part in."""

    id: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    is_author: bool = True
    is_reviewer: bool = True


@dataclass(frozen=True, slots=True, eq=False)
class Cohort:
    """Participants in columns: ``ids[i]`` has ``columns[name][i]`` for every column.

    ``is_author``/``is_reviewer`` default to everybody (the plain K-regular case).
    """

    ids: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    is_author: tuple[bool, ...] | None = None
    is_reviewer: tuple[bool, ...] | None = None

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name, values in self.columns.items():
            if len(values) != n:
                raise CohortError(f"column {name!r} has {len(values)} values for {n} participants")
        for name, flags in (("is_author", self.is_author), ("is_reviewer", self.is_reviewer)):
            if flags is not None and len(flags) != n:
                raise CohortError(f"{name} has {len(flags)} values for {n} participants")
        if len(set(self.ids)) != n:
            counts: dict[str, int] = {}
            for pid in self.ids:
                counts[pid] = counts.get(pid, 0) + 1
            duplicates = sorted(pid for pid, count in counts.items() if count > 1)
            raise CohortError(f"duplicate ids: {', '.join(duplicates[:10])}")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_participants(
        cls, participants: Iterable[Participant], *, columns: Iterable[str] = ()
    ) -> Cohort:
        """Build a cohort; ``columns`` defaults to every attribute any participant has."""
        people = list(participants)
        names = list(columns) or sorted({k for p in people for k in p.attributes})
        return cls(
            ids=tuple(p.id for p in people),
            columns={name: tuple(p.attributes.get(name, "") for p in people) for name in names},
            is_author=tuple(p.is_author for p in people),
            is_reviewer=tuple(p.is_reviewer for p in people),
        )

    def author_flags(self) -> BoolArray:
        if self.is_author is None:
            return np.ones(len(self.ids), dtype=np.bool_)
        return np.asarray(self.is_author, dtype=np.bool_)

    def reviewer_flags(self) -> BoolArray:
        if self.is_reviewer is None:
            return np.ones(len(self.ids), dtype=np.bool_)
        return np.asarray(self.is_reviewer, dtype=np.bool_)


@dataclass(frozen=True, slots=True)
class Rules:
    """``reviews`` is K; ``not_same`` columns are hard and most important first."""

    reviews: int
    not_same: tuple[str, ...] = ()
    spread: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Allocation:
    """Reviewer -> author pairs as row indices into the cohort, sorted by (reviewer, author).

    ``spread_total`` is the achieved sum over authors of distinct spread values among their
    reviewers and ``spread_bound`` the per-author upper bound summed (both 0 without spread).
    """

    cohort: Cohort
    rules: Rules
    reviewer_index: IntArray
    author_index: IntArray
    spread_total: int = 0
    spread_bound: int = 0

    def __len__(self) -> int:
        return len(self.reviewer_index)

    def pairs(self) -> list[tuple[str, str]]:
        """``(reviewer id, author id)`` in the stable order: reviewer row, then author row."""
        ids = self.cohort.ids
        return [
            (ids[r], ids[a])
            for r, a in zip(self.reviewer_index.tolist(), self.author_index.tolist(), strict=True)
        ]


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The least relaxation of ``original`` that works: ``rules`` and what was given up."""

    original: Rules
    rules: Rules
    dropped_not_same: tuple[str, ...]
    reviews_reduced_by: int
    allocation: Allocation

    @property
    def is_relaxed(self) -> bool:
        return self.rules != self.original


@dataclass(frozen=True, slots=True)
class Repair:
    """A repaired allocation and how it differs from the previous one."""

    allocation: Allocation
    kept: int
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.removed)


class CohortError(ValueError):
    """The participant data itself is unusable (duplicate ids, missing ``id`` column, ...)."""


class RulesError(ValueError):
    """The rules do not fit the cohort (unknown column, K < 1)."""


class AllocationInfeasible(Exception):
    """No allocation satisfies the rules.

    ``rule`` names the first blocking rule in order of checking: ``"too-few-people"``, then
    ``"not-same:<column>"`` for each not-same column in the order given. ``shortfall`` is the
    number of reviews that cannot be placed with the rules up to and including that one (from
    a maximum flow, so exact).
    """

    def __init__(self, rule: str, shortfall: int, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.shortfall = shortfall
        self.message = message


# ---------------------------------------------------------------------------------------------
# Groups

# Role tags inside group keys. Only classes whose members may review each other (every
# not-same value empty) need "both" members apart: there a group is on both sides of a
# within-group block. Elsewhere a group never reviews itself, so roles merge.
_BOTH: Final = 0
_SINGLE: Final = 1
_MERGED: Final = 2


def _codes(values: Sequence[str]) -> IntArray:
    """Integer code per value, by first appearance; the empty value is -1."""
    distinct = [v for v in dict.fromkeys(values) if v != ""]
    lookup = dict(zip(distinct, range(len(distinct)), strict=True))
    lookup[""] = -1
    return np.fromiter(map(lookup.__getitem__, values), dtype=np.int64, count=len(values))


def _dense_rows(columns: Sequence[IntArray]) -> tuple[IntArray, IntArray]:
    """Row ids for combinations of integer columns (all >= -1), and the distinct rows.

    Mixed-radix keys, re-densified after each column so they never overflow; 1-D
    ``np.unique`` is far faster than ``np.unique(axis=0)``.
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        shifted = column + 1
        key = key * (int(shifted.max(initial=0)) + 1) + shifted
        _, key = np.unique(key, return_inverse=True)
        key = key.reshape(-1).astype(np.int64)
    n_rows = int(key.max(initial=-1)) + 1
    first = np.full(n_rows, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(len(key) - 1, -1, -1)
    rows = np.stack([column[first] for column in columns], axis=1)
    return key, rows


@dataclass(frozen=True, slots=True, eq=False)
class _Side:
    """Reviewer groups or author groups."""

    people: IntArray  # row indices, group by group (each group in row order)
    size: IntArray
    cls: IntArray
    value: IntArray

    def __len__(self) -> int:
        return len(self.size)


@dataclass(frozen=True, slots=True, eq=False)
class _Groups:
    reviews: int
    reviewers: _Side
    authors: _Side
    compat: BoolArray  # compat[c, d]: class c may review class d
    diagonal: IntArray  # per reviewer group: the author group with the same people, or -1
    n_reviewers: int
    n_authors: int
    total: int  # K * authors
    low_load: int
    high_load: int  # low_load or low_load + 1
    n_values: int
    person_value: IntArray  # spread value code per row (0 = empty), zeros without spread

    def lo(self, g: int) -> int:
        return self.low_load * int(self.reviewers.size[g])

    def hi(self, g: int) -> int:
        return self.high_load * int(self.reviewers.size[g])

    def cap(self, g: int, h: int) -> int:
        n_g, n_h = int(self.reviewers.size[g]), int(self.authors.size[h])
        if self.diagonal[g] == h:
            return n_g * (n_g - 1)
        return n_g * n_h


def _check_rules(cohort: Cohort, rules: Rules) -> None:
    if rules.reviews < 1:
        raise RulesError(f"reviews must be at least 1, not {rules.reviews}")
    names = [*rules.not_same, *([rules.spread] if rules.spread is not None else [])]
    unknown = [name for name in names if name not in cohort.columns]
    if unknown:
        known = ", ".join(sorted(cohort.columns)) or "none"
        raise RulesError(f"unknown column {unknown[0]!r} (columns: {known})")
    if len(set(rules.not_same)) != len(rules.not_same):
        raise RulesError("a not-same column is given twice")


def _group(cohort: Cohort, rules: Rules) -> _Groups:
    n = len(cohort)
    k = rules.reviews
    is_author = cohort.author_flags()
    is_reviewer = cohort.reviewer_flags()
    if rules.not_same:
        person_cls, class_rows = _dense_rows([_codes(cohort.columns[c]) for c in rules.not_same])
        self_ok = np.all(class_rows == -1, axis=1)
        compat = np.all(
            (class_rows[:, None, :] != class_rows[None, :, :]) | (class_rows[:, None, :] == -1),
            axis=2,
        )
    else:
        person_cls = np.zeros(n, dtype=np.int64)
        self_ok = np.ones(1, dtype=np.bool_)
        compat = np.ones((1, 1), dtype=np.bool_)
    if rules.spread is not None:
        value = _codes(cohort.columns[rules.spread]) + 1  # the empty value is value 0
        n_values = int(value.max(initial=0)) + 1
    else:
        value = np.zeros(n, dtype=np.int64)
        n_values = 1
    both = is_author & is_reviewer
    split = self_ok[person_cls]
    tag = np.where(split, np.where(both, _BOTH, _SINGLE), _MERGED)

    def side(mask: BoolArray, key_value: IntArray) -> tuple[_Side, list[tuple[int, int, int]]]:
        people = np.flatnonzero(mask)
        if len(people) == 0:
            empty = np.zeros(0, np.int64)
            return _Side(empty, empty.copy(), empty.copy(), empty.copy()), []
        # one integer key per person, (class, value, tag); a stable sort keeps row order
        radix = n_values + 1
        key = (person_cls[people] * radix + key_value[people] + 1) * 3 + tag[people]
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
        sizes = np.diff(np.r_[starts, len(sorted_key)]).astype(np.int64)
        unique = sorted_key[starts]
        cls, rest = divmod(unique // 3, radix)
        key_list = list(zip(cls.tolist(), (rest - 1).tolist(), (unique % 3).tolist(), strict=True))
        grouped = people[order].astype(np.int64)
        return _Side(grouped, sizes, cls.astype(np.int64), (rest - 1).astype(np.int64)), key_list

    reviewers, r_keys = side(is_reviewer, value)
    # Authors only differ by spread value where a group can sit on both sides of a block.
    authors, a_keys = side(is_author, np.where(split, value, -1))
    a_index = {key: h for h, key in enumerate(a_keys)}
    diagonal = np.array(
        [a_index.get(key, -1) if key[2] == _BOTH else -1 for key in r_keys], dtype=np.int64
    )
    n_reviewers = int(is_reviewer.sum())
    n_authors = int(is_author.sum())
    total = k * n_authors
    low, extra = divmod(total, n_reviewers) if n_reviewers else (0, 0)
    return _Groups(
        reviews=k,
        reviewers=reviewers,
        authors=authors,
        compat=compat,
        diagonal=diagonal,
        n_reviewers=n_reviewers,
        n_authors=n_authors,
        total=total,
        low_load=low,
        high_load=low + (1 if extra else 0),
        n_values=n_values,
        person_value=value,
    )


# ---------------------------------------------------------------------------------------------
# The flow network on groups

_SS: Final = 0  # super source
_TT: Final = 1  # super sink
_POOL: Final = 2  # the reviews above every reviewer's lower load


@dataclass(slots=True, eq=False)
class _Network:
    """Arcs with capacities; ``pair`` routes know their (reviewer group, author group)."""

    n_nodes: int = 3
    tail: list[int] = field(default_factory=list)
    head: list[int] = field(default_factory=list)
    cap: list[int] = field(default_factory=list)
    low: list[int] = field(default_factory=list)
    cost: list[int] = field(default_factory=list)
    # arc -> reviewer group feeding it / author group it feeds (or -1), for decomposition
    from_group: list[int] = field(default_factory=list)
    to_group: list[int] = field(default_factory=list)
    # compressed nodes: their arcs in and out, decomposed by a transport split
    # hub arcs, in and out, each sorted by hub: a hub passes on what it takes in
    hub_in: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    hub_out: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    explicit: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    required: int = 0  # the SS -> TT flow that meets every bound

    def node(self) -> int:
        self.n_nodes += 1
        return self.n_nodes - 1

    def arc(
        self, u: int, v: int, cap: int, *, low: int = 0, cost: int = 0, g: int = -1, h: int = -1
    ) -> int:
        self.tail.append(u)
        self.head.append(v)
        self.cap.append(cap)
        self.low.append(low)
        self.cost.append(cost)
        self.from_group.append(g)
        self.to_group.append(h)
        return len(self.tail) - 1

    def arcs(
        self,
        tail: IntArray,
        head: IntArray,
        cap: IntArray | int,
        *,
        cost: int = 0,
        g: IntArray | None = None,
        h: IntArray | None = None,
    ) -> IntArray:
        """Add many arcs at once; returns their ids."""
        count = len(tail)
        first = len(self.tail)
        none = [-1] * count
        self.tail.extend(tail.tolist())
        self.head.extend(head.tolist())
        self.cap.extend(np.broadcast_to(np.asarray(cap, dtype=np.int64), (count,)).tolist())
        self.low.extend([0] * count)
        self.cost.extend([cost] * count)
        self.from_group.extend(none if g is None else g.tolist())
        self.to_group.extend(none if h is None else h.tolist())
        return np.arange(first, first + count, dtype=np.int64)


def _available_values(gr: _Groups) -> IntArray:
    """Per author group and spread value: how many people of that value may review its authors.

    Shape (author groups, values). A "both" author is not their own reviewer, so groups that
    review themselves count their own value one less.
    """
    rs, au = gr.reviewers, gr.authors
    per_class = np.zeros((gr.compat.shape[0], gr.n_values), dtype=np.int64)
    np.add.at(per_class, (rs.cls, rs.value), rs.size)
    eligible = gr.compat.T.astype(np.int64) @ per_class
    available = eligible[au.cls]
    own = gr.diagonal[gr.diagonal >= 0]
    available[own, au.value[own]] -= 1
    return available


def _build_network(gr: _Groups, *, spread: str | None) -> _Network:
    """Source -> reviewer groups -> routes -> author groups -> sink.

    A reviewer group ``g`` may send at most ``cap(g, h)`` reviews to author group ``h``
    (pairs of distinct people). That cap can only bind when the reviewer group has at most K
    members *and* the author group at most ``high_load`` members, so every other pair goes
    through a shared hub per (spread value, author class) instead of an arc of its own: the
    network stays of size groups x classes, not groups squared. Hubs ``big`` take reviewer
    groups of more than K people to every author group; hubs ``small`` take the rest to author
    groups of more than ``high_load``; the remaining small x small pairs get explicit arcs.

    With ``spread``, everything entering author group ``h`` from spread value ``v`` passes a
    node (v, h). For ``spread="exact"`` its two arcs into ``h`` are "first reviews" (capacity
    size(h), cost -1) and "further reviews" (cost 0): minimising cost maximises the
    distinct-value count. For ``spread="bound"`` the arcs demand the per-author upper bound
    instead: with D values available and D >= K, at most size(h) reviews per value (so every
    author can get K different values); with D < K, at least size(h) per value (every author
    gets every value), the lower bound made a pair of SS/TT arcs. A maximum flow reaching
    ``required`` then proves the bound reached, hence optimal, without an integer program.
    """
    net = _Network()
    k = gr.reviews
    rs, au = gr.reviewers, gr.authors
    total = gr.total
    n_r, n_a = len(rs), len(au)
    r_node = 3 + np.arange(n_r, dtype=np.int64)
    a_node = 3 + n_r + np.arange(n_a, dtype=np.int64)
    net.n_nodes = 3 + n_r + n_a
    lo = gr.low_load * rs.size
    hi = gr.high_load * rs.size
    extra = total - int(lo.sum())
    if gr.high_load > gr.low_load and extra > 0:
        net.arc(_SS, _POOL, extra)
    has = lo > 0
    net.arcs(np.full(int(has.sum()), _SS, dtype=np.int64), r_node[has], lo[has])
    has = hi > lo
    net.arcs(np.full(int(has.sum()), _POOL, dtype=np.int64), r_node[has], (hi - lo)[has])
    need = k * au.size
    sink_arcs = net.arcs(a_node, np.full(n_a, _TT, dtype=np.int64), need)
    for arc, amount in zip(sink_arcs.tolist(), need.tolist(), strict=True):
        net.low[arc] = amount
    net.required = total

    # where reviews of value v enter author group h: a (v, h) node with spread, else h itself
    available = _available_values(gr)
    if spread:
        vh = np.full((n_a, gr.n_values), -1, dtype=np.int64)
        exists = available > 0
        vh[exists] = net.n_nodes + np.arange(int(exists.sum()))
        net.n_nodes += int(exists.sum())

        def into(v: IntArray, h: IntArray) -> IntArray:
            return vh[h, v]
    else:

        def into(v: IntArray, h: IntArray) -> IntArray:
            return a_node[h]

    r_big = rs.size >= k + 1
    a_big = au.size >= gr.high_load + 1
    n_classes = gr.compat.shape[0]
    classes = np.unique(au.cls)
    big_in_class = np.zeros(n_classes, dtype=np.bool_)
    big_in_class[au.cls[a_big]] = True
    # hubs: (value, author class, big reviewer group?)
    reach = gr.compat[rs.cls][:, classes] & (r_big[:, None] | big_in_class[classes][None, :])
    gi, di = np.nonzero(reach)
    hub_key = (rs.value[gi] * n_classes + classes[di]) * 2 + r_big[gi]
    hub_keys, hub_of = np.unique(hub_key, return_inverse=True)
    hub_of = hub_of.reshape(-1)
    hub_node = net.n_nodes + np.arange(len(hub_keys), dtype=np.int64)
    net.n_nodes += len(hub_keys)
    order = np.argsort(hub_of, kind="stable")  # in-arcs sorted by hub, for the split
    gi, hub_of = gi[order], hub_of[order]
    net.hub_in = net.arcs(r_node[gi], hub_node[hub_of], total, g=gi)
    # out-arcs, sorted by hub: to every author group of the class, or only the big ones
    hub_value, rest = np.divmod(hub_keys, 2 * n_classes)
    hub_cls, hub_big = np.divmod(rest, 2)
    by_class = np.argsort(au.cls, kind="stable")
    big_by_class = by_class[a_big[by_class]]
    count_all = np.bincount(au.cls, minlength=n_classes)
    count_big = np.bincount(au.cls[a_big], minlength=n_classes)
    start_all = np.cumsum(count_all) - count_all
    start_big = np.cumsum(count_big) - count_big
    fan = np.where(hub_big == 1, count_all[hub_cls], count_big[hub_cls])
    hub_rep = np.repeat(np.arange(len(hub_keys), dtype=np.int64), fan)
    within = np.arange(len(hub_rep), dtype=np.int64) - np.repeat(np.cumsum(fan) - fan, fan)
    big_rep = hub_big[hub_rep] == 1
    cls_rep = hub_cls[hub_rep]
    h_all = np.where(
        big_rep,
        by_class[np.minimum(start_all[cls_rep] + within, max(len(by_class) - 1, 0))],
        big_by_class[np.minimum(start_big[cls_rep] + within, max(len(big_by_class) - 1, 0))]
        if len(big_by_class)
        else 0,
    ).astype(np.int64)
    v_all = hub_value[hub_rep]
    net.hub_out = net.arcs(hub_node[hub_rep], into(v_all, h_all), total, h=h_all)

    # explicit arcs: small reviewer group x small author group, where the pair cap can bind
    sg, sh = np.flatnonzero(~r_big), np.flatnonzero(~a_big)
    if len(sg) and len(sh):
        pair = gr.compat[rs.cls[sg]][:, au.cls[sh]]
        cap = rs.size[sg][:, None] * au.size[sh][None, :]
        diag = gr.diagonal[sg][:, None] == sh[None, :]
        cap = np.where(diag, cap - rs.size[sg][:, None], cap)
        gi2, hi2 = np.nonzero(pair & (cap > 0))
        g2, h2 = sg[gi2], sh[hi2]
        caps = np.minimum(cap[gi2, hi2], total)
        net.explicit = net.arcs(r_node[g2], into(rs.value[g2], h2), caps, g=g2, h=h2)

    if spread:
        hs, vs = np.nonzero(vh >= 0)
        nodes = vh[hs, vs]
        n_h = au.size[hs]
        if spread == "exact":
            first = net.arcs(nodes, a_node[hs], n_h, h=hs)
            for arc in first.tolist():
                net.cost[arc] = -1
            net.arcs(nodes, a_node[hs], total, h=hs)
        else:
            enough = (available > 0).sum(axis=1)[hs] >= k
            net.arcs(nodes[enough], a_node[hs[enough]], n_h[enough], h=hs[enough])
            short = ~enough
            net.arcs(nodes[short], np.full(int(short.sum()), _TT, dtype=np.int64), n_h[short])
            net.arcs(np.full(int(short.sum()), _SS, dtype=np.int64), a_node[hs[short]], n_h[short])
            net.arcs(nodes[short], a_node[hs[short]], total, h=hs[short])
            net.required += int(n_h[short].sum())
    return net


def _max_flow(net: _Network) -> tuple[int, IntArray]:
    """Maximum SS -> TT flow and the flow on every arc (arcs are never parallel here)."""
    tail = np.asarray(net.tail, dtype=np.int64)
    head = np.asarray(net.head, dtype=np.int64)
    cap = np.minimum(np.asarray(net.cap, dtype=np.int64), np.iinfo(np.int32).max)
    graph = sparse.csr_array((cap.astype(np.int32), (tail, head)), shape=(net.n_nodes, net.n_nodes))
    result = maximum_flow(graph, _SS, _TT, method="dinic")
    flow = sparse.coo_array(result.flow)
    keys = flow.row.astype(np.int64) * net.n_nodes + flow.col.astype(np.int64)
    data = np.asarray(flow.data, dtype=np.int64)
    arc_flow = np.zeros(len(tail), dtype=np.int64)
    if len(keys):
        order = np.argsort(keys)
        keys, data = keys[order], data[order]
        wanted = tail * net.n_nodes + head
        pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        arc_flow = np.where(keys[pos] == wanted, np.maximum(data[pos], 0), 0)
    return int(result.flow_value), arc_flow


def _min_cost_flow(net: _Network) -> IntArray:
    """Min-cost SS -> TT flow meeting every lower bound, as an integer program (HiGHS)."""
    n_arcs = len(net.tail)
    tail = np.asarray(net.tail, dtype=np.int64)
    head = np.asarray(net.head, dtype=np.int64)
    # conservation at every node except SS and TT (POOL included: it is a transit node)
    rows = np.concatenate([head, tail])
    cols = np.concatenate([np.arange(n_arcs), np.arange(n_arcs)])
    vals = np.concatenate([np.ones(n_arcs), -np.ones(n_arcs)])
    keep = rows >= _POOL
    incidence = sparse.csr_array(
        (vals[keep], (rows[keep] - _POOL, cols[keep])), shape=(net.n_nodes - _POOL, n_arcs)
    )
    result = milp(
        c=np.asarray(net.cost, dtype=np.float64),
        integrality=np.ones(n_arcs),
        bounds=Bounds(np.asarray(net.low, dtype=np.float64), np.asarray(net.cap, dtype=np.float64)),
        constraints=LinearConstraint(incidence, 0.0, 0.0),
    )
    if result.x is None:  # pragma: no cover -- feasibility is checked by max flow first
        raise RuntimeError(f"min-cost flow failed after a feasible max flow: {result.message}")
    solution: npt.NDArray[np.float64] = np.asarray(result.x, dtype=np.float64)
    return np.rint(solution).astype(np.int64)


def _pair_counts(net: _Network, arc_flow: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Reviews per (reviewer group, author group) as arrays (g, h, count), count > 0.

    Hub flows are split by the north-west corner rule, all hubs at once: with arcs sorted
    by hub and every hub passing on what it takes in, the cumulative sums of in- and
    out-flows meet at every hub boundary. Any split is valid: every pair routed through a
    hub has a cap no flow can reach.
    """
    from_group = np.asarray(net.from_group, dtype=np.int64)
    to_group = np.asarray(net.to_group, dtype=np.int64)
    parts_g = [from_group[net.explicit]]
    parts_h = [to_group[net.explicit]]
    parts_x = [arc_flow[net.explicit]]
    if len(net.hub_in):
        ends_in = np.cumsum(arc_flow[net.hub_in])
        ends_out = np.cumsum(arc_flow[net.hub_out])
        points = np.union1d(ends_in, ends_out)
        points = points[points > 0]
        starts = np.r_[0, points[:-1]][: len(points)]  # no segments when nothing flows
        i = np.searchsorted(ends_in, starts, side="right")
        j = np.searchsorted(ends_out, starts, side="right")
        parts_g.append(from_group[net.hub_in[i]])
        parts_h.append(to_group[net.hub_out[j]])
        parts_x.append(points - starts)
    g, h, x = np.concatenate(parts_g), np.concatenate(parts_h), np.concatenate(parts_x)
    keep = x > 0
    g, h, x = g[keep], h[keep], x[keep]
    n_h = int(h.max(initial=0)) + 1
    keys, where = np.unique(g * n_h + h, return_inverse=True)
    counts = np.bincount(where.reshape(-1), weights=x, minlength=len(keys))
    return keys // n_h, keys % n_h, np.rint(counts).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# Realising group counts as pairs of people


def _exclusive_cumsum_within(group: IntArray, amount: IntArray) -> IntArray:
    """For rows sorted by ``group``: the sum of ``amount`` over earlier rows of the same group."""
    total = np.cumsum(amount) - amount
    first = np.ones(len(group), dtype=np.bool_)
    first[1:] = group[1:] != group[:-1]
    base = np.maximum.accumulate(np.where(first, total, 0))
    return total - base


def _realise(gr: _Groups, counts: tuple[IntArray, IntArray, IntArray]) -> tuple[IntArray, IntArray]:
    """Turn group-to-group review counts into person pairs, all blocks at once.

    Reviewer side: each reviewer group lays its blocks on a cycle over its members starting
    at ``shift``, within-group block first; so every member gives the floor or ceiling of the
    group's load. Author side likewise from 0, within-group block first, then blocks grouped
    by spread value, so each value's reviews form one run and reach min(size, reviews)
    distinct authors. The shift makes the within-group circulant's extra reviews land on the
    authors the author cycle gives them to.
    """
    rs, au = gr.reviewers, gr.authors
    g_of, h_of, x_of = counts
    if not len(x_of):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    diag = gr.diagonal[g_of] == h_of
    n_g, n_h = rs.size[g_of], au.size[h_of]

    shift = np.zeros(len(rs), dtype=np.int64)
    shift[g_of[diag]] = -(x_of[diag] // n_g[diag] + 1) % n_g[diag]
    order = np.lexsort((h_of, ~diag, g_of))
    a = np.empty_like(g_of)
    a[order] = _exclusive_cumsum_within(g_of[order], x_of[order])
    a = (a + shift[g_of]) % n_g

    value = rs.value[g_of]
    order = np.lexsort((g_of, value, value != au.value[h_of], ~diag, h_of))
    b = np.empty_like(h_of)
    b[order] = _exclusive_cumsum_within(h_of[order], x_of[order])
    b %= n_h

    block = np.repeat(np.arange(len(x_of), dtype=np.int64), x_of)
    t = np.arange(len(block), dtype=np.int64) - np.repeat(np.cumsum(x_of) - x_of, x_of)
    ng, nh, ab, bb = n_g[block], n_h[block], a[block], b[block]
    # Off the diagonal: reviewers in cyclic order from `a`, the first r giving q + 1 and the
    # rest q, each on consecutive author positions (at most n_h of them, so all distinct).
    q, r = x_of // n_g, x_of % n_g
    qb, rb = q[block], r[block]
    head = rb * (qb + 1)
    j = np.where(t < head, t // (qb + 1), rb + (t - head) // np.maximum(qb, 1))
    rev = (ab + j) % ng
    auth = (bb + t) % nh
    # On the diagonal: reviewer i reviews i + s for shifts s = 1, 2, ...: never self, no repeats.
    on_diag = diag[block]
    rev_d = (ab + t) % ng
    rev = np.where(on_diag, rev_d, rev)
    auth = np.where(on_diag, (rev_d + 1 + t // ng) % ng, auth)

    r_members, a_members = rs.people, au.people
    r_offset = np.cumsum(rs.size) - rs.size
    a_offset = np.cumsum(au.size) - au.size
    reviewer = r_members[r_offset[g_of][block] + rev]
    author = a_members[a_offset[h_of][block] + auth]
    order = np.argsort(reviewer * (int(author.max()) + 1) + author)
    return reviewer[order], author[order]


# ---------------------------------------------------------------------------------------------
# Feasibility and diagnosis


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


# ---------------------------------------------------------------------------------------------
# Allocation


def allocate_reviewers(cohort: Cohort, rules: Rules) -> Allocation:
    """Assign every author K reviewers under the rules (see the module docstring).

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


# ---------------------------------------------------------------------------------------------
# Relaxation


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
    assert first_error is not None  # noqa: S101 -- the ladder always has the original rules
    raise first_error


# ---------------------------------------------------------------------------------------------
# Repair


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
        """One Dijkstra from the short reviewers to a short author, then augment along it.

        Reduced costs are integers, so the queue is a bucket per distance.
        """
        outs, ins, old, k = self.outs, self.ins, self.old, self.k
        pi_r, pi_a = self.pi_r, self.pi_a
        inf = np.inf
        n_r, n_a = len(outs), len(ins)
        pi_s = float(pi_r[sources].max())  # any potential >= the sources' keeps arcs >= 0
        dist_r = np.where(sources, pi_s - pi_r, inf)
        dist_a = np.full(n_a, inf)
        done_r = np.zeros(n_r, dtype=np.bool_)
        done_a = np.zeros(n_a, dtype=np.bool_)
        prev_a = np.full(n_a, -1, dtype=np.int64)  # the reviewer that newly takes the author
        prev_r = np.full(n_r, -1, dtype=np.int64)  # the author whose pair the reviewer gives up
        is_old = np.zeros(n_a, dtype=np.bool_)
        buckets: dict[int, list[int]] = {}
        for r in np.flatnonzero(sources).tolist():
            buckets.setdefault(round(dist_r[r]), []).append(r)
        dist_t, prev_t = inf, -1
        level = min(buckets)
        while dist_t > level:
            bucket = buckets.get(level)
            if not bucket:
                buckets.pop(level, None)
                if not buckets:
                    if dist_t < inf:
                        break
                    raise _NoPath
                level = min(buckets)
                continue
            node = bucket.pop()
            if node < n_r:
                r = node
                if done_r[r] or dist_r[r] != level:
                    continue
                done_r[r] = True
                row = self._row(r) & ~done_a
                if outs[r]:
                    row[list(outs[r])] = False
                cand = np.flatnonzero(row)
                cost = np.ones(cand.size)
                if old[r]:
                    previous = list(old[r])
                    is_old[previous] = True
                    cost[is_old[cand]] = 0.0
                    is_old[previous] = False
                nd = level + cost + pi_r[r] - pi_a[cand]
                better = nd < dist_a[cand]
                idx, nd = cand[better], nd[better]
                dist_a[idx] = nd
                prev_a[idx] = r
                for a, d in zip(idx.tolist(), nd.tolist(), strict=True):
                    buckets.setdefault(round(d), []).append(n_r + a)
            else:
                a = node - n_r
                if done_a[a] or dist_a[a] != level:
                    continue
                done_a[a] = True
                for r2 in ins[a]:
                    back = 0.0 if a in old[r2] else -1.0
                    d = float(level + back + pi_a[a] - pi_r[r2])
                    if d < dist_r[r2]:
                        dist_r[r2] = d
                        prev_r[r2] = a
                        buckets.setdefault(round(d), []).append(r2)
                if len(ins[a]) < k:
                    d = float(level + pi_a[a] - self.pi_t)
                    if d < dist_t:
                        dist_t, prev_t = d, a
        self.pi_r = pi_r + np.minimum(dist_r, dist_t)
        self.pi_a = pi_a + np.minimum(dist_a, dist_t)
        self.pi_t += dist_t
        a = prev_t
        while True:
            r = int(prev_a[a])
            outs[r].add(a)
            ins[a].add(r)
            given_up = int(prev_r[r])
            if given_up < 0:
                break
            outs[r].discard(given_up)
            ins[given_up].discard(r)
            a = given_up


__all__ = [
    "RULE_TOO_FEW",
    "Allocation",
    "AllocationInfeasible",
    "Cohort",
    "CohortError",
    "Participant",
    "Relaxation",
    "Repair",
    "Rules",
    "RulesError",
    "allocate_reviewers",
    "check_feasibility",
    "relax_rules",
    "relaxation_ladder",
    "repair_allocation",
    "spread_per_author",
]
