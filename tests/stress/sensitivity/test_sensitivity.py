"""Sensitivity analysis: SALib's Sobol on the Ishigami function through our wrapper, candidate ranges, common random
numbers, the JSON shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

import junkan
from junkan.errors import JunkanInputError
from junkan.stress.ecosystem import build_model, load_assumptions, load_scenario, run_stress
from junkan.stress.ecosystem.model import draw_inputs, scenario_paths
from junkan.stress.ecosystem.montecarlo import quarter_label, resolve_as_of
from junkan.stress.sensitivity import Evaluator, candidate_inputs, morris_screen, sensitivity, sobol_indices

PI = np.pi


def ishigami(row: np.ndarray) -> np.ndarray:
    """Ishigami & Homma (1990), a = 7, b = 0.1, on [-pi, pi]^3."""
    x1, x2, x3 = row
    return np.array([np.sin(x1) + 7 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)])


def test_ishigami_sobol_indices_through_the_wrapper():
    # analytic values: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.8446; V1 = (1 + b pi^4/5)^2 / 2 = 4.3459,
    # V2 = a^2/8 = 6.125, V13 = b^2 pi^8 (1/18 - 1/50) = 3.3737 -> S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424,
    # 0.2437)
    rows, n = sobol_indices(ishigami, ["x1", "x2", "x3"], [(-PI, PI)] * 3, 4096, seed=7, output_names=["y"])
    assert n == 4096 * 5
    s1 = [r["first_order"] for r in rows]
    st = [r["total_order"] for r in rows]
    assert s1 == pytest.approx([0.3139, 0.4424, 0.0], abs=0.03)
    assert st == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.03)
    assert all(r["total_order_conf"] > 0 for r in rows)


def test_morris_ranks_ishigami_inputs():
    mu, n = morris_screen(ishigami, ["x1", "x2", "x3"], [(-PI, PI)] * 3, 40, seed=3, output_names=["y"])
    assert n == 40 * 4
    assert mu["y"]["x3"] < mu["y"]["x2"] and mu["y"]["x3"] < mu["y"]["x1"]


def test_constant_output_is_left_out():
    rows, _ = sobol_indices(
        lambda r: np.array([r[0], 1.0]), ["x"], [(0.0, 1.0)], 8, seed=1, output_names=["moves", "constant"]
    )
    assert {r["output"] for r in rows} == {"moves"}
    assert rows[0]["first_order"] == pytest.approx(1.0, abs=0.2)


@pytest.fixture(scope="module")
def built():
    ledger = junkan.load("ai-compute")
    a = load_assumptions("ai-compute")
    led, when = resolve_as_of(ledger, None)
    return ledger, a, build_model(led, a, quarter_label(when))


def test_candidate_ranges(built):
    _, a, model = built
    cands, skipped = candidate_inputs(model, a)
    by = {c.key: c for c in cands}
    # without a ranges file, the convention: +-25% of the estimate: 0.6 -> [0.45, 0.75]; a share clipped to [0, 1]:
    # beta 0.8 -> [0.6, 1.0]
    assert (by["demand_correlation"].low, by["demand_correlation"].high) == pytest.approx((0.45, 0.75))
    assert (by["beta"].low, by["beta"].high) == pytest.approx((0.6, 1.0))
    assert by["beta"].basis == "convention"
    assert by["beta"].source.startswith("convention: nominal x (1 +- 0.25), clipped to the field's domain")
    # a stated N(mean, sd): OpenAI growth N(0.6, 0.3) -> mean in [0.3, 0.9]
    g = by["growth_mean.openai"]
    assert (g.low, g.high, g.basis) == (pytest.approx(0.3), pytest.approx(0.9), "stated")
    assert g.source == (
        "stress/assumptions/ai-compute.yaml: parties.openai.growth is N(0.6, 0.3); the mean varies over mean +- sd"
    )
    # funding_debt_share 0 for OpenAI: a relative range of 0 is empty
    assert {"path": "parties.openai.funding_debt_share", "reason": "nominal value 0: a relative range is empty"} in (
        skipped
    )
    assert len(cands) > 15


def test_common_random_numbers(built):
    ledger, a, model = built
    cands, _ = candidate_inputs(model, a)
    chosen = tuple(c for c in cands if c.key in ("demand_correlation", "regime_stay.open", "take_or_pay"))
    sc = load_scenario("baseline")
    ev = Evaluator(
        model, sc, scenario_paths(model, sc), draw_inputs(model, 5, 0, 30), sc.channel_switches(), chosen,
        model.parties.index("nvidia"), 30
    )  # fmt: skip
    nominal = np.array([c.nominal for c in chosen])
    y1, y2 = ev(nominal), ev(nominal.copy())
    assert np.array_equal(y1, y2)
    # the nominal point is run_stress at the same seed
    res = run_stress(ledger, "baseline", runs=30, seed=5, focal="nvidia").summary()
    names = ev.output_names
    assert y1[names.index("any_default")] == res["any_default_probability"]
    assert y1[names.index("any_default_or_restructuring")] == res["any_default_or_restructuring_probability"]
    for p, v in res["p_default_or_restructuring"].items():
        assert y1[names.index(f"p_default_or_restructuring:{p}")] == v
    assert y1[names.index("revenue_at_risk:nvidia")] == pytest.approx(res["focal_revenue_at_risk"]["mean"], rel=1e-12)
    moved = nominal.copy()
    moved[1] = chosen[1].low
    assert ev(moved).shape == y1.shape


def test_json_shape_and_errors(built):
    ledger = built[0]
    res = sensitivity(
        ledger, samples=2, runs=10, seed=1, inputs=["regime_stay.open", "growth_mean.openai"], focal="nvidia", workers=1
    )
    obj = json.loads(json.dumps(res.to_dict()))
    assert obj["evaluations"] == 2 * (2 + 2)
    assert obj["seed"] == 1 and obj["samples"] == 2 and obj["runs"] == 10 and obj["engine"] == "local"
    assert [i["input"] for i in obj["inputs"]] == ["regime_stay.open", "growth_mean.openai"]
    # each input's range and where it comes from: the bundled ranges file's Wilson interval, the stated N(0.6, 0.3)
    for i in obj["inputs"]:
        assert set(i) == {"input", "path", "nominal", "low", "high", "basis", "source"}
    assert [i["basis"] for i in obj["inputs"]] == ["calibration", "stated"]
    assert "Wilson score interval of p = 0.92 over 39.6 quarters" in obj["inputs"][0]["source"]
    for row in obj["sensitivity"]:
        assert set(row) == {"input", "output", "first_order", "first_order_conf", "total_order", "total_order_conf"}
    assert obj["screening"] == []
    assert obj["ranges"] == "stress/assumptions/ai-compute.sensitivity.yaml"
    with pytest.raises(JunkanInputError, match="not a varied input"):
        sensitivity(ledger, samples=2, runs=2, inputs=["nope"], workers=1)
    with pytest.raises(JunkanInputError, match="engine"):
        sensitivity(ledger, samples=2, runs=2, engine="dask")
