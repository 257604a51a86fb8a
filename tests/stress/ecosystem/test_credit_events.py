"""Issue 11 mechanisms on hand-made models with hand-computed numbers: the funding regime, cancellation damages and
restructurings, the maturity ladder, the LTV trigger with residual values, the rental trend, calibration formulas,
named settings, and each contagion channel changing a result."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest

from junkan.errors import JunkanInputError
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal, Financial
from junkan.random import make_rng
from junkan.stress.ecosystem import CHANNELS, build_model, run_stress
from junkan.stress.ecosystem.calibration import implied_pd, physical_pd, q_to_p
from junkan.stress.ecosystem.events import CreditEvents
from junkan.stress.ecosystem.model import Draws, scenario_paths, simulate
from junkan.stress.ecosystem.obligations import maturity_ladder, rental_trend
from junkan.stress.ecosystem.params import apply_settings
from junkan.stress.ecosystem.scenarios import Scenario

from .helpers import SRC, assumptions_dict, deal, make_assumptions, party

EST = {"estimate": True, "basis": "test"}
NONE = Scenario(name="none")


def _draws(m, runs: int, u_fund: float | np.ndarray = 0.0, u_regime: float | np.ndarray = 0.0) -> Draws:
    """Deterministic draws: zero shocks, realisation uniforms 0 (every deal happens), chosen funding/regime uniforms."""
    r, n, q = runs, m.n, m.quarters
    g = 1 + int(max(m.deal_group.max(initial=-1), m.credit_group.max(initial=-1), m.backstop_group.max(initial=-1)))
    return Draws(
        z_common=np.zeros(r),
        z_own=np.zeros((r, n)),
        z_drift=np.zeros(r),
        z_price=np.zeros((r, q)),
        u_status=np.zeros((r, 9)),
        u_group=np.zeros((r, g)),
        u_fund=np.broadcast_to(np.asarray(u_fund, dtype=float), (r, q, n)).copy(),
        u_regime=np.broadcast_to(np.asarray(u_regime, dtype=float), (r, q)).copy(),
    )


def _regime(initial: str = "open", **access: float) -> dict:
    return {
        "initial": initial,
        "transition": {
            "open": {"open": 0.7, "tight": 0.0, "closed": 0.3},
            "tight": {"open": 0.0, "tight": 1.0, "closed": 0.0},
            "closed": {"open": 0.0, "tight": 0.0, "closed": 1.0},
        },
        "access": {"open": 1.0, "tight": 0.5, "closed": 0.2} | access,
        **EST,
    }


# ---------------------------------------------------------------- funding regime


def test_regime_markov_chain_by_hand():
    # open -> closed with 0.3: a uniform of 0.75 >= 0.7 moves to closed, 0.5 stays open; closed is absorbing
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 1.0)])], create_missing_entities=True)
    d = assumptions_dict({"a": party(cash=10.0), "b": party()}, quarters=3)
    d["funding_regime"] = _regime()
    m = build_model(ledger, make_assumptions(d))
    u = np.array([[0.0, 0.75, 0.1], [0.0, 0.5, 0.99]])
    out = simulate(m, scenario_paths(m, NONE), 2, _draws(m, 2, u_regime=u))
    # run 0: open, closed, closed; run 1: open, open, closed (0.99 >= 0.7)
    assert out.regime_closed.tolist() == [2, 1]


@pytest.mark.parametrize(("u", "defaults"), [(0.47, -1), (0.49, 0)])
def test_closed_market_cuts_funding_odds_by_sensitivity(u, defaults):
    # fixed costs 10 a quarter, no cash: it must raise 10. Closed market, access 0.2, sensitivity 0.5:
    # odds = 0.8 * (1 - 0.5 * (1 - 0.2)) = 0.48, so a uniform of 0.47 raises and 0.49 fails (default)
    ledger = Ledger.build([deal("lab-b", "lab", "b", [("2026-02-15", 0.0)])], create_missing_entities=True)
    lab = party(fixed_costs=40.0, funding_access=1.0, funding_success=0.8, funding_sensitivity=0.5)
    d = assumptions_dict({"lab": lab, "b": party()}, quarters=1)
    d["funding_regime"] = _regime(initial="closed")
    m = build_model(ledger, make_assumptions(d))
    out = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1, u_fund=u))
    assert out.default_quarter[0, 0] == defaults
    assert out.raised[0, 0] == pytest.approx(10.0 if defaults < 0 else 0.0, abs=1e-12)


def test_scenario_holds_the_regime():
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 1.0)])], create_missing_entities=True)
    d = assumptions_dict({"a": party(cash=10.0), "b": party()}, quarters=4)
    d["funding_regime"] = _regime()
    m = build_model(ledger, make_assumptions(d))
    sc = Scenario.model_validate(
        {
            "name": "crunch",
            "shocks": [{"type": "funding_regime", "state": "closed", "start": "2026Q2", "end": "2026Q3"}],
        }
    )
    paths = scenario_paths(m, sc)
    assert paths.regime.tolist() == [-1, 2, 2, -1]
    # held closed in Q2-Q3; closed is absorbing, so Q4 stays closed: 3 quarters (uniforms 0 never leave open in Q1)
    out = simulate(m, paths, 1, _draws(m, 1))
    assert out.regime_closed.tolist() == [3]


# ---------------------------------------------------------------- cancellation is a credit event


def _cancel_model(take_or_pay: float):
    # the lab owes the cloud 100 in each of two quarters (compute, cancellable) and has 40 of cash, nothing else
    ledger = Ledger.build(
        [deal("lab-cloud", "lab", "cloud", [("2026-02-15", 100.0), ("2026-05-15", 100.0)])],
        create_missing_entities=True,
    )
    d = assumptions_dict({"lab": party(cash=40.0), "cloud": party()}, quarters=2)
    d["cancellation"] = {"take_or_pay": take_or_pay, **EST}
    return build_model(ledger, make_assumptions(d))


def test_take_or_pay_damages_by_hand():
    # Q1: short 60; cutting share c saves 100 * c * (1 - 0.25), so c = 60 / 75 = 0.8, scale 0.2, the lab pays
    # 100 * (0.2 + 0.25 * 0.8) = 40 (all its cash) and restructures. Q2: it owes 40 with no cash; cutting the rest
    # saves 100 * 0.2 * 0.75 = 15, it still owes the damages 25 and defaults.
    m = _cancel_model(0.25)
    out = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1))
    assert out.restructure_quarter[0].tolist() == [0, -1]
    assert out.default_quarter[0].tolist() == [1, -1]
    # the cloud lost 60 of Q1 to the cancellation and 75 of Q2 (100 - 25 owed), and 25 more in clearing
    np.testing.assert_allclose(out.losses["cancel"][0, 1], 60.0 + 75.0, rtol=1e-12)
    np.testing.assert_allclose(out.losses["clearing"][0, 1], 25.0, rtol=1e-12)
    np.testing.assert_allclose(out.contract_scale[0, 0], 0.0, atol=1e-12)


def test_free_cancellation_only_restructures():
    # no damages: Q1 cuts 60% (pays 40), Q2 cuts the remaining 40 and owes nothing: a restructuring, no default;
    # the cloud loses 60 of Q1's payment and all 100 of Q2's
    m = _cancel_model(0.0)
    out = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1))
    assert out.restructure_quarter[0].tolist() == [0, -1]
    assert out.default_quarter[0].tolist() == [-1, -1]
    np.testing.assert_allclose(out.losses["cancel"][0, 1], 60.0 + 100.0, rtol=1e-12)


def test_credit_events_counts():
    ev = CreditEvents(4, ("a", "b"), 3)
    dq = np.array([[1, -1], [-1, -1], [2, 0], [-1, -1]])
    rq = np.array([[0, -1], [2, -1], [-1, -1], [-1, -1]])
    ev.add(dq[:2], rq[:2], np.array([1, 0]))
    ev.add(dq[2:], rq[2:], np.array([2, 0]))
    np.testing.assert_allclose(ev.p_restructuring(), [0.5, 0.0])
    # a: runs 0 (restructured Q1, default Q2), 1 (restructured Q3), 2 (default Q3); b: run 2 (default Q1)
    np.testing.assert_allclose(ev.p_default_or_restructuring(), [0.75, 0.25])
    np.testing.assert_allclose(ev.p_default_or_restructuring(1), [0.25, 0.25])
    assert ev.either_counts[0].tolist() == [1, 0, 2]
    assert ev.any_event == 3 and ev.closed_quarters == 3


# ---------------------------------------------------------------- obligations


def _loan(did: str, kind: str, amount: float, end: str, date: str = "2025-06-01") -> Deal:
    return Deal.model_validate(
        {
            "id": did,
            "date": date,
            "kind": kind,
            "payer": "lender",
            "payee": "borrower",
            "amount": {"value": amount, "committed": amount, "drawn": amount},
            "status": "drawn",
            "confidence": "high",
            "sources": SRC,
            "schedule": {"end": end},
        }
    )


def test_maturity_ladder_by_hand():
    # a 30 bond maturing in 2026Q3 (bullet), a 40 GPU-backed loan maturing in 2026Q4 (10 a quarter from the start),
    # a loan that matured before the start (repaid, left out)
    ledger = Ledger.build(
        [
            _loan("bond", "loan", 30.0, "2026-08-15"),
            _loan("ddtl", "gpu_backed_debt", 40.0, "2026-11-30"),
            _loan("old", "loan", 5.0, "2025-12-31"),
        ],
        create_missing_entities=True,
    )
    ladder, covered = maturity_ladder(ledger, "borrower", "2026Q1", 6, 100.0)
    np.testing.assert_allclose(ladder, [10.0, 10.0, 40.0, 10.0, 0.0, 0.0])
    assert covered == 70.0
    ladder, covered = maturity_ladder(ledger, "borrower", "2026Q1", 6, 35.0)  # capped at the party's debt
    np.testing.assert_allclose(ladder, np.array([10.0, 10.0, 40.0, 10.0, 0.0, 0.0]) * 0.5)
    assert covered == 35.0


def test_maturity_wall_in_the_quarter_loop():
    # debt 50 of which a 30 bond matures in 2026Q3; the other 20 amortises over 5 years (1/20 of what is left a
    # quarter); no refinancing, no rate. Cash 100: Q1 pays 1, Q2 0.95, Q3 30 + 0.9025; 67.1475 is left
    ledger = Ledger.build([_loan("bond", "loan", 30.0, "2026-08-15")], create_missing_entities=True)
    d = assumptions_dict({"borrower": party(cash=100.0, debt=50.0, maturity_years=5.0)}, quarters=3)
    m = build_model(ledger, make_assumptions(d))
    out = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1))
    np.testing.assert_allclose(out.cash[0, 0], 100.0 - 1.0 - 0.95 - 30.9025, rtol=1e-12)


def test_debt_recorded_after_the_balance_sheet_is_added():
    ledger = Ledger.build(
        [
            _loan("new", "gpu_backed_debt", 12.0, "2030-01-31", date="2025-09-01"),
            _loan("pre", "loan", 8.0, "2030-06-30"),
        ],
        create_missing_entities=True,
    )
    d = assumptions_dict({"borrower": party(cash=1.0, debt=20.0, gpu_debt=5.0)}, quarters=2)
    d["parties"]["borrower"]["debt"]["as_of"] = "2025-06-30"
    d["parties"]["borrower"]["gpu_debt"]["as_of"] = "2025-06-30"
    m = build_model(ledger, make_assumptions(d))
    assert m.debt[0] == 32.0 and m.gpu_debt[0] == 17.0
    assert "new" in m.provenance["borrower.debt"]


def test_ltv_trigger_with_residual_value_by_hand():
    # fleet 100 at index 1, life 25 years, residual 0.2: wear (1 - 0.2) / 100 = 0.008, fleet 99.2; LTV cap
    # 0.8 x 99.2 = 79.36 against GPU-backed debt 90: a cure of 10.64 is due; principal is refinanced in full
    ledger = Ledger.build([deal("a-b", "cloud", "x", [("2026-02-15", 0.0)])], create_missing_entities=True)
    cloud = party(cash=20.0, gpu_fleet=100.0, debt=90.0, gpu_debt=90.0, ltv_max=0.8, refinance=1.0, maturity_years=5.0)
    d = assumptions_dict({"cloud": cloud}, quarters=1, residual_value=0.2)
    m = build_model(ledger, make_assumptions(d))
    assert m.residual_value == 0.2
    out = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1))
    np.testing.assert_allclose(out.cash[0, 0], 20.0 - 10.64, rtol=1e-12)
    assert out.default_quarter[0, 0] == -1


def test_rental_trend_by_hand():
    # ln prices ln2, ln2 - 0.1, ln2 - 0.3 at t = 2024, 2025, 2026: slope -0.15, residuals (-1/60, 1/30, -1/60),
    # SSR 1/600, se = sqrt(SSR / (n - 2) / Sxx) = sqrt(1/1200)
    fins = [
        Financial.model_validate(
            {
                "entity": "gpu-market",
                "period": f"{y}-01",
                "period_end": f"{y}-01-01",
                "metric": "gpu_rental_price",
                "value": 2.0 * math.exp(-dl),
                "currency": "USD",
                "confidence": "high",
                "sources": SRC,
                "notes": "NVIDIA H100 rental",
            }
        )
        for y, dl in ((2024, 0.0), (2025, 0.1), (2026, 0.3))
    ]
    ledger = Ledger.build(
        [deal("a-m", "a", "gpu-market", [("2026-02-15", 1.0)])], financials=fins, create_missing_entities=True
    )
    slope, se, n = rental_trend(ledger, "gpu-market", "gpu_rental_price", "H100", [], dt.date(2026, 12, 31))
    assert n == 3
    assert slope == pytest.approx(-0.15, rel=1e-9)
    assert se == pytest.approx(math.sqrt(1 / 1200), rel=1e-9)
    with pytest.raises(ValueError, match="at least 3"):
        rental_trend(ledger, "gpu-market", "gpu_rental_price", "B200", [], dt.date(2026, 12, 31))


# ---------------------------------------------------------------- calibration formulas and named settings


def test_implied_and_physical_pd():
    assert implied_pd(0.0128) == pytest.approx(1 - math.exp(-5 * 0.0128 / 0.6), rel=1e-12)
    assert implied_pd(0.0643) == pytest.approx(0.41481, abs=1e-5)  # CoreWeave, 5 Dec 2025
    assert physical_pd(0.0128, 5.0) == pytest.approx(1 - math.exp(-5 * 0.0128 / 0.6 / 5), rel=1e-12)
    assert (q_to_p("Baa2"), q_to_p("BB-"), q_to_p("B+"), q_to_p("Aa3"), q_to_p("A1")) == (5.0, 2.0, 1.4, 11.0, 8.0)
    with pytest.raises(ValueError, match="unknown rating"):
        q_to_p("ZZ")


def test_apply_settings():
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 1.0)])], create_missing_entities=True)
    d = assumptions_dict({"a": party(cash=1.0, funding_success=0.5), "b": party()})
    d["funding_regime"] = _regime()
    m = build_model(ledger, make_assumptions(d))
    m2 = apply_settings(m, {"funding_success.a": 0.9, "regime_stay.open": 0.9, "alpha": 0.3, "take_or_pay": 0.5})
    assert m2.funding_success.tolist() == [0.9, 0.0] and m.funding_success.tolist() == [0.5, 0.0]
    # open row 0.7 / 0 / 0.3: staying 0.9 leaves 0.1 split in the old ratio (0, 1)
    np.testing.assert_allclose(m2.regime_transition[0], [0.9, 0.0, 0.1])
    assert m2.alpha == 0.3 and m2.deal_take_or_pay.tolist() == [0.5]
    for bad, msg in (({"funding_success.zz": 0.5}, "unknown party"), ({"nope": 1.0}, "unknown input")):
        with pytest.raises(JunkanInputError, match=msg):
            apply_settings(m, bad)
    with pytest.raises(JunkanInputError, match="between 0 and 1"):
        apply_settings(m, {"alpha": 1.5})


# ---------------------------------------------------------------- every channel earns its place


def test_clearing_channel_defaults_the_creditor():
    # a owes b 100 (a service fee, not cancellable) with 50 of cash: it defaults and pays alpha * 50 = 25; b has
    # costs of 60 this quarter and nothing else, so it defaults with clearing on and survives with it off
    ledger = Ledger.build(
        [deal("a-b", "a", "b", [("2026-02-15", 100.0)], kind="service_fee")], create_missing_entities=True
    )
    m = build_model(ledger, make_assumptions(assumptions_dict({"a": party(cash=50.0), "b": party(fixed_costs=240.0)})))
    on = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1))
    off = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1), {"clearing": False})
    assert on.default_quarter[0].tolist() == [0, 0]
    assert off.default_quarter[0].tolist() == [0, -1]
    np.testing.assert_allclose(on.losses["clearing"][0, 1], 75.0, rtol=1e-12)


def test_equity_channel_cuts_the_holders_funding_room():
    # h holds a 50 stake (at cost) in k; k defaults in Q1 (costs 40, nothing else). In Q2 h must raise 10: with the
    # equity channel its value is 20 + (0 - 50) -> 0, no room, default; without it 20, room 20, it raises 10
    stake = Deal.model_validate(
        {
            "id": "h-k",
            "date": "2025-06-01",
            "kind": "equity_investment",
            "payer": "h",
            "payee": "k",
            "amount": {"value": 50.0, "committed": 50.0, "drawn": 50.0},
            "status": "closed",
            "confidence": "high",
            "sources": SRC,
        }
    )
    ledger = Ledger.build([stake], create_missing_entities=True)
    h = party(cash=10.0, fixed_costs=40.0, valuation=20.0, funding_access=1.0, funding_success=1.0)
    d = assumptions_dict({"h": h, "k": party(fixed_costs=160.0)}, quarters=2)
    m = build_model(ledger, make_assumptions(d))
    on = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1))
    off = simulate(m, scenario_paths(m, NONE), 1, _draws(m, 1), {"equity": False})
    assert on.default_quarter[0].tolist() == [1, 0]
    assert off.default_quarter[0].tolist() == [-1, 0]
    assert off.raised[0, 0] == pytest.approx(10.0)


@pytest.fixture(scope="module")
def bundled_baseline():
    import junkan

    ledger = junkan.load("ai-compute")
    return ledger, run_stress(ledger, "baseline", runs=300, seed=7)


@pytest.mark.parametrize("channel", [c for c in CHANNELS if c not in ("clearing", "equity")])
def test_channel_changes_the_bundled_baseline(bundled_baseline, channel):
    # on the bundled data (as of 2026-11-30), each of these channels moves some party's P(default or
    # restructuring) or the focal vendor's revenue at risk at 300 runs, seed 7 (clearing and equity: above)
    ledger, base = bundled_baseline
    off = run_stress(ledger, "baseline", runs=300, seed=7, channels={channel: False})
    moved = any(abs(off.p_default_or_restructuring[p] - base.p_default_or_restructuring[p]) > 0 for p in base.parties)
    rar = off.summary()["focal_revenue_at_risk"]["mean"] != base.summary()["focal_revenue_at_risk"]["mean"]
    assert moved or rar


def test_bundled_run_starts_today_with_spacex(bundled_baseline):
    _, base = bundled_baseline
    s = base.summary()
    assert s["as_of"] == "2026-11-30" and s["horizon"] == "2026Q4..2031Q3"
    assert "xai" not in base.parties and "spacex" in base.parties
    assert set(s["p_default_or_restructuring"]) == set(base.parties)
    assert all(s["p_default_or_restructuring"][p] >= s["p_default"][p] for p in base.parties)


def test_as_of_start_and_bad_date():
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 1.0)])], create_missing_entities=True)
    a = make_assumptions(assumptions_dict({"a": party(cash=1.0), "b": party()}, quarters=2))
    res = run_stress(ledger, runs=2, seed=1, assumptions=a, as_of="2026-05-20")
    assert res.summary()["horizon"] == "2026Q2..2026Q3" and res.as_of == "2026-05-20"
    assert run_stress(ledger, runs=2, seed=1, assumptions=a).summary()["horizon"] == "2026Q1..2026Q2"  # no as-of
    with pytest.raises(JunkanInputError, match="as_of must be a date"):
        run_stress(ledger, runs=1, assumptions=a, as_of="Nov 2026")


def test_draws_unchanged_fields_keep_order():
    # u_regime is drawn last: the earlier fields' draws are those of the same generator before it was added
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 1.0)])], create_missing_entities=True)
    m = build_model(ledger, make_assumptions(assumptions_dict({"a": party(cash=1.0), "b": party()})))
    names = [f.name for f in dataclasses.fields(Draws)]
    assert names[-1] == "u_regime"
    rng = make_rng(0)[1]
    out = simulate(m, scenario_paths(m, NONE), 2, rng)
    assert out.regime_closed.tolist() == [0, 0]


def _spread(entity: str, metric: str, value: float) -> Financial:
    return Financial.model_validate(
        {
            "entity": entity,
            "period": "2025-12-05",
            "period_end": "2025-12-05",
            "metric": metric,
            "value": value,
            "currency": "USD",
            "confidence": "high",
            "sources": SRC,
        }
    )


def test_calibration_rows_by_hand():
    from junkan.stress.ecosystem.calibration import calibration_rows

    ledger = Ledger.build(
        [deal("a-b", "a", "b", [("2026-02-15", 1.0)])],
        financials=[_spread("a", "cds_spread_5y", 0.03), _spread("b", "bond_spread", 0.01)],
        create_missing_entities=True,
    )
    d = assumptions_dict({"a": party(cash=1.0), "b": party()})
    d["ratings"] = {"a": {"rating": "Ba2", **EST}}
    rows = calibration_rows(ledger, make_assumptions(d), {"a": 0.3, "b": 0.0})
    a, b = rows
    # 300bp, R = 0.4: hazard 0.05, market PD 1 - exp(-0.25); Ba: ratio 2, target 1 - exp(-0.125)
    assert a["market_pd"] == pytest.approx(1 - math.exp(-0.25), rel=1e-12)
    assert a["target_pd"] == pytest.approx(1 - math.exp(-0.125), rel=1e-12)
    assert a["gap"] == pytest.approx(0.3 - (1 - math.exp(-0.125)), rel=1e-12)
    assert (a["spread_bp"], a["date"], a["reason"]) == (300.0, "2025-12-05", "")
    assert b["reason"].startswith("control") and b["market_pd"] == pytest.approx(1 - math.exp(-5 * 0.01 / 0.6))


def test_calibrate_closes_the_gap_by_bisection():
    from junkan.stress.ecosystem import calibrate

    # the lab must raise 10 in its only quarter: it defaults when its funding attempt fails, so its PD is about
    # 1 - funding_success; the target (Ba, 300bp) is 0.1175, reached near funding_success 0.88
    ledger = Ledger.build(
        [deal("lab-b", "lab", "b", [("2026-02-15", 0.0)])],
        financials=[_spread("lab", "cds_spread_5y", 0.03)],
        create_missing_entities=True,
    )
    lab = party(fixed_costs=40.0, funding_access=1.0, funding_success=0.5)
    d = assumptions_dict({"lab": lab, "b": party()})
    d["ratings"] = {"lab": {"rating": "Ba2", **EST}}
    (row,) = calibrate(ledger, runs=2000, seed=3, assumptions=make_assumptions(d), iterations=12)
    assert row["model_pd"] == pytest.approx(0.5, abs=0.03)
    cal = row["calibrated"]
    assert cal["parameter"] == "funding_success.lab"
    assert cal["model_pd"] == pytest.approx(row["target_pd"], abs=0.01)
    assert cal["value"] == pytest.approx(1 - row["target_pd"], abs=0.02)


def test_cli_calibration_and_as_of_json(capsys):
    import json

    from junkan.cli import main

    argv = ["stress", "--runs", "20", "--seed", "5", "--format", "json", "--calibration"]
    try:
        main(argv)
    except SystemExit as exc:  # pragma: no cover - main exits only on error
        assert exc.code == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["as_of"] == "2026-11-30" and obj["horizon"] == "2026Q4..2031Q3"
    rows = {r["party"]: r for r in obj["calibration"]}
    assert {"oracle", "coreweave", "meta", "amazon"} <= set(rows)
    assert rows["coreweave"]["spread_bp"] == 643.0 and rows["coreweave"]["date"] == "2025-12-05"
    assert rows["oracle"]["market_pd"] == pytest.approx(1 - math.exp(-5 * 0.0147 / 0.6), rel=1e-12)
    assert rows["meta"]["calibrated"] is None and rows["meta"]["reason"].startswith("control")
    for p in obj["parties"]:
        assert p["p_default_or_restructuring"] >= p["default_probability"]
    with pytest.raises(SystemExit) as ei:
        main(["stress", "--runs", "5", "--as-of", "2027-13-01"])
    assert ei.value.code == 2
    assert "as_of must be a date" in capsys.readouterr().err


def test_terms_of_later_deals_are_fine_as_of_an_earlier_date():
    # the cancellation terms name a deal announced in 2026-06; as of 2026-05-20 the as-of ledger lacks it (no
    # error), while a misspelt id is still caught on the full ledger
    later = deal("a-b-later", "a", "b", [("2026-08-15", 5.0)]).model_copy(update={"date": dt.date(2026, 6, 1)})
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 1.0)]), later], create_missing_entities=True)
    d = assumptions_dict({"a": party(cash=10.0), "b": party()}, quarters=2)
    d["cancellation"] = {"take_or_pay": 0.3, **EST, "deals": {"a-b-later": {"take_or_pay": 0.1, **EST}}}
    res = run_stress(ledger, runs=2, seed=1, assumptions=make_assumptions(d), as_of="2026-05-20")
    assert res.summary()["horizon"] == "2026Q2..2026Q3"
    d["cancellation"]["deals"] = {"a-b-latr": {"take_or_pay": 0.1, **EST}}
    with pytest.raises(JunkanInputError, match="no deal 'a-b-latr'"):
        run_stress(ledger, runs=2, seed=1, assumptions=make_assumptions(d), as_of="2026-05-20")
