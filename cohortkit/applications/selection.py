"""Choose a run's participants from its applicants under at-least / at-most quotas.

The selector is exact. Among all choices of at most ``seats`` applicants that keep every
quota, it takes one that selects the most applicants, then, among those, the highest total
score, then, among those, the smallest sum of offer ranks (so exact score ties go to the
applicants the seeded lottery put first). Everyone else forms the waitlist in offer order.

Applicants with the same quota profile (which quota conditions they match) are
interchangeable, and inside a profile the best scores always go first, so a choice is one
count per profile. HiGHS finds the most applicants on those counts. For the score, and
then the offer ranks, the multipliers of a linear relaxation (on a window of members)
fix every member whose reduced value is further from zero than the gap between that
relaxation's bound and the best choice found; the exact integer program then runs on the
few members left free (see ``_Groups.best_total``). The answer is the exact optimum.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_array

try:  # SciPy's own HiGHS binding: private, so fall back to milp() if it moves
    import scipy.optimize._highspy._core as _highs
except ImportError:  # pragma: no cover
    _highs = None

type AttributeValue = str | frozenset[str]
type QuotaKind = Literal["at_least", "at_most"]
type ReasonCode = Literal[
    "selected_by_score",
    "selected_for_quota",
    "selected_after_quota",
    "waitlisted_quota_full",
    "waitlisted_displaced_by_quota",
    "waitlisted_by_score",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Objective values closer than this (relative to the largest possible total) are ties:
# summing thousands of floats in another order moves the total by about this much.
_RELATIVE_TOLERANCE = 1e-10


class SelectionError(ValueError):
    """The applicants or quotas given to the selector are not usable."""


class InfeasibleQuotas(SelectionError):
    """No choice of applicants keeps every quota; ``quotas`` is a minimal conflicting set."""

    def __init__(self, message: str, quotas: Sequence[Quota]) -> None:
        super().__init__(message)
        self.quotas = tuple(quotas)


@dataclass(frozen=True, slots=True)
class Quota:
    """At least / at most ``count`` selected applicants whose ``column`` matches ``value``.

    A multi-valued answer (a frozenset, such as the languages someone speaks) matches when
    it contains ``value``.
    """

    kind: QuotaKind
    column: str
    value: str
    count: int

    def __post_init__(self) -> None:
        if self.kind not in ("at_least", "at_most"):
            raise SelectionError(f"unknown quota kind {self.kind!r}")
        if self.count < 0:
            raise SelectionError(f"{self.name}: the count must not be negative")

    @property
    def name(self) -> str:
        kind = self.kind.replace("_", "-")
        return f"{kind} {self.column}={self.value}:{self.count}"

    def matches(self, value: AttributeValue | None) -> bool:
        if isinstance(value, frozenset):
            return self.value in value
        return value == self.value


@dataclass(frozen=True, slots=True)
class Applicant:
    id: str
    score: float
    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)


class CodedColumn(Sequence[AttributeValue]):
    """A column stored as its distinct answers and, per applicant, the index of theirs."""

    __slots__ = ("answers", "codes")

    def __init__(self, answers: Sequence[AttributeValue], codes: IntArray) -> None:
        self.answers = list(answers)
        self.codes = codes

    @classmethod
    def of(cls, values: Sequence[AttributeValue]) -> CodedColumn:
        if isinstance(values, CodedColumn):
            return values
        index = {answer: code for code, answer in enumerate(dict.fromkeys(values))}
        codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
        return cls(list(index), codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[AttributeValue]:
        return map(self.answers.__getitem__, self.codes.tolist())

    @overload
    def __getitem__(self, index: int) -> AttributeValue: ...
    @overload
    def __getitem__(self, index: slice) -> list[AttributeValue]: ...
    def __getitem__(self, index: int | slice) -> AttributeValue | list[AttributeValue]:
        if isinstance(index, slice):
            return [self.answers[code] for code in self.codes[index].tolist()]
        return self.answers[int(self.codes[index])]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking sequence, like list


@dataclass(frozen=True, slots=True)
class ApplicantTable:
    """Applicants column by column, as read from a file; a missing value is ``""``."""

    ids: Sequence[str] | npt.NDArray[np.str_]
    scores: Sequence[float] | FloatArray
    columns: Mapping[str, Sequence[AttributeValue]]

    @classmethod
    def from_applicants(cls, applicants: Sequence[Applicant]) -> ApplicantTable:
        names = sorted({name for applicant in applicants for name in applicant.attributes})
        return cls(
            ids=[applicant.id for applicant in applicants],
            scores=[applicant.score for applicant in applicants],
            columns={
                name: [applicant.attributes.get(name, "") for applicant in applicants]
                for name in names
            },
        )


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an applicant was selected or waitlisted; ``quota`` is a quota's name."""

    code: ReasonCode
    quota: str | None = None

    def __str__(self) -> str:
        return self.code if self.quota is None else f"{self.code} {self.quota}"


