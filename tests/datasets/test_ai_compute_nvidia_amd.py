"""Checks on NVIDIA's and AMD's records in ``ai-compute`` (deals/10-nvidia-amd.yaml, financials/nvidia-amd.yaml).

Hand-calculated values, from the figures printed in the cited sources:

* NVIDIA's receipts by fiscal year are aggregated flows that add up to its reported revenue: FY2024 $23.75B (50% of
  $47.5B Data Center) + $37.17B = $60.92B; FY2025 (midpoints) $54.72B + $75.777B = $130.497B; FY2026 $97.569B +
  $118.331B = $215.9B; Q1 FY2027 Hyperscale $37,869M + ACIE $37,377M + Edge $6,369M = $81,615M (CFO commentary).
* FY2026 hyperscale: $17,599M (Q1) + $33,814M (Q4) + 50% x ($41,096M + $51,215M) = $97,569.5M.
* AMD: 2025 Data Center $16.6B + other $18.0B = $34.6B; 2024 $16.6B / 1.32 = $12.576B + $13.209B = $25.785B.
* AMD's OpenAI warrant: six equal tranches, targets evenly spaced from S0 = $165 to $600, each worth
  S0 x P(max S >= H within 5 years) with sigma 50%, r 3.7%: $17.77B; all at $600: $13.04B.
* NVIDIA's cloud service agreements: $26B at the end of Q3 FY2026, $13.4B more than at the end of Q2 ($12.6B).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics

import pytest

import junkan
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal, DealKind, EntityKind, Status


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return junkan.load("ai-compute")


@pytest.fixture(scope="module")
def deals(ledger: Ledger) -> dict[str, Deal]:
    return {d.id: d for d in ledger.deals}


def _revenue(ledger: Ledger, entity: str, period: str) -> float:
    (fig,) = [f for f in ledger.financials if (f.entity, f.period, f.metric) == (entity, period, "revenue")]
    return fig.value


def _zero_strike_barrier(s0: float, h: float, r: float, sigma: float, t: float) -> float:
    """``s0 * P(max S >= h by t)`` under the share measure (log drift ``r + sigma**2 / 2``): first passage of drifted
    Brownian motion (Shreve, *Stochastic Calculus for Finance II*, 7.2.1)."""
    if h <= s0:
        return s0
    b, m, sd = math.log(h / s0), r + sigma**2 / 2, sigma * math.sqrt(t)
    n = statistics.NormalDist().cdf
    return s0 * (n((-b + m * t) / sd) + math.exp(2 * m * b / sigma**2) * n((-b - m * t) / sd))


@pytest.mark.parametrize(
    ("ids", "period"),
    [
        (("csp-nvda-fy2024", "others-nvda-fy2024"), "FY2024"),
        (("csp-nvda-fy2025", "others-nvda-fy2025"), "FY2025"),
        (("csp-nvda-fy2026", "others-nvda-fy2026"), "FY2026"),
        (("csp-nvda-q1fy2027", "acie-nvda-q1fy2027", "others-nvda-q1fy2027"), "Q1FY2027"),
    ],
)
def test_nvidia_receipts_add_up_to_revenue(
    ledger: Ledger, deals: dict[str, Deal], ids: tuple[str, ...], period: str
) -> None:
    total = sum(deals[i].amount.headline for i in ids)
    assert total == pytest.approx(_revenue(ledger, "nvidia", period), abs=1e6)
    for i in ids:
        d = deals[i]
        assert (d.payee, d.kind, d.status) == ("nvidia", DealKind.hardware_purchase, Status.drawn)
        assert "aggregated" in d.tags
        assert ledger.entities[d.payer].kind is EntityKind.customers
        assert set(d.legs) == set(ids) - {i}


def test_nvidia_fy2026_hyperscale_estimate(deals: dict[str, Deal]) -> None:
    d = deals["csp-nvda-fy2026"]
    assert d.amount.estimate and d.date == dt.date(2026, 1, 25)
    assert d.amount.value == pytest.approx(17_599e6 + 33_814e6 + 0.5 * (41_096e6 + 51_215e6), abs=1e6)
    q1 = deals["csp-nvda-q1fy2027"]
    assert (q1.amount.value, q1.amount.estimate) == (37_869e6, False)
    assert any(s.kind.value == "filing" and "37,869" in (s.quote or "") for s in q1.sources)


def test_amd_receipts_add_up_to_revenue(ledger: Ledger, deals: dict[str, Deal]) -> None:
    dc25, other25 = (deals[i].amount.headline for i in ("amd-dc-customers-fy2025", "amd-other-customers-fy2025"))
    assert dc25 + other25 == pytest.approx(_revenue(ledger, "amd", "FY2025"))
    dc24 = deals["amd-dc-customers-fy2024"].amount.headline
    assert dc24 == pytest.approx(16.6e9 / 1.32, abs=1e6)
    assert dc24 + deals["amd-other-customers-fy2024"].amount.headline == pytest.approx(
        _revenue(ledger, "amd", "FY2024"), abs=1e6
    )


def test_amd_openai_warrant_grant_date_value(deals: dict[str, Deal]) -> None:
    w = deals["amd-openai-warrant-2025"]
    targets = [165 + (600 - 165) * k / 6 for k in range(1, 7)]
    fair = sum(160e6 / 6 * _zero_strike_barrier(165, h, 0.037, 0.5, 5.0) for h in targets)
    assert fair == pytest.approx(17.7713e9, rel=1e-4)
    assert w.amount.value == pytest.approx(fair, abs=0.005e9)
    assert w.amount.low == pytest.approx(160e6 * _zero_strike_barrier(165, 600, 0.037, 0.5, 5.0), abs=0.005e9)
    low, value, high = w.amount.low, w.amount.value, w.amount.high
    assert low is not None and value is not None and high is not None
    assert low < value < 160e6 * 165 < high == 160e6 * 600
    assert (w.amount.committed_value, w.amount.drawn_value, w.amount.estimate) == (0.0, 0.0, True)
    assert any("sec.gov" in s.url and s.kind.value == "filing" for s in w.sources)


def test_nvidia_buy_backs_and_iren(deals: dict[str, Deal]) -> None:
    osprey = deals["nvda-crwv-osprey-2023"]
    assert osprey.date == dt.date(2023, 8, 31)
    assert osprey.schedule is not None
    assert (osprey.schedule.start, osprey.schedule.end) == (dt.date(2023, 9, 1), dt.date(2027, 8, 31))
    cloud, warrant = deals["nvda-iren-cloud-2026"], deals["nvda-iren-warrant-2026"]
    assert (cloud.payer, cloud.payee, cloud.amount.value) == ("nvidia", "iren", 3.4e9)
    assert (warrant.amount.high, warrant.amount.committed_value) == (30e6 * 70, 0.0)
    assert cloud.id in warrant.legs and warrant.id in cloud.legs


def test_nvidia_intel_closed(deals: dict[str, Deal]) -> None:
    intel = deals["nvda-intel-2025"]
    assert [(e.date, e.status) for e in intel.status_history] == [
        (dt.date(2025, 9, 18), Status.signed),
        (dt.date(2025, 12, 26), Status.closed),
    ]
    assert (intel.status, intel.amount.drawn_value) == (Status.closed, 5e9)


def test_cloud_service_agreements(ledger: Ledger) -> None:
    csa = {f.period: f for f in ledger.financials if (f.entity, f.metric) == ("nvidia", "cloud_service_agreements")}
    assert csa["Q3FY2026"].value == 26e9
    assert csa["Q2FY2026"].value == pytest.approx(26e9 - 13.4e9) and csa["Q2FY2026"].estimate
    assert csa["Q1FY2025"].value == 8.8e9 and csa["Q1FY2025"].sources[0].kind.value == "filing"
