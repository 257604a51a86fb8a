"""The sensitivity ranges file (``NAME.sensitivity.yaml``): Wilson intervals, filings, fitted and published ranges by
hand, every error path with the file, line and key, the bundled ai-compute ranges, the CLI, and ``workers``."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

import junkan
from _helpers import deal, ledger, run_cli
from junkan.errors import JunkanInputError
from junkan.ledger import Financial, Source
from junkan.stress.ecosystem import build_model, load_assumptions
from junkan.stress.ecosystem.montecarlo import quarter_label, resolve_as_of
from junkan.stress.ecosystem.ranges import load_ranges, ranges_path, wilson_interval
from junkan.stress.sensitivity import candidate_inputs, default_ranges, evaluate_points, sensitivity


@pytest.fixture(scope="module")
def built():
    ledger_ = junkan.load("ai-compute")
    a = load_assumptions("ai-compute")
    led, when = resolve_as_of(ledger_, None)
    return led, a, build_model(led, a, quarter_label(when))


def write(tmp_path: Path, body: str, name: str = "r.sensitivity.yaml") -> Path:
    p = tmp_path / name
    p.write_text("dataset: ai-compute\n" + body, encoding="utf-8")
    return p


def by_key(built, ranges, led=None):
    _, a, model = built
    cands, _ = candidate_inputs(model, a, ranges=ranges, ledger=led if led is not None else built[0])
    return {c.key: c for c in cands}


# ------------------------------------------------------------------------------------------------ Wilson by hand
def test_wilson_interval_by_hand():
    # p = 0.92, n = 39.6, z = 1.96: z^2 = 3.8416, z^2/n = 0.0970101010..., z^2/2n = 0.0485050505...,
    # p(1-p)/n = 0.0736/39.6 = 0.0018585858..., z^2/4n^2 = 3.8416/6272.64 = 0.00061243750637...
    # centre = (0.92 + 0.0485050505...) / 1.0970101010... = 0.88285882656255755
    # half   = 1.96 / 1.0970101010... * sqrt(0.0024710233649...) = 0.08881449911132379
    # -> [0.79404432745123376, 0.97167332567388134] (40-digit decimal arithmetic)
    lo, hi = wilson_interval(0.92, 39.6, 1.96)
    assert lo == pytest.approx(0.79404432745123376, abs=1e-12)
    assert hi == pytest.approx(0.97167332567388134, abs=1e-12)
    # p = 0.5, n = 4, z = 2: centre = (0.5 + 0.5) / 2 = 0.5, half = 2 / 2 * sqrt(1/16 + 1/16) = sqrt(1/8)
    assert wilson_interval(0.5, 4, 2.0) == pytest.approx((0.5 - math.sqrt(0.125), 0.5 + math.sqrt(0.125)), abs=1e-15)
    # p = 0: centre = half = (z^2/2n) / (1 + z^2/n), the lower end is 0 and the upper z^2/(n + z^2) = 4/8
    assert wilson_interval(0.0, 4, 2.0) == pytest.approx((0.0, 0.5), abs=1e-15)
    with pytest.raises(ValueError, match="0 <= p <= 1"):
        wilson_interval(1.2, 10)
    with pytest.raises(ValueError, match="n > 0"):
        wilson_interval(0.5, 0)


# ------------------------------------------------------------------------------------------ filings, tiny ledger
URLS = {
    ("operating_cash_flow", "FY2024"): "https://example.org/ocf-2024",
    ("revenue", "FY2024"): "https://example.org/rev-2024",
    ("operating_cash_flow", "FY2025"): "https://example.org/ocf-2025",
    ("revenue", "FY2025"): "https://example.org/rev-2025",
}


def tiny_ledger():
    """Amazon with two fiscal years: revenue 400 and 500, operating cash flow 60 and 100 (a revenue slice of 50 with
    a counterparty, which a filings ratio ignores)."""
    figs = [
        Financial(
            entity="amazon",
            period=period,
            period_end=dt.date(int(period[2:]), 12, 31),
            metric=metric,
            value=value,
            confidence="high",
            sources=[Source(url=URLS[(metric, period)], kind="filing")],
        )
        for metric, period, value in (
            ("operating_cash_flow", "FY2024", 60),
            ("revenue", "FY2024", 400),
            ("operating_cash_flow", "FY2025", 100),
            ("revenue", "FY2025", 500),
        )
    ]
    return ledger(deal("d", "amazon", "x", 1), financials=figs)


def test_filings_range_from_a_tiny_ledger(built, tmp_path):
    r = load_ranges(
        write(
            tmp_path,
            "ranges:\n  cost_ratio.amazon:\n    basis: filings\n    filings: {numerator: operating_cash_flow, "
            "denominator: revenue, one_minus: true, periods: [FY2023, FY2024, FY2025]}\n",
        )
    )
    c = by_key(built, r, tiny_ledger())["cost_ratio.amazon"]
    # FY2024: 1 - 60/400 = 0.85; FY2025: 1 - 100/500 = 0.80; FY2023 has no figures; the model's nominal 0.805 lies
    # inside: range [0.80, 0.85]
    assert c.nominal == 0.805
    assert (c.low, c.high) == (1 - 100 / 500, 1 - 60 / 400)
    assert c.basis == "filings"
    assert "FY2024 0.8500, FY2025 0.8000" in c.source
    # the four figures' URLs, in period order, numerator first
    assert c.source.endswith(
        "(https://example.org/ocf-2024; https://example.org/rev-2024; https://example.org/ocf-2025; "
        "https://example.org/rev-2025)"
    )
    # a nominal outside the years' ratios widens the range to hold it: OCF/revenue itself, 0.15 and 0.20
    r2 = load_ranges(
        write(
            tmp_path,
            "ranges:\n  capex_flex.amazon:\n    basis: filings\n    filings: {numerator: operating_cash_flow, "
            "denominator: revenue, periods: [FY2024, FY2025]}\n",
        )
    )
    c2 = by_key(built, r2, tiny_ledger())["capex_flex.amazon"]
    assert c2.nominal == 0.6
    assert (c2.low, c2.high) == (60 / 400, 0.6)


def test_fitted_and_published_ranges(built, tmp_path):
    _, _, model = built
    r = load_ranges(
        write(
            tmp_path,
            "ranges:\n"
            "  drift_mean: {basis: fitted, sd_multiple: 2.0, source: an OLS fit}\n"
            "  beta: {basis: published, low: 0.55, high: 0.95, source: 'https://example.org/b', confidence: low}\n"
            "  regime_stay.tight: {basis: calibration, wilson: {trials: 4, z: 2.0}, source: four quarters}\n",
        )
    )
    by = by_key(built, r)
    d = by["drift_mean"]
    # nominal +- k sd: the model's OLS trend and its standard error
    assert (d.nominal, d.low, d.high) == (
        model.drift_mean,
        model.drift_mean - 2.0 * model.drift_sd,
        model.drift_mean + 2.0 * model.drift_sd,
    )
    assert (d.basis, d.source.startswith("an OLS fit: ")) == ("fitted", True)
    b = by["beta"]
    assert (b.low, b.high, b.basis, b.source) == (0.55, 0.95, "published", "https://example.org/b (confidence low)")
    # p = 0.7 over 4 quarters, z = 2: z^2/n = 1, centre = (0.7 + 4/8) / 2 = 0.6,
    # half = 2 / 2 * sqrt(0.21/4 + 4/64) = sqrt(0.0525 + 0.0625) = sqrt(0.115) = 0.33912
    t = by["regime_stay.tight"]
    assert (t.low, t.high) == pytest.approx((0.6 - math.sqrt(0.115), 0.6 + math.sqrt(0.115)), abs=1e-15)
    assert t.basis == "calibration"
    # inputs the file does not name keep the convention: demand_correlation 0.6 +- 25%
    dc = by["demand_correlation"]
    assert (dc.low, dc.high, dc.basis) == (pytest.approx(0.45), pytest.approx(0.75), "convention")


# ------------------------------------------------------------------------------------------------- error paths
ERRORS = [
    ("  nope: {basis: convention}\n", "ranges.nope", "not an input the analysis varies"),
    ("  beta: {basis: published, low: 0.6, high: 0.9, confidence: low}\n", "ranges.beta", "needs a source"),
    ("  beta: {basis: fitted, sd_multiple: 2}\n", "ranges.beta", "needs a source"),
    ("  beta: {basis: published, low: 0.9, high: 0.6, source: x, confidence: low}\n", "ranges.beta", "below high"),
    ("  beta: {basis: published, low: 0.6, high: 0.6, source: x, confidence: low}\n", "ranges.beta", "below high"),
    ("  beta: {basis: published, low: 0.7, high: 1.2, source: x, confidence: low}\n", "ranges.beta", "domain [0, 1]"),
    ("  beta: {basis: published, low: -0.1, high: 0.9, source: x, confidence: low}\n", "ranges.beta", "domain"),
    (
        "  beta: {basis: published, low: 0.85, high: 0.95, source: x, confidence: low}\n",
        "ranges.beta",
        "does not hold the nominal value 0.8",
    ),
    (
        "  cost_ratio.amazon: {basis: filings, filings: {numerator: operating_cash_flow, denominator: revenue, "
        "periods: [FY1999]}}\n",
        "ranges.cost_ratio.amazon",
        "the ledger has no operating_cash_flow and revenue of amazon in FY1999",
    ),
    (
        "  cost_ratio.amazon: {basis: filings, filings: {numerator: cash_flow, denominator: revenue, "
        "periods: [FY2024]}}\n",
        "ranges.cost_ratio.amazon",
        "unknown ledger metric 'cash_flow'",
    ),
    ("  beta: {basis: fitted, sd_multiple: 2, source: x}\n", "ranges.beta", "needs an input with a standard error"),
    ("  beta: {basis: convention, lows: 0.5}\n", "ranges.beta", "unknown key"),
    ("  beta: {basis: guessed}\n", "ranges.beta", "Input should be"),
    ("  beta: {basis: stated}\n", "ranges.beta", "basis stated is for the mean of a normal input"),
]


@pytest.mark.parametrize(("entry", "field", "message"), ERRORS)
def test_every_error_names_the_file_line_and_key(built, tmp_path, entry, field, message):
    p = write(tmp_path, "ranges:\n" + entry)
    with pytest.raises(JunkanInputError) as exc:
        by_key(built, load_ranges(p))
    (prob,) = exc.value.problems
    assert prob.file == str(p)
    assert prob.field is not None and prob.field.startswith(field)
    assert prob.line == 3  # the key's line: after 'dataset' and 'ranges'
    assert message in prob.message


def test_file_level_errors(built, tmp_path):
    with pytest.raises(JunkanInputError, match="cannot read file") as exc:
        load_ranges(tmp_path / "missing.yaml")
    assert exc.value.problems[0].file == str(tmp_path / "missing.yaml")
    with pytest.raises(JunkanInputError, match=r"convention.spread must lie in \(0, 1\)"):
        load_ranges(write(tmp_path, "convention: {spread: 1.5}\n"))
    ledger_ = junkan.load("ai-compute")
    other = tmp_path / "o.sensitivity.yaml"
    other.write_text("dataset: lucent-2000\nranges: {}\n", encoding="utf-8")
    with pytest.raises(JunkanInputError, match="the ranges are for dataset 'lucent-2000'") as exc:
        sensitivity(ledger_, samples=2, runs=2, inputs=["beta"], ranges=other, workers=1)
    assert (exc.value.problems[0].file, exc.value.problems[0].field) == (str(other), "dataset")


def test_the_spread_of_the_file_is_the_convention(built, tmp_path):
    p = write(tmp_path, "convention: {spread: 0.1}\nranges:\n  beta: {basis: convention}\n")
    by = by_key(built, load_ranges(p))
    # beta 0.8 +- 10%; demand_correlation 0.6 +- 10%
    assert (by["beta"].low, by["beta"].high) == pytest.approx((0.72, 0.88))
    assert (by["demand_correlation"].low, by["demand_correlation"].high) == pytest.approx((0.54, 0.66))
    assert "nominal x (1 +- 0.1)" in by["beta"].source


def test_cli_bad_ranges_exit_2_without_traceback(capsys, tmp_path):
    p = write(tmp_path, "ranges:\n  nope: {basis: convention}\n")
    code, out, err = run_cli(
        capsys, "stress", "--runs", "2", "--sensitivity", "--samples", "2", "--ranges", str(p), "--format", "json"
    )
    assert code == 2
    assert out == ""
    assert f"{p}, line 3, field 'ranges.nope'" in err
    assert "not an input the analysis varies" in err
    assert "Traceback" not in err
    code, out, err = run_cli(
        capsys, "stress", "--runs", "2", "--sensitivity", "--samples", "2", "--workers", "0", "--format", "json"
    )
    assert code == 2 and out == "" and "Traceback" not in err


# ------------------------------------------------------------------------------------------ the bundled ranges
def test_bundled_ranges_ship_and_every_entry_applies(built):
    led, a, model = built
    found = ranges_path(a.file)
    assert found is not None and found[1] == "stress/assumptions/ai-compute.sensitivity.yaml"
    assert found[0].is_file()  # importlib.resources finds the file in the package
    r = default_ranges(a)
    assert r is not None and r.dataset == "ai-compute" and r.spread == 0.25
    by = by_key(built, r, led)
    for key, spec in r.ranges.items():
        assert by[key].basis == spec.basis, key
        assert by[key].low < by[key].high, key
        assert by[key].source, key
    # Amazon's cash cost ratio: 1 - OCF/revenue of FY2023 (1 - 84.95/574.8 = 0.85221), FY2024 (1 - 115.88/638 =
    # 0.81837), FY2025 (1 - 139.5/716.9 = 0.80541), and the nominal 0.805: [0.805, 0.85221]
    figs = {
        (f.metric, f.period): f.value
        for f in led.financials
        if f.entity == "amazon" and f.counterparty is None and f.metric in ("operating_cash_flow", "revenue")
    }
    years = [
        1 - figs[("operating_cash_flow", y)] / figs[("revenue", y)]
        for y in ("FY2022", "FY2023", "FY2024", "FY2025")
        if ("revenue", y) in figs and ("operating_cash_flow", y) in figs
    ]
    assert len(years) == 3
    am = by["cost_ratio.amazon"]
    assert (am.low, am.high) == (min([*years, 0.805]), max([*years, 0.805]))
    assert (am.low, am.high) == pytest.approx((0.805, 1 - 84.95 / 574.8), abs=1e-12)
    # the regime's stay probabilities: Wilson intervals of 0.92 over 39.6, 0.70 over 15, 0.50 over 5.4 quarters
    assert (by["regime_stay.open"].low, by["regime_stay.open"].high) == wilson_interval(0.92, 39.6)
    assert (by["regime_stay.tight"].low, by["regime_stay.tight"].high) == wilson_interval(0.7, 15.0)
    assert (by["regime_stay.closed"].low, by["regime_stay.closed"].high) == wilson_interval(0.5, 5.4)
    # the GPU drift: OLS trend +- t(0.975, n - 2) standard errors; the file's 2.571 holds for the n = 7 observations
    from scipy.stats import t as student_t

    assert "7 observations" in model.provenance["gpu.drift"]
    assert r.ranges["drift_mean"].sd_multiple == pytest.approx(student_t.ppf(0.975, 5), abs=5e-4)
    d = by["drift_mean"]
    assert (d.low, d.high) == (model.drift_mean - 2.571 * model.drift_sd, model.drift_mean + 2.571 * model.drift_sd)
    # CoreWeave keeps the convention (its OCF exceeded revenue): 0.4 +- 25%
    cw = by["cost_ratio.coreweave"]
    assert (cw.low, cw.high, cw.basis) == (pytest.approx(0.3), pytest.approx(0.5), "convention")


# ---------------------------------------------------------------------------------------------------- workers
def _square_sum(row: np.ndarray) -> np.ndarray:
    return np.array([float(np.sum(row**2)), float(row[0])])


def test_workers_give_the_same_values(built):
    X = np.arange(24.0).reshape(12, 2) / 7.0
    assert np.array_equal(evaluate_points(_square_sum, X, workers=2), evaluate_points(_square_sum, X, workers=1))
    with pytest.raises(JunkanInputError, match="workers must be a positive integer"):
        evaluate_points(_square_sum, X, workers=0)


def test_workers_two_give_bit_identical_indices(built):
    ledger_ = junkan.load("ai-compute")
    kw = {"samples": 4, "runs": 8, "seed": 3, "inputs": ["regime_stay.open", "cost_ratio.amazon"], "focal": "nvidia"}
    one = sensitivity(ledger_, workers=1, **kw)
    two = sensitivity(ledger_, workers=2, **kw)
    assert one.evaluations == two.evaluations == 4 * (2 + 2)
    assert one.sensitivity == two.sensitivity  # every index and confidence half-width, bit for bit
    assert one.sensitivity  # something to compare
    # the inputs carry their bundled ranges: the Wilson interval and the filings range
    assert [(i.basis, i.low, i.high) for i in one.inputs] == [
        ("calibration", *wilson_interval(0.92, 39.6)),
        ("filings", 0.805, pytest.approx(1 - 84.95 / 574.8, abs=1e-12)),
    ]


def test_ranges_beside_a_user_assumptions_file(tmp_path):
    a = tmp_path / "mine.yaml"
    a.write_text("dataset: ai-compute\n", encoding="utf-8")
    assert ranges_path(str(a)) is None
    r = write(tmp_path, "ranges: {}\n", name="mine.sensitivity.yaml")
    assert ranges_path(str(a)) == (r, str(r))
    assert ranges_path("stress/assumptions/no-such-dataset.yaml") is None
