"""How unusual is the observed circularity? A seeded null model that keeps each party's money in and out.

Statistics
----------
For a weighted directed graph, ``count`` is the number of elementary cycles of 2 to ``max_len`` parties and
``volume`` the sum of their bottlenecks (smallest edge amount along each cycle). Both are computed on the aggregated
party graph, without dates.

Null models (``method``)
------------------------
Every null keeps each party's **role**: a pure payer stays a pure payer, a pure payee a pure payee, an intermediary
an intermediary (the tests check it).

``degree_strength`` (default)
    Keeps every party's **in- and out-degree and in- and out-strength** together, exactly. Each move is a
    Maslov-Sneppen swap (below), which keeps degrees but moves ``w_ab - w_cd`` of in-flow from ``b`` to ``d``; the
    move is kept only if that amount can be moved back along an alternating path of existing edges
    (``x -> u`` down, ``x -> v`` up: every payer keeps its out-strength, every edge stays positive), found
    breadth-first; otherwise it is undone (``rejected`` counts those). This is a walk on the networks with the
    data's degrees and strengths, the exact (microcanonical) counterpart of the enhanced configuration model that
    fixes both on average (Mastrandrea, Squartini, Fagiolo & Garlaschelli 2014, New J. Phys. 16:043022). With very
    uneven amounts few swaps can be undone this way, and the samples stay close to the data: the refusal count
    and the null's spread say so.
``strength``
    Keeps every party's **in- and out-strength exactly** and the **number of edges**. Each move picks two edges
    ``a -> b`` and ``c -> d`` (with ``a != c``, ``b != d``, and no self-loop created) and shifts
    ``delta = min(w_ab, w_cd)`` onto ``a -> d`` and ``c -> b``: the "checkerboard" swap of a non-negative matrix with
    fixed margins (Diaconis & Gangolli 1995, "Rectangular arrays with fixed margins", in *Discrete Probability and
    Algorithms*, IMA 72; Diaconis & Sturmfels 1998, Ann. Stat. 26(1)). A move is made only when it empties exactly
    one edge and creates exactly one (one of ``a -> d``, ``c -> b`` exists already, ``w_ab != w_cd``), so the sample
    is exactly as sparse as the data. (Until December 2026 every move was allowed; a move empties one edge but can
    create two, and the samples grew about three times as dense as the data, 51 -> ~150 edges on ``ai-compute``,
    so "less circular than chance" compared the web with a much denser one.) Degrees may change; new edges only
    join a payer to a payee, so roles are kept.
``degree``
    Keeps every party's **in- and out-degree** and out-strength: directed double-edge swaps
    ``a -> b, c -> d  =>  a -> d, c -> b`` that create no self-loop and no duplicate edge (Maslov & Sneppen 2002,
    "Specificity and stability in topology of protein networks", Science 296:910), each edge keeping its amount
    (so in-strength is not kept).

:func:`circularity_nulls` runs several of them on the same observed statistics and reports the z-scores side by
side (``junkan cycles --null N``; ``--null-method all``, the default there).

Each sample starts from the observed graph and makes ``swaps_per_edge x edges`` move attempts (10 by default, the
usual Maslov-Sneppen practice). Samples come one after the other from one ``numpy`` generator built by
:func:`junkan.random.make_rng`, so the result is a function of the seed.

Significance: ``z = (observed - mean) / std`` over the samples (None when std is 0) and the empirical one-sided
p-values ``p_value = (1 + #{null >= observed}) / (n + 1)`` (more circularity than chance) and
``p_value_low = (1 + #{null <= observed}) / (n + 1)`` (less) (North, Curtis & Sham 2002, Am. J. Hum. Genet.
71(2):439).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from junkan.errors import JunkanInputError
from junkan.random import make_rng

NULL_METHODS = ("degree_strength", "strength", "degree")
ALL_NULLS = NULL_METHODS
_EPS = 1e-9


def cycle_stats(weights: Mapping[tuple[str, str], float], max_len: int) -> tuple[int, float]:
    """Number of elementary cycles of 2..``max_len`` parties and the sum of their bottlenecks."""
    import networkx as nx

    g = nx.DiGraph()
    for (a, b), w in weights.items():
        if w > 0 and a != b:
            g.add_edge(a, b, w=w)
    count = 0
    volume = 0.0
    for cyc in nx.simple_cycles(g, length_bound=max_len):
        k = len(cyc)
        count += 1
        volume += min(g[cyc[i]][cyc[(i + 1) % k]]["w"] for i in range(k))
    return count, volume


@dataclass(frozen=True)
class StatTest:
    """One statistic against the null: observed value, null mean and std, z-score, empirical p-values.

    ``p_value`` is the upper tail (is there *more* circularity than chance?), ``p_value_low`` the lower tail.
    """

    observed: float
    null_mean: float
    null_std: float
    z: float | None
    p_value: float
    p_value_low: float

    def to_dict(self) -> dict[str, float | None]:
        """JSON-ready record."""
        return {
            "observed": self.observed,
            "null_mean": self.null_mean,
            "null_std": self.null_std,
            "z": self.z,
            "p_value": self.p_value,
            "p_value_low": self.p_value_low,
        }


@dataclass(frozen=True)
class NullModelResult:
    """Observed circularity against a seeded null model (see the module docstring)."""

    count: StatTest
    volume: StatTest
    n_samples: int
    seed: int
    method: str
    max_len: int
    swaps_per_edge: int
    null_counts: tuple[int, ...]
    null_volumes: tuple[float, ...]
    observed_edges: int = 0
    null_edges_mean: float = 0.0
    rejected: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record (the samples themselves are left out)."""
        return {
            "method": self.method,
            "n_samples": self.n_samples,
            "seed": self.seed,
            "max_len": self.max_len,
            "swaps_per_edge": self.swaps_per_edge,
            "observed_edges": self.observed_edges,
            "null_edges_mean": self.null_edges_mean,
            "rejected": self.rejected,
            "count": self.count.to_dict(),
            "volume": self.volume.to_dict(),
        }

    def summary(self) -> dict[str, object]:
        """Same as :meth:`to_dict`."""
        return self.to_dict()