class _ById[V](Mapping[str, V]):
    """Per-applicant values kept in input order, looked up by id.

    Building a 100,000-entry dict (or even a 100,000-item list) costs more than the whole
    selection, and the command's JSON output never looks anything up; so values stay in
    the arrays they were computed in, converted one at a time, and the id index is built on
    the first lookup and shared by every mapping of one selection.
    """

    __slots__ = ("_convert", "_index", "_values")

    def __init__(
        self,
        values: Sequence[Any] | npt.NDArray[Any],
        index: _IdIndex,
        convert: Callable[[Any], V] | None = None,
    ) -> None:
        self._values, self._index, self._convert = values, index, convert

    def __getitem__(self, key: str) -> V:
        value = self._values[self._index.position(key)]
        return self._convert(value) if self._convert is not None else value  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.ids())

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self)!r})"


class _IdIndex:
    __slots__ = ("_array", "_ids", "_positions")

    def __init__(self, ids: npt.NDArray[np.str_]) -> None:
        self._array = ids
        self._ids: list[str] | None = None
        self._positions: dict[str, int] | None = None

    def ids(self) -> list[str]:
        if self._ids is None:
            self._ids = self._array.tolist()
        return self._ids

    def position(self, key: str) -> int:
        if self._positions is None:
            self._positions = {id_: position for position, id_ in enumerate(self.ids())}
        return self._positions[key]


@dataclass(frozen=True, slots=True)
class Selection:
    selected: tuple[str, ...]  # score descending, then lottery rank
    waitlist: tuple[str, ...]  # offer order: score descending, then lottery rank
    total_score: float
    seed: int
    reasons: Mapping[str, Reason]
    lottery_ranks: Mapping[str, int]


def select_applicants(
    applicants: Sequence[Applicant] | ApplicantTable,
    *,
    seats: int,
    quotas: Sequence[Quota] = (),
    seed: int = 0,
) -> Selection:
    """Choose at most ``seats`` applicants keeping every quota, then rank the rest.

    Raises ``InfeasibleQuotas`` naming a minimal set of quotas that cannot hold together.
    The lottery gives applicant ``j`` in id order the rank ``permutation[j]`` of
    ``numpy.random.default_rng(seed).permutation(n)``, so the row order does not matter.
    """
    table = (
        applicants
        if isinstance(applicants, ApplicantTable)
        else ApplicantTable.from_applicants(applicants)
    )
    if seats < 0:
        raise SelectionError("the number of seats must not be negative")
    # The CSV reader hands over ids as a numpy array already; other callers give a list.
    ids = np.asarray(table.ids, dtype=str)
    scores = np.asarray(table.scores, dtype=np.float64)
    if len(ids) != len(scores):
        raise SelectionError("there must be one score per applicant")
    if not np.isfinite(scores).all():
        raise SelectionError("every score must be a finite number")
    n = len(ids)
    by_id = np.argsort(ids, kind="stable")
    if n > 1 and (ids[by_id[1:]] == ids[by_id[:-1]]).any():
        duplicate = str(ids[by_id[1:]][ids[by_id[1:]] == ids[by_id[:-1]]][0])
        raise SelectionError(f"the applicant id {duplicate!r} occurs more than once")

    lottery = np.empty(n, dtype=np.int64)
    lottery[by_id] = np.random.default_rng(seed).permutation(n)
    # Applicants in lottery order (inverting the permutation), then stably by score.
    by_lottery = np.empty(n, dtype=np.int64)
    by_lottery[lottery] = np.arange(n)
    offer_order = by_lottery[np.argsort(-scores[by_lottery], kind="stable")]
    offer_rank = np.empty(n, dtype=np.int64)
    offer_rank[offer_order] = np.arange(n)

    conditions, quota_condition = _conditions(quotas)
    matching = _matching(table, conditions, n)
    groups = _Groups.build(matching, scores, offer_order, offer_rank, seats)
    rows, row_lb, row_ub = _quota_rows(groups.membership, quotas, quota_condition)

    counts = _max_count(rows, row_lb, row_ub, groups.cap, seats)
    if counts is None:
        raise _infeasible(groups, quotas, quota_condition, seats)
    counts = groups.best_total(rows, row_lb, row_ub, counts)

    chosen = np.zeros(n, dtype=bool)
    chosen[groups.order[groups.position < counts[groups.profile]]] = True
    selected_in_order = offer_order[chosen[offer_order]]
    waitlist_in_order = offer_order[~chosen[offer_order]]
    profile_of = np.empty(n, dtype=np.int64)
    profile_of[groups.order] = groups.profile
    reasons = _reasons(chosen, offer_rank, profile_of, groups.membership, quotas, quota_condition)
    index = _IdIndex(ids)
    return Selection(
        selected=tuple(ids[selected_in_order].tolist()),
        waitlist=tuple(ids[waitlist_in_order].tolist()),
        total_score=math.fsum(scores[selected_in_order].tolist()),
        seed=seed,
        reasons=_ById(reasons, index),
        lottery_ranks=_ById(lottery, index, int),
    )


