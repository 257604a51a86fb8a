"""Monte Carlo entry points: ``run_stress`` (one scenario, many runs) and ``attribute_channels`` (channel knock-out)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from junkan.errors import InputProblem, JunkanInputError
from junkan.random import SeedLike, make_rng
from junkan.stress.ecosystem.assumptions import Assumptions, assumptions_hash, load_assumptions
from junkan.stress.ecosystem.model import build_model, scenario_paths, simulate
from junkan.stress.ecosystem.result import StressResult
from junkan.stress.ecosystem.scenarios import CHANNELS, Scenario, load_scenario

__all__ = ["Overrides", "attribute_channels", "run_stress"]


class Overrides(BaseModel):
    """Knobs a dashboard can move on top of a scenario (each adds a shock or replaces an assumption).

    ``gpu_price_change`` (e.g. ``-0.4``) from ``gpu_price_start`` over ``gpu_price_ramp`` quarters;
    ``funding_freeze`` parties frozen from ``funding_freeze_start``; ``demand_growth_delta`` added to every party's
    annual end-customer growth; ``rate_delta`` added to interest rates; ``depreciation_years`` replaces the GPU
    useful life.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    gpu_price_change: float | None = Field(default=None, ge=-1, le=10)
    gpu_price_start: str = Field(default="2026Q1", pattern=r"^\d{4}Q[1-4]$")
    gpu_price_ramp: int = Field(default=4, ge=1, le=80)
    funding_freeze: list[str] = Field(default_factory=list)
    funding_freeze_start: str = Field(default="2026Q1", pattern=r"^\d{4}Q[1-4]$")
    demand_growth_delta: float | None = Field(default=None, ge=-1, le=10)
    rate_delta: float | None = Field(default=None, ge=-0.2, le=1)
    depreciation_years: float | None = Field(default=None, gt=0, le=50)

    def shocks(self, start: str) -> list[dict[str, Any]]:
        """The shocks these overrides add."""
        out: list[dict[str, Any]] = []
        if self.gpu_price_change is not None:
            out.append(
                {
                    "type": "gpu_price",
                    "start": self.gpu_price_start,
                    "change": self.gpu_price_change,
                    "ramp_quarters": self.gpu_price_ramp,
                }
            )
        if self.funding_freeze:
            out.append({"type": "funding_freeze", "start": self.funding_freeze_start, "parties": self.funding_freeze})
        if self.demand_growth_delta is not None:
            out.append({"type": "demand", "start": start, "growth_delta": self.demand_growth_delta})
        if self.rate_delta is not None:
            out.append({"type": "rate", "start": start, "delta": self.rate_delta})
        return out


def _overrides(raw: Overrides | Mapping[str, Any] | None) -> Overrides:
    if raw is None:
        return Overrides()
    if isinstance(raw, Overrides):
        return raw
    try:
        return Overrides.model_validate(dict(raw))
    except ValidationError as exc:
        raise JunkanInputError(
            [
                InputProblem(e["msg"].removeprefix("Value error, "), field="overrides." + ".".join(map(str, e["loc"])))
                for e in exc.errors()
            ]
        ) from None


