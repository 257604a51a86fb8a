"""Chunked Monte Carlo: the same seed gives the same result whatever the chunk size, memory is bounded, focal vendor."""

from __future__ import annotations

import dataclasses
import tracemalloc

import numpy as np
import pytest

import junkan
from junkan.errors import JunkanInputError
from junkan.ledger.model import Ledger
from junkan.ledger.schema import DatasetInfo
from junkan.stress.ecosystem import aggregate, montecarlo, run_stress
from junkan.stress.ecosystem.aggregate import QuantileSketch, neumaier_add
from junkan.stress.ecosystem.assumptions import load_assumptions
from junkan.stress.ecosystem.model import RNG_BLOCK, build_model, draw_inputs, scenario_paths, simulate
from junkan.stress.ecosystem.scenarios import load_scenario

from .helpers import chain_assumptions, chain_ledger, deal


@pytest.fixture(scope="module")
def ai():
    return junkan.load("ai-compute")


def _raw_equal(a, b) -> None:
    for f in dataclasses.fields(a.raw):
        x, y = getattr(a.raw, f.name), getattr(b.raw, f.name)
        if isinstance(x, dict):
            for k in x:
                assert np.array_equal(x[k], y[k]), f"{f.name}[{k}]"
        elif x is not None:
            assert np.array_equal(x, y), f.name


def test_same_seed_same_result_whatever_the_chunk_size(ai):
    """1,200 runs of a scenario with defaults, fire sales and clearing: all at once, in chunks of 1,000 and of 333
    (which cut through the 1,024-run random-stream blocks) give the same result, bit for bit."""
    runs = {ch: run_stress(ai, "gpu-price-collapse", runs=1200, seed=11, chunk=ch) for ch in (1200, 1000, 333)}
    whole = runs[1200]
    assert whole.summary()["any_default_probability"] > 0  # the cascades and clearing are exercised
    assert whole.agg.rar.exact
    for ch in (1000, 333):
        assert runs[ch].to_dict() == whole.to_dict()
        _raw_equal(runs[ch], whole)


def test_histogram_quantiles_are_chunk_invariant_and_within_their_bound(ai, monkeypatch):
    exact = run_stress(ai, "baseline", runs=700, seed=5, chunk=700)
    monkeypatch.setattr(aggregate, "EXACT_QUANTILE_MAX_VALUES", 0)  # every quantile from the fixed histogram
    a = run_stress(ai, "baseline", runs=700, seed=5, chunk=700, keep_runs=0)
    b = run_stress(ai, "baseline", runs=700, seed=5, chunk=256, keep_runs=0)
    assert not a.agg.rar.exact and a.raw is None
    assert a.to_dict() == b.to_dict()
    fa, fe = a.to_frame(), exact.to_frame()
    for col in ("revenue_at_risk_p5", "revenue_at_risk_p50", "revenue_at_risk_p95"):
        rel = np.abs(fa[col] - fe[col]) / np.maximum(np.abs(fe[col]), 1e-6)
        assert rel.max() <= 10 ** (1 / aggregate.BINS_PER_DECADE) - 1  # 0.23%: one bin
    # everything else is exact either way
    assert fa["revenue_at_risk_mean"].tolist() == fe["revenue_at_risk_mean"].tolist()
    assert fa["default_probability"].tolist() == fe["default_probability"].tolist()
    assert a.cascades == exact.cascades
    with pytest.raises(JunkanInputError, match="per-run values were not kept"):
        a.revenue_at_risk("nvidia")


def test_histogram_quantile_of_known_values() -> None:
    """Values 1..1000 (and their negatives): the median of 1..1000 is 500.5; the histogram reads it within a bin."""
    sk = QuantileSketch(2000, 1)
    sk.exact = False
    sk._counts = np.zeros((1, 2 * aggregate._SIDE + 1), dtype=np.int64)
    sk.add(0, np.arange(1.0, 1001.0)[:, None])
    sk.add(1000, -np.arange(1.0, 1001.0)[:, None])
    q = sk.quantiles([0.75, 0.5])[:, 0]
    # rank (n - 1) * 0.75 = 1499.25 -> between the 500th and 501st of the positives: 500.25 exactly
    assert abs(q[0] - 500.25) <= 500.25 * (10 ** (1 / aggregate.BINS_PER_DECADE) - 1)
    assert abs(q[1]) <= 1.0 + 1e-9  # between -1 and 1


def test_compensated_sums_are_exact_where_naive_sums_are_not() -> None:
    x = np.array([[1e16], [1.0], [-1e16], [1.0]])
    acc, comp = np.zeros(1), np.zeros(1)
    neumaier_add(acc, comp, x)
    assert float(np.sum(x)) != 2.0 and float((acc + comp)[0]) == 2.0
    # split into any calls, the same bits
    acc2, comp2 = np.zeros(1), np.zeros(1)
    for lo in range(4):
        neumaier_add(acc2, comp2, x[lo : lo + 1])
    assert acc2[0] == acc[0] and comp2[0] == comp[0]


def test_draws_depend_on_the_run_not_the_chunk(ai) -> None:
    m = build_model(ai, load_assumptions("ai-compute"))
    whole = draw_inputs(m, 3, 0, 3 * RNG_BLOCK)
    part = draw_inputs(m, 3, RNG_BLOCK - 5, 2 * RNG_BLOCK + 7)  # across two block boundaries
    for f in dataclasses.fields(whole):
        assert np.array_equal(getattr(whole, f.name)[RNG_BLOCK - 5 : 2 * RNG_BLOCK + 7], getattr(part, f.name))
    other = draw_inputs(m, 4, 0, 10)
    assert not np.array_equal(other.z_own, whole.z_own[:10])  # another seed, other draws


