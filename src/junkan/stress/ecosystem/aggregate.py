"""Chunk-invariant aggregation of Monte Carlo runs: exact counts, compensated sums, mergeable quantiles.

A stress run is simulated in chunks of runs (memory stays bounded for any run count) and each chunk is folded into a
:class:`StressAggregate`. The aggregate gives the same numbers, bit for bit, whatever the chunk size, because

* counts (defaults by party and quarter, first defaulters, cascade chains) are integers;
* sums are accumulated run by run in run order with Neumaier's compensated summation (Neumaier 1974, "Rundungsfehler-
  analyse einiger Verfahren zur Summation endlicher Summen", ZAMM 54, 39-51), which is a fixed sequence of
  floating-point operations however the runs are split;
* quantiles are exact (NumPy's default "linear" method, Hyndman & Fan 1996 type 7, on every run's value, kept in run
  order) while ``runs x outputs`` is at most :data:`EXACT_QUANTILE_MAX_VALUES` (32 million values, 256 MB), and
  otherwise read off a fixed fine histogram of integer counts (a merge is an addition, so it is order-free):
  :data:`BINS_PER_DECADE` log-spaced bins per decade of ``|x|`` from :data:`HIST_FLOOR` to :data:`HIST_CEIL` on each
  side of zero, plus one bin for ``|x| < HIST_FLOOR`` (read as 0). A histogram quantile is interpolated inside its
  bin, so its relative error is at most ``10**(1/1000) - 1`` = 0.23% (values beyond ``HIST_CEIL`` are clipped to it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numba
import numpy as np

__all__ = [
    "BINS_PER_DECADE",
    "EXACT_QUANTILE_MAX_VALUES",
    "HIST_CEIL",
    "HIST_FLOOR",
    "QuantileSketch",
    "StressAggregate",
    "chain_label",
]

#: Quantiles are exact while runs x outputs of a sketch is at most this (256 MB of float64).
EXACT_QUANTILE_MAX_VALUES = 32_000_000
#: Log-spaced histogram bins per decade of ``|x|`` (histogram mode).
BINS_PER_DECADE = 1000
#: Smallest ``|x|`` the histogram resolves (smaller values count as 0).
HIST_FLOOR = 1e-6
#: Largest ``|x|`` the histogram resolves (larger values are clipped to it).
HIST_CEIL = 1e18

_DECADES = round(np.log10(HIST_CEIL / HIST_FLOOR))
_SIDE = _DECADES * BINS_PER_DECADE  # bins on each side of zero
_ZERO = _SIDE  # index of the |x| < HIST_FLOOR bin


@numba.njit(cache=True)
def neumaier_add(acc: np.ndarray, comp: np.ndarray, x: np.ndarray) -> None:  # pragma: no cover (compiled)
    """Add the rows of ``x`` (``(C, k)``) to the running sums ``acc`` (``(k,)``) in row order, compensated.

    Neumaier's variant of Kahan summation: ``comp`` carries the rounding error of every addition; the sum is
    ``acc + comp``. The same rows in the same order give the same bits however they are split into calls.
    """
    c, k = x.shape
    for i in range(c):
        for j in range(k):
            v = x[i, j]
            s = acc[j]
            t = s + v
            if abs(s) >= abs(v):
                comp[j] += (s - t) + v
            else:
                comp[j] += (v - t) + s
            acc[j] = t


def _bin_index(x: np.ndarray) -> np.ndarray:
    """Histogram bin of each value: ``_ZERO`` for ``|x| < HIST_FLOOR``, above it for positives, below for negatives."""
    a = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.floor(np.log10(np.maximum(a, HIST_FLOOR) / HIST_FLOOR) * BINS_PER_DECADE).astype(np.int64)
    k = np.clip(k, 0, _SIDE - 1) + 1
    k = np.where(a < HIST_FLOOR, 0, k)
    return np.where(x < 0, _ZERO - k, _ZERO + k)


def _bin_edges(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper value of histogram bins ``b`` (the zero bin is [0, 0])."""
    k = np.abs(b - _ZERO)
    lo = HIST_FLOOR * 10.0 ** ((k - 1) / BINS_PER_DECADE)
    hi = HIST_FLOOR * 10.0 ** (k / BINS_PER_DECADE)
    lo = np.where(k == 0, 0.0, lo)
    hi = np.where(k == 0, 0.0, hi)
    neg = b < _ZERO
    return np.where(neg, -hi, lo), np.where(neg, -lo, hi)


