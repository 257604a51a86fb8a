"""Investor shares: returned money against revenue and segment revenue by fiscal year, warrants, backlog."""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import SRC, deal, fin, ledger
from junkan.flows.investor import investor_view
from junkan.ledger import Financial


def web():
    """V invests 100 in C and grants it a 20 warrant tied to C's 150 purchase (all in FY2025); an FY2024 sale."""
    return ledger(
        deal("inv", "v", "c", 100, "2025-03-01", "equity_investment"),
        deal("war", "v", "c", 20, "2025-03-01", "warrant_grant", legs=["buy"]),
        deal("buy", "c", "v", 150, "2025-04-01", "purchase_commitment"),
        deal("old", "d", "v", 40, "2024-06-01"),
        financials=[
            fin("v", "revenue", 300),
            fin("v", "segment_revenue", 200),
            fin("v", "revenue", 250, period="FY2024", end="2024-12-31"),
            fin("v", "backlog", 500),
            Financial(
                entity="v",
                period="FY2025",
                period_end=dt.date(2025, 12, 31),
                metric="backlog_share",
                value=0.4,
                counterparty="c",
                confidence="high",
                sources=SRC,
            ),
        ],
    )


def test_shares_by_fiscal_year():
    # FY2025: C receives 100 + 20 from V and pays 150 (30 unfunded); all of V's 120 comes back:
    # 120 / 300 of revenue, 120 / 200 of the segment. FY2024: D's sale, nothing returns.
    r = investor_view(web(), "v")
    by = {y.period: y for y in r.years}
    assert set(by) == {"FY2024", "FY2025"}
    y = by["FY2025"]
    assert (y.receipts, y.returned, y.unfunded) == (pytest.approx(150), pytest.approx(120), pytest.approx(30))
    assert y.share_of_revenue == pytest.approx(0.4)
    assert y.share_of_segment == pytest.approx(0.6)
    assert (by["FY2024"].returned, by["FY2024"].share_of_revenue, by["FY2024"].share_of_segment) == (0, 0, None)
    assert by["FY2024"].receipts == pytest.approx(40)


def test_warrant_view_backlog_and_customers():
    r = investor_view(web(), "v")
    (w,) = r.warrants
    # ASC 606: the warrant is consideration payable to the customer: 20 of its 150 purchase, 130 net revenue
    assert (w.deal_id, w.customer, w.linked_deals) == ("war", "c", ("buy",))
    assert w.warrant_share == pytest.approx(20 / 150)
    assert w.net_revenue == pytest.approx(130)
    assert (r.backlog, r.backlog_period) == (500, "FY2025")
    by = {c.customer: c for c in r.customers}
    assert by["c"].financing == pytest.approx(120)
    assert by["c"].purchases == pytest.approx(150)
    assert by["c"].financing_per_purchase == pytest.approx(0.8)
    assert by["c"].backlog_share_reported == pytest.approx(0.4)
    assert by["c"].backlog_share_implied == pytest.approx(0.3)
    assert by["d"].backlog_share_reported is None
    doc = r.to_dict()
    assert doc["warrants"][0]["net_revenue"] == pytest.approx(130)
    assert doc["years"][0]["period"] == "FY2024"
