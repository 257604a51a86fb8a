"""The Ledger accessors (DESIGN's Python API) return the same results as the analysis functions."""

from __future__ import annotations

from datetime import date

import pytest

from junkan.flows import exposure, find_cycles, own_money_share, provenance
from junkan.ledger import Amount, Deal, Ledger, Source


def _deal(did: str, payer: str, payee: str, amount: float, kind: str, when: date, legs: list[str]) -> Deal:
    return Deal(
        id=did,
        date=when,
        kind=kind,  # type: ignore[arg-type]
        payer=payer,
        payee=payee,
        amount=Amount(value=amount),
        status="signed",  # type: ignore[arg-type]
        confidence="high",  # type: ignore[arg-type]
        sources=[Source(url="https://example.org/deal")],
        legs=legs,
    )


@pytest.fixture
def ledger() -> Ledger:
    """The issue's worked example: V invests 100 in C; C also has 100 from outside; C buys 150 from V."""
    return Ledger.build(
        [
            _deal("v-invests", "v", "c", 100, "equity_investment", date(2025, 1, 1), ["c-buys"]),
            _deal("c-buys", "c", "v", 150, "hardware_purchase", date(2025, 2, 1), []),
        ],
        create_missing_entities=True,
    )


def test_trace_accessor_matches_function(ledger: Ledger) -> None:
    via_ledger = ledger.trace("v", external={"c": 100.0})
    direct = own_money_share(ledger, "v", external={"c": 100.0})
    assert via_ledger.returned == pytest.approx(75.0, abs=1e-9)
    assert via_ledger.own_money_share == pytest.approx(0.5, abs=1e-12)
    assert via_ledger.summary() == direct.summary()


def test_cycles_provenance_exposure_accessors(ledger: Ledger) -> None:
    cyc = ledger.cycles(max_len=3)
    assert [c.parties for c in cyc.cycles] == [c.parties for c in find_cycles(ledger, max_len=3).cycles]
    assert cyc.cycles[0].bottleneck == pytest.approx(100.0)
    assert ledger.provenance().to_frame().equals(provenance(ledger).to_frame())
    assert ledger.exposure().summary() == exposure(ledger).summary()
    assert ledger.flow_graph().summary()["edges"] == 2


def test_assess_accessor_scores_history_beside_the_ledger() -> None:
    import junkan

    card = junkan.load("orts-2024").assess(history=False)
    orts = card.case("orts-2024")
    assert orts.region == "round trip without real demand"
    with_history = junkan.load("orts-2024").assess()
    datasets = {c.dataset for c in with_history.cases}
    assert datasets == {"orts-2024", "lucent-2000", "nortel-2001", "global-crossing-qwest-2001"}


def test_stress_accessor_is_run_stress() -> None:
    import junkan
    from junkan.stress import run_stress

    ledger = junkan.load("ai-compute")
    a = ledger.stress("baseline", runs=20, seed=7)
    b = run_stress(ledger, "baseline", runs=20, seed=7)
    assert a.seed == 7
    assert a.summary() == b.summary()