@dataclass
class QuantileSketch:
    """Quantiles of ``width`` outputs over ``runs`` runs, exact or from a fixed histogram (see the module docstring).

    ``add`` takes the rows of runs ``start:start + len(x)``; every run must be added exactly once.
    """

    runs: int
    width: int
    exact: bool = field(init=False)
    _values: np.ndarray = field(init=False, repr=False)
    _counts: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.exact = self.runs * self.width <= EXACT_QUANTILE_MAX_VALUES
        if self.exact:
            self._values = np.empty((self.runs, self.width))
            self._counts = np.zeros((0, 0), dtype=np.int64)
        else:
            self._values = np.empty((0, self.width))
            self._counts = np.zeros((self.width, 2 * _SIDE + 1), dtype=np.int64)

    def add(self, start: int, x: np.ndarray) -> None:
        if self.exact:
            self._values[start : start + x.shape[0]] = x
            return
        idx = _bin_index(np.asarray(x, dtype=float))
        for j in range(self.width):
            self._counts[j] += np.bincount(idx[:, j], minlength=self._counts.shape[1])

    def quantiles(self, qs: tuple[float, ...] | list[float]) -> np.ndarray:
        """``(len(qs), width)``: the quantiles of each output."""
        q = np.asarray(qs, dtype=float)
        if self.exact:
            return np.asarray(np.quantile(self._values, q, axis=0)).reshape(q.size, self.width)
        out = np.empty((q.size, self.width))
        n = self.runs
        for j in range(self.width):
            counts = self._counts[j]
            cum = np.cumsum(counts)
            h = (n - 1) * q  # rank, as NumPy's "linear" method
            lo_rank = np.floor(h).astype(np.int64)
            hi_rank = np.minimum(lo_rank + 1, n - 1)
            out[:, j] = self._order_stat(counts, cum, lo_rank) * (1 - (h - lo_rank)) + self._order_stat(
                counts, cum, hi_rank
            ) * (h - lo_rank)
        return out

    @staticmethod
    def _order_stat(counts: np.ndarray, cum: np.ndarray, rank: np.ndarray) -> np.ndarray:
        """Value of the ``rank``-th smallest (0-based) run, interpolated inside its bin (log-spaced, so linearly in
        the bin's value range at this resolution)."""
        b = np.searchsorted(cum, rank, side="right")
        before = np.where(b > 0, cum[np.maximum(b - 1, 0)], 0)
        frac = (rank - before + 0.5) / counts[b]
        lo, hi = _bin_edges(b)
        return np.asarray(lo + (hi - lo) * frac)


def chain_label(row: np.ndarray, parties: tuple[str, ...]) -> str:
    """Cascade chain of one run's default quarters (``-1`` = no default): ``"openai > coreweave+oracle"``."""
    steps: dict[int, list[str]] = {}
    for i in np.flatnonzero(row >= 0):
        steps.setdefault(int(row[i]), []).append(parties[i])
    return " > ".join("+".join(sorted(steps[q])) for q in sorted(steps))


#: Per-party sums kept by the aggregate (means per run in the result).
SUMS = ("revenue_at_risk", "revenue", "capex_deferred", "raised", "gpu_sold", "backstop_paid", "cash")


