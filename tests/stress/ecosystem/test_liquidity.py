"""Revolvers and commercial paper (assumptions ``liquidity``) and the clearing rescue's capex deferral, by hand.

Set-up: A owes B 100 in 2026Q1 (a service fee: not cancellable compute). A has cash 20 and end revenue 40/4 = 10
with costs 0.5 * 10 = 5, no GPUs, no funding; B has fixed costs 40/4 = 10. A is short 100 + 5 - (20 + 10) = 75.

* A revolver of 80 that can be drawn this quarter cures it: A draws 75 (5 stay undrawn), pays B in full and ends
  with cash 20 + 10 + 75 - 100 - 5 = 0; B ends with 100 - 10 = 90.
* A revolver of 50 does not: A draws 50, is still short 25 and defaults.
* A revolver is available in quarters that start before its maturity: maturing 2026-01-01, it is gone in 2026Q1
  (which starts that day) and A defaults; maturing 2026-01-02 it is there.
* A commercial-paper programme of 80 cures the shortfall while the funding regime is open, and not when a
  scenario holds it closed (CP needs an open market: Kacperczyk & Schnabl 2010, JEP 24(1)).
* A ledger delayed-draw loan of 80 cures it while its availability lasts, and not in a quarter that starts after its
  commitment expired (a status event restating ``committed`` to what was drawn, e.g. Amazon's 2026 DDTL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from junkan.errors import JunkanInputError
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal
from junkan.random import make_rng
from junkan.stress.ecosystem.model import (
    build_model,
    commitment_expiry,
    credit_availability,
    draw_lines,
    scenario_paths,
    simulate,
)
from junkan.stress.ecosystem.scenarios import Scenario

from .helpers import SRC as SRC_DEAL
from .helpers import assumptions_dict, deal, make_assumptions, party

SRC = {"source": "https://example.org/10-q", "confidence": "high"}


def _ledger() -> Ledger:
    return Ledger.build(
        [deal("a-b", "a", "b", [("2026-02-15", 100.0)], kind="service_fee")], create_missing_entities=True
    )


def _line(kind: str, amount: float, maturity: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": kind, "amount": {"value": amount, **SRC}}
    if maturity is not None:
        out["maturity"] = maturity
    return out


def _run(lines: list[dict[str, Any]], scenario: Scenario | None = None):
    d = assumptions_dict(
        {"a": party(cash=20.0, revenue=40.0, cost_ratio=0.5), "b": party(fixed_costs=40.0)}, quarters=1
    )
    d["parties"]["a"]["liquidity"] = lines
    m = build_model(_ledger(), make_assumptions(d))
    paths = scenario_paths(m, scenario or Scenario(name="none"))
    return m, simulate(m, paths, 2, make_rng(0)[1])


CLOSED = Scenario.model_validate(
    {"name": "closed", "shocks": [{"type": "funding_regime", "state": "closed", "start": "2026Q1"}]}
)
OPEN = Scenario.model_validate(
    {"name": "open", "shocks": [{"type": "funding_regime", "state": "open", "start": "2026Q1"}]}
)


def test_no_line_defaults():
    _, out = _run([])
    assert (out.default_quarter[:, 0] == 0).all()


def test_revolver_draw_cures_the_shortfall():
    _, out = _run([_line("revolver", 80.0, "2027-06-30")])
    assert (out.default_quarter == -1).all()
    np.testing.assert_allclose(out.cash[:, 0], 0.0, atol=1e-9)
    np.testing.assert_allclose(out.cash[:, 1], 90.0, rtol=1e-12)


def test_a_revolver_too_small_does_not():
    _, out = _run([_line("revolver", 50.0, "2027-06-30")])
    assert (out.default_quarter[:, 0] == 0).all()


@pytest.mark.parametrize(("maturity", "end", "defaults"), [("2026-01-01", 0, True), ("2026-01-02", 1, False)])
def test_a_revolver_past_its_maturity_is_not_available(maturity, end, defaults):
    m, out = _run([_line("revolver", 80.0, maturity)])
    assert m.line_end.tolist() == [end]
    assert (out.default_quarter[:, 0] == (0 if defaults else -1)).all()


def test_commercial_paper_needs_an_open_market():
    m, out = _run([_line("commercial_paper", 80.0)], OPEN)
    assert m.line_market.tolist() == [True] and m.line_end.tolist() == [1]  # a programme has no maturity
    assert (out.default_quarter == -1).all()
    _, out = _run([_line("commercial_paper", 80.0)], CLOSED)
    assert (out.default_quarter[:, 0] == 0).all()
    # the same closed quarter with a committed revolver: the backup line is still there
    _, out = _run([_line("commercial_paper", 80.0), _line("revolver", 80.0, "2027-06-30")], CLOSED)
    assert (out.default_quarter == -1).all()


def test_lines_are_drawn_in_order():
    need = np.array([[30.0, 5.0]])
    left = np.array([[10.0, 50.0, 7.0]])
    on = np.array([[True, True, False]])
    drawn = draw_lines(need, left, on, np.array([0, 0, 1]))
    # party 0 takes 10 from its first line and 20 from its second; party 1's line is off this quarter
    assert drawn.tolist() == [[30.0, 0.0]]
    assert left.tolist() == [[0.0, 30.0, 7.0]]


def test_a_revolver_needs_a_maturity():
    d = assumptions_dict({"a": party(cash=1.0)})
    d["parties"]["a"]["liquidity"] = [_line("revolver", 10.0)]
    with pytest.raises(JunkanInputError, match="maturity"):
        make_assumptions(d)


def test_clearing_rescue_defers_capex():
    """C owes V 100 this quarter (a service fee) and has cash 90 and nothing else: C defaults and Rogers-Veraart
    pays V alpha * 90 = 45. V has cash 30 and capex of 480/4 = 120 paid outside, half of it deferrable; its
    waterfall ran on the 100 due (30 + 100 >= 120: nothing deferred). In clearing V is short 120 - 30 - 45 = 45,
    within its still-deferrable 60: it defers 45 and survives with cash 30 + 45 - (120 - 45) = 0. Before issue 11
    the rescue used only lines and the rest of a funding round, and V defaulted."""
    ledger = Ledger.build(
        [deal("c-v", "c", "v", [("2026-02-15", 100.0)], kind="service_fee")], create_missing_entities=True
    )
    d = assumptions_dict(
        {"c": party(cash=90.0), "v": party(cash=30.0, capex=480.0, capex_flex=0.5)},
        quarters=1,
    )
    m = build_model(ledger, make_assumptions(d))
    out = simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1])
    assert out.default_quarter.tolist() == [[0, -1], [0, -1]]
    np.testing.assert_allclose(out.capex_deferred[:, 1], 45.0, rtol=1e-12)
    np.testing.assert_allclose(out.cash[:, 1], 0.0, atol=1e-9)
    # with no deferrable capex the rescue has nothing to use: V defaults with C
    d["parties"]["v"]["capex_flex"]["value"] = 0.0
    m = build_model(ledger, make_assumptions(d))
    out = simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1])
    assert out.default_quarter.tolist() == [[0, 0], [0, 0]]


def _credit(kind: str, end: str) -> Deal:
    return Deal.model_validate(
        {
            "id": "bank-a",
            "date": "2025-06-01",
            "kind": kind,
            "payer": "bank",
            "payee": "a",
            "amount": {"value": 80.0, "committed": 80.0},
            "status": "signed",
            "confidence": "high",
            "sources": SRC_DEAL,
            "schedule": {"end": end},
        }
    )


@pytest.mark.parametrize(
    ("kind", "end", "defaults"),
    [
        ("credit_facility", "2026-01-01", True),  # a ledger revolver that ended when 2026Q1 began
        ("credit_facility", "2026-03-31", False),
        ("loan", "2026-01-01", False),  # a term loan's end is its repayment date, not the end of its availability
    ],
)
def test_a_ledger_revolver_past_its_end_date_is_not_available(kind, end, defaults):
    """The same shortfall of 75, with an undrawn ledger credit deal of 80 instead of an assumptions line."""
    ledger = Ledger.build(
        [deal("a-b", "a", "b", [("2026-02-15", 100.0)], kind="service_fee"), _credit(kind, end)],
        create_missing_entities=True,
    )
    d = assumptions_dict(
        {"a": party(cash=20.0, revenue=40.0, cost_ratio=0.5), "b": party(fixed_costs=40.0)}, quarters=1
    )
    m = build_model(ledger, make_assumptions(d))
    out = simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1])
    assert m.credit_end.tolist() == [0 if defaults else 1]
    assert (out.default_quarter[:, 0] == (0 if defaults else -1)).all()


def _delayed_draw(expiry: str | None, drawn_at_expiry: float = 0.0) -> Deal:
    """An undrawn delayed-draw term loan of 80 to ``a`` (signed 2025-06-01, repayable 2030), whose availability
    period ends on ``expiry``: the ledger records it as a status event restating ``committed`` to what was drawn."""
    history: list[dict[str, Any]] = [{"date": "2025-06-01", "status": "signed", "sources": SRC_DEAL}]
    if expiry is not None:
        history.append({"date": expiry, "status": "signed", "committed": drawn_at_expiry, "sources": SRC_DEAL})
    return Deal.model_validate(
        {
            "id": "ddtl-a",
            "date": "2025-06-01",
            "kind": "loan",
            "payer": "bank",
            "payee": "a",
            "amount": {"value": 80.0, "committed": 80.0},
            "status_history": history,
            "confidence": "high",
            "sources": SRC_DEAL,
            "schedule": {"end": "2030-06-30"},
        }
    )


def _run_with_credit(credit: Deal, as_of: str | None = None):
    ledger = Ledger.build(
        [deal("a-b", "a", "b", [("2026-02-15", 100.0)], kind="service_fee"), credit], create_missing_entities=True
    )
    if as_of is not None:
        ledger = ledger.as_of(dt.date.fromisoformat(as_of))
    d = assumptions_dict(
        {"a": party(cash=20.0, revenue=40.0, cost_ratio=0.5), "b": party(fixed_costs=40.0)}, quarters=1
    )
    m = build_model(ledger, make_assumptions(d))
    return m, simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1])


@pytest.mark.parametrize(
    ("expiry", "as_of", "available"),
    [
        (None, None, True),  # still available: the shortfall of 75 is drawn from the 80
        ("2026-01-01", None, False),  # availability ended when 2026Q1 began: not drawable
        ("2025-12-31", "2026-03-01", False),  # the same, in the ledger as known in 2026Q1 (its committed is 0)
        ("2026-02-15", None, True),  # ends during 2026Q1: drawable in that quarter
        ("2026-02-15", "2026-01-10", True),  # as known before the expiry was recorded: drawable
    ],
)
def test_a_delayed_draw_commitment_is_drawable_only_until_its_availability_ends(expiry, as_of, available):
    """Same shortfall of 75; the line is the ledger's undrawn delayed-draw loan of 80. Drawable, A draws 75, pays B
    100 and ends with 20 + 10 + 75 - 100 - 5 = 0, B with 100 - 10 = 90; not drawable, A defaults in 2026Q1."""
    m, out = _run_with_credit(_delayed_draw(expiry), as_of)
    assert m.credit_undrawn.tolist() == [80.0]
    assert m.credit_end.tolist() == [1 if available else 0]
    if available:
        assert (out.default_quarter == -1).all()
        np.testing.assert_allclose(out.cash[:, 0], 0.0, atol=1e-9)
        np.testing.assert_allclose(out.cash[:, 1], 90.0, rtol=1e-12)
    else:
        assert (out.default_quarter[:, 0] == 0).all()


def test_commitment_expiry_reads_the_status_history():
    """The expiry is the event after which nothing is left undrawn; a partial cut of the commitment is not one, and a
    commitment restated to what was drawn (30 of 80) is."""
    assert commitment_expiry(_delayed_draw(None)) is None
    assert commitment_expiry(_delayed_draw("2026-02-15")) == dt.date(2026, 2, 15)
    cut = _delayed_draw("2026-02-15", drawn_at_expiry=50.0)
    assert commitment_expiry(cut) is None
    assert credit_availability(cut, "2026Q1", 4) == (50.0, 4)
    drawn = Deal.model_validate(
        _delayed_draw(None).model_dump(mode="json", exclude={"status"})
        | {
            "status_history": [
                {"date": "2025-06-01", "status": "signed", "sources": SRC_DEAL},
                {"date": "2025-09-01", "status": "signed", "drawn": 30.0, "sources": SRC_DEAL},
                {"date": "2026-05-10", "status": "signed", "committed": 30.0, "sources": SRC_DEAL},
            ]
        }
    )
    assert commitment_expiry(drawn) == dt.date(2026, 5, 10)
    # start 2026Q1: 50 undrawn until the expiry, drawable in 2026Q1 and Q2 (which starts before 10 May)
    assert credit_availability(drawn, "2026Q1", 4) == (50.0, 2)
    assert credit_availability(drawn, "2026Q3", 4) == (50.0, 0)
