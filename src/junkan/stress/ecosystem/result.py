"""The frozen result of a stress run: default probabilities and timing, revenue at risk, cascades, channel losses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

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
    """

    scenario: str
    seed: int
    runs: int
    assumptions_hash: str
    channels: dict[str, bool]
    parties: tuple[str, ...]
    start: str
    quarters: int
    raw: RawOutcome = field(repr=False)
    overrides: dict[str, Any] = field(default_factory=dict)
    description: str = ""

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
        p = (self.raw.default_quarter >= 0).mean(axis=0)
        return {name: float(v) for name, v in zip(self.parties, p, strict=True)}

    def cumulative_default_probability(self) -> np.ndarray:
        """``(N, Q)``: share of runs in which each party has defaulted by the end of each quarter."""
        dq = self.raw.default_quarter
        qs = np.arange(self.quarters)
        return np.asarray(((dq[:, :, None] >= 0) & (dq[:, :, None] <= qs)).mean(axis=0))

    def revenue_at_risk(self, party: str) -> np.ndarray:
        """``(runs,)``: reference revenue minus realised revenue of ``party`` over the horizon (US dollars)."""
        i = self._index(party)
        return np.asarray(self.raw.reference_revenue[i] - self.raw.revenue[:, i])

    def _index(self, party: str) -> int:
        from junkan.errors import JunkanInputError

        if party not in self.parties:
            raise JunkanInputError.single(
                f"unknown party {party!r}; modelled parties are {', '.join(self.parties)}", field="party"
            )
        return self.parties.index(party)

    @cached_property
    def cascades(self) -> list[tuple[str, int]]:
        """Every observed cascade chain with its count, most frequent first (ties by name)."""
        dq = self.raw.default_quarter
        counts: Counter[str] = Counter()
        for r in np.flatnonzero((dq >= 0).any(axis=1)):
            row = np.asarray(dq[r])
            steps: dict[int, list[str]] = {}
            for i in np.flatnonzero(row >= 0):
                steps.setdefault(int(row[i]), []).append(self.parties[i])
            counts[" > ".join("+".join(sorted(steps[q])) for q in sorted(steps))] += 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @cached_property
    def first_defaulters(self) -> dict[str, float]:
        """Party -> share of runs in which it is among the first to default (runs with any default)."""
        dq = self.raw.default_quarter
        anyd = np.asarray((dq >= 0).any(axis=1))
        if not anyd.any():
            return {}
        first_q = np.where(dq >= 0, dq, np.iinfo(np.int64).max).min(axis=1)
        first = (dq == first_q[:, None]) & anyd[:, None]
        share = first.sum(axis=0) / self.runs
        return {p: float(s) for p, s in zip(self.parties, share, strict=True) if s > 0}

    def channel_losses(self) -> dict[str, dict[str, float]]:
        """Channel -> party -> mean loss per run (US dollars)."""
        return {
            c: {p: float(v) for p, v in zip(self.parties, self.raw.losses[c].mean(axis=0), strict=True)}
            for c in LOSS_CHANNELS
        }

    # ------------------------------------------------------------------ faces
    def to_frame(self) -> Any:
        """One row per party: default probability and timing, revenue at risk (mean and quantiles), losses by channel.

        Columns: ``party, default_probability, median_default_quarter, revenue_reference, revenue_at_risk_mean,
        revenue_at_risk_p5/p50/p95, loss_clearing, loss_backlog, loss_equity, loss_firesale, capex_deferred, raised,
        gpu_sold`` (means per run, US dollars).
        """
        import pandas as pd

        labels = self.quarter_labels
        rows = []
        dq = self.raw.default_quarter
        for i, p in enumerate(self.parties):
            hits = dq[:, i][dq[:, i] >= 0]
            rar = self.raw.reference_revenue[i] - self.raw.revenue[:, i]
            qs = np.quantile(rar, QUANTILES)
            row: dict[str, Any] = {
                "party": p,
                "default_probability": float((dq[:, i] >= 0).mean()),
                "median_default_quarter": labels[int(np.median(hits))] if hits.size else None,
                "revenue_reference": float(self.raw.reference_revenue[i]),
                "revenue_at_risk_mean": float(rar.mean()),
                "revenue_at_risk_p5": float(qs[0]),
                "revenue_at_risk_p50": float(qs[1]),
                "revenue_at_risk_p95": float(qs[2]),
            }
            for c in LOSS_CHANNELS:
                row[f"loss_{c}"] = float(self.raw.losses[c][:, i].mean())
            row["capex_deferred"] = float(self.raw.capex_deferred[:, i].mean())
            row["raised"] = float(self.raw.raised[:, i].mean())
            row["gpu_sold"] = float(self.raw.gpu_sold[:, i].mean())
            rows.append(row)
        return pd.DataFrame(rows)

    def summary(self, top: int = 10) -> dict[str, Any]:
        """A JSON-ready dict: inputs (scenario, seed, runs, assumptions hash, channels), headline numbers, top
        cascades, and NVIDIA revenue at risk when NVIDIA is modelled."""
        dq = self.raw.default_quarter
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "description": self.description,
            "seed": self.seed,
            "runs": self.runs,
            "assumptions_hash": self.assumptions_hash,
            "channels": dict(self.channels),
            "overrides": dict(self.overrides),
            "horizon": f"{self.quarter_labels[0]}..{self.quarter_labels[-1]}",
            "any_default_probability": float((dq >= 0).any(axis=1).mean()),
            "mean_defaults_per_run": float((dq >= 0).sum(axis=1).mean()),
            "default_probability": self.default_probability,
            "first_defaulters": self.first_defaulters,
            "top_cascades": [{"chain": c, "runs": k, "share": k / self.runs} for c, k in self.cascades[:top]],
            "gpu_index_end_median": float(np.median(self.raw.gpu_index[:, -1])),
        }
        if "nvidia" in self.parties:
            rar = self.revenue_at_risk("nvidia")
            qs = np.quantile(rar, QUANTILES)
            out["nvidia_revenue_at_risk"] = {
                "reference": float(self.raw.reference_revenue[self.parties.index("nvidia")]),
                "mean": float(rar.mean()),
                **{f"p{round(q * 100)}": float(v) for q, v in zip(QUANTILES, qs, strict=True)},
            }
        return out

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