def next_offer(
    waitlist: Sequence[Applicant],
    holding: Sequence[Applicant],
    *,
    quotas: Sequence[Quota],
    seats: int,
) -> Applicant | None:
    """Return the waitlisted applicant to offer a free seat to, or None.

    ``holding`` are the applicants with a confirmed or open offer; ``waitlist`` is in offer
    order. The answer is the first waitlisted applicant such that, with them added,
    (1) the holders still fit in ``seats``;
    (2) no at-most quota goes over its count because of them; and
    (3) every at-least quota can still be met: some further waitlisted applicants, within
        the remaining seats and keeping the at-most quotas, bring each to its count.
    When the at-least quotas cannot all be met even before this offer (the waitlist ran
    short), rule (3) is dropped rather than leaving the seat empty.
    """
    if not waitlist or len(holding) >= seats:
        return None
    if not quotas:
        return waitlist[0]
    conditions, quota_condition = _conditions(quotas)
    held = _matching(ApplicantTable.from_applicants(holding), conditions, len(holding))
    waiting = _matching(ApplicantTable.from_applicants(waitlist), conditions, len(waitlist))
    held_counts = held.sum(axis=0)[quota_condition] if len(quotas) else np.zeros(0, np.int64)
    profiles, profile_of = np.unique(waiting, axis=0, return_inverse=True)
    profile_of = profile_of.reshape(-1)
    pool = np.bincount(profile_of, minlength=len(profiles)).astype(np.int64)
    rows = profiles[:, quota_condition].T.astype(np.int64)
    is_at_least = np.array([q.kind == "at_least" for q in quotas], dtype=bool)
    targets = np.array([q.count for q in quotas], dtype=np.int64)
    seats_left = seats - len(holding)

    def reachable(extra: IntArray, taken: int | None) -> bool:
        counts = held_counts + extra
        if not (counts[is_at_least] < targets[is_at_least]).any():
            return True
        cap = pool.copy()
        left = seats_left
        if taken is not None:
            cap[taken] -= 1
            left -= 1
        lower = np.where(is_at_least, targets - counts, -np.inf)
        upper = np.where(is_at_least, np.inf, np.maximum(targets - counts, 0))
        return _max_count(rows.astype(float), lower, upper, cap, left) is not None

    check_reach = reachable(np.zeros(len(quotas), dtype=np.int64), None)
    verdicts: dict[int, bool] = {}
    for position, profile in enumerate(profile_of.tolist()):
        if profile not in verdicts:
            adds = rows[:, profile]
            over = (~is_at_least) & (adds > 0) & (held_counts + adds > targets)
            verdicts[profile] = not over.any() and (not check_reach or reachable(adds, profile))
        if verdicts[profile]:
            return waitlist[position]
    return None


def _conditions(quotas: Sequence[Quota]) -> tuple[list[tuple[str, str]], IntArray]:
    """The distinct (column, value) conditions, and each quota's condition index."""
    conditions: dict[tuple[str, str], int] = {}
    for quota in quotas:
        conditions.setdefault((quota.column, quota.value), len(conditions))
    index = np.array([conditions[q.column, q.value] for q in quotas], dtype=np.int64)
    return list(conditions), index


def _matching(table: ApplicantTable, conditions: list[tuple[str, str]], n: int) -> BoolArray:
    """An (applicants x conditions) matrix: does applicant i match condition c.

    Each column is matched once per distinct answer, then spread by the answers' codes.
    """
    matching = np.zeros((n, len(conditions)), dtype=bool)
    coded: dict[str, CodedColumn] = {}
    for c, (column, value) in enumerate(conditions):
        values = table.columns.get(column)
        if values is None:
            continue
        if column not in coded:
            coded[column] = CodedColumn.of(values)
        answers = coded[column]
        hits = np.fromiter(
            (value in v if isinstance(v, frozenset) else v == value for v in answers.answers),
            dtype=bool,
            count=len(answers.answers),
        )
        matching[:, c] = hits[answers.codes]
    return matching


