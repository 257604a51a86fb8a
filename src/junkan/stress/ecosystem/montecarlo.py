"""Monte Carlo entry points: ``run_stress`` (one scenario, many runs) and ``attribute_channels`` (channel knock-out)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from junkan.errors import InputProblem, JunkanInputError
from junkan.random import SeedLike, normalize_seed
from junkan.stress.ecosystem.aggregate import StressAggregate
from junkan.stress.ecosystem.assumptions import (
    Assumptions,
    assumptions_hash,
    check_against_ledger,
    load_assumptions,
)
from junkan.stress.ecosystem.events import CreditEvents
from junkan.stress.ecosystem.model import (
    LOSS_CHANNELS,
    EcosystemModel,
    RawOutcome,
    build_model,
    draw_inputs,
    scenario_paths,
    simulate,
)
from junkan.stress.ecosystem.params import apply_settings
from junkan.stress.ecosystem.result import StressResult
from junkan.stress.ecosystem.scenarios import CHANNELS, Scenario, load_scenario

__all__ = [
    "MEMORY_BUDGET",
    "Overrides",
    "attribute_channels",
    "chunk_runs",
    "default_focal",
    "quarter_label",
    "resolve_as_of",
    "run_stress",
]

#: Bytes the simulation of one chunk of runs may take (its working arrays), and separately the per-run outputs kept
#: in ``StressResult.raw``; with the quantile samples (at most 256 MB, see :mod:`~junkan.stress.ecosystem.aggregate`)
#: a run of any size stays under about 1.5 GB.
MEMORY_BUDGET = 512 * 2**20


class Overrides(BaseModel):
    """Knobs a dashboard can move on top of a scenario (each adds a shock or replaces an assumption).

    ``gpu_price_change`` (e.g. ``-0.4``) from ``gpu_price_start`` over ``gpu_price_ramp`` quarters;
    ``funding_freeze`` parties frozen from ``funding_freeze_start``; ``demand_growth_delta`` added to every party's
    annual end-customer growth; ``rate_delta`` added to interest rates; ``depreciation_years`` replaces the GPU
    useful life; ``set`` replaces named model inputs (``{"funding_success.oracle": 0.6, "regime_stay.closed": 0.5,
    "take_or_pay": 0.3}``; the keys are in :mod:`~junkan.stress.ecosystem.params`): the hook for sensitivity
    analysis and calibration.
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
    set: dict[str, float] = Field(default_factory=dict)

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
    focal: str | None = None,
    chunk: int | None = None,
    keep_runs: int | None = None,
    as_of: dt.date | str | None = None,
) -> StressResult:
    """Run the AI ecosystem stress model ``runs`` times under a scenario.

    Parameters
    ----------
    ledger
        A :class:`~junkan.ledger.Ledger` (e.g. ``junkan.load("ai-compute")``).
    scenario
        A bundled scenario name (``baseline``, ``gpu-price-collapse``, ...), a YAML path, or a :class:`Scenario`.
    runs
        Number of Monte Carlo runs (vectorised; 10,000 take a few seconds). Any number: runs are simulated in
        chunks and folded into the result's aggregates, so memory stays bounded (see :func:`chunk_runs`).
    seed
        Seed (normalised once with :func:`junkan.random.normalize_seed` and recorded); the same seed gives the same
        result, bit for bit, whatever the chunk size: run ``r`` draws from the stream of block ``r // 1024``
        (:func:`~junkan.stress.ecosystem.model.draw_inputs`).
    assumptions
        Assumptions file (path or :class:`Assumptions`); default: the bundled file named after the ledger's dataset.
    overrides
        Dashboard knobs, see :class:`Overrides` (a dict is validated; unknown keys are rejected).
    channels
        Channel switches on top of the scenario's (``{"firesale": False}``); see :data:`CHANNELS`.
    progress
        ``progress(done, total)`` after each quarter of each chunk (the CLI draws a progress bar with it).
    focal
        The party whose revenue at risk the summary reports (``focal_revenue_at_risk``); default
        :func:`default_focal`: the modelled party with the largest vendor financing of its own customers.
    chunk
        Runs simulated at once; default :func:`chunk_runs` (what fits in :data:`MEMORY_BUDGET`). It changes memory
        and speed, never the result.
    keep_runs
        Keep every run's outputs in ``StressResult.raw`` (for per-run plots) up to this many runs; default: what fits
        in :data:`MEMORY_BUDGET`. Above it ``raw`` is ``None`` and the result holds the aggregates only.
    as_of
        The date the run starts from (``date`` or ``"YYYY-MM-DD"``): the ledger as known then
        (:meth:`~junkan.ledger.Ledger.as_of`: deal statuses and amounts, balance sheets, mergers), and the horizon
        starts at its quarter; history is not simulated. Default: the ledger's own as-of date (an as-of ledger), else
        the dataset's ``as_of``; a ledger without one starts at the assumptions' ``start``.

    Returns
    -------
    StressResult
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise JunkanInputError.single(f"runs must be a positive integer, got {runs!r}", field="runs")
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise JunkanInputError.single(f"chunk must be a positive integer, got {chunk!r}", field="chunk")
    if isinstance(assumptions, Assumptions):
        a = assumptions
    else:
        a = load_assumptions(assumptions if assumptions is not None else ledger.name)
    known, when = resolve_as_of(ledger, as_of)
    if known is not ledger:  # deal terms may name deals announced after the as-of date: check their ids on the full
        check_against_ledger(a, ledger)  # ledger (the as-of ledger lacks them)
    ledger = known
    first_q = quarter_label(when) if when is not None else a.start
    sc = load_scenario(scenario)
    ov = _overrides(overrides)
    extra = ov.shocks(first_q)
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
    model = build_model(ledger, a, first_q)
    if ov.depreciation_years is not None:
        model = dataclasses.replace(model, depreciation_years=ov.depreciation_years)
    model = apply_settings(model, ov.set)
    paths = scenario_paths(model, sc)
    focal_party = _check_focal(focal, model) if focal is not None else default_focal(ledger, model)
    s = normalize_seed(seed)
    size = chunk or chunk_runs(model)
    keep = runs <= (keep_runs if keep_runs is not None else max(1, MEMORY_BUDGET // raw_bytes_per_run(model)))
    n_chunks = -(-runs // size)
    agg: StressAggregate | None = None
    events = CreditEvents(runs, model.parties, model.quarters)
    kept: _RawCollector | None = None
    for k in range(n_chunks):
        start, stop = k * size, min(runs, (k + 1) * size)
        tick = None if progress is None else _chunk_progress(progress, k, n_chunks)
        raw = simulate(model, paths, stop - start, draw_inputs(model, s, start, stop), switches, tick)
        if agg is None:
            agg = StressAggregate(runs, model.parties, model.quarters, LOSS_CHANNELS, raw.reference_revenue)
            kept = _RawCollector(runs) if keep else None
        agg.add(raw)
        events.add(raw.default_quarter, raw.restructure_quarter, raw.regime_closed)
        if kept is not None:
            kept.add(start, raw)
        del raw
    assert agg is not None and agg.complete
    return StressResult(
        scenario=sc.name,
        seed=s,
        runs=runs,
        assumptions_hash=assumptions_hash(a),
        channels=switches,
        parties=model.parties,
        start=model.start,
        quarters=model.quarters,
        raw=kept.result() if kept is not None else None,
        agg=agg,
        overrides=ov.model_dump(exclude_defaults=True),
        description=sc.description,
        focal=focal_party,
        as_of=when.isoformat() if when is not None else None,
        events=events,
    )


def quarter_label(day: dt.date) -> str:
    """``YYYYQn`` of a date."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def resolve_as_of(ledger: Any, as_of: dt.date | str | None) -> tuple[Any, dt.date | None]:
    """The ledger as known on the run's as-of date, and that date (see :func:`run_stress`).

    Raises
    ------
    JunkanInputError
        A malformed date or one the ledger does not allow (after today, before its first year); field ``as_of``.
    """
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            raise JunkanInputError.single(f"as_of must be a date YYYY-MM-DD, got {as_of!r}", field="as_of") from None
    own = getattr(ledger, "as_of_date", None)
    if as_of is None:
        if own is not None:
            return ledger, own
        info = getattr(ledger, "info", None)
        as_of = getattr(info, "as_of", None)
        if as_of is None:
            return ledger, None
    if own is not None and own == as_of:
        return ledger, own
    return ledger.as_of(as_of), as_of


