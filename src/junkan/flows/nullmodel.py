"""How unusual is the observed circularity? A seeded null model that keeps each party's money in and out.

Statistics
----------
For a weighted directed graph, ``count`` is the number of elementary cycles of 2 to ``max_len`` parties and
``volume`` the sum of their bottlenecks (smallest edge amount along each cycle). Both are computed on the aggregated
party graph, without dates.

Null models (``method``)
------------------------
``strength`` (default)
    Keeps every party's **in- and out-strength exactly** (total received, total sent). Each move picks two edges
    ``a -> b`` and ``c -> d`` (with ``a != c``, ``b != d``, and no self-loop created) and shifts
    ``delta = min(w_ab, w_cd)`` onto ``a -> d`` and ``c -> b``: the "checkerboard" swap of a non-negative matrix with
    fixed margins (Diaconis & Gangolli 1995, "Rectangular arrays with fixed margins", in *Discrete Probability and
    Algorithms*, IMA 72; Diaconis & Sturmfels 1998, Ann. Stat. 26(1)). Taking the whole ``delta`` empties one edge,
    so the sample stays about as sparse as the data. Edge counts (degrees) may change.
``degree``
    Keeps every party's **in- and out-degree** and out-strength: directed double-edge swaps
    ``a -> b, c -> d  =>  a -> d, c -> b`` that create no self-loop and no duplicate edge (Maslov & Sneppen 2002,
    "Specificity and stability in topology of protein networks", Science 296:910), each edge keeping its amount
    (so in-strength is not kept).

Each sample starts from the observed graph and makes ``swaps_per_edge x edges`` move attempts (10 by default, the
usual Maslov-Sneppen practice). Samples come one after the other from one ``numpy`` generator built by
:func:`junkan.random.make_rng`, so the result is a function of the seed.

Significance: ``z = (observed - mean) / std`` over the samples (None when std is 0) and the empirical one-sided
p-values ``p_value = (1 + #{null >= observed}) / (n + 1)`` (more circularity than chance) and
``p_value_low = (1 + #{null <= observed}) / (n + 1)`` (less) (North, Curtis & Sham 2002, Am. J. Hum. Genet.
71(2):439).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from junkan.errors import JunkanInputError
from junkan.random import make_rng

NULL_METHODS = ("strength", "degree")
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

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record (the samples themselves are left out)."""
        return {
            "method": self.method,
            "n_samples": self.n_samples,
            "seed": self.seed,
            "max_len": self.max_len,
            "swaps_per_edge": self.swaps_per_edge,
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
    """One strength-preserving sample: checkerboard moves that keep every in- and out-strength exactly."""
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


def circularity_null(
    weights: Mapping[tuple[str, str], float],
    *,
    n_samples: int = 100,
    seed: int | None = None,
    max_len: int = 5,
    method: str = "strength",
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
        ``strength`` (keep in/out strengths exactly; default) or ``degree`` (keep in/out degrees).
    swaps_per_edge
        Move attempts per edge and sample.

    Returns
    -------
    NullModelResult
        Observed statistics, null mean and std, z-scores, empirical p-values, the seed and the samples.
    """
    if method not in NULL_METHODS:
        raise JunkanInputError.single(f"unknown null model {method!r}; choose one of {', '.join(NULL_METHODS)}")
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise JunkanInputError.single(f"the number of null samples must be a positive integer, got {n_samples!r}")
    s, rng = make_rng(seed)
    rewire = rewire_strength if method == "strength" else rewire_degree
    obs_count, obs_volume = cycle_stats(weights, max_len)
    counts = np.empty(n_samples, dtype=float)
    volumes = np.empty(n_samples, dtype=float)
    for k in range(n_samples):
        sample = rewire(weights, rng, swaps_per_edge)
        counts[k], volumes[k] = cycle_stats(sample, max_len)
    return NullModelResult(
        count=_test(obs_count, counts),
        volume=_test(obs_volume, volumes),
        n_samples=n_samples,
        seed=s,
        method=method,
        max_len=max_len,
        swaps_per_edge=swaps_per_edge,
        null_counts=tuple(int(c) for c in counts),
        null_volumes=tuple(float(v) for v in volumes),
    )
