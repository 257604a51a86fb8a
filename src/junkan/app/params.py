"""The stress-test controls of the dashboard as a value: scenario, the four knobs, runs and seed.

The knobs map onto :func:`junkan.stress.ecosystem.run_stress`'s ``overrides`` (units as there): a GPU price change
(fraction, ``-0.4`` = prices fall 40%) reached over ``gpu_price_ramp`` quarters from a start quarter; a funding freeze
(no new equity or refinancing) of some parties from a quarter; a change of every party's annual end-demand growth
(fraction a year); the GPU depreciation life in years. A knob at its neutral value (no price change, nobody frozen, no
growth change, the assumptions' own life) adds nothing, so the scenario runs as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from junkan.random import DEFAULT_SEED
from junkan.report.i18n import Lang, get_lang

#: Run counts the dashboard offers (the Monte Carlo is vectorised: 1,000 runs of ai-compute take about a second).
RUN_CHOICES = (100, 250, 500, 1000, 2000, 5000)


def quarter_labels(start: str, quarters: int) -> list[str]:
    """``quarter_labels("2026Q3", 3) == ["2026Q3", "2026Q4", "2027Q1"]``."""
    if len(start) != 6 or start[4] != "Q" or not start[:4].isdigit() or start[5] not in "1234":
        raise ValueError(f"a quarter is written YYYYQn, got {start!r}")
    y, q = int(start[:4]), int(start[5]) - 1
    out = []
    for k in range(quarters):
        yy, qq = divmod(q + k, 4)
        out.append(f"{y + yy}Q{qq + 1}")
    return out


@dataclass(frozen=True)
class StressParams:
    """What the stress tab runs: ``run_stress(ledger, scenario, runs=runs, seed=seed, overrides=overrides(...))``."""

    scenario: str = "baseline"
    gpu_price_change: float = 0.0
    gpu_price_start: str = "2026Q1"
    gpu_price_ramp: int = 4
    freeze_parties: tuple[str, ...] = ()
    freeze_start: str = "2026Q1"
    demand_growth_delta: float = 0.0
    depreciation_years: float | None = None
    runs: int = 500
    seed: int = DEFAULT_SEED

    def overrides(self, default_life: float | None = None) -> dict[str, Any]:
        """The ``overrides`` mapping for ``run_stress``: only the knobs moved from their neutral value."""
        out: dict[str, Any] = {}
        if self.gpu_price_change != 0.0:
            out["gpu_price_change"] = self.gpu_price_change
            out["gpu_price_start"] = self.gpu_price_start
            out["gpu_price_ramp"] = self.gpu_price_ramp
        if self.freeze_parties:
            out["funding_freeze"] = list(self.freeze_parties)
            out["funding_freeze_start"] = self.freeze_start
        if self.demand_growth_delta != 0.0:
            out["demand_growth_delta"] = self.demand_growth_delta
        if self.depreciation_years is not None and self.depreciation_years != default_life:
            out["depreciation_years"] = self.depreciation_years
        return out

    def describe(self, default_life: float | None = None, lang: Lang | None = None) -> str:
        """The knobs moved from neutral, in words (``"no knob moved"`` when none), in ``lang`` (default English;
        the phrases come from the report's message catalogue, :mod:`junkan.report.i18n`)."""
        lg = lang or get_lang("en")
        _ = lg.gettext
        ov = self.overrides(default_life)
        parts = []
        if "gpu_price_change" in ov:
            parts.append(
                _("GPU prices %(change)s from %(start)s over %(ramp)s quarters")
                % {
                    "change": f"{ov['gpu_price_change']:+.0%}",
                    "start": lg.quarter(ov["gpu_price_start"]),
                    "ramp": ov["gpu_price_ramp"],
                }
            )
        if "funding_freeze" in ov:
            parts.append(
                _("funding frozen for %(parties)s from %(start)s")
                % {"parties": _(", ").join(ov["funding_freeze"]), "start": lg.quarter(ov["funding_freeze_start"])}
            )
        if "demand_growth_delta" in ov:
            parts.append(
                _("end-demand growth %(points)s points a year") % {"points": f"{ov['demand_growth_delta'] * 100:+.0f}"}
            )
        if "depreciation_years" in ov:
            parts.append(_("GPU life %(years)s years") % {"years": f"{ov['depreciation_years']:g}"})
        return _("; ").join(parts) if parts else _("no knob moved")


__all__ = ["RUN_CHOICES", "StressParams", "quarter_labels"]
