"""Checks on the debt slice of ``ai-compute`` (deals/11-debt.yaml, entities/debt.yaml, financials/debt-and-markets.yaml)
and the corrected CoreWeave debt records in deals/03-coreweave.yaml.

Hand-checked values, from the figures printed in the cited sources:

* CoreWeave 10-Q, 30 Jun 2025, Note 10 (sec.gov R41): DDTL 1.0 principal $2,012,500k (31 Dec 2024) and $1,782,500k
  (30 Jun 2025); DDTL 2.0 $3,843,819k and $4,953,967k; OEM financing $1,177,158k and $1,728,388k.
* Oracle's September 2025 notes (8-K summary): $3B + $3B + $4B + $2.5B + $3.5B + $2B = $18B, last due 2065.
* Amazon's November 2025 notes: $2.5B + $2.5B + $1.5B + $3.5B + $3B + $2B = $15B; Nebius's September 2025 converts
  $1.375B + $1.375B = $2.75B; IREN's December 2025 converts $1B + $1B + $0.3B greenshoe = $2.3B.
* CDS spreads are decimals: CoreWeave 368.395bp (6 Oct 2025) -> 642.965bp (5 Dec 2025), i.e. 0.03684 -> 0.0643, a
  rise of 0.0643 / 0.03684 - 1 = 74.5% ("surged 75%"); Oracle ~128bp on 2 Dec 2025 = 0.0128, from ~36bp in June.
* H100 one-year reserved rental: $1.70 (Oct 2025) -> $2.35 (Mar 2026), +38.2% (2.35 / 1.70 - 1 = 0.38235).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import junkan
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal, DealKind, EntityKind, Financial, Status

ROOT = Path(__file__).resolve().parents[2] / "src" / "junkan" / "datasets" / "ai-compute"
DEBT_IDS = re.findall(r"^- id: (\S+)", (ROOT / "deals" / "11-debt.yaml").read_text(encoding="utf-8"), re.M)
CREDIT = {DealKind.loan, DealKind.credit_facility, DealKind.gpu_backed_debt}


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return junkan.load("ai-compute")


@pytest.fixture(scope="module")
def deals(ledger: Ledger) -> dict[str, Deal]:
    return {d.id: d for d in ledger.deals}


def _fig(ledger: Ledger, entity: str, period: str, metric: str) -> Financial:
    (fig,) = [f for f in ledger.financials if (f.entity, f.period, f.metric) == (entity, period, metric)]
    return fig


def test_coreweave_ddtls_carry_the_10q_outstanding_principal(deals: dict[str, Deal]) -> None:
    d1, d2 = deals["crwv-ddtl1-2023"], deals["crwv-ddtl2-2024"]
    assert d1.status is Status.drawn and d1.amount.drawn == 1_782_500_000
    assert [(e.date, e.drawn) for e in d1.status_history if e.drawn is not None] == [
        (dt.date(2024, 12, 31), 2_012_500_000),
        (dt.date(2025, 6, 30), 1_782_500_000),
    ]
    assert d2.amount.drawn == 4_953_967_000 and d2.amount.committed == 7_600_000_000
    assert [e.drawn for e in d2.status_history if e.drawn is not None] == [3_843_819_000, 4_953_967_000]
    assert d1.schedule is not None and d1.schedule.end == dt.date(2028, 3, 31)
    assert d2.schedule is not None and d2.schedule.end == dt.date(2029, 5, 31)
    gpus = deals["crwv-nvda-gpus-2023"]
    assert gpus.amount.drawn == 2_012_500_000 and gpus.amount.drawn <= gpus.amount.committed_value


def test_debt_records_run_from_lenders_to_borrowers(ledger: Ledger, deals: dict[str, Deal]) -> None:
    assert len(DEBT_IDS) >= 25
    kinds = {e.id: e.kind for e in ledger.entities.values()}
    for i in DEBT_IDS:
        d = deals[i]
        if d.kind is DealKind.equity_investment:  # Oracle's 2026 equity leg, the other half of its financing plan
            assert i == "oracle-equity-2026"
            continue
        assert d.kind in CREDIT, i
        assert kinds[d.payer] in (EntityKind.lender, EntityKind.investor), (i, d.payer)
        assert d.amount.headline >= 1e9, i


def test_maturity_ladders_add_up(deals: dict[str, Deal]) -> None:
    expected = {
        "oracle-notes-2025": 18e9,
        "amzn-notes-2025": 15e9,
        "nebius-converts-2025b": 2.75e9,
        "iren-converts-2025": 2.3e9,
        "nebius-converts-2025a": 1e9,
    }
    for i, total in expected.items():
        sch = deals[i].schedule
        assert sch is not None and sch.tranches, i
        assert sum(t.amount for t in sch.tranches) == pytest.approx(total), i
        assert max(t.date for t in sch.tranches if t.date) <= sch.end, i  # type: ignore[operator]
    assert deals["oracle-notes-2025"].schedule.end.year == 2065  # type: ignore[union-attr]


def test_status_histories_of_the_new_debt(deals: dict[str, Deal]) -> None:
    conv = deals["crwv-converts-2031-2025"]
    assert [e.status for e in conv.status_history] == [Status.announced, Status.signed, Status.drawn]
    assert [e.value for e in conv.status_history[:2]] == [2e9, 2.25e9]
    assert deals["oracle-notes-2026"].status is Status.drawn
    assert deals["oracle-notes-2026"].status_history[0].value == 22.5e9  # half of the $45B low end of the plan
    assert deals["softbank-bridge-2026"].status is Status.signed
    vantage = deals["vantage-frontier-loan-2025"].amount.headline + deals["vantage-wisconsin-loan-2025"].amount.headline
    assert vantage == pytest.approx(38e9)  # $23.25B + $14.75B = the reported ~$38B package


def test_cds_and_bond_spreads_are_decimals(ledger: Ledger) -> None:
    early = _fig(ledger, "coreweave", "2025-10-06", "cds_spread_5y").value
    late = _fig(ledger, "coreweave", "2025-12-05", "cds_spread_5y").value
    assert (early, late) == (0.03684, 0.0643)
    assert late / early - 1 == pytest.approx(0.7454, abs=1e-4)
    assert _fig(ledger, "oracle", "2025-12-02", "cds_spread_5y").value == 0.0128
    for f in ledger.financials:
        if f.metric in ("cds_spread_5y", "bond_spread"):
            assert 0 < f.value < 0.2, (f.entity, f.period)  # a basis-point figure entered undivided would fail
    oracle = sorted(
        (f for f in ledger.financials if f.entity == "oracle" and f.metric == "cds_spread_5y"),
        key=lambda f: f.period_end,
    )
    assert [f.value for f in oracle] == [0.0036, 0.0125, 0.0128, 0.0139, 0.0147]


def test_gpu_rental_series(ledger: Ledger) -> None:
    series = sorted(
        (f for f in ledger.financials if f.entity == "gpu-rental-market" and f.metric == "gpu_rental_price"),
        key=lambda f: (f.period_end, f.period),
    )
    assert len(series) >= 6
    assert all(("H100" in (f.notes or "")) or ("B200" in (f.notes or "")) for f in series)  # the GPU model is named
    trough, rebound = (
        _fig(ledger, "gpu-rental-market", "2025-10", "gpu_rental_price"),
        _fig(ledger, "gpu-rental-market", "2026-03", "gpu_rental_price"),
    )
    assert rebound.value / trough.value - 1 == pytest.approx(0.38235, abs=1e-5)


def test_backlog_shares_name_the_customer(ledger: Ledger) -> None:
    orcl = _fig(ledger, "oracle", "2025-09", "backlog_share")
    crwv = _fig(ledger, "coreweave", "2025-09", "backlog_share")
    assert (orcl.counterparty, orcl.value, crwv.counterparty, crwv.value) == ("openai", 0.667, "openai", 0.4)
    assert orcl.estimate and crwv.estimate
    rpo = [_fig(ledger, "oracle", p, "backlog").value for p in ("Q1FY2026", "Q2FY2026", "Q3FY2026", "FY2026")]
    assert rpo == [455e9, 523e9, 553e9, 638e9]
    assert _fig(ledger, "oracle", "Q2FY2026", "lease_commitments").value == 248e9
