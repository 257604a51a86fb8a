"""Hand-made ledgers for the flows tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from junkan.ledger import Amount, Deal, Financial, Ledger, Source

SRC = [Source(url="https://example.org/test", kind="filing")]


def deal(
    did: str,
    payer: str,
    payee: str,
    amount: float,
    when: str = "2025-01-01",
    kind: str = "hardware_purchase",
    *,
    committed: float | None = None,
    drawn: float | None = None,
    currency: str = "USD",
    legs: list[str] | None = None,
    status: str = "signed",
) -> Deal:
    """A deal with a test source; ``amount`` is the headline."""
    return Deal(
        id=did,
        date=dt.date.fromisoformat(when),
        kind=kind,
        payer=payer,
        payee=payee,
        amount=Amount(value=amount, committed=committed, drawn=drawn, currency=currency),
        status=status,
        confidence="high",
        sources=SRC,
        legs=legs or [],
    )


def fin(entity: str, metric: str, value: float, period: str = "FY2025", end: str = "2025-12-31") -> Financial:
    """A financial figure with a test source."""
    return Financial(
        entity=entity,
        period=period,
        period_end=dt.date.fromisoformat(end),
        metric=metric,
        value=value,
        confidence="high",
        sources=SRC,
    )


def ledger(*deals: Deal, **kw: Any) -> Ledger:
    """A ledger that creates the parties its deals name."""
    return Ledger.build(deals, create_missing_entities=True, **kw)
