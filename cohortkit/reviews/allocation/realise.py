"""Realising group-to-group review counts as pairs of people (cyclic runs and circulants)."""

from __future__ import annotations

import numpy as np

from cohortkit.reviews.allocation.groups import _Groups
from cohortkit.reviews.allocation.model import IntArray


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