def _test(observed: float, samples: np.ndarray) -> StatTest:
    mean = float(samples.mean())
    std = float(samples.std(ddof=1)) if samples.size > 1 else 0.0
    z = (observed - mean) / std if std > 0 else None
    # a tolerance so that a sample equal to the observed value up to rounding counts as "at least as large"
    tol = 1e-9 * max(1.0, abs(observed))
    p = (1 + int(np.sum(samples >= observed - tol))) / (samples.size + 1)
    p_low = (1 + int(np.sum(samples <= observed + tol))) / (samples.size + 1)
    return StatTest(observed=float(observed), null_mean=mean, null_std=std, z=z, p_value=p, p_value_low=p_low)


def rewire_strength(
    weights: Mapping[tuple[str, str], float], rng: np.random.Generator, swaps_per_edge: int = 10
) -> dict[tuple[str, str], float]:
    """One strength-preserving sample: checkerboard moves that keep every in- and out-strength and the edge count."""
    w: dict[tuple[str, str], float] = {k: float(v) for k, v in weights.items() if v > 0}
    keys = list(w)
    pos = {k: i for i, k in enumerate(keys)}
    scale = max(w.values(), default=0.0)

    def remove(k: tuple[str, str]) -> None:
        i = pos.pop(k)
        last = keys.pop()
        if i < len(keys):
            keys[i] = last
            pos[last] = i
        del w[k]

    def add(k: tuple[str, str], amount: float) -> None:
        if k in w:
            w[k] += amount
        else:
            w[k] = amount
            pos[k] = len(keys)
            keys.append(k)

    attempts = swaps_per_edge * len(keys)
    for _ in range(attempts):
        if len(keys) < 2:
            break
        i, j = rng.choice(len(keys), size=2, replace=False)
        (a, b), (c, d) = keys[i], keys[j]
        if a in (c, d) or b == d or c == b:
            continue
        if ((a, d) in w) == ((c, b) in w) or abs(w[(a, b)] - w[(c, d)]) <= _EPS * scale:
            continue  # it would change the number of edges
        delta = min(w[(a, b)], w[(c, d)])
        for k in ((a, b), (c, d)):
            w[k] -= delta
        for k in ((a, b), (c, d)):
            if w[k] <= _EPS * scale:
                remove(k)
        add((a, d), delta)
        add((c, b), delta)
    return w


