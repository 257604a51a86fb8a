"""Schema rules: money parsing, amounts (headline / committed / drawn), ranges, deals, financials, FX rates."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from pydantic import ValidationError

from junkan.ledger.schema import (
    DEAL_KINDS,
    Amount,
    DatasetInfo,
    Deal,
    DealKind,
    Financial,
    FlowNature,
    FxRate,
    Schedule,
    Source,
    SourceKind,
    Tranche,
    metric_unit,
    parse_money,
)

SRC = [{"url": "https://example.com/x"}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100B", 1e11),
        ("$1.3bn", 1_300_000_000.0),
        ("750M", 750_000_000.0),
        ("12,500", 12_500.0),
        ("12k", 12_000.0),
        ("2 trillion", 2e12),
        ("1.37T", 1_370_000_000_000.0),
        ("0.067B", 67_000_000.0),  # 0.067 * 1e9 would give 67000000.00000001; the decimal scaling is exact
        ("0.017T", 17_000_000_000.0),
        ("100e9", 1e11),
        ("-3.5M", -3_500_000.0),
        (42, 42.0),
        (2.5e9, 2.5e9),
    ],
)
def test_parse_money(text: object, expected: float) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("bad", ["100X", "abc", "", "1.2.3B", True, None, [1], float("nan"), float("inf"), "1e400"])
def test_parse_money_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_money(bad)


def test_amount_headline_committed_drawn_defaults() -> None:
    a = Amount(value="10B")
    assert (a.headline, a.committed_value, a.drawn_value) == (1e10, 1e10, 0.0)
    b = Amount(high="100B", up_to=True, committed=0, drawn=0)
    assert (b.headline, b.committed_value, b.drawn_value, b.up_to) == (1e11, 0.0, 0.0, True)
    c = Amount(low="5B", high="8B")
    assert c.headline == 6.5e9  # midpoint of the range
    assert Amount(low="5B").headline == 5e9
    d = Amount(value="2.3B", committed="2.3B", drawn="1.1B")
    assert (d.committed_value, d.drawn_value) == (2.3e9, 1.1e9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low": "5B", "high": "1B"}, "low (5e+09) is greater than high (1e+09)"),
        ({"value": "9B", "high": "8B"}, "value (9e+09) is above high (8e+09)"),
        ({"value": "1B", "low": "2B"}, "value (1e+09) is below low (2e+09)"),
        ({"value": "1B", "committed": "1B", "drawn": "2B"}, "drawn (2e+09) exceeds committed (1e+09)"),
        ({"value": -1}, "amount must not be negative"),
        ({"value": float("nan")}, "amount must be a finite number"),
        ({}, "amount needs a value, or a low/high range"),
        ({"value": 1, "currency": "XXX"}, "unknown currency 'XXX'"),
        ({"value": 1, "colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_amount_rejects(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        Amount(**kwargs)  # type: ignore[arg-type]


def _deal(**over: object) -> Deal:
    base: dict[str, object] = {
        "id": "a-b-2025",
        "date": "2025-01-02",
        "kind": "loan",
        "payer": "a",
        "payee": "b",
        "amount": {"value": "1B"},
        "status": "signed",
        "confidence": "high",
        "sources": SRC,
    }
    base.update(over)
    return Deal.model_validate(base)


def test_deal_valid_and_derived() -> None:
    d = _deal(sources=[{"url": "https://example.com/10q", "kind": "filing"}, {"url": "https://example.com/n"}])
    assert d.date == dt.date(2025, 1, 2)
    assert d.kind is DealKind.loan and d.nature is FlowNature.credit
    assert d.has_primary_source
    assert not _deal().has_primary_source


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"payee": "a"}, "payer and payee are the same party"),
        ({"end_date": "2024-01-01"}, "end_date (2024-01-01) is before the deal's date"),
        ({"legs": ["a-b-2025"]}, "cannot list itself among its legs"),
        ({"sources": []}, "at least 1 item"),
        ({"date": "2025-02-30"}, "day value is outside expected range"),
        ({"id": "Not A Slug"}, "String should match pattern"),
        ({"kind": "gift"}, "Input should be"),
        ({"sources": [{"url": "ftp://example.com"}]}, "String should match pattern"),
    ],
)
def test_deal_rejects(over: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _deal(**over)


def test_every_kind_documented() -> None:
    assert set(DEAL_KINDS) == set(DealKind)
    assert DEAL_KINDS[DealKind.warrant_grant].nature is FlowNature.equity
    assert DEAL_KINDS[DealKind.loan_guarantee].nature is FlowNature.contingent


def test_schedule_rules() -> None:
    s = Schedule(unit="GW", unit_amount="10B", units=10, capacity_gw=10)
    assert (s.unit_amount, s.units) == (1e10, 10.0)
    with pytest.raises(ValidationError, match="per-unit schedules need both"):
        Schedule(unit_amount="10B")
    with pytest.raises(ValidationError, match="starts"):
        Schedule(start="2026-01-01", end="2025-01-01")
    with pytest.raises(ValidationError, match="capacity_gw must be a finite, non-negative number"):
        Schedule(capacity_gw=math.inf)
    with pytest.raises(ValidationError, match="amount must not be negative"):
        Tranche(amount="-1B")


def test_financial_units() -> None:
    f = Financial(
        entity="x",
        period="FY2025",
        period_end="2025-01-26",
        metric="revenue",
        value="130.5B",
        confidence="high",
        sources=SRC,
    )
    assert f.value == 130_500_000_000.0
    assert metric_unit("utilisation") == "ratio" and metric_unit("users") == "count"
    with pytest.raises(ValidationError, match="must lie between 0 and 1"):
        Financial(
            entity="x",
            period="p",
            period_end="2025-01-01",
            metric="utilisation",
            value=1.5,
            confidence="low",
            sources=SRC,
        )
    with pytest.raises(ValidationError, match="unknown metric 'turnover'"):
        Financial(
            entity="x", period="p", period_end="2025-01-01", metric="turnover", value=1, confidence="low", sources=SRC
        )


def test_fx_and_info_rules() -> None:
    r = FxRate(currency="JPY", year=2024, usd_per_unit=0.0066, confidence="high", sources=SRC)
    assert r.usd_per_unit == 0.0066
    for bad in (0, -1, math.inf, math.nan):
        with pytest.raises(ValidationError):
            FxRate(currency="JPY", year=2024, usd_per_unit=bad, confidence="high", sources=SRC)
    with pytest.raises(ValidationError, match="unknown currency 'YEN'"):
        FxRate(currency="YEN", year=2024, usd_per_unit=0.0066, confidence="high", sources=SRC)
    with pytest.raises(ValidationError, match="unknown currency 'usd'"):
        DatasetInfo(name="x", title="x", base_currency="usd")


def test_source_primary() -> None:
    assert Source(url="https://e.com", kind=SourceKind.court).is_primary
    assert not Source(url="https://e.com", kind="analysis").is_primary