def sim_bytes_per_run(model: EcosystemModel) -> int:
    """Peak bytes one run takes in :func:`~junkan.stress.ecosystem.model.simulate` (working arrays and clearing).

    Calibrated with ``tracemalloc`` on the bundled ``ai-compute`` model (11 parties, 29 deals, 20 quarters) and on
    a 3-party model: about 40 arrays of ``N x N``, 40 of ``D``, 3 of ``Q x N`` and 150 of ``N`` per run are alive at
    the peak (``tests/stress/ecosystem/test_chunks.py`` checks the bound).
    """
    n, d, q = model.n, len(model.deal_ids), model.quarters
    return 8 * (40 * n * n + 40 * d + 3 * q * n + 150 * n + 8 * q) + 2048


def raw_bytes_per_run(model: EcosystemModel) -> int:
    """Bytes of one run's outputs in :class:`~junkan.stress.ecosystem.model.RawOutcome`."""
    n, d, q = model.n, len(model.deal_ids), model.quarters
    return 8 * (14 * n + 2 * q + 1) + 9 * d


def chunk_runs(model: EcosystemModel, budget: int = MEMORY_BUDGET) -> int:
    """Runs simulated at once: as many as fit in ``budget`` bytes (:func:`sim_bytes_per_run`), at least 1."""
    return max(1, budget // sim_bytes_per_run(model))


def _chunk_progress(progress: Callable[[int, int], None], c: int, n_chunks: int) -> Callable[[int, int], None]:
    def tick(done: int, total: int) -> None:
        progress(c * total + done, n_chunks * total)

    return tick


class _RawCollector:
    """Per-run outputs of all chunks, written into arrays allocated once (no concatenation copies)."""

    def __init__(self, runs: int) -> None:
        self.runs = runs
        self.arrays: dict[str, Any] = {}
        self.reference: np.ndarray | None = None

    def add(self, start: int, raw: RawOutcome) -> None:
        stop = start + raw.default_quarter.shape[0]
        for f in dataclasses.fields(raw):
            v = getattr(raw, f.name)
            if f.name == "reference_revenue":
                self.reference = v
            elif isinstance(v, dict):
                d = self.arrays.setdefault(
                    f.name, {k: np.empty((self.runs, *a.shape[1:]), a.dtype) for k, a in v.items()}
                )
                for k, a in v.items():
                    d[k][start:stop] = a
            elif v is not None:
                if f.name not in self.arrays:
                    self.arrays[f.name] = np.empty((self.runs, *v.shape[1:]), v.dtype)
                self.arrays[f.name][start:stop] = v

    def result(self) -> RawOutcome:
        assert self.reference is not None
        return RawOutcome(reference_revenue=self.reference, **self.arrays)


def _check_focal(focal: str, model: EcosystemModel) -> str:
    if focal not in model.parties:
        raise JunkanInputError.single(
            f"unknown focal party {focal!r}; modelled parties are {', '.join(model.parties)}", field="focal"
        )
    return focal


def default_focal(ledger: Any, model: EcosystemModel) -> str | None:
    """The default focal vendor: the dataset's declared ``focal_vendor``, else the largest vendor financier.

    1. A dataset names the vendor whose money it follows in ``dataset.yaml`` (``focal_vendor``, with its
       ``focal_vendor_basis``; :class:`junkan.ledger.schema.DatasetInfo`). When that party is modelled, it is the
       focal party. The bundled ``ai-compute`` declares ``nvidia``: the question the dataset answers is whether
       NVIDIA's revenue is its own money coming back.
    2. Otherwise (no declaration, or the declared party is not in the stress model): the modelled party with the
       largest vendor financing of its own customers, as in :func:`junkan.flows.exposure` (committed basis): what
       a vendor gives, through equity, warrants, joint ventures, cloud credits, loans, credit facilities,
       GPU-backed debt, guarantees and backstops, to parties that buy from it directly. Ties go to the first party
       in the model's order; ``None`` when no modelled party finances its customers (the summary then has no focal
       block). On ``ai-compute`` without its declaration this rule picks Amazon ($28B to Anthropic, which buys
       AWS): NVIDIA's $30B in OpenAI reaches NVIDIA only through Oracle, Microsoft and CoreWeave, so it is not
       direct customer financing; that is why the dataset declares its focal vendor instead.
    """
    info = getattr(ledger, "info", None)
    declared = getattr(info, "focal_vendor", None)
    if declared is not None and declared in model.parties:
        return str(declared)
    from junkan.flows.exposure import exposure

    modelled = set(model.parties)
    vendors = [v for v in exposure(ledger).vendors if v.vendor in modelled and v.financing > 0]
    if not vendors:
        return None
    order = {p: i for i, p in enumerate(model.parties)}
    return max(vendors, key=lambda v: (v.financing, -order[v.vendor])).vendor


def attribute_channels(
    ledger: Any,
    scenario: str | Path | Scenario = "baseline",
    *,
    runs: int = 1000,
    seed: SeedLike = None,
    assumptions: str | Path | Assumptions | None = None,
    overrides: Overrides | Mapping[str, Any] | None = None,
    focal: str | None = None,
    as_of: dt.date | str | None = None,
) -> Any:
    """Attribute defaults and the focal vendor's revenue at risk to channels by switching each off in turn.

    Every run uses the same random draws (common random numbers), so a difference comes from the channel alone.
    Contributions need not add up to the total: channels interact (a fire sale can cause the default whose
    backlog loss causes the next).

    Returns
    -------
    pandas.DataFrame
        One row per configuration (``all`` on, then ``no_<channel>``) with ``expected_defaults`` (mean defaulters
        per run), ``any_default_probability``, ``focal_revenue_at_risk_mean`` (when there is a focal party, see
        :func:`run_stress`; the ``focal`` column names it), and the change of each against ``all``; plus one
        ``default_probability:<party>`` column per party.
    """
    import pandas as pd

    s = normalize_seed(seed)
    configs: list[tuple[str, dict[str, bool]]] = [("all", {})]
    configs += [(f"no_{c}", {c: False}) for c in CHANNELS]
    rows = []
    for name, sw in configs:
        res = run_stress(
            ledger,
            scenario,
            runs=runs,
            seed=s,
            assumptions=assumptions,
            overrides=overrides,
            channels=sw,
            focal=focal,
            as_of=as_of,
        )
        summ = res.summary()
        row: dict[str, Any] = {
            "config": name,
            "expected_defaults": summ["mean_defaults_per_run"],
            "any_default_probability": summ["any_default_probability"],
            "any_default_or_restructuring_probability": summ["any_default_or_restructuring_probability"],
        }
        if summ["focal_revenue_at_risk"] is not None:
            row["focal"] = summ["focal"]
            row["focal_revenue_at_risk_mean"] = summ["focal_revenue_at_risk"]["mean"]
        for p, v in res.default_probability.items():
            row[f"default_probability:{p}"] = v
        for p, v in res.p_default_or_restructuring.items():
            row[f"p_default_or_restructuring:{p}"] = v
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("expected_defaults", "any_default_probability", "focal_revenue_at_risk_mean"):
        if col in df:
            df[f"delta_{col}"] = df[col] - float(df[col].iloc[0])
    return df
