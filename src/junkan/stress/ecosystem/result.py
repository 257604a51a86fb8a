"""The frozen result of a stress run: default probabilities and timing, revenue at risk, cascades, channel losses."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from junkan.errors import JunkanInputError
from junkan.stress.ecosystem.aggregate import StressAggregate
from junkan.stress.ecosystem.events import CreditEvents
from junkan.stress.ecosystem.model import LOSS_CHANNELS, RawOutcome
from junkan.stress.ecosystem.schedule import quarter_start

__all__ = ["QUANTILES", "StressResult"]

#: Quantiles reported for revenue at risk.
QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True, eq=False)
class StressResult:
    """What ``run_stress`` returns. Money in US dollars; quarters labelled ``YYYYQn``.

    Definitions
    -----------
    default probability
        Share of runs in which the party defaults within the horizon.
    revenue at risk
        Per run: the party's revenue on the central path (mean growth, GPU index 1, planned capex, nobody defaults,
        each ledger deal weighted by its status's expected realisation probability) minus the revenue it actually
        gets in the run (end-customer revenue plus payments received). Positive = revenue lost.
    cascade chain
        Per run with defaults: the defaulters ordered by default quarter, parties failing in the same quarter joined
        by ``+`` (``openai > coreweave+oracle``).
    channel losses
        Losses borne by each party, tagged by channel: ``clearing`` (shortfall of payments due from defaulters in
        their default quarter), ``backlog`` (scheduled receipts cancelled by a counterparty's default), ``equity``
        (cost of stakes minus their marked value at the end; stakes in defaulters are worth 0), ``firesale``
        (discount on GPUs sold because of price impact).

    Every number comes from ``agg`` (a :class:`~junkan.stress.ecosystem.aggregate.StressAggregate`: exact counts,
    compensated sums, quantiles exact up to 32 million values and from a fixed fine histogram beyond), the same
    whatever chunks the runs were simulated in. ``raw`` holds every run's outputs when they fit in memory (see
    ``run_stress(keep_runs=...)``), else ``None``.
    """

    scenario: str
    seed: int
    runs: int
    assumptions_hash: str
    channels: dict[str, bool]
    parties: tuple[str, ...]
    start: str
    quarters: int
    raw: RawOutcome | None = field(repr=False)
    agg: StressAggregate = field(repr=False)
    overrides: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    focal: str | None = None
    as_of: str | None = None
    events: CreditEvents | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ derived
    @property
    def quarter_labels(self) -> list[str]:
        """``["2026Q1", ...]`` for the horizon."""
        out = []
        for q in range(self.quarters):
            d = quarter_start(self.start, q)
            out.append(f"{d.year}Q{(d.month - 1) // 3 + 1}")
        return out

    @cached_property
    def default_probability(self) -> dict[str, float]:
        """Party -> share of runs in which it defaults."""
        p = self.agg.default_counts.sum(axis=1) / self.runs
        return {name: float(v) for name, v in zip(self.parties, p, strict=True)}

    @property
    def p_default(self) -> dict[str, float]:
        """Party -> share of runs in which it fails to pay (the same as :attr:`default_probability`)."""
        return self.default_probability

    @cached_property
    def p_restructuring(self) -> dict[str, float]:
        """Party -> share of runs with a distressed restructuring: it cancels contracted compute because it cannot
        pay (owing the take-or-pay damages); see :mod:`~junkan.stress.ecosystem.events`."""
        p = self.events.p_restructuring() if self.events is not None else np.zeros(len(self.parties))
        return {name: float(v) for name, v in zip(self.parties, p, strict=True)}

    @cached_property
    def p_default_or_restructuring(self) -> dict[str, float]:
        """Party -> share of runs with a default or a distressed restructuring (a rating agency's default count:
        Moody's counts distressed exchanges as defaults)."""
        if self.events is None:
            return self.default_probability
        p = self.events.p_default_or_restructuring()
        return {name: float(v) for name, v in zip(self.parties, p, strict=True)}

    def cumulative_default_probability(self) -> np.ndarray:
        """``(N, Q)``: share of runs in which each party has defaulted by the end of each quarter."""
        return np.asarray(np.cumsum(self.agg.default_counts, axis=1) / self.runs)

    def revenue_at_risk(self, party: str) -> np.ndarray:
        """``(runs,)``: reference revenue minus realised revenue of ``party`` over the horizon (US dollars).

        Needs the per-run outputs (``raw``); for its mean and quantiles at any run count see :meth:`to_frame`."""
        i = self._index(party)
        if self.raw is None:
            raise JunkanInputError.single(
                f"per-run values were not kept for {self.runs} runs (run_stress keep_runs); the mean and quantiles "
                "of revenue at risk are in to_frame() and summary()",
                field="runs",
            )
        return np.asarray(self.raw.reference_revenue[i] - self.raw.revenue[:, i])

    def _index(self, party: str) -> int:
        if party not in self.parties:
            raise JunkanInputError.single(
                f"unknown party {party!r}; modelled parties are {', '.join(self.parties)}", field="party"
            )
        return self.parties.index(party)

    @cached_property
    def cascades(self) -> list[tuple[str, int]]:
        """Every observed cascade chain with its count, most frequent first (ties by name)."""
        return sorted(self.agg.chains.items(), key=lambda kv: (-kv[1], kv[0]))

    @cached_property
    def first_defaulters(self) -> dict[str, float]:
        """Party -> share of runs in which it is among the first to default (runs with any default)."""
        share = self.agg.first_counts / self.runs
        return {p: float(s) for p, s in zip(self.parties, share, strict=True) if s > 0}

    def channel_losses(self) -> dict[str, dict[str, float]]:
        """Channel -> party -> mean loss per run (US dollars)."""
        return {
            c: {p: float(v) for p, v in zip(self.parties, self.agg.mean(f"loss_{c}"), strict=True)}
            for c in LOSS_CHANNELS
        }

    # ------------------------------------------------------------------ faces
    def to_frame(self) -> Any:
        """One row per party: default probability and timing, revenue at risk (mean and quantiles), losses by channel.

        Columns: ``party, default_probability, p_restructuring, p_default_or_restructuring, median_default_quarter,
        revenue_reference, revenue_at_risk_mean,
        revenue_at_risk_p5/p50/p95, loss_clearing, loss_backlog, loss_equity, loss_firesale, capex_deferred, raised,
        gpu_sold`` (means per run, US dollars).
        """
        import pandas as pd

        labels = self.quarter_labels
        rows = []
        agg = self.agg
        qs = agg.rar.quantiles(QUANTILES)  # (3, N)
        rar_mean = agg.mean("revenue_at_risk")
        means = {k: agg.mean(k) for k in ("capex_deferred", "raised", "gpu_sold")}
        losses = {c: agg.mean(f"loss_{c}") for c in LOSS_CHANNELS}
        for i, p in enumerate(self.parties):
            med = agg.median_default_quarter(i)
            row: dict[str, Any] = {
                "party": p,
                "default_probability": float(agg.default_counts[i].sum() / self.runs),
                "p_restructuring": self.p_restructuring[p],
                "p_default_or_restructuring": self.p_default_or_restructuring[p],
                "median_default_quarter": labels[med] if med is not None else None,
                "revenue_reference": float(agg.reference_revenue[i]),
                "revenue_at_risk_mean": float(rar_mean[i]),
                "revenue_at_risk_p5": float(qs[0, i]),
                "revenue_at_risk_p50": float(qs[1, i]),
                "revenue_at_risk_p95": float(qs[2, i]),
            }
            for c in LOSS_CHANNELS:
                row[f"loss_{c}"] = float(losses[c][i])
            for k, v in means.items():
                row[k] = float(v[i])
            rows.append(row)
        return pd.DataFrame(rows)

    def summary(self, top: int = 10) -> dict[str, Any]:
        """A JSON-ready dict: inputs (scenario, seed, runs, assumptions hash, channels), headline numbers, top
        cascades, and the focal vendor's revenue at risk: ``focal`` (the party, see ``run_stress(focal=...)``) and
        ``focal_revenue_at_risk`` (``reference``, ``mean``, ``p5``, ``p50``, ``p95``), or ``None`` for both when
        there is no focal party."""
        agg = self.agg
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "description": self.description,
            "seed": self.seed,
            "runs": self.runs,
            "assumptions_hash": self.assumptions_hash,
            "channels": dict(self.channels),
            "overrides": dict(self.overrides),
            "as_of": self.as_of,
            "horizon": f"{self.quarter_labels[0]}..{self.quarter_labels[-1]}",
            "any_default_probability": agg.any_default / self.runs,
            "any_default_or_restructuring_probability": self._any_event(),
            "mean_defaults_per_run": agg.defaults / self.runs,
            "default_probability": self.default_probability,
            "p_default": self.p_default,
            "p_restructuring": self.p_restructuring,
            "p_default_or_restructuring": self.p_default_or_restructuring,
            "funding_market_closed_share": (
                self.events.closed_quarters / (self.runs * self.quarters) if self.events is not None else 0.0
            ),
            "first_defaulters": self.first_defaulters,
            "top_cascades": [{"chain": c, "runs": k, "share": k / self.runs} for c, k in self.cascades[:top]],
            "gpu_index_end_median": float(agg.gpu_end.quantiles([0.5])[0, 0]),
        }
        out["focal"] = self.focal
        out["focal_revenue_at_risk"] = None
        if self.focal is not None:
            i = self._index(self.focal)
            qs = agg.rar.quantiles(QUANTILES)[:, i]
            out["focal_revenue_at_risk"] = {
                "reference": float(agg.reference_revenue[i]),
                "mean": float(agg.mean("revenue_at_risk")[i]),
                **{f"p{round(q * 100)}": float(v) for q, v in zip(QUANTILES, qs, strict=True)},
            }
        return out

    def _any_event(self) -> float | None:
        """Share of runs with any default or restructuring (``None`` without event counts)."""
        if self.events is None:
            return None
        return self.events.any_event / self.runs

    def to_dict(self) -> dict[str, Any]:
        """Everything the CLI's ``--format json`` prints: the summary plus the per-party rows."""
        return {**self.summary(), "parties": self.to_frame().to_dict(orient="records")}

    def plot(self) -> Any:
        """A plotly figure: cumulative default probability by quarter for each party that ever defaults."""
        import plotly.graph_objects as go

        cum = self.cumulative_default_probability()
        fig = go.Figure()
        labels = self.quarter_labels
        for i, p in enumerate(self.parties):
            if cum[i, -1] > 0:
                fig.add_trace(go.Scatter(x=labels, y=cum[i], mode="lines+markers", name=p))
        fig.update_layout(
            title=f"Cumulative default probability: {self.scenario} ({self.runs} runs, seed {self.seed})",
            xaxis_title="quarter",
            yaxis_title="probability of default by quarter end",
            yaxis_range=[0, 1],
        )
        return fig