def rewire_degree(
    weights: Mapping[tuple[str, str], float], rng: np.random.Generator, swaps_per_edge: int = 10
) -> dict[tuple[str, str], float]:
    """One degree-preserving sample: Maslov-Sneppen directed double-edge swaps, amounts staying with their payer."""
    keys = [k for k, v in weights.items() if v > 0]
    w = {k: float(weights[k]) for k in keys}
    attempts = swaps_per_edge * len(keys)
    for _ in range(attempts):
        if len(keys) < 2:
            break
        i, j = rng.choice(len(keys), size=2, replace=False)
        (a, b), (c, d) = keys[i], keys[j]
        if a in (c, d) or b == d or c == b or (a, d) in w or (c, b) in w:
            continue
        w[(a, d)] = w.pop((a, b))
        w[(c, b)] = w.pop((c, d))
        keys[i], keys[j] = (a, d), (c, b)
    return w


def _push(
    w: dict[tuple[str, str], float],
    payers_of: dict[str, dict[str, None]],
    payees_of: dict[str, dict[str, None]],
    start: str,
    end: str,
    amount: float,
    floor: float,
) -> bool:
    """Move ``amount`` of in-flow from payee ``start`` to payee ``end`` along an alternating path, keeping every
    payer's out-strength: ``x -> u`` loses ``amount`` (it must keep more than ``floor``), ``x -> v`` gains it, and so
    on until ``v == end``. Breadth-first; returns False (and changes nothing) when there is no such path."""
    parent: dict[str, tuple[str, str]] = {}
    queue = [start]
    seen = {start}
    for u in queue:
        for x in payers_of.get(u, {}):
            if w[(x, u)] - amount <= floor:
                continue
            for v in payees_of[x]:
                if v in seen:
                    continue
                seen.add(v)
                parent[v] = (x, u)
                if v == end:
                    node = end
                    while node != start:
                        x2, u2 = parent[node]
                        w[(x2, u2)] -= amount
                        w[(x2, node)] += amount
                        node = u2
                    return True
                queue.append(v)
    return False


def rewire_degree_strength(
    weights: Mapping[tuple[str, str], float], rng: np.random.Generator, swaps_per_edge: int = 10
) -> tuple[dict[tuple[str, str], float], int]:
    """One sample keeping every in/out degree and in/out strength exactly (module docstring).

    Each move is a Maslov-Sneppen swap ``a -> b, c -> d => a -> d, c -> b`` (amounts staying with their payer), which
    moves ``w_ab - w_cd`` of in-flow between ``b`` and ``d``; it is kept only if that much can be moved back along
    an alternating path of existing edges (``x -> u`` down, ``x -> v`` up, every edge staying positive), which
    restores every strength. Returns the sample and the number of swaps refused for want of such a path.
    """
    w = {k: float(v) for k, v in weights.items() if v > 0}
    keys = list(w)
    if len(keys) < 2:
        return w, 0
    scale = max(w.values())
    floor = 1e-9 * scale
    # insertion-ordered adjacency (dicts, not sets): the walk is a function of the seed alone, whatever the hash seed
    payers_of: dict[str, dict[str, None]] = {}
    payees_of: dict[str, dict[str, None]] = {}
    for a, b in keys:
        payees_of.setdefault(a, {})[b] = None
        payers_of.setdefault(b, {})[a] = None
    refused = 0
    for _ in range(swaps_per_edge * len(keys)):
        i, j = rng.choice(len(keys), size=2, replace=False)
        (a, b), (c, d) = keys[i], keys[j]
        if a in (c, d) or b == d or c == b or (a, d) in w or (c, b) in w:
            continue
        w1, w2 = w.pop((a, b)), w.pop((c, d))
        w[(a, d)], w[(c, b)] = w1, w2
        del payees_of[a][b]
        payees_of[a][d] = None
        del payees_of[c][d]
        payees_of[c][b] = None
        del payers_of[b][a]
        payers_of[b][c] = None
        del payers_of[d][c]
        payers_of[d][a] = None
        delta = w1 - w2  # d now receives delta too much, b delta too little
        ok = abs(delta) <= floor or (
            _push(w, payers_of, payees_of, d, b, delta, floor)
            if delta > 0
            else _push(w, payers_of, payees_of, b, d, -delta, floor)
        )
        if ok:
            keys[i], keys[j] = (a, d), (c, b)
            continue
        refused += 1  # undo
        del w[(a, d)], w[(c, b)]
        w[(a, b)], w[(c, d)] = w1, w2
        del payees_of[a][d]
        payees_of[a][b] = None
        del payees_of[c][b]
        payees_of[c][d] = None
        del payers_of[b][c]
        payers_of[b][a] = None
        del payers_of[d][a]
        payers_of[d][c] = None
    return w, refused


