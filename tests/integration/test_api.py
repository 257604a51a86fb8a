"""The Python API: each analysis is a function of a ledger in its package, re-exported from ``junkan``."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

import junkan
from junkan.flows import exposure, find_cycles, flow_graph, own_money_share, provenance
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


def test_reexports_are_the_package_functions() -> None:
    from junkan.assess import scorecard
    from junkan.stress import run_stress

    assert junkan.cycles is find_cycles
    assert junkan.trace is own_money_share
    assert junkan.provenance is provenance
    assert junkan.exposure is exposure
    assert junkan.flow_graph is flow_graph
    assert junkan.scorecard is scorecard
    assert junkan.run_stress is run_stress
    # full signatures, not **kwargs
    for name in ("cycles", "trace", "provenance", "exposure", "flow_graph", "scorecard", "run_stress"):
        params = inspect.signature(getattr(junkan, name)).parameters.values()
        assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in params), name
        assert name in dir(junkan) and name in junkan.__all__
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = junkan.nothing  # type: ignore[attr-defined]


def test_ledger_is_data_only() -> None:
    for accessor in ("flow_graph", "cycles", "trace", "provenance", "exposure", "assess", "stress"):
        assert not hasattr(Ledger, accessor), accessor


def test_trace_worked_example(ledger: Ledger) -> None:
    res = junkan.trace(ledger, "v", external={"c": 100.0})
    assert res.returned == pytest.approx(75.0, abs=1e-9)
    assert res.own_money_share == pytest.approx(0.5, abs=1e-12)


def test_cycles_provenance_exposure(ledger: Ledger) -> None:
    cyc = junkan.cycles(ledger, max_len=3)
    assert len(cyc.cycles) == 1
    assert set(cyc.cycles[0].parties) == {"v", "c"}
    assert cyc.cycles[0].bottleneck == pytest.approx(100.0)
    prov = junkan.provenance(ledger, external={"c": 100.0})
    assert prov.to_frame().equals(provenance(ledger, external={"c": 100.0}).to_frame())
    assert len(prov.rows) == 2
    assert junkan.exposure(ledger).summary() == exposure(ledger).summary()
    assert junkan.flow_graph(ledger).summary()["edges"] == 2


def test_scorecard_with_history_scores_the_reference_cases_beside_the_ledger() -> None:
    card = junkan.scorecard(junkan.load("orts-2024"))
    assert {c.dataset for c in card.cases} == {"orts-2024"}
    assert card.case("orts-2024").region == "round trip without real demand"
    with_history = junkan.scorecard(junkan.load("orts-2024"), history=True)
    datasets = [c.dataset for c in with_history.cases]
    assert set(datasets) == {"orts-2024", *junkan.assess.REFERENCE}  # the failures and the negative controls
    assert set(junkan.assess.REFERENCE) == {
        "lucent-2000",
        "nortel-2001",
        "global-crossing-qwest-2001",
        "orts-2024",
        "luckin-2019",
        "boeing-capital-2002",
        "paccar-2009",
    }
    assert datasets[0] == "orts-2024"


def test_run_stress_records_its_seed() -> None:
    res = junkan.run_stress(junkan.load("ai-compute"), "baseline", runs=20, seed=7)
    assert res.seed == 7
