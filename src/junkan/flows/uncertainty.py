"""Intervals for what is undisclosed: seeded, batched draws of every uncertain deal amount.

What is drawn
-------------
Each deal's figure on the graph's basis is multiplied by ``draw / headline``, where ``draw`` comes from the deal's
own statement of uncertainty (:class:`junkan.ledger.schema.Amount`). Knowing only bounds, the distribution of
maximum entropy is the uniform one on them; knowing bounds and a mean, it is the truncated exponential
``p(x) ~ exp(lambda x)`` on them with that mean (Jaynes 1957, "Information theory and statistical mechanics",
Phys. Rev. 106:620; the maximum-entropy reading used to reconstruct undisclosed exposures in financial networks:
Squartini, Caldarelli, Cimini, Gabrielli & Garlaschelli 2018, "Reconstruction methods for networks: the case of
economic and financial systems", Phys. Rep. 757:1). So:

* ``low`` and ``high`` with a ``value`` inside: maximum entropy with mean ``value`` on ``[low, high]``;
* ``low`` and ``high`` only (undisclosed within a range), or ``up_to`` ("up to $100B", a ceiling, not a mean):
  uniform on ``[low or 0, high]``;
* only ``low`` ("more than"): uniform on ``[low, 2 low]``;
* ``estimate`` (a figure junkan's authors derived) with a point value and no range: the default band
  ``[0.5 value, 1.5 value]`` (:data:`ESTIMATE_BAND`), uniform (its mean is the estimate);
* a disclosed point figure: fixed.

The point figures elsewhere take an ``up_to`` amount at its ceiling, the draws anywhere below it, so a point figure
can lie above its interval where ceilings dominate. Every lower bound is at least 1% of the upper one, so no edge
vanishes in a draw. The ``drawn`` basis is left as
reported (what moved is a disclosed figure). Draws are independent across deals. Not done: a reconstruction that
also honours known margins (disclosed RPO, backlog, purchase obligations: the Bayesian sampler of Gandy & Veraart
2017, Management Science 63(12)); ranges are the only constraint used.

Batched own-money shares
------------------------
For all parties at once, per draw: with ``Q = W / T`` (rows pay, pools ``T = max(R, O)``) and
``N = (I - (1 - 1e-12) Q)^-1`` (the tiny leak keeps ``N`` finite when money circulates with no outlet), a dollar
entering ``k`` first reaches ``V`` with probability ``N[k, V] / N[V, V]``; so the money ``V`` sends that comes back
is ``G_V = T_V (1 - 1 / N[V, V])`` and the unfunded part of its receipts is
``(sum_k U_k N[k, V] - U_V N[V, V]) / N[V, V] + G_V U_V / T_V`` (:mod:`junkan.flows.provenance`). One batched
inverse per draw (``numpy.linalg.inv``) serves every party; the tests check it against the exact sparse solve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from junkan.errors import JunkanInputError
from junkan.flows.graph import FlowGraph
from junkan.random import make_rng

if TYPE_CHECKING:
    from junkan.ledger.model import Ledger

#: Relative band put around an ``estimate`` that states no range of its own.
ESTIMATE_BAND = 0.5
_FLOOR = 0.01
_LEAK = 1e-12


# ---------------------------------------------------------------------------------------------------- draws
def _maxent_lambda(lo: float, hi: float, mean: float) -> float:
    """The rate of the truncated exponential on ``[lo, hi]`` with the given mean (0: uniform), by bisection."""
    width = hi - lo
    m = (mean - lo) / width  # target mean on [0, 1]
    if abs(m - 0.5) < 1e-9:
        return 0.0
    m = min(max(m, 1e-6), 1 - 1e-6)

    def mean_of(lam: float) -> float:
        if abs(lam) < 1e-8:
            return 0.5
        with np.errstate(over="ignore"):
            return float(1.0 / (-np.expm1(-lam)) - 1.0 / lam)

    a, b = -1e4, 1e4
    for _ in range(200):
        c = 0.5 * (a + b)
        if mean_of(c) < m:
            a = c
        else:
            b = c
    return 0.5 * (a + b) / width


def _sample(rng: np.random.Generator, n: int, lo: float, hi: float, lam: float) -> np.ndarray:
    u = rng.random(n)
    if lam == 0.0:
        return lo + (hi - lo) * u
    z = lam * (hi - lo)
    # inverse CDF of p(x) ~ exp(lam x) on [lo, hi], written to stay finite for large |z|
    if z > 0:
        return hi + np.log(u + (1 - u) * np.exp(-z)) / lam
    return lo + np.log1p(u * np.expm1(z)) / lam


@dataclass(frozen=True)
class AmountLaw:
    """How one deal's amount is drawn: bounds, maximum-entropy rate and the rule used (``fixed`` for none)."""

    deal_id: str
    rule: str
    low: float
    high: float
    rate: float
    headline: float


