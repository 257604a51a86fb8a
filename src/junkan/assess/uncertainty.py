"""How sure is a scorecard position? Intervals from the uncertainty of the inputs, by seeded Monte Carlo.

Each draw perturbs what the data says is uncertain and scores the same cases again (same thresholds, same
overrides):

* **Deal amounts with a range** (``amount.low`` / ``amount.high``; ``up_to`` ceilings, whose floor is the committed
  amount or 0): the headline is drawn uniformly in the range; a deal's explicit ``committed`` (the binding part)
  and ``drawn`` stay as recorded, capped at the drawn headline.
* **Estimates without a range** (``amount.estimate`` deals; financial figures marked ``estimate``): a factor drawn
  uniformly in ``[1 - w, 1 + w]`` with ``w = ESTIMATE_WIDTH`` (0.3).
* **Financial figures by confidence**: ``low`` confidence ``w = 0.3``, ``medium`` ``w = 0.1``, ``high`` not varied
  (a primary document states it). Shares (ratios) are clipped to [0, 1].

These widths are junkan's stated assumptions, not sourced figures: the point of the interval is to show which
placements hinge on inputs the data marks as uncertain. The result gives each case's 5th and 95th percentiles of
both axes, how often it lands in each region, and ``straddles``: whether it lands in more than one region or its
interval crosses a cut.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from junkan.assess.scorecard import Scorecard, scorecard
from junkan.assess.thresholds import Thresholds
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Amount, Confidence, Deal, Financial, metric_unit
from junkan.random import SeedLike, make_rng

#: Half-width of the uniform factor applied to an estimate without a stated range.
ESTIMATE_WIDTH = 0.3
#: Half-width of the uniform factor applied to a financial figure by its confidence.
CONFIDENCE_WIDTH: dict[Confidence, float] = {Confidence.low: 0.3, Confidence.medium: 0.1, Confidence.high: 0.0}


@dataclass(frozen=True)
class PositionInterval:
    """The spread of one case's position over the draws."""

    case: str
    round_trip: tuple[float, float] | None
    strain: tuple[float, float] | None
    regions: Mapping[str, float]
    straddles: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: ``case, round_trip_interval, strain_interval, regions, straddles``."""
        return {
            "case": self.case,
            "round_trip_interval": None if self.round_trip is None else list(self.round_trip),
            "strain_interval": None if self.strain is None else list(self.strain),
            "regions": dict(self.regions),
            "straddles": self.straddles,
        }


@dataclass(frozen=True)
class PositionUncertainty:
    """Intervals for every case of a scorecard, with the draws and seed that produced them."""

    base: Scorecard
    intervals: tuple[PositionInterval, ...]
    draws: int
    seed: int

    def interval(self, case_id: str) -> PositionInterval:
        """The interval of one case."""
        for i in self.intervals:
            if i.case == case_id:
                return i
        raise KeyError(case_id)

    def to_dict(self) -> dict[str, object]:
        """``{"draws", "seed", "assumptions", "intervals": [...]}``."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "assumptions": {
                "estimate_width": ESTIMATE_WIDTH,
                "confidence_width": {k.value: v for k, v in CONFIDENCE_WIDTH.items()},
            },
            "intervals": [i.to_dict() for i in self.intervals],
        }


def _factor(rng: np.random.Generator, width: float) -> float:
    return 1.0 if width <= 0 else float(rng.uniform(1.0 - width, 1.0 + width))


def _draw_amount(a: Amount, rng: np.random.Generator) -> Amount:
    lo, hi = a.low, a.high
    if a.up_to and hi is not None and lo is None:
        lo = a.committed if a.committed is not None else 0.0  # a ceiling: from the binding part up
    if lo is not None and hi is not None and hi > lo:
        value = float(rng.uniform(lo, hi))
    elif a.estimate:
        value = a.headline * _factor(rng, ESTIMATE_WIDTH)
    else:
        return a
    upd: dict[str, object] = {"value": value, "low": None, "high": None, "up_to": False}
    committed = value
    if a.committed is not None:
        committed = min(a.committed, value)
        upd["committed"] = committed
    if a.drawn is not None:
        upd["drawn"] = min(a.drawn, committed)
    return a.model_copy(update=upd)


