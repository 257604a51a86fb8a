"""Global sensitivity analysis of the ecosystem stress model: Morris screening, then Sobol indices (SALib).

Which of the assumptions file's flagged estimates drive the answer? :func:`sensitivity` varies them over ranges,
runs the Monte Carlo model at every sample point and decomposes the variance of each output:

1. **Inputs** (:func:`candidate_inputs`): every figure of the assumptions file flagged ``estimate: true`` that the
   model exposes as a named input (:mod:`~junkan.stress.ecosystem.params`; 100+ on ``ai-compute``). Each has a
   range, where the range comes from (``basis``) and its ``source``:

   * the **ranges file** beside the assumptions (``NAME.sensitivity.yaml``, :mod:`~junkan.stress.ecosystem.ranges`)
     gives an input its range from the ledger's filings (min..max of a ratio over fiscal years, with the nominal),
     a published range, a fitted estimate's standard errors, or a Wilson interval of a calibrated transition
     probability, each with its source;
   * ``stated``: a normal input ``N(mean, sd)`` of the file (growth) not named there varies its mean over
     ``mean +- sd``, the uncertainty the file itself states;
   * ``convention``: every other estimate varies over ``nominal * (1 +- 0.25)`` (``spread``; the ranges file's
     ``convention.spread``), clipped to its domain (probabilities and shares to [0, 1]); no source gives a range.

   The nominal value is the model's, after ledger figures are resolved. Estimates the model takes only through its
   schedules or realisation draws (tenors, delivery ramp, build lead, deal windows, realisation ranges, capex
   supplier shares, ratings) and estimates whose nominal value is 0 (a relative range of 0 is empty) are not
   varied; :func:`candidate_inputs` returns them in ``skipped`` with the reason.
2. **Screening** (Morris 1991, elementary effects; Campolongo, Cariboni & Saltelli 2007 ``mu*``): with more than
   ``top`` candidates, ``morris_trajectories`` trajectories on a 4-level grid (``r (k + 1)`` model evaluations)
   rank them by ``mu*`` of P(any default) plus ``mu*`` of the focal vendor's revenue at risk (each divided by its
   largest ``mu*``, so both outputs count alike); the ``top`` (default 15) go on.
3. **Sobol indices** (Sobol 2001; Saltelli 2002 sampling, Saltelli et al. 2010 estimators, Jansen 1999 for the
   total order): ``samples`` = ``N`` base samples give ``N (k + 2)`` evaluations (second order off); first-order
   ``S1`` and total-order ``ST`` with bootstrap 95% confidence half-widths (SALib ``sobol.analyze``,
   ``num_resamples`` resamples). ``N`` should be a power of 2 (Sobol sequence).

**Common random numbers.** Every sample point runs the model with the same ``seed``, hence the same draws
(:func:`~junkan.stress.ecosystem.model.draw_inputs`): at identical inputs the outputs are identical, bit for bit,
and two points differ only through their inputs (paired differences, far less Monte Carlo noise in the indices).
A point with the nominal inputs gives exactly what ``run_stress(ledger, scenario, runs=runs, seed=seed)`` gives.

**Outputs** (names in the result): ``any_default`` (P(any party defaults within the horizon)),
``any_default_or_restructuring``, ``p_default:PARTY`` and ``p_default_or_restructuring:PARTY`` for each party
whose output varies across the sample (the weak parties; a constant output has no variance to decompose and is
left out), and ``revenue_at_risk:FOCAL`` (the focal vendor's mean revenue at risk over the horizon, US dollars;
default focal as in :func:`~junkan.stress.ecosystem.montecarlo.default_focal`).

**Engines.** The sample points are independent: ``engine="local"`` runs them in this process or, with ``workers`` >
1, in a pool of ``workers`` processes (API default 1; the CLI's default the CPUs this process may use),
``engine="spark"`` on PySpark (``master``, default ``local[*]``), one task per point, the model and draws broadcast
once. All call the same function on the same inputs, so their indices agree exactly, whatever the engine or the
number of workers.

References
----------
Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments. Technometrics 33(2).
Campolongo, F., Cariboni, J. and Saltelli, A. (2007). An effective screening design for sensitivity analysis of
large models. Environmental Modelling & Software 22(10), 1509-1518.
Sobol, I. M. (2001). Global sensitivity indices for nonlinear mathematical models and their Monte Carlo estimates.
Mathematics and Computers in Simulation 55, 271-280.
Saltelli, A. (2002). Making best use of model evaluations to compute sensitivity indices. Computer Physics
Communications 145, 280-297.
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. Computer Physics Communications 181, 259-270.
Herman, J. and Usher, W. (2017). SALib: an open-source Python library for sensitivity analysis. JOSS 2(9), 97.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from junkan.errors import JunkanInputError
from junkan.random import SeedLike, normalize_seed
from junkan.stress.ecosystem.assumptions import Assumptions, Dist, Figure, assumptions_hash, load_assumptions
from junkan.stress.ecosystem.events import CreditEvents
from junkan.stress.ecosystem.model import EcosystemModel, Paths, build_model, draw_inputs, scenario_paths, simulate
from junkan.stress.ecosystem.montecarlo import default_focal, quarter_label, resolve_as_of
from junkan.stress.ecosystem.params import PROBABILITY_FIELDS, apply_settings
from junkan.stress.ecosystem.ranges import (
    RangeSpec,
    SensitivityRanges,
    filings_range,
    load_ranges,
    problem,
    ranges_hash,
    ranges_path,
    wilson_interval,
)
from junkan.stress.ecosystem.scenarios import CHANNELS, Scenario, load_scenario

__all__ = [
    "ENGINES",
    "SPREAD",
    "Evaluator",
    "SensitivityInput",
    "SensitivityResult",
    "cached_sensitivity",
    "candidate_inputs",
    "default_ranges",
    "default_workers",
    "evaluate_points",
    "morris_screen",
    "sensitivity",
    "sobol_indices",
]

#: Relative half-width of the range of an estimate without a stated range (``nominal * (1 +- SPREAD)``).
SPREAD = 0.25
ENGINES = ("local", "spark")

#: Assumption field -> model field (:class:`~junkan.stress.ecosystem.model.EcosystemModel`), where they differ.
_PARTY_FIELD = {
    "revenue": "revenue_annual",
    "fixed_costs": "fixed_costs_annual",
    "capex": "capex_annual",
    "gpu_fleet": "fleet",
    "lease_payments": "lease_annual",
}
_SCALAR_FIELD = {
    ("recovery", "alpha"): "alpha",
    ("recovery", "beta"): "beta",
    ("sentiment", "sensitivity"): "sentiment_sensitivity",
    ("gpu", "volatility"): "volatility",
    ("gpu", "impact"): "impact",
    ("gpu", "market_depth"): "market_depth",
    ("gpu", "residual_value"): "residual_value",
    ("gpu", "depreciation_years"): "depreciation_years",
}
_NOT_SETTABLE = {
    "default_tenor_years": "shapes the deal schedules built once with the model",
    "equity_tenor_years": "shapes the deal schedules built once with the model",
    "delivery_ramp_years": "shapes the deal schedules built once with the model",
    "build_lead_quarters": "shapes the deal schedules built once with the model",
    "deal_schedules": "a deal window, not a number",
    "realisation": "a range the model already draws per run",
    "ratings": "used by the calibration only",
    "capex_suppliers": "a split of capex among suppliers, not one number",
}
_POSITIVE = frozenset({"depreciation_years", "market_depth", "maturity_years"})
#: Model fields that cannot be negative (money, counts, volatilities, sensitivities).
_NON_NEGATIVE = frozenset(
    {
        "cash",
        "revenue_annual",
        "fixed_costs_annual",
        "capex_annual",
        "fleet",
        "debt",
        "gpu_debt",
        "facilities",
        "valuation",
        "lease_annual",
        "contract_capex",
        "rate",
        "rental_exposure",
        "funding_buffer_quarters",
        "sentiment_sensitivity",
        "volatility",
        "impact",
        "drift_sd",
        "growth_sd",
    }
)


@dataclass(frozen=True)
class SensitivityInput:
    """One varied input: the model key (``overrides.set`` key), where it is in the assumptions file, its nominal
    value (model units: US dollars, annual rates), its range, where the range comes from (``basis``, one of
    :data:`~junkan.stress.ecosystem.ranges.BASES`) and its ``source`` (URLs or the sentence it rests on).
    ``pinned``: other keys set with it (deal-specific terms kept at their sourced values)."""

    key: str
    path: str
    nominal: float
    low: float
    high: float
    basis: str
    source: str = ""
    pinned: tuple[tuple[str, float], ...] = ()

    def settings(self, value: float) -> dict[str, float]:
        """The ``overrides.set`` entries for ``value``."""
        return {self.key: float(value), **dict(self.pinned)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.key,
            "path": self.path,
            "nominal": self.nominal,
            "low": self.low,
            "high": self.high,
            "basis": self.basis,
            "source": self.source,
        }


def _domain(name: str) -> tuple[float, float]:
    """Feasible values of a model field: [0, 1] for probabilities and shares, positive for lives and depths,
    non-negative for money and counts, anything for rates and growth."""
    if name in PROBABILITY_FIELDS:
        return 0.0, 1.0
    if name in _POSITIVE:
        return np.nextafter(0.0, 1.0), np.inf
    if name in _NON_NEGATIVE:
        return 0.0, np.inf
    return -np.inf, np.inf


def _clip(name: str, lo: float, hi: float) -> tuple[float, float]:
    d_lo, d_hi = _domain(name)
    return max(lo, d_lo), min(hi, d_hi)


def _convention(spread: float) -> str:
    return f"convention: nominal x (1 +- {spread:g}), clipped to the field's domain; no source gives a range"


def _relative(key: str, name: str, path: str, nominal: float, spread: float) -> SensitivityInput | str:
    if nominal == 0.0:
        return "nominal value 0: a relative range is empty"
    lo, hi = sorted((nominal * (1 - spread), nominal * (1 + spread)))
    lo, hi = _clip(name, lo, hi)
    if hi <= lo:
        return "range empty after clipping to the field's domain"
    return SensitivityInput(key, path, float(nominal), float(lo), float(hi), "convention", _convention(spread))


def _field_name(key: str) -> str:
    return key.partition(".")[0]


def _from_spec(
    c: SensitivityInput, spec: RangeSpec, ranges: SensitivityRanges, ledger: Any, model: EcosystemModel
) -> SensitivityInput:
    """``c`` with the range of ``spec`` (see :mod:`~junkan.stress.ecosystem.ranges`); errors name the file and key."""
    key, name = c.key, _field_name(c.key)
    extra = f"; {spec.note}" if spec.note else ""
    if spec.basis == "convention":
        spread = spec.spread if spec.spread is not None else ranges.spread
        item = _relative(c.key, name, c.path, c.nominal, spread)
        if isinstance(item, str):
            raise problem(ranges, key, f"{key}: {item}")
        src = (spec.source + "; " if spec.source else "") + _convention(spread) + extra
        return dataclasses.replace(item, source=src, pinned=c.pinned)
    if spec.basis == "stated":
        if c.basis != "stated":
            raise problem(ranges, key, f"{key}: basis stated is for the mean of a normal input (mean +- sd)")
        return dataclasses.replace(c, source=(spec.source or c.source) + extra)
    if spec.basis == "published":
        assert spec.low is not None and spec.high is not None
        lo, hi = float(spec.low), float(spec.high)
        src = f"{spec.source} (confidence {spec.confidence})"
    elif spec.basis == "fitted":
        sd = _stated_sd(model, key)
        if sd is None:
            raise problem(ranges, key, f"{key}: basis fitted needs an input with a standard error (drift_mean)")
        assert spec.sd_multiple is not None
        lo, hi = c.nominal - spec.sd_multiple * sd, c.nominal + spec.sd_multiple * sd
        src = f"{spec.source}: {c.nominal:.4g} +- {spec.sd_multiple:g} x {sd:.4g}"
    elif spec.basis == "calibration":
        assert spec.wilson is not None
        if not 0.0 <= c.nominal <= 1.0:
            raise problem(ranges, key, f"{key}: a Wilson interval needs a probability, the nominal is {c.nominal:g}")
        lo, hi = wilson_interval(c.nominal, spec.wilson.trials, spec.wilson.z)
        src = (
            f"{spec.source}; Wilson score interval of p = {c.nominal:g} over {spec.wilson.trials:g} quarters, "
            f"z = {spec.wilson.z:g}"
        )
    else:  # filings
        assert spec.filings is not None
        party = key.partition(".")[2]
        if ledger is None or party not in model.parties:
            raise problem(ranges, key, f"{key}: a filings range needs a per-party input and the ledger")
        ratios, urls = filings_range(ledger, party, spec.filings)
        if not ratios:
            raise problem(
                ranges,
                key,
                f"{key}: the ledger has no {spec.filings.numerator} and {spec.filings.denominator} of {party} in "
                f"{', '.join(spec.filings.periods)}",
            )
        vals = [v for _, v in ratios] + [c.nominal]
        lo, hi = min(vals), max(vals)
        form = (
            f"1 - {spec.filings.numerator}/{spec.filings.denominator}"
            if spec.filings.one_minus
            else (f"{spec.filings.numerator}/{spec.filings.denominator}")
        )
        years = ", ".join(f"{p} {v:.4f}" for p, v in ratios)
        src = f"ledger financials of {party}, {form}: {years}; nominal {c.nominal:g} ({'; '.join(urls)})"
    d_lo, d_hi = _domain(name)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise problem(ranges, key, f"{key}: the range {lo:g} .. {hi:g} is empty")
    if lo < d_lo or hi > d_hi:
        raise problem(ranges, key, f"{key}: the range {lo:g} .. {hi:g} leaves the field's domain [{d_lo:g}, {d_hi:g}]")
    if not lo <= c.nominal <= hi:
        # the model's point value is a point of the analysis; a range without it varies around another model
        raise problem(ranges, key, f"{key}: the range {lo:g} .. {hi:g} does not hold the nominal value {c.nominal:g}")
    return dataclasses.replace(c, low=float(lo), high=float(hi), basis=spec.basis, source=src + extra)


def _stated_sd(model: EcosystemModel, key: str) -> float | None:
    if key == "drift_mean":
        return float(model.drift_sd)
    name, _, party = key.partition(".")
    if name == "growth_mean" and party in model.parties:
        return float(model.growth_sd[model.parties.index(party)])
    return None


def default_ranges(assumptions: Assumptions) -> SensitivityRanges | None:
    """The ranges file beside ``assumptions`` (``NAME.sensitivity.yaml``; bundled ``ai-compute`` has one), or
    ``None``."""
    found = ranges_path(assumptions.file)
    return load_ranges(*found) if found is not None else None


def candidate_inputs(
    model: EcosystemModel,
    assumptions: Assumptions,
    spread: float | None = None,
    ranges: SensitivityRanges | None = None,
    ledger: Any = None,
) -> tuple[list[SensitivityInput], list[dict[str, str]]]:
    """The flagged estimates of ``assumptions`` that ``model`` exposes as inputs, with their ranges and sources.

    Every candidate gets the convention range (``nominal * (1 +- spread)``, clipped; ``spread`` default the ranges
    file's ``convention.spread``, else :data:`SPREAD`), or ``mean +- sd`` for the mean of a normal input
    (``stated``); then each entry of ``ranges`` replaces its input's range (filings need ``ledger``).

    Returns
    -------
    (inputs, skipped)
        ``inputs`` in file order; ``skipped``: ``{"path", "reason"}`` for each flagged estimate not varied.

    Raises
    ------
    JunkanInputError
        ``spread`` outside (0, 1); a ranges entry naming no candidate input, or whose range is empty or infeasible
        (the ranges file and ``ranges.KEY``).
    """
    if spread is None:
        spread = ranges.spread if ranges is not None else SPREAD
    if not 0 < spread < 1:
        raise JunkanInputError.single(f"spread must lie in (0, 1), got {spread!r}", field="spread")
    out: list[SensitivityInput] = []
    skipped: list[dict[str, str]] = []

    def add(item: SensitivityInput | str, path: str) -> None:
        if isinstance(item, str):
            skipped.append({"path": path, "reason": item})
        else:
            out.append(item)

    def stated(key: str, path: str, mean: float, sd: float) -> SensitivityInput:
        src = (
            f"{assumptions.file}: {path.rsplit('.', 1)[0]} is N({mean:.4g}, {sd:.4g}); the mean varies over mean +- sd"
        )
        return SensitivityInput(key, path, mean, mean - sd, mean + sd, "stated", src)

    a = assumptions
    for name in ("demand_correlation", "funding_buffer_quarters"):
        f = getattr(a, name)
        if isinstance(f, Figure) and f.estimate:
            add(_relative(name, name, name, float(getattr(model, name)), spread), name)
    for (block, attr), mname in _SCALAR_FIELD.items():
        owner = getattr(a, block)
        f = getattr(owner, attr, None)
        flagged = owner.estimate if not isinstance(f, Figure) else f.estimate
        if f is not None and flagged:
            add(_relative(mname, mname, f"{block}.{attr}", float(getattr(model, mname)), spread), f"{block}.{attr}")
    drift = a.gpu.drift
    flagged = drift.estimate or (a.gpu.rental_series is not None and a.gpu.rental_series.estimate)
    if flagged:
        sd = float(model.drift_sd)
        mean = float(model.drift_mean)
        if sd > 0:
            out.append(stated("drift_mean", "gpu.drift.mean", mean, sd))
        add(_relative("drift_sd", "drift_sd", "gpu.drift.sd", sd, spread), "gpu.drift.sd")
    if a.funding_regime is not None and a.funding_regime.estimate:
        t = model.regime_transition
        for k, s in enumerate(("open", "tight", "closed")):
            key = f"regime_stay.{s}"
            add(_relative(key, "regime_stay", f"funding_regime.transition.{s}.{s}", float(t[k, k]), spread), key)
        for k, s in enumerate(("open", "tight", "closed")):
            key = f"regime_access.{s}"
            nominal = float(model.regime_access[k])
            add(_relative(key, "regime_access", f"funding_regime.access.{s}", nominal, spread), key)
    if a.cancellation is not None and a.cancellation.estimate:
        own = tuple(
            (f"take_or_pay.{d}", float(model.deal_take_or_pay[model.deal_ids.index(d)]))
            for d in a.cancellation.deals
            if d in model.deal_ids
        )
        item = _relative("take_or_pay", "take_or_pay", "cancellation.take_or_pay", a.cancellation.take_or_pay, spread)
        add(dataclasses.replace(item, pinned=own) if isinstance(item, SensitivityInput) else item, "take_or_pay")
    for name, reason in _NOT_SETTABLE.items():
        value = getattr(a, name, None)
        if isinstance(value, Figure) and value.estimate:
            skipped.append({"path": name, "reason": reason})
        elif name in ("deal_schedules", "realisation", "ratings") and value:
            skipped.extend({"path": f"{name}.{k}", "reason": reason} for k, v in value.items() if v.estimate)
    for pid, p in a.parties.items():
        if pid not in model.parties:
            continue
        i = model.parties.index(pid)
        for fname in type(p).model_fields:
            f = getattr(p, fname)
            path = f"parties.{pid}.{fname}"
            if isinstance(f, Dist) and f.estimate:
                mean, sd = float(model.growth_mean[i]), float(model.growth_sd[i])
                if sd > 0:
                    out.append(stated(f"growth_mean.{pid}", path + ".mean", mean, sd))
                add(_relative(f"growth_sd.{pid}", "growth_sd", path + ".sd", sd, spread), path + ".sd")
            elif isinstance(f, Figure) and f.estimate:
                mname = _PARTY_FIELD.get(fname, fname)
                arr = getattr(model, mname, None)
                if not isinstance(arr, np.ndarray) or arr.shape != (model.n,):
                    skipped.append({"path": path, "reason": "not a per-party model input"})
                    continue
                add(_relative(f"{mname}.{pid}", mname, path, float(arr[i]), spread), path)
            elif fname == "capex_suppliers" and any(s.estimate for s in f.values()):
                skipped.append({"path": path, "reason": _NOT_SETTABLE["capex_suppliers"]})
    if ranges is not None:
        index = {c.key: k for k, c in enumerate(out)}
        for key, spec in ranges.ranges.items():
            if key not in index:
                raise problem(
                    ranges, key, f"{key} is not an input the analysis varies (a flagged estimate the model exposes)"
                )
            out[index[key]] = _from_spec(out[index[key]], spec, ranges, ledger, model)
    return out, skipped


# --------------------------------------------------------------------------------------------------- evaluation
@dataclass(frozen=True, eq=False)
class Evaluator:
    """Everything one sample point needs (picklable, broadcast to Spark executors): the built model, scenario
    paths, the draws of ``runs`` runs with ``seed`` (the same for every point: common random numbers), channel
    switches, the varied inputs, and the focal party. Call it with one row of input values."""

    model: EcosystemModel
    scenario: Scenario
    paths: Paths
    draws: Any
    switches: dict[str, bool]
    inputs: tuple[SensitivityInput, ...]
    focal: int | None
    runs: int

    @property
    def output_names(self) -> list[str]:
        """Names of the entries of :meth:`__call__`'s vector."""
        names = ["any_default", "any_default_or_restructuring"]
        names += [f"p_default:{p}" for p in self.model.parties]
        names += [f"p_default_or_restructuring:{p}" for p in self.model.parties]
        if self.focal is not None:
            names.append(f"revenue_at_risk:{self.model.parties[self.focal]}")
        return names

    def settings(self, row: Sequence[float] | np.ndarray) -> dict[str, float]:
        """``overrides.set`` of one row."""
        out: dict[str, float] = {}
        for inp, v in zip(self.inputs, row, strict=True):
            out.update(inp.settings(float(v)))
        return out

    def __call__(self, row: np.ndarray) -> np.ndarray:
        """The outputs (:attr:`output_names`) at one row of input values, as ``run_stress`` would compute them."""
        m = apply_settings(self.model, self.settings(row))
        # the scenario's paths depend on the horizon, parties and deals only, none of them a varied input: the paths
        # compiled once with the evaluator serve every point
        raw = simulate(m, self.paths, self.runs, self.draws, self.switches)
        ev = CreditEvents(self.runs, m.parties, m.quarters)
        ev.add(raw.default_quarter, raw.restructure_quarter, raw.regime_closed)
        defaulted = raw.default_quarter >= 0
        vec = [float(defaulted.any(axis=1).sum() / self.runs), float(ev.any_event / self.runs)]
        vec += list(defaulted.sum(axis=0) / self.runs)
        vec += list(ev.p_default_or_restructuring())
        if self.focal is not None:
            rar = raw.reference_revenue[self.focal] - raw.revenue[:, self.focal]
            vec.append(float(np.mean(rar)))
        return np.asarray(vec, dtype=float)


_POOL_FN: Callable[[np.ndarray], np.ndarray] | None = None


def _pool_init(fn: Callable[[np.ndarray], np.ndarray]) -> None:
    global _POOL_FN
    _POOL_FN = fn


def _pool_rows(rows: np.ndarray) -> np.ndarray:
    assert _POOL_FN is not None
    return np.vstack([_POOL_FN(row) for row in rows])


def default_workers() -> int:
    """Processes the local engine uses by default: the CPUs this process may run on (``os.sched_getaffinity``
    where the platform has it, else ``os.cpu_count()``)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def evaluate_points(
    fn: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    engine: str = "local",
    master: str | None = None,
    workers: int = 1,
) -> np.ndarray:
    """``fn`` at every row of ``X`` (shape ``(P, k)``), stacked to ``(P, m)``, in this process, in a pool of
    ``workers`` processes, or on Spark.

    Local with ``workers > 1``: a process pool (``spawn``: each worker a fresh interpreter, safe whatever threads
    this process runs) receives ``fn`` once, at start, and evaluates contiguous blocks of rows (sixteen blocks
    per worker, so a slow block does not leave the other workers idle); the blocks come back in their order. On
    Spark (workers run this interpreter: ``PYSPARK_PYTHON`` defaults to ``sys.executable``) each row is one item of
    an RDD (``numSlices`` = number of rows, up to 4 per default parallelism core), ``fn`` is broadcast once; the
    rows come back in their order. Every row is ``fn(row)`` whatever the engine, pool or blocks, so the values are
    the same, bit for bit.
    """
    if engine not in ENGINES:
        raise JunkanInputError.single(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}", field="engine")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise JunkanInputError.single(f"workers must be a positive integer, got {workers!r}", field="workers")
    X = np.asarray(X, dtype=float)
    if engine == "local":
        if workers == 1 or X.shape[0] < 2 * workers:
            return np.vstack([fn(row) for row in X])
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        n_blocks = min(X.shape[0], 16 * workers)
        blocks = np.array_split(X, n_blocks)
        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_pool_init, initargs=(fn,)) as ex:
            return np.vstack(list(ex.map(_pool_rows, blocks)))
    import os
    import sys

    from junkan.scan.spark import get_spark

    # the workers unpickle ``fn``, so they must run this interpreter (with junkan installed), not the system python
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = get_spark(master)
    sc = spark.sparkContext
    shared = sc.broadcast(fn)
    rows = [(i, X[i].tolist()) for i in range(X.shape[0])]
    slices = max(1, min(len(rows), 4 * sc.defaultParallelism))

    def task(item: tuple[int, list[float]]) -> tuple[int, list[float]]:
        i, row = item
        return i, shared.value(np.asarray(row, dtype=float)).tolist()

    got = sorted(sc.parallelize(rows, slices).map(task).collect())
    shared.unpersist()
    return np.asarray([v for _, v in got], dtype=float)


def _problem(names: Sequence[str], bounds: Sequence[tuple[float, float]]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(map(float, b)) for b in bounds]}


def sobol_indices(
    fn: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    samples: int,
    *,
    seed: int,
    output_names: Sequence[str] | None = None,
    engine: str = "local",
    master: str | None = None,
    num_resamples: int = 100,
    workers: int = 1,
) -> tuple[list[dict[str, Any]], int]:
    """Sobol first- and total-order indices of every output of ``fn`` over uniform inputs in ``bounds``.

    Saltelli sampling (``SALib.sample.sobol``, scrambled Sobol sequence seeded with ``seed``, second order off):
    ``samples * (k + 2)`` rows evaluated with :func:`evaluate_points`; indices from ``SALib.analyze.sobol`` with
    bootstrap 95% confidence half-widths (``num_resamples``, seeded). An output with no variance over the sample is
    left out (nothing to decompose). ``workers``: local processes (:func:`evaluate_points`; same values).

    Returns
    -------
    (rows, evaluations)
        ``rows``: ``{"input", "output", "first_order", "first_order_conf", "total_order", "total_order_conf"}``;
        ``evaluations``: the number of model evaluations.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise JunkanInputError.single(f"samples must be an integer of at least 2, got {samples!r}", field="samples")
    problem = _problem(names, bounds)
    X = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    Y = evaluate_points(fn, X, engine, master, workers)
    if Y.ndim == 1:
        Y = Y[:, None]
    outs = list(output_names) if output_names is not None else [f"y{j}" for j in range(Y.shape[1])]
    rows: list[dict[str, Any]] = []
    for j, out in enumerate(outs):
        y = Y[:, j]
        if not np.ptp(y) > 0:
            continue
        res = sobol_analyze.analyze(
            problem, y, calc_second_order=False, num_resamples=num_resamples, conf_level=0.95, seed=seed
        )
        for k, name in enumerate(names):
            rows.append(
                {
                    "input": name,
                    "output": out,
                    "first_order": float(res["S1"][k]),
                    "first_order_conf": float(res["S1_conf"][k]),
                    "total_order": float(res["ST"][k]),
                    "total_order_conf": float(res["ST_conf"][k]),
                }
            )
    return rows, int(X.shape[0])


def morris_screen(
    fn: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    trajectories: int,
    *,
    seed: int,
    output_names: Sequence[str],
    engine: str = "local",
    master: str | None = None,
    workers: int = 1,
) -> tuple[dict[str, dict[str, float]], int]:
    """Morris elementary effects (``SALib.sample.morris``, 4 levels, ``trajectories`` trajectories, seeded):
    ``{output: {input: mu*}}`` for every output with variance, and the number of model evaluations
    (``trajectories * (k + 1)``). ``workers``: local processes (:func:`evaluate_points`)."""
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = _problem(names, bounds)
    X = morris_sample.sample(problem, trajectories, num_levels=4, seed=seed)
    Y = evaluate_points(fn, X, engine, master, workers)
    out: dict[str, dict[str, float]] = {}
    for j, o in enumerate(output_names):
        y = Y[:, j]
        if not np.ptp(y) > 0:
            continue
        res = morris_analyze.analyze(problem, X, y, num_levels=4, num_resamples=100, seed=seed)
        out[o] = {n: float(v) for n, v in zip(names, res["mu_star"], strict=True)}
    return out, int(X.shape[0])


# --------------------------------------------------------------------------------------------------- the analysis
@dataclass(frozen=True)
class SensitivityResult:
    """What :func:`sensitivity` returns. ``sensitivity``: the Sobol rows (see :func:`sobol_indices`); ``inputs``:
    the varied inputs with their ranges; ``screening``: Morris ``mu*`` of every candidate (empty without
    screening); ``skipped``: flagged estimates not varied, with the reason; ``ranges``: the ranges file the inputs'
    ranges were read from (``None``: none, every range the convention's or stated)."""

    scenario: str
    seed: int
    samples: int
    runs: int
    engine: str
    assumptions_hash: str
    focal: str | None
    inputs: list[SensitivityInput]
    sensitivity: list[dict[str, Any]]
    screening: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    evaluations: int = 0
    candidates: int = 0
    ranges: str | None = None
    ranges_hash: str | None = None

    def ranking(self, output: str, top: int | None = None) -> list[dict[str, Any]]:
        """The rows of ``output`` by total order, largest first."""
        rows = sorted((r for r in self.sensitivity if r["output"] == output), key=lambda r: -r["total_order"])
        return rows[:top] if top is not None else rows

    def outputs(self) -> list[str]:
        """Outputs with indices, in the order of the rows."""
        return list(dict.fromkeys(r["output"] for r in self.sensitivity))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: settings, ``inputs``, ``screening``, ``skipped`` and the list ``sensitivity``."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "samples": self.samples,
            "runs": self.runs,
            "engine": self.engine,
            "assumptions_hash": self.assumptions_hash,
            "focal": self.focal,
            "evaluations": self.evaluations,
            "candidates": self.candidates,
            "ranges": self.ranges,
            "ranges_hash": self.ranges_hash,
            "inputs": [i.to_dict() for i in self.inputs],
            "screening": self.screening,
            "skipped": self.skipped,
            "sensitivity": self.sensitivity,
        }