def amount_law(deal_id: str, amount: object) -> AmountLaw:
    """The law of one :class:`~junkan.ledger.schema.Amount` (module docstring)."""
    a = amount
    value = getattr(a, "value", None)
    low = getattr(a, "low", None)
    high = getattr(a, "high", None)
    head = float(a.headline)  # type: ignore[attr-defined]
    if getattr(a, "up_to", False) and high is not None:
        lo, hi, rule, mean = (low or 0.0), high, "up_to", None
    elif low is not None and high is not None:
        lo, hi = low, high
        rule, mean = ("range_value", value) if value is not None else ("range", None)
    elif low is not None:
        lo, hi, rule, mean = low, 2 * low, "at_least", None
    elif high is not None and value is None:
        lo, hi, rule, mean = 0.0, high, "up_to", None
    elif getattr(a, "estimate", False) and value is not None:
        lo, hi, rule, mean = (1 - ESTIMATE_BAND) * value, (1 + ESTIMATE_BAND) * value, "estimate", None
    else:
        return AmountLaw(deal_id, "fixed", head, head, 0.0, head)
    lo = max(float(lo), _FLOOR * float(hi))
    hi = float(hi)
    if hi <= lo:
        return AmountLaw(deal_id, "fixed", head, head, 0.0, head)
    lam = _maxent_lambda(lo, hi, float(mean)) if mean is not None and lo < mean < hi else 0.0
    return AmountLaw(deal_id, rule, lo, hi, lam, head)


def deal_factors(
    ledger: Ledger, graph: FlowGraph, n: int, seed: int | None
) -> tuple[np.ndarray, list[str], int, dict[str, str]]:
    """``(factors, deal ids, seed, rules)``: ``factors[d, j]`` multiplies money flow ``j``'s amount in draw ``d``.

    Flows are :attr:`FlowGraph.money_flows` in order; ``rules`` names each uncertain deal's rule.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise JunkanInputError.single(
            f"--uncertainty must be a positive number of draws, got {n!r}", field="uncertainty"
        )
    s, rng = make_rng(seed)
    flows = graph.money_flows
    deals = {d.id: d for d in ledger.deals}
    fac = np.ones((n, len(flows)))
    rules: dict[str, str] = {}
    if graph.basis == "drawn":
        return fac, [f.deal_id for f in flows], s, rules
    for j, f in enumerate(flows):
        d = deals.get(f.deal_id)
        if d is None:
            continue
        law = amount_law(f.deal_id, d.amount)
        if law.rule == "fixed" or law.headline <= 0:
            continue
        rules[f.deal_id] = law.rule
        fac[:, j] = _sample(rng, n, law.low, law.high, law.rate) / law.headline
    return fac, [f.deal_id for f in flows], s, rules


def edge_draws(graph: FlowGraph, factors: np.ndarray) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Aggregated edge amounts per draw: ``(edge keys, array draws x edges)``."""
    flows = graph.money_flows
    keys = sorted({(f.payer, f.payee) for f in flows})
    pos = {k: i for i, k in enumerate(keys)}
    col = np.array([pos[(f.payer, f.payee)] for f in flows], dtype=np.int64)
    amt = np.array([f.amount for f in flows])
    out = np.zeros((factors.shape[0], len(keys)))
    np.add.at(out.T, col, (factors * amt).T)
    return keys, out


