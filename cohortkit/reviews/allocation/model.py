"""The allocator's inputs and outputs (cohort, rules, allocation, relaxation, repair) and its
errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

RULE_TOO_FEW: Final = "too-few-people"
"""Rule name when there are not enough people, whatever the not-same rules."""


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