def test_chunk_size_fits_the_budget_and_the_estimate_bounds_the_peak(ai) -> None:
    """The chunk is what fits in the budget by :func:`sim_bytes_per_run`, and that estimate bounds the memory a
    chunk of runs really takes at its peak (traced NumPy allocations), on the bundled model and a 3-party one."""
    for ledger, a in ((ai, load_assumptions("ai-compute")), (chain_ledger(), chain_assumptions())):
        m = build_model(ledger, a)
        per = montecarlo.sim_bytes_per_run(m)
        for budget in (10**6, 64 * 2**20, montecarlo.MEMORY_BUDGET):
            c = montecarlo.chunk_runs(m, budget)
            assert c * per <= budget < (c + 1) * per
        paths = scenario_paths(m, load_scenario("gpu-price-collapse"))
        simulate(m, paths, 50, draw_inputs(m, 0, 0, 50))  # compile the kernels outside the trace
        runs = 1500
        draws = draw_inputs(m, 1, 0, runs)
        tracemalloc.start()
        simulate(m, paths, runs, draws)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak <= runs * per
    assert montecarlo.chunk_runs(m, 1) == 1


def test_memory_does_not_grow_with_the_run_count(monkeypatch) -> None:
    """With per-run values not kept and quantiles from the histogram, 4x the runs in chunks of the same size take
    the same peak memory (the aggregates are of fixed size; both counts have chunks that straddle two random-stream
    blocks, which are drawn whole)."""
    ledger, a = chain_ledger(), chain_assumptions()
    monkeypatch.setattr(aggregate, "EXACT_QUANTILE_MAX_VALUES", 0)
    run_stress(ledger, "baseline", runs=10, seed=0, assumptions=a, keep_runs=0)  # warm-up outside the trace
    peaks = {}
    for runs in (2000, 8000):
        tracemalloc.start()
        res = run_stress(ledger, "baseline", runs=runs, seed=0, assumptions=a, chunk=500, keep_runs=0)
        peaks[runs] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert res.raw is None and res.agg.added == runs
    assert peaks[8000] <= 1.1 * peaks[2000]


def test_default_focal_is_the_largest_vendor_financier_of_its_own_customers() -> None:
    a = chain_assumptions()
    # chips invests in lab, which does not buy from chips: no vendor financing, no focal party
    res = run_stress(chain_ledger(), "baseline", runs=20, seed=1, assumptions=a)
    assert res.focal is None and res.summary()["focal_revenue_at_risk"] is None
    q = [f"{y}-{m:02d}-15" for y in (2026, 2027) for m in (2, 5, 8, 11)]
    financed = Ledger.build(
        [
            deal("lab-cloud", "lab", "cloud", [(d, 30.0) for d in q]),
            deal("cloud-chips", "cloud", "chips", [(d, 20.0) for d in q]),
            deal("chips-cloud", "chips", "cloud", [("2026-03-01", 10.0)], kind="equity_investment"),
            deal("cloud-lab", "cloud", "lab", [("2026-03-01", 4.0)], kind="equity_investment"),
        ],
        create_missing_entities=True,
    )
    # chips finances its customer cloud (10) and cloud its customer lab (4): chips is the focal vendor
    res = run_stress(financed, "baseline", runs=20, seed=1, assumptions=a)
    assert res.focal == "chips"
    s = res.summary()
    row = res.to_frame().set_index("party").loc["chips"]
    assert s["focal_revenue_at_risk"]["mean"] == row["revenue_at_risk_mean"]
    assert s["focal_revenue_at_risk"]["reference"] == row["revenue_reference"]
    chosen = run_stress(financed, "baseline", runs=20, seed=1, assumptions=a, focal="lab")
    assert chosen.summary()["focal"] == "lab"
    with pytest.raises(JunkanInputError, match="unknown focal party 'nvidia'"):
        run_stress(financed, "baseline", runs=20, seed=1, assumptions=a, focal="nvidia")


def test_a_dataset_declared_focal_vendor_wins_when_modelled_else_the_rule() -> None:
    a = chain_assumptions()
    q = [f"{y}-{m:02d}-15" for y in (2026, 2027) for m in (2, 5, 8, 11)]
    records = [
        deal("lab-cloud", "lab", "cloud", [(d, 30.0) for d in q]),
        deal("cloud-chips", "cloud", "chips", [(d, 20.0) for d in q]),
        deal("chips-cloud", "chips", "cloud", [("2026-03-01", 10.0)], kind="equity_investment"),
        deal("cloud-lab", "cloud", "lab", [("2026-03-01", 4.0)], kind="equity_investment"),
    ]

    def with_focal(focal: str) -> Ledger:
        info = DatasetInfo(name="chain", title="chain", focal_vendor=focal)
        return Ledger.build(records, info=info, create_missing_entities=True)

    # the rule alone picks chips (see above); the declaration names cloud, a modelled party: cloud
    assert run_stress(with_focal("cloud"), "baseline", runs=20, seed=1, assumptions=a).focal == "cloud"
    # a declared party the stress model does not hold falls back to the rule
    assert run_stress(with_focal("elsewhere"), "baseline", runs=20, seed=1, assumptions=a).focal == "chips"


def test_ai_compute_declares_nvidia_as_its_focal_vendor() -> None:
    ledger = junkan.load("ai-compute")
    assert ledger.info.focal_vendor == "nvidia"
    assert run_stress(ledger, "baseline", runs=20, seed=1).focal == "nvidia"