def _draw_financial(f: Financial, rng: np.random.Generator) -> Financial:
    width = max(CONFIDENCE_WIDTH[f.confidence], ESTIMATE_WIDTH if f.estimate else 0.0)
    if width <= 0:
        return f
    v = f.value * _factor(rng, width)
    if metric_unit(f.metric) == "ratio":
        v = min(1.0, max(0.0, v))
    return f.model_copy(update={"value": v})


def perturbed(ledger: Ledger, rng: np.random.Generator) -> Ledger:
    """One draw of ``ledger`` with its uncertain inputs varied (rules in the module docstring)."""
    deals: list[Deal] = [d.model_copy(update={"amount": _draw_amount(d.amount, rng)}) for d in ledger.deals]
    figs = [_draw_financial(f, rng) for f in ledger.financials]
    return replace(ledger, deals=tuple(deals), financials=tuple(figs))


def _pct(vals: Sequence[float]) -> tuple[float, float] | None:
    if not vals:
        return None
    arr = np.asarray(vals, dtype=float)
    return float(np.percentile(arr, 5)), float(np.percentile(arr, 95))


def position_intervals(
    ledgers: Sequence[Ledger],
    *,
    draws: int = 200,
    seed: SeedLike = None,
    levels: Sequence[str] = ("dataset",),
    thresholds: Thresholds | Mapping[str, float] | None = None,
    basis: str = "committed",
) -> PositionUncertainty:
    """Score ``ledgers`` ``draws`` times with their uncertain inputs varied; each case's interval and regions.

    Parameters
    ----------
    ledgers
        The datasets (already as known on a date, if wanted: :func:`junkan.assess.scorecard.known_on`).
    draws
        Monte Carlo draws (each rescores every case).
    seed
        One seed for all draws, recorded in the result.
    levels, thresholds, basis
        As for :func:`junkan.assess.scorecard`.

    Returns
    -------
    PositionUncertainty
        The unperturbed scorecard and one :class:`PositionInterval` per case (cases that a draw loses, e.g. an
        arrangement whose amounts all fall to 0, count only in the draws that have them).
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    t = thresholds if isinstance(thresholds, Thresholds) else Thresholds.from_mapping(thresholds or {})
    s, rng = make_rng(seed)
    base = scorecard(list(ledgers), levels=levels, thresholds=t, basis=basis)
    rs: dict[str, list[float]] = {c.id: [] for c in base.cases}
    fs: dict[str, list[float]] = {c.id: [] for c in base.cases}
    regions: dict[str, Counter[str]] = {c.id: Counter() for c in base.cases}
    for _ in range(draws):
        drawn = [perturbed(lg, rng) for lg in ledgers]
        for c in scorecard(drawn, levels=levels, thresholds=t, basis=basis).cases:
            if c.id not in regions:
                continue
            regions[c.id][c.region] += 1
            if c.round_trip is not None:
                rs[c.id].append(c.round_trip)
            if c.strain is not None:
                fs[c.id].append(c.strain)
    out = []
    for c in base.cases:
        n = sum(regions[c.id].values())
        shares = {r: k / n for r, k in regions[c.id].most_common()} if n else {}
        ri, fi = _pct(rs[c.id]), _pct(fs[c.id])
        crosses = any(
            iv is not None and iv[0] < cut - 1e-9 <= iv[1] for iv, cut in ((ri, t.round_trip_cut), (fi, t.strain_cut))
        )
        out.append(PositionInterval(c.id, ri, fi, shares, len(shares) > 1 or crosses))
    return PositionUncertainty(base=base, intervals=tuple(out), draws=draws, seed=s)