def interval(x: np.ndarray) -> tuple[float, float] | None:
    """The 90% interval ``[p5, p95]`` of the finite values (None when there are none)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    return float(np.percentile(x, 5)), float(np.percentile(x, 95))


# ---------------------------------------------------------------------------------------------------- analyses
@dataclass(frozen=True)
class ShareDraws:
    """Per party (columns, in ``parties`` order) and draw (rows): receipts, returned, unfunded and both shares."""

    parties: tuple[str, ...]
    receipts: np.ndarray
    returned: np.ndarray
    unfunded: np.ndarray
    seed: int
    n: int
    rules: dict[str, str]

    @property
    def own_money_share(self) -> np.ndarray:
        """``returned / (receipts - unfunded)`` (NaN where nothing is funded)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            den = self.receipts - self.unfunded
            return np.where(den > 1e-12 * np.maximum(self.receipts, 1.0), self.returned / den, np.nan)

    @property
    def own_money_share_of_receipts(self) -> np.ndarray:
        """``returned / receipts`` (NaN without receipts)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.receipts > 0, self.returned / self.receipts, np.nan)

    def intervals(self, party: str) -> dict[str, list[float] | None]:
        """The 90% intervals of one party's headline figures (JSON-ready)."""
        j = self.parties.index(party)

        def iv(a: np.ndarray) -> list[float] | None:
            r = interval(a[:, j])
            return list(r) if r else None

        return {
            "own_money_share_interval": iv(self.own_money_share),
            "own_money_share_of_receipts_interval": iv(self.own_money_share_of_receipts),
            "returned_interval": iv(self.returned),
            "unfunded_interval": iv(self.unfunded),
        }


def shares_batched(
    parties: tuple[str, ...],
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    outside: np.ndarray,
    chunk: int = 250,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Receipts, returned and unfunded money of every party in every draw (static view; module docstring).

    ``w`` is ``draws x edges`` (edges ``src -> dst``), ``outside`` the outside inflow per party. Draws are processed
    ``chunk`` at a time (one batched inverse each).
    """
    n = len(parties)
    d_all = w.shape[0]
    receipts = np.empty((d_all, n))
    returned = np.empty((d_all, n))
    unfunded = np.empty((d_all, n))
    eye = np.eye(n)
    for start in range(0, d_all, chunk):
        wd = w[start : start + chunk]
        b = wd.shape[0]
        mat = np.zeros((b, n, n))
        mat[:, src, dst] = wd  # edges are aggregated: each (src, dst) pair once
        net_in = mat.sum(axis=1)
        out = mat.sum(axis=2)
        rec = net_in + outside[None, :]
        diff = out - rec
        unf = np.where(diff > 1e-12 * np.maximum(out, rec), diff, 0.0)
        pool = rec + unf
        safe = np.where(pool > 0, pool, 1.0)
        q = mat / safe[:, :, None] * (1.0 - _LEAK)
        nmat = np.linalg.inv(eye[None, :, :] - q)
        diag = np.einsum("bii->bi", nmat)
        gross = pool * (1.0 - 1.0 / diag)
        fv = np.where(pool > 0, np.minimum(1.0, rec / safe), 1.0)
        un = np.einsum("bk,bkv->bv", unf, nmat)
        unf_recv = (un - unf * diag) / diag + gross * (1.0 - fv)
        receipts[start : start + b] = net_in
        returned[start : start + b] = gross * fv
        unfunded[start : start + b] = np.clip(unf_recv, 0.0, None)
    return receipts, np.clip(returned, 0.0, None), unfunded


def share_draws(
    ledger: Ledger,
    graph: FlowGraph,
    outside: Mapping[str, float],
    *,
    n: int,
    seed: int | None,
) -> ShareDraws:
    """Own-money shares of every party of ``graph`` under ``n`` draws of the uncertain amounts (static view)."""
    factors, _, s, rules = deal_factors(ledger, graph, n, seed)
    keys, w = edge_draws(graph, factors)
    idx = graph.index
    src = np.array([idx[a] for a, _ in keys], dtype=np.int64)
    dst = np.array([idx[b] for _, b in keys], dtype=np.int64)
    ext = np.array([outside.get(p, 0.0) for p in graph.parties])
    rec, ret, unf = shares_batched(graph.parties, src, dst, w, ext)
    return ShareDraws(graph.parties, rec, ret, unf, s, n, rules)


def cycle_draws(
    ledger: Ledger, graph: FlowGraph, cycles: list[tuple[str, ...]], *, n: int, seed: int | None
) -> tuple[np.ndarray, int]:
    """Each cycle's bottleneck (smallest edge amount) in each of ``n`` draws: ``draws x cycles``, and the seed."""
    factors, _, s, _ = deal_factors(ledger, graph, n, seed)
    keys, w = edge_draws(graph, factors)
    pos = {k: i for i, k in enumerate(keys)}
    out = np.zeros((n, len(cycles)))
    for c, parties in enumerate(cycles):
        cols = [pos[(parties[i], parties[(i + 1) % len(parties)])] for i in range(len(parties))]
        out[:, c] = w[:, cols].min(axis=1)
    return out, s