def _quota_rows(
    membership: BoolArray, quotas: Sequence[Quota], quota_condition: IntArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    rows = membership[:, quota_condition].T.astype(np.float64)
    counts = np.array([q.count for q in quotas], dtype=np.float64)
    at_least = np.array([q.kind == "at_least" for q in quotas], dtype=bool)
    return rows, np.where(at_least, counts, -np.inf), np.where(at_least, np.inf, counts)


@dataclass(frozen=True, slots=True)
class _Solution:
    x: FloatArray
    row_dual: FloatArray | None  # HiGHS's row duals of a linear program (c - A'y >= 0 at 0)


def _solve(
    objective: FloatArray,
    integrality: IntArray,
    lower: FloatArray,
    upper: FloatArray,
    rows: FloatArray,
    row_lb: FloatArray,
    row_ub: FloatArray,
) -> _Solution | None:
    """Minimise ``objective @ x`` with HiGHS, exactly (no MIP gap); None if infeasible.

    ``scipy.optimize.milp`` spends about 7 ms per call checking options, more than the
    solve itself here, so the HiGHS binding that SciPy ships is used directly when present.
    Only the direct binding reports row duals; without them the callers fall back to
    wider (still exact) windows.
    """
    if len(objective) == 0:
        feasible = bool((row_lb <= 1e-9).all() and (row_ub >= -1e-9).all())
        return _Solution(np.zeros(0), np.zeros(len(row_lb))) if feasible else None
    if _highs is None:  # pragma: no cover
        constraints = [LinearConstraint(rows, row_lb, row_ub)] if len(rows) else []
        result = milp(
            objective,
            integrality=integrality,
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options={"presolve": False, "mip_rel_gap": 0.0},
        )
        if result.status != 0:
            return None
        return _Solution(np.asarray(result.x, dtype=np.float64), None)
    matrix = csc_array(rows.reshape(-1, len(objective)))
    lp = _highs.HighsLp()
    lp.num_col_ = lp.a_matrix_.num_col_ = len(objective)
    lp.num_row_ = lp.a_matrix_.num_row_ = matrix.shape[0]
    lp.a_matrix_.format_ = _highs.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    lp.col_cost_ = objective
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = row_lb
    lp.row_upper_ = row_ub
    is_mip = bool(integrality.any())
    if is_mip:
        lp.integrality_ = [_highs.HighsVarType(int(kind)) for kind in integrality]
    options = _highs.HighsOptions()
    options.presolve = "off"
    options.mip_rel_gap = 0.0
    options.mip_abs_gap = 0.0
    # The feasibility-jump heuristic costs about 5 ms per call, more than these small
    # programs take to solve; exactness does not depend on heuristics.
    options.mip_heuristic_run_feasibility_jump = False
    options.output_flag = False
    solver = _highs._Highs()
    solver.passOptions(options)
    solver.passModel(lp)
    solver.run()
    if solver.getModelStatus() != _highs.HighsModelStatus.kOptimal:
        return None
    solution = solver.getSolution()
    duals = None if is_mip else np.asarray(solution.row_dual, dtype=np.float64)
    return _Solution(np.asarray(solution.col_value, dtype=np.float64), duals)


def _max_count(
    rows: FloatArray, row_lb: FloatArray, row_ub: FloatArray, cap: IntArray, seats: int
) -> IntArray | None:
    """Counts per profile, within ``cap`` and ``seats``, meeting the rows; the most in total."""
    size = len(cap)
    if seats < 0:
        return None
    if size == 0:
        feasible = bool((row_lb <= 0).all() and (row_ub >= 0).all())
        return np.zeros(0, dtype=np.int64) if feasible else None
    solution = _solve(
        -np.ones(size),
        np.ones(size, dtype=np.int64),
        np.zeros(size),
        cap.astype(np.float64),
        np.vstack([rows.reshape(-1, size), np.ones((1, size))]),
        np.append(row_lb, -np.inf),
        np.append(row_ub, seats),
    )
    return None if solution is None else np.rint(solution.x).astype(np.int64)


@dataclass(frozen=True, slots=True)
class _Groups:
    """Applicants grouped by quota profile, each group in offer order."""

    membership: BoolArray  # profile x condition
    start: IntArray
    size: IntArray
    cap: IntArray  # the most that can be taken: min(size, seats)
    order: npt.NDArray[np.intp]  # applicant indices, grouped, each group in offer order
    profile: IntArray  # the profile of each position along ``order``
    position: IntArray  # the position of each entry of ``order`` inside its profile
    scores: FloatArray  # along ``order``
    ranks: FloatArray  # offer ranks along ``order``
    score_sums: FloatArray  # prefix sums along ``order``, with a leading 0
    scale: float  # the largest possible total score, for tolerances

    @classmethod
    def build(
        cls,
        matching: BoolArray,
        scores: FloatArray,
        offer_order: npt.NDArray[np.intp],
        offer_rank: IntArray,
        seats: int,
    ) -> _Groups:
        n, width = matching.shape
        if width <= 20:
            # Profiles as bit patterns; counting them beats sorting 100,000 keys.
            bits = np.int64(1) << np.arange(width, dtype=np.int64)
            keys = matching.astype(np.int64) @ bits
            present = np.flatnonzero(np.bincount(keys, minlength=1 << width))
            lookup = np.zeros(1 << width, dtype=np.int64)
            lookup[present] = np.arange(len(present))
            profile = lookup[keys]
            membership = (present[:, None] & bits[None, :]) != 0
        else:
            _, first, profile = np.unique(matching, axis=0, return_index=True, return_inverse=True)
            profile = profile.reshape(-1)
            membership = matching[first]
        count = len(membership)
        # A stable sort by profile of the applicants in offer order keeps each profile in
        # offer order; small integers sort by radix.
        narrow = profile.astype(np.int16 if count < 2**15 else np.int64)
        order = offer_order[np.argsort(narrow[offer_order], kind="stable")]
        size = np.bincount(profile, minlength=count).astype(np.int64)
        start = np.cumsum(size) - size
        along_profile = profile[order]
        ordered_scores = scores[order]
        magnitudes = np.abs(scores)
        if 0 < seats < n:
            magnitudes = np.partition(magnitudes, n - seats)[n - seats :]
        top = magnitudes if seats > 0 else np.zeros(0)
        return cls(
            membership=membership,
            start=start,
            size=size,
            cap=np.minimum(size, seats),
            order=order,
            profile=along_profile,
            position=np.arange(n, dtype=np.int64) - start[along_profile],
            scores=ordered_scores,
            ranks=offer_rank[order].astype(np.float64),
            score_sums=np.concatenate([[0.0], np.cumsum(ordered_scores)]),
            scale=max(1.0, float(top.sum())),
        )

    def best_total(
        self, rows: FloatArray, row_lb: FloatArray, row_ub: FloatArray, counts: IntArray
    ) -> IntArray:
        """Among counts with the same total as ``counts``: the best score, then offer ranks.

        Inside a profile the members go in offer order, so taking ``x`` of them is taking
        the first ``x``; the problem is a 0/1 program over the members with one row per
        quota and one for the total. Multipliers ``lam`` of those rows (from a linear
        relaxation over a window of members) bound every choice ``y``:

            value(y) <= bound(lam) - sum of |d_i| over members where y differs from y(lam),

        with ``d_i = value_i - lam . a_i`` and ``y(lam)`` taking exactly the members with
        ``d_i > 0``. So once some choice reaches ``best``, every choice reaching ``best``
        agrees with ``y(lam)`` on members with ``|d_i| > bound - best``; only a run of
        members per profile stays free, and the exact integer program runs on those alone.
        The score comes first; then, among choices within ``ties`` of the best score
        (members outside the score's band being fixed), the smallest sum of offer ranks.
        """
        size = len(self.size)
        if size == 0 or counts.sum() == 0:
            return counts
        taken = int(counts.sum())
        full = np.vstack([rows.reshape(-1, size), np.ones((1, size))])
        lb = np.append(row_lb, taken).astype(np.float64)
        ub = np.append(row_ub, taken).astype(np.float64)
        ties = _RELATIVE_TOLERANCE * self.scale
        none = np.zeros(size, dtype=np.int64)
        score = _Exact(self, self.scores, full, lb, ub, none, self.cap.copy(), counts)
        best = score.solve(coarse=True)
        lo, hi = score.band(score.bound - best + ties)
        lo, hi = np.minimum(lo, score.counts), np.maximum(hi, score.counts)
        ranks = _Exact(
            self, -self.ranks, full, lb, ub, lo, hi, score.counts, (self.scores, best - ties)
        )
        ranks.solve(coarse=True)
        return ranks.counts


class _Exact:
    """Best counts for a member value that falls along each profile, with the members
    before ``fixed_lo`` taken and from ``fixed_hi`` on left; see ``_Groups.best_total``.

    ``extra`` is an optional further row ``extra @ y >= least`` whose coefficients also fall
    along each profile (so the reduced values keep falling and bands stay runs).
    """

    def __init__(
        self,
        groups: _Groups,
        values: FloatArray,
        full: FloatArray,
        lb: FloatArray,
        ub: FloatArray,
        fixed_lo: IntArray,
        fixed_hi: IntArray,
        start: IntArray,
        extra: tuple[FloatArray, float] | None = None,
    ) -> None:
        self.groups = groups
        self.values = values
        self.value_sums = np.concatenate([[0.0], np.cumsum(values)])
        self.fixed_lo, self.fixed_hi = fixed_lo, fixed_hi
        self.full = full
        self.extra = extra
        shift = full @ fixed_lo
        self.lb, self.ub = lb - shift, ub - shift
        if extra is not None:
            coefficients, least = extra
            taken = self._prefix(np.concatenate([[0.0], np.cumsum(coefficients)]), fixed_lo)
            self.lb = np.append(self.lb, least - taken)
            self.ub = np.append(self.ub, np.inf)
        position = groups.position
        self.free = (position >= fixed_lo[groups.profile]) & (position < fixed_hi[groups.profile])
        # The reduced values are only ever needed for the free members.
        members = np.flatnonzero(self.free)
        self.free_profile = groups.profile[members]
        self.free_values = values[members]
        self.free_extra = None if extra is None else extra[0][members]
        self.lam = np.zeros(len(self.lb))
        self.counts = start
        self.best = self.value(start)
        self.bound = np.inf

    def _prefix(self, sums: FloatArray, counts: IntArray) -> float:
        start = self.groups.start
        return float((sums[start + counts] - sums[start]).sum())

    def value(self, counts: IntArray) -> float:
        return self._prefix(self.value_sums, counts)

    def _reduced(self) -> FloatArray:
        """``d_i`` of the free members, in order along ``groups.order``."""
        price = self.lam[: len(self.full)] @ self.full
        reduced = self.free_values - price[self.free_profile]
        if self.free_extra is not None:
            reduced = reduced - self.lam[-1] * self.free_extra
        return reduced

    def band(self, width: float) -> tuple[IntArray, IntArray]:
        """Per profile, the free members with ``|d_i| <= width``: positions ``lo <= k < hi``."""
        reduced = self._reduced()
        size = len(self.fixed_lo)
        above = np.bincount(self.free_profile, weights=reduced > width, minlength=size)
        within = np.bincount(self.free_profile, weights=reduced >= -width, minlength=size)
        return self.fixed_lo + above.astype(np.int64), self.fixed_lo + within.astype(np.int64)

    def _bound(self) -> float:
        lam = self.lam
        finite_ub = np.where(np.isfinite(self.ub), self.ub, 0.0)
        finite_lb = np.where(np.isfinite(self.lb), self.lb, 0.0)
        rows_part = np.where(lam > 0, lam * finite_ub, lam * finite_lb).sum()
        reduced = self._reduced()
        members_part = np.maximum(reduced, 0.0).sum()
        return float(rows_part + members_part) + self.value(self.fixed_lo)

    def _columns(
        self, lo: IntArray, hi: IntArray, merge: bool
    ) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Variables for the members ``lo <= k < hi``: runs of equal members when ``merge``.

        Returns each variable's profile, length, value, rows and the row bounds left.
        """
        g = self.groups
        length = hi - lo
        offsets = np.cumsum(length) - length
        window = np.repeat(g.start + lo - offsets, length) + np.arange(int(length.sum()))
        profile = g.profile[window]
        values = self.values[window]
        new_run = np.ones(len(window), dtype=bool)
        if merge:
            new_run[1:] = (profile[1:] != profile[:-1]) | (values[1:] != values[:-1])
            if self.extra is not None:
                coefficients = self.extra[0][window]
                new_run[1:] |= coefficients[1:] != coefficients[:-1]
        first = np.flatnonzero(new_run)
        run_length = np.diff(np.append(first, len(window))).astype(np.float64)
        matrix = self.full[:, profile[first]]
        shift = self.full @ (lo - self.fixed_lo)
        lb, ub = self.lb.copy(), self.ub.copy()
        lb[: len(shift)] -= shift
        ub[: len(shift)] -= shift
        if self.extra is not None:
            coefficients = self.extra[0]
            sums = np.concatenate([[0.0], np.cumsum(coefficients)])
            lb[-1] -= self._prefix(sums, lo) - self._prefix(sums, self.fixed_lo)
            matrix = np.vstack([matrix, coefficients[window][first][None, :]])
        return profile[first], run_length, values[first], matrix, lb, ub

    def _relax(self, lo: IntArray, hi: IntArray) -> bool:
        """Take multipliers from the linear relaxation on the window; False if none."""
        _, length, values, matrix, lb, ub = self._columns(lo, hi, merge=True)
        solution = _solve(
            -values, np.zeros(len(values), np.int64), np.zeros(len(values)), length,
            matrix, lb, ub,
        )  # fmt: skip
        if solution is None or solution.row_dual is None:
            return False
        lam = -solution.row_dual
        # A positive multiplier needs an upper bound on its row, a negative one a lower.
        lam[(lam > 0) & ~np.isfinite(self.ub)] = 0.0
        lam[(lam < 0) & ~np.isfinite(self.lb)] = 0.0
        self.lam = lam
        return True

    def _integer(self, lo: IntArray, hi: IntArray) -> None:
        """The exact best on the window; keep it if it beats the best so far."""
        if (hi <= lo).all():
            return
        profile, length, values, matrix, lb, ub = self._columns(lo, hi, merge=True)
        solution = _solve(
            -values, np.ones(len(values), np.int64), np.zeros(len(values)), length,
            matrix, lb, ub,
        )  # fmt: skip
        if solution is None:
            return
        extra = np.rint(solution.x)
        counts = lo + np.bincount(profile, weights=extra, minlength=len(lo)).astype(np.int64)
        value = self.value(counts)
        if value > self.best:
            self.counts, self.best = counts, value

    def _coarse_window(self) -> tuple[IntArray, IntArray]:
        """A window around the relaxation's counts with members pooled into a few blocks."""
        g = self.groups
        blocks = 32
        span = self.fixed_hi - self.fixed_lo
        width = np.maximum(-(-span // blocks), 1)
        block = (g.position - self.fixed_lo[g.profile]) // width[g.profile]
        key = g.profile * (blocks + 1) + block
        members = np.flatnonzero(self.free)
        if len(members) == 0:
            return self.fixed_lo, self.fixed_hi
        key = key[members]
        cut = np.flatnonzero(np.append(True, key[1:] != key[:-1]))
        length = np.diff(np.append(cut, len(members))).astype(np.float64)
        profile = g.profile[members[cut]]
        mean = np.add.reduceat(self.values[members], cut) / length
        matrix = self.full[:, profile]
        if self.extra is not None:
            mean_extra = np.add.reduceat(self.extra[0][members], cut) / length
            matrix = np.vstack([matrix, mean_extra[None, :]])
        solution = _solve(
            -mean, np.zeros(len(mean), np.int64), np.zeros(len(mean)), length,
            matrix, self.lb, self.ub,
        )  # fmt: skip
        if solution is None:
            return self.fixed_lo, self.fixed_hi
        centre = self.fixed_lo + np.bincount(profile, weights=solution.x, minlength=len(span))
        lo = np.floor(centre).astype(np.int64) - width - 8
        hi = np.ceil(centre).astype(np.int64) + width + 8
        return np.clip(lo, self.fixed_lo, self.fixed_hi), np.clip(hi, self.fixed_lo, self.fixed_hi)

    def solve(self, *, coarse: bool) -> float:
        """Find the exact best counts; returns their value and sets ``bound``."""
        if coarse:
            lo, hi = self._coarse_window()
        else:
            lo = np.maximum(self.counts - 16, self.fixed_lo)
            hi = np.minimum(self.counts + 16, self.fixed_hi)
        lo, hi = np.minimum(lo, self.counts), np.maximum(hi, self.counts)
        slack = 1e-3 * _RELATIVE_TOLERANCE * self.groups.scale
        # Grow the window until no member outside it would rather be inside: then the
        # multipliers are optimal for the relaxation of the whole problem.
        for _ in range(6):
            if not self._relax(lo, hi):
                break
            wide_lo, wide_hi = self.band(slack)
            if (wide_lo >= lo).all() and (wide_hi <= hi).all():
                break
            lo, hi = np.minimum(lo, wide_lo), np.maximum(hi, wide_hi)
        self.bound = self._bound()
        # The integer programs start on the members the relaxation leaves undecided.
        # They usually hold the optimum (then the bound proves it at once); if not, the
        # window grows to take in the starting counts, which are feasible.
        lo, hi = self.band(slack)
        self._integer(lo, hi)
        if self.bound - self.best > slack:
            lo, hi = np.minimum(lo, self.counts), np.maximum(hi, self.counts)
            self._integer(lo, hi)
        while True:
            band_lo, band_hi = self.band(self.bound - self.best + slack)
            if (band_lo >= lo).all() and (band_hi <= hi).all():
                return self.best
            lo, hi = np.minimum(lo, band_lo), np.maximum(hi, band_hi)
            self._integer(lo, hi)


def _infeasible(
    groups: _Groups, quotas: Sequence[Quota], quota_condition: IntArray, seats: int
) -> InfeasibleQuotas:
    """Shrink the quotas to a minimal set that still cannot hold, and say why."""
    kept = list(range(len(quotas)))

    def feasible(indices: list[int]) -> bool:
        chosen = [quotas[i] for i in indices]
        rows, lb, ub = _quota_rows(groups.membership, chosen, quota_condition[indices])
        return _max_count(rows, lb, ub, groups.cap, seats) is not None

    for i in range(len(quotas)):
        trial = [j for j in kept if j != i]
        if not feasible(trial):
            kept = trial
    conflict = [quotas[i] for i in kept]
    names = " and ".join(q.name for q in conflict)
    if len(conflict) == 1:
        (quota,) = conflict
        matching = int(groups.size[groups.membership[:, quota_condition[kept[0]]]].sum())
        if matching < quota.count:
            noun = "applicant matches" if matching == 1 else "applicants match"
            message = f"{quota.name} cannot hold: only {matching} {noun}"
        else:
            message = f"{quota.name} cannot hold: there are only {seats} seats"
    elif all(q.kind == "at_least" for q in conflict):
        message = f"{names} cannot all hold within {seats} seats"
    else:
        message = f"{names} cannot all hold together"
    return InfeasibleQuotas(message, conflict)


def _reasons(
    chosen: BoolArray,
    offer_rank: IntArray,
    profile_of: IntArray,
    membership: BoolArray,
    quotas: Sequence[Quota],
    quota_condition: IntArray,
) -> list[Reason]:
    """One reason per applicant, comparing with the top applicants by score alone."""
    n = len(chosen)
    in_top = offer_rank < int(chosen.sum())
    # Quota membership is a matter of profile, so count and look up per profile.
    size = len(membership)
    per_quota = membership[:, quota_condition].astype(np.int64)
    counts_top = np.bincount(profile_of[in_top], minlength=size) @ per_quota
    counts_chosen = np.bincount(profile_of[chosen], minlength=size) @ per_quota
    lifted = [i for i, q in enumerate(quotas) if q.kind == "at_least" and counts_top[i] < q.count]
    full = [i for i, q in enumerate(quotas) if q.kind == "at_most" and counts_chosen[i] >= q.count]
    # Number each applicant's first lifted / full quota (or -1), then label by case.
    lifted_of = _first_true(per_quota[:, lifted] > 0, lifted)[profile_of]
    full_of = _first_true(per_quota[:, full] > 0, full)[profile_of]
    fallback = full[0] if full else lifted[0] if lifted else -1
    displacer = lifted[0] if lifted else -1

    # Label every applicant with a case (index into ``codes``) and a quota (or -1), then
    # look the pair up in a small table of Reason objects.
    codes: list[ReasonCode] = [
        "selected_by_score",
        "selected_for_quota",
        "selected_after_quota",
        "waitlisted_quota_full",
        "waitlisted_displaced_by_quota",
        "waitlisted_by_score",
    ]
    case = np.select(
        [
            chosen & in_top,
            chosen & (lifted_of >= 0),
            chosen,
            full_of >= 0,
            in_top,
        ],
        [0, 1, 2, 3, 4],
        default=5,
    )
    quota = np.select(
        [case == 1, case == 2, case == 3, case == 4],
        [lifted_of, np.full(n, fallback), full_of, np.full(n, displacer)],
        default=-1,
    )
    width = len(quotas) + 1
    table = np.empty(len(codes) * width, dtype=object)
    for key in np.unique(case * width + quota + 1).tolist():
        index = key % width - 1
        table[key] = Reason(codes[key // width], quotas[index].name if index >= 0 else None)
    result: list[Reason] = table[case * width + quota + 1].tolist()
    return result


def _first_true(columns: BoolArray, labels: list[int]) -> IntArray:
    """Per row, the label of the first true column, or -1."""
    if not labels:
        return np.full(len(columns), -1, dtype=np.int64)
    first = np.argmax(columns, axis=1)
    return np.where(columns.any(axis=1), np.asarray(labels, dtype=np.int64)[first], -1)