def _check_null(method: str, n_samples: int) -> None:
    if method not in NULL_METHODS:
        raise JunkanInputError.single(f"unknown null model {method!r}; choose one of {', '.join(NULL_METHODS)}, all")
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise JunkanInputError.single(f"the number of null samples must be a positive integer, got {n_samples!r}")


def _run_null(
    weights: Mapping[tuple[str, str], float],
    rng: np.random.Generator,
    seed: int,
    n_samples: int,
    max_len: int,
    method: str,
    swaps_per_edge: int,
    observed: tuple[int, float],
) -> NullModelResult:
    counts = np.empty(n_samples, dtype=float)
    volumes = np.empty(n_samples, dtype=float)
    edges = np.empty(n_samples, dtype=float)
    rejected = 0
    for k in range(n_samples):
        if method == "degree_strength":
            sample, rej = rewire_degree_strength(weights, rng, swaps_per_edge)
            rejected += rej
        elif method == "strength":
            sample = rewire_strength(weights, rng, swaps_per_edge)
        else:
            sample = rewire_degree(weights, rng, swaps_per_edge)
        counts[k], volumes[k] = cycle_stats(sample, max_len)
        edges[k] = sum(1 for x in sample.values() if x > 0)
    return NullModelResult(
        count=_test(observed[0], counts),
        volume=_test(observed[1], volumes),
        n_samples=n_samples,
        seed=seed,
        method=method,
        max_len=max_len,
        swaps_per_edge=swaps_per_edge,
        null_counts=tuple(int(c) for c in counts),
        null_volumes=tuple(float(v) for v in volumes),
        observed_edges=sum(1 for x in weights.values() if x > 0),
        null_edges_mean=float(edges.mean()),
        rejected=rejected,
    )


def circularity_null(
    weights: Mapping[tuple[str, str], float],
    *,
    n_samples: int = 100,
    seed: int | None = None,
    max_len: int = 5,
    method: str = "degree_strength",
    swaps_per_edge: int = 10,
) -> NullModelResult:
    """Compare the number and volume of cycles with ``n_samples`` rewired networks.

    Parameters
    ----------
    weights
        Aggregated edge amounts ``{(payer, payee): amount}`` (e.g. :meth:`FlowGraph.edge_amounts`).
    n_samples
        Number of null networks (at least 1).
    seed
        Seed (``None`` draws one and records it).
    max_len
        Longest cycle counted, in parties.
    method
        ``degree_strength`` (keep in/out degrees and strengths; default), ``strength`` (keep in/out strengths and
        the edge count) or ``degree`` (keep in/out degrees); all keep every party's role (module docstring).
    swaps_per_edge
        Move attempts per edge and sample.

    Returns
    -------
    NullModelResult
        Observed statistics, null mean and std, z-scores, empirical p-values, the seed, the samples, the observed
        and mean null edge counts and (``degree_strength``) the rejected topologies.
    """
    _check_null(method, n_samples)
    s, rng = make_rng(seed)
    observed = cycle_stats(weights, max_len)
    return _run_null(weights, rng, s, n_samples, max_len, method, swaps_per_edge, observed)


def circularity_nulls(
    weights: Mapping[tuple[str, str], float],
    *,
    methods: Sequence[str] = ALL_NULLS,
    n_samples: int = 100,
    seed: int | None = None,
    max_len: int = 5,
    swaps_per_edge: int = 10,
) -> tuple[NullModelResult, ...]:
    """:func:`circularity_null` under each of ``methods`` (default all three), for a side-by-side comparison.

    Each method draws from its own generator, ``numpy.random.default_rng([seed, i])`` for the ``i``-th method of
    :data:`NULL_METHODS`, so a method's samples do not depend on which others run. The seed is recorded in each.
    """
    for m in methods:
        _check_null(m, n_samples)
    s, _ = make_rng(seed)
    observed = cycle_stats(weights, max_len)
    out = []
    for m in methods:
        rng = np.random.default_rng([s, NULL_METHODS.index(m)])
        out.append(_run_null(weights, rng, s, n_samples, max_len, m, swaps_per_edge, observed))
    return tuple(out)