@dataclass
class StressAggregate:
    """What a stress result keeps of ``runs`` runs of ``N`` parties over ``Q`` quarters, folded chunk by chunk."""

    runs: int
    parties: tuple[str, ...]
    quarters: int
    channels: tuple[str, ...]
    reference_revenue: np.ndarray  # (N,)
    added: int = 0
    default_counts: np.ndarray = field(init=False)  # (N, Q) runs in which party i defaults in quarter q
    any_default: int = 0
    defaults: int = 0  # defaulters summed over runs
    first_counts: np.ndarray = field(init=False)  # (N,) runs in which party i is among the first defaulters
    chains: Counter[str] = field(default_factory=Counter)
    _sums: dict[str, tuple[np.ndarray, np.ndarray]] = field(init=False, repr=False)
    rar: QuantileSketch = field(init=False)  # revenue at risk of each party
    gpu_end: QuantileSketch = field(init=False)  # GPU index at the end of the horizon

    def __post_init__(self) -> None:
        n = len(self.parties)
        self.default_counts = np.zeros((n, self.quarters), dtype=np.int64)
        self.first_counts = np.zeros(n, dtype=np.int64)
        names = [*SUMS, *(f"loss_{c}" for c in self.channels)]
        self._sums = {k: (np.zeros(n), np.zeros(n)) for k in names}
        self.rar = QuantileSketch(self.runs, n)
        self.gpu_end = QuantileSketch(self.runs, 1)

    def add(self, raw: object) -> None:
        """Fold the next chunk of runs (a :class:`~junkan.stress.ecosystem.model.RawOutcome`) in run order."""
        dq = np.asarray(raw.default_quarter)  # type: ignore[attr-defined]
        c, n = dq.shape
        if self.added + c > self.runs:
            raise ValueError(f"{self.added + c} runs added to an aggregate of {self.runs}")
        dead = dq >= 0
        for q in range(self.quarters):
            self.default_counts[:, q] += (dq == q).sum(axis=0)
        anyd = np.asarray(dead.any(axis=1))
        self.any_default += int(anyd.sum())
        self.defaults += int(dead.sum())
        if anyd.any():
            first_q = np.where(dead, dq, np.iinfo(np.int64).max).min(axis=1)
            self.first_counts += ((dq == first_q[:, None]) & anyd[:, None]).sum(axis=0)
            pats, counts = np.unique(dq[anyd], axis=0, return_counts=True)
            for row, k in zip(pats, counts, strict=True):
                self.chains[chain_label(row, self.parties)] += int(k)
        rar = self.reference_revenue[None, :] - np.asarray(raw.revenue)  # type: ignore[attr-defined]
        values = {
            "revenue_at_risk": rar,
            "revenue": raw.revenue,  # type: ignore[attr-defined]
            "capex_deferred": raw.capex_deferred,  # type: ignore[attr-defined]
            "raised": raw.raised,  # type: ignore[attr-defined]
            "gpu_sold": raw.gpu_sold,  # type: ignore[attr-defined]
            "backstop_paid": raw.backstop_paid  # type: ignore[attr-defined]
            if raw.backstop_paid is not None  # type: ignore[attr-defined]
            else np.zeros((c, n)),
            "cash": raw.cash,  # type: ignore[attr-defined]
            **{f"loss_{ch}": raw.losses[ch] for ch in self.channels},  # type: ignore[attr-defined]
        }
        for k, v in values.items():
            acc, comp = self._sums[k]
            neumaier_add(acc, comp, np.ascontiguousarray(v, dtype=float))
        self.rar.add(self.added, rar)
        self.gpu_end.add(self.added, np.asarray(raw.gpu_index)[:, -1:])  # type: ignore[attr-defined]
        self.added += c

    def mean(self, name: str) -> np.ndarray:
        """``(N,)``: mean per run of a kept sum (``revenue_at_risk``, ``loss_<channel>``, ``raised``, ...)."""
        acc, comp = self._sums[name]
        return np.asarray((acc + comp) / self.runs)

    def median_default_quarter(self, i: int) -> int | None:
        """Index of the median default quarter of party ``i`` over the runs in which it defaults (NumPy's median of
        the quarter indices, truncated to an integer), or ``None``."""
        counts = self.default_counts[i]
        n = int(counts.sum())
        if n == 0:
            return None
        cum = np.cumsum(counts)

        def kth(k: int) -> int:
            return int(np.searchsorted(cum, k, side="right"))

        med = kth(n // 2) if n % 2 else (kth(n // 2 - 1) + kth(n // 2)) / 2
        return int(med)

    @property
    def complete(self) -> bool:
        return self.added == self.runs
