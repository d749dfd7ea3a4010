"""Participants grouped by (not-same values, spread value, role): within a group everyone is
interchangeable, so the allocator decides counts between groups (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from cohortkit.reviews.allocation.model import BoolArray, Cohort, IntArray, Rules, RulesError

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
