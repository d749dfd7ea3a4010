"""The flow network on groups: building it, and solving it by maximum flow (scipy) or
min-cost flow (an integer program, HiGHS); then reading reviews per group pair off the arcs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import maximum_flow

from cohortkit.reviews.allocation.groups import _available_values, _Groups
from cohortkit.reviews.allocation.model import IntArray

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