def run_stress(
    ledger: Any,
    scenario: str | Path | Scenario = "baseline",
    *,
    runs: int = 1000,
    seed: SeedLike = None,
    assumptions: str | Path | Assumptions | None = None,
    overrides: Overrides | Mapping[str, Any] | None = None,
    channels: Mapping[str, bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StressResult:
    """Run the AI ecosystem stress model ``runs`` times under a scenario.

    Parameters
    ----------
    ledger
        A :class:`~junkan.ledger.Ledger` (e.g. ``junkan.load("ai-compute")``).
    scenario
        A bundled scenario name (``baseline``, ``gpu-price-collapse``, ...), a YAML path, or a :class:`Scenario`.
    runs
        Number of Monte Carlo runs (vectorised; 10,000 take a few seconds).
    seed
        Seed (normalised once with :func:`junkan.random.make_rng` and recorded); the same seed gives the same result.
    assumptions
        Assumptions file (path or :class:`Assumptions`); default: the bundled file named after the ledger's dataset.
    overrides
        Dashboard knobs, see :class:`Overrides` (a dict is validated; unknown keys are rejected).
    channels
        Channel switches on top of the scenario's (``{"firesale": False}``); see :data:`CHANNELS`.
    progress
        ``progress(done, total)`` after each quarter (the CLI draws a progress bar with it).

    Returns
    -------
    StressResult
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise JunkanInputError.single(f"runs must be a positive integer, got {runs!r}", field="runs")
    if isinstance(assumptions, Assumptions):
        a = assumptions
    else:
        a = load_assumptions(assumptions if assumptions is not None else ledger.name)
    sc = load_scenario(scenario)
    ov = _overrides(overrides)
    extra = ov.shocks(a.start)
    if extra:
        merged = Scenario.model_validate({**sc.model_dump(), "shocks": [*sc.model_dump()["shocks"], *extra]})
        merged._file = sc.file
        sc = merged
    switches = sc.channel_switches()
    for c, on in (channels or {}).items():
        if c not in CHANNELS:
            known = ", ".join(CHANNELS)
            raise JunkanInputError.single(f"unknown channel {c!r}; channels are {known}", field="channels")
        switches[c] = bool(on)
    model = build_model(ledger, a)
    if ov.depreciation_years is not None:
        model = dataclasses.replace(model, depreciation_years=ov.depreciation_years)
    paths = scenario_paths(model, sc)
    s, rng = make_rng(seed)
    raw = simulate(model, paths, runs, rng, switches, progress)
    return StressResult(
        scenario=sc.name,
        seed=s,
        runs=runs,
        assumptions_hash=assumptions_hash(a),
        channels=switches,
        parties=model.parties,
        start=model.start,
        quarters=model.quarters,
        raw=raw,
        overrides=ov.model_dump(exclude_defaults=True),
        description=sc.description,
    )


def attribute_channels(
    ledger: Any,
    scenario: str | Path | Scenario = "baseline",
    *,
    runs: int = 1000,
    seed: SeedLike = None,
    assumptions: str | Path | Assumptions | None = None,
    overrides: Overrides | Mapping[str, Any] | None = None,
) -> Any:
    """Attribute defaults and NVIDIA revenue at risk to channels by switching each off in turn (same seed).

    Every run uses the same random draws (common random numbers), so a difference comes from the channel alone.
    Contributions need not add up to the total: channels interact (a fire sale can cause the default whose
    backlog loss causes the next).

    Returns
    -------
    pandas.DataFrame
        One row per configuration (``all`` on, then ``no_<channel>``) with ``expected_defaults`` (mean defaulters
        per run), ``any_default_probability``, ``nvidia_revenue_at_risk_mean`` (if modelled), and the change of each
        against ``all``; plus one ``default_probability:<party>`` column per party.
    """
    import pandas as pd

    s = make_rng(seed)[0]
    configs: list[tuple[str, dict[str, bool]]] = [("all", {})]
    configs += [(f"no_{c}", {c: False}) for c in CHANNELS]
    rows = []
    for name, sw in configs:
        res = run_stress(ledger, scenario, runs=runs, seed=s, assumptions=assumptions, overrides=overrides, channels=sw)
        summ = res.summary()
        row: dict[str, Any] = {
            "config": name,
            "expected_defaults": summ["mean_defaults_per_run"],
            "any_default_probability": summ["any_default_probability"],
        }
        if "nvidia_revenue_at_risk" in summ:
            row["nvidia_revenue_at_risk_mean"] = summ["nvidia_revenue_at_risk"]["mean"]
        for p, v in res.default_probability.items():
            row[f"default_probability:{p}"] = v
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("expected_defaults", "any_default_probability", "nvidia_revenue_at_risk_mean"):
        if col in df:
            df[f"delta_{col}"] = df[col] - float(df[col].iloc[0])
    return df