def sensitivity(
    ledger: Any,
    scenario: str | Path | Scenario = "baseline",
    *,
    samples: int = 64,
    runs: int = 200,
    seed: SeedLike = None,
    inputs: Sequence[str] | None = None,
    engine: str = "local",
    master: str | None = None,
    assumptions: str | Path | Assumptions | None = None,
    top: int = 15,
    morris_trajectories: int = 4,
    spread: float | None = None,
    focal: str | None = None,
    channels: Mapping[str, bool] | None = None,
    num_resamples: int = 100,
    as_of: dt.date | str | None = None,
    ranges: str | Path | SensitivityRanges | None = None,
    workers: int | None = None,
) -> SensitivityResult:
    """Sobol sensitivity of the stress model's outputs to its flagged estimates (see the module docstring).

    Parameters
    ----------
    ledger
        A :class:`~junkan.ledger.Ledger`; the run starts from its as-of date as in ``run_stress``.
    scenario
        Scenario name, path or :class:`Scenario`.
    samples
        Saltelli base samples ``N`` (a power of 2): ``N (k + 2)`` evaluations of ``runs`` runs each.
    runs
        Monte Carlo runs per evaluation.
    seed
        One seed (recorded): the model's draws at every point (common random numbers), the Sobol sequence's
        scrambling, the Morris trajectories and the bootstrap.
    inputs
        Model keys to vary (from :func:`candidate_inputs`); default: all candidates, screened to ``top`` by Morris
        when there are more than ``top``.
    engine, master
        ``"local"`` or ``"spark"`` (PySpark on ``master``, default ``local[*]``); same results.
    assumptions
        Assumptions file; default the bundled file of the ledger's dataset.
    top, morris_trajectories
        Screening: how many inputs go on to Sobol, and Morris trajectories (``r (k + 1)`` evaluations).
    spread
        Relative half-width of convention ranges (default: the ranges file's ``convention.spread``, else 0.25).
    focal
        Party whose revenue at risk is an output (default :func:`default_focal`).
    channels
        Channel switches on top of the scenario's.
    num_resamples
        Bootstrap resamples for the confidence intervals.
    as_of
        Start date, as in ``run_stress`` (default: the ledger's or dataset's as-of date).
    ranges
        The inputs' ranges with their sources (:mod:`~junkan.stress.ecosystem.ranges`): a path or loaded file;
        default the ``NAME.sensitivity.yaml`` beside the assumptions file (none: every range is the convention's).
    workers
        Local engine: processes evaluating the sample points (default 1: this process; the CLI's default is
        :func:`default_workers`, the CPUs this process may use); the values do not depend on it. With ``workers > 1``
        a calling script needs the ``if __name__ == "__main__":`` guard that the ``spawn`` start method requires,
        which is why the API does not start processes unless asked.

    Raises
    ------
    JunkanInputError
        Unknown input key, engine, focal party or channel; too few samples; a bad ranges file (file and key).
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise JunkanInputError.single(f"runs must be a positive integer, got {runs!r}", field="runs")
    if engine not in ENGINES:
        raise JunkanInputError.single(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}", field="engine")
    a = assumptions if isinstance(assumptions, Assumptions) else load_assumptions(assumptions or ledger.name)
    ledger, when = resolve_as_of(ledger, as_of)
    model = build_model(ledger, a, quarter_label(when) if when is not None else a.start)
    sc = load_scenario(scenario)
    switches = sc.channel_switches()
    for c, on in (channels or {}).items():
        if c not in CHANNELS:
            known = ", ".join(CHANNELS)
            raise JunkanInputError.single(f"unknown channel {c!r}; channels are {known}", field="channels")
        switches[c] = bool(on)
    if focal is not None and focal not in model.parties:
        raise JunkanInputError.single(
            f"unknown focal party {focal!r}; modelled parties are {', '.join(model.parties)}", field="focal"
        )
    focal_party = focal if focal is not None else default_focal(ledger, model)
    s = normalize_seed(seed)
    if workers is None:
        workers = 1
    if isinstance(ranges, SensitivityRanges):
        rng_file: SensitivityRanges | None = ranges
    elif ranges is not None:
        rng_file = load_ranges(ranges)
    else:
        rng_file = default_ranges(a)
    if rng_file is not None and rng_file.dataset != a.dataset:
        raise JunkanInputError.single(
            f"the ranges are for dataset {rng_file.dataset!r}, the assumptions for {a.dataset!r}",
            file=rng_file.file,
            field="dataset",
        )
    cands, skipped = candidate_inputs(model, a, spread, rng_file, ledger)
    by_key = {c.key: c for c in cands}
    if inputs is not None:
        unknown = [k for k in inputs if k not in by_key]
        if unknown:
            raise JunkanInputError.single(
                f"not a varied input: {', '.join(unknown)}; candidates are {', '.join(by_key)}", field="inputs"
            )
        cands = [by_key[k] for k in inputs]

    def evaluator(chosen: Sequence[SensitivityInput]) -> Evaluator:
        return Evaluator(
            model=model,
            scenario=sc,
            paths=scenario_paths(model, sc),
            draws=draw_inputs(model, s, 0, runs),
            switches=switches,
            inputs=tuple(chosen),
            focal=model.parties.index(focal_party) if focal_party is not None else None,
            runs=runs,
        )

    evaluations = 0
    screening: list[dict[str, Any]] = []
    chosen = cands
    if len(cands) > top:
        ev = evaluator(cands)
        mu, n_eval = morris_screen(
            ev,
            [c.key for c in cands],
            [(c.low, c.high) for c in cands],
            morris_trajectories,
            seed=s,
            output_names=ev.output_names,
            engine=engine,
            master=master,
            workers=workers,
        )
        evaluations += n_eval
        heads = ["any_default"] + ([f"revenue_at_risk:{focal_party}"] if focal_party is not None else [])
        score = dict.fromkeys(by_key, 0.0)
        for h in heads:
            if h in mu and max(mu[h].values()) > 0:
                peak = max(mu[h].values())
                for k, v in mu[h].items():
                    score[k] += v / peak
        order = sorted(cands, key=lambda c: -score[c.key])
        chosen = order[:top]
        screening = [
            {"input": c.key, "score": score[c.key], **{f"mu_star:{h}": mu.get(h, {}).get(c.key) for h in heads}}
            for c in order
        ]
    ev = evaluator(chosen)
    rows, n_eval = sobol_indices(
        ev,
        [c.key for c in chosen],
        [(c.low, c.high) for c in chosen],
        samples,
        seed=s,
        output_names=ev.output_names,
        engine=engine,
        master=master,
        num_resamples=num_resamples,
        workers=workers,
    )
    evaluations += n_eval
    return SensitivityResult(
        scenario=sc.name,
        seed=s,
        samples=samples,
        runs=runs,
        engine=engine,
        assumptions_hash=assumptions_hash(a),
        focal=focal_party,
        inputs=list(chosen),
        sensitivity=rows,
        screening=screening,
        skipped=skipped,
        evaluations=evaluations,
        candidates=len(cands),
        ranges=rng_file.file if rng_file is not None else None,
        ranges_hash=ranges_hash(rng_file) if rng_file is not None else None,
    )


def cached_sensitivity(dataset: str, scenario: str = "baseline") -> dict[str, Any] | None:
    """A stored sensitivity run of a bundled dataset (``stress/sensitivity_runs/DATASET-SCENARIO.json``), or ``None``.

    The report shows this run rather than computing one (a Sobol analysis takes minutes; the report takes seconds).
    It is :meth:`SensitivityResult.to_dict` of ``junkan stress --data DATASET --scenario SCENARIO --sensitivity
    --samples 64 --runs 200 --seed 42 --focal nvidia --workers 2`` (the command, its settings and the ranges file are
    in the file), with ``assumptions_hash`` and ``ranges_hash``: compare them with the current assumptions' and
    ranges file's hashes to tell whether it is stale, and ``wall_s``, the seconds it took.
    """
    import json
    from importlib import resources

    path = resources.files("junkan.stress").joinpath("sensitivity_runs", f"{dataset}-{scenario}.json")
    if not path.is_file():
        return None
    out: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return out
