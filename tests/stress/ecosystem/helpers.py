"""Small hand-made ledgers and assumptions for the ecosystem model tests."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal
from junkan.stress.ecosystem._yamlio import read_model
from junkan.stress.ecosystem.assumptions import Assumptions

SRC = [{"url": "https://example.org/deal", "kind": "press_release"}]


def deal(
    did: str,
    payer: str,
    payee: str,
    tranches: list[tuple[str, float]],
    kind: str = "purchase_commitment",
    status: str = "signed",
) -> Deal:
    """A deal paying ``tranches`` [(date, amount)] from payer to payee."""
    total = sum(a for _, a in tranches)
    return Deal.model_validate(
        {
            "id": did,
            "date": "2025-06-01",
            "kind": kind,
            "payer": payer,
            "payee": payee,
            "amount": {"value": total},
            "status": status,
            "confidence": "high",
            "sources": SRC,
            "schedule": {"tranches": [{"date": d, "amount": a} for d, a in tranches]},
        }
    )


def est(v: float) -> dict[str, Any]:
    return {"value": v, "estimate": True, "basis": "test figure"}


def party(**kw: float) -> dict[str, Any]:
    base = {"cash": 0.0, "revenue": 0.0, "cost_ratio": 0.0, "valuation": 100.0}
    base.update(kw)
    out: dict[str, Any] = {k: est(v) for k, v in base.items()}
    out["growth"] = {"mean": 0.0, "sd": 0.0, "estimate": True, "basis": "test"}
    return out


def assumptions_dict(parties: dict[str, dict[str, Any]], quarters: int = 1, **gpu: float) -> dict[str, Any]:
    g = {"volatility": 0.0, "impact": 1.0, "market_depth": 396.0, "depreciation_years": 25.0} | gpu
    return {
        "dataset": "memory",
        "start": "2026Q1",
        "quarters": quarters,
        "default_tenor_years": est(5),
        "equity_tenor_years": est(1),
        "demand_correlation": est(0.0),
        "recovery": {"alpha": 0.5, "beta": 0.8, "estimate": True, "basis": "test"},
        "sentiment": {"sensitivity": 0.0, "estimate": True, "basis": "test"},
        "gpu": {
            "drift": {"mean": 0.0, "sd": 0.0, "estimate": True, "basis": "test"},
            **{k: est(v) for k, v in g.items()},
        },
        "realisation": {
            s: {"low": 1.0, "high": 1.0, "estimate": True, "basis": "test"}
            for s in (
                "rumoured",
                "announced",
                "signed",
                "closed",
                "drawn",
                "on_hold",
                "cancelled",
                "lapsed",
                "superseded",
            )
        },
        "parties": parties,
    }


def make_assumptions(d: dict[str, Any]) -> Assumptions:
    return read_model(yaml.safe_dump(d, sort_keys=False), "test-assumptions.yaml", Assumptions)


@pytest.fixture
def two_party() -> tuple[Ledger, Assumptions]:
    """A owes B 100 in 2026Q1; A has 20 cash, 40 a year of revenue (cost ratio 0.5), GPUs worth 40; B has fixed
    costs of 40 a year and nothing else."""
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 100.0)])], create_missing_entities=True)
    a = make_assumptions(
        assumptions_dict(
            {
                "a": party(cash=20.0, revenue=40.0, cost_ratio=0.5, gpu_fleet=40.0),
                "b": party(fixed_costs=40.0),
            }
        )
    )
    return ledger, a


def chain_ledger() -> Ledger:
    """Three parties: lab -> cloud (compute), cloud -> chips (GPUs), over eight quarters."""
    q = [f"{y}-{m:02d}-15" for y in (2026, 2027) for m in (2, 5, 8, 11)]
    return Ledger.build(
        [
            deal("lab-cloud", "lab", "cloud", [(d, 30.0) for d in q]),
            deal("cloud-chips", "cloud", "chips", [(d, 20.0) for d in q]),
            deal("chips-lab", "chips", "lab", [("2026-03-01", 10.0)], kind="equity_investment", status="announced"),
        ],
        create_missing_entities=True,
    )


def chain_assumptions(quarters: int = 8, **over: Any) -> Assumptions:
    parties = {
        "lab": party(
            cash=40.0, revenue=40.0, cost_ratio=0.3, valuation=500.0, funding_access=0.05, funding_success=0.7
        ),
        "cloud": party(
            cash=20.0,
            revenue=20.0,
            cost_ratio=0.3,
            gpu_fleet=100.0,
            debt=60.0,
            gpu_debt=50.0,
            ltv_max=0.8,
            rate=0.1,
            maturity_years=4.0,
            refinance=0.8,
            valuation=80.0,
            funding_access=0.05,
            funding_success=0.8,
            rental_exposure=1.0,
        ),
        "chips": party(cash=50.0, revenue=100.0, cost_ratio=0.6, valuation=1000.0),
    }
    d = assumptions_dict(parties, quarters=quarters, market_depth=500.0, volatility=0.3)
    d["parties"]["lab"]["growth"] = {"mean": 0.3, "sd": 0.3, "estimate": True, "basis": "test"}
    d["gpu"]["drift"] = {"mean": -0.1, "sd": 0.1, "estimate": True, "basis": "test"}
    d.update(over)
    return make_assumptions(d)
