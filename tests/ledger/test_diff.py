"""``diff_ledgers``: records added, removed and changed field by field (deals, entities, financial figures)."""

from __future__ import annotations

import datetime as dt

from _helpers import SRC, deal
from junkan.ledger import Entity, Financial, Ledger
from junkan.ledger.diff import Change, diff_ledgers


def _fin(value: float, period: str = "FY2025") -> Financial:
    return Financial(
        entity="v", period=period, period_end=dt.date(2025, 12, 31), metric="revenue", value=value,
        confidence="high", sources=SRC,
    )  # fmt: skip


def test_diff_reports_every_kind_of_change() -> None:
    ents = [Entity(id="v", name="Vendor"), Entity(id="a", name="Lab")]
    old = Ledger.build(
        [deal("d1", "v", "a", 10e9), deal("d2", "a", "v", 5e9)], ents, [_fin(100e9), _fin(20e9, "Q1")], origin="old"
    )
    new = Ledger.build(
        [deal("d1", "v", "a", 12e9, status="closed"), deal("d3", "a", "v", 1e9)],
        [Entity(id="v", name="Vendor Inc"), Entity(id="a", name="Lab"), Entity(id="b", name="Bank")],
        [_fin(101e9)],
        origin="new",
    )
    res = diff_ledgers(old, new)
    assert res.changes == (
        Change("deal", "d1", "changed", "status", "signed", "closed"),
        Change("deal", "d1", "changed", "amount", 10e9, 12e9),
        Change("deal", "d1", "changed", "committed", 10e9, 12e9),
        Change("deal", "d2", "removed"),
        Change("deal", "d3", "added"),
        Change("entity", "b", "added"),
        Change("entity", "v", "changed", "name", "Vendor", "Vendor Inc"),
        Change("financial", "v/revenue/FY2025", "changed", "value", 100e9, 101e9),
        Change("financial", "v/revenue/Q1", "removed"),
    )
    assert res.counts() == {
        "deal": {"added": 1, "removed": 1, "changed": 1},
        "entity": {"added": 1, "removed": 0, "changed": 1},
        "financial": {"added": 0, "removed": 1, "changed": 1},
    }
    assert diff_ledgers(old, old).changes == ()
