"""Helpers shared by the test folders: hand-made ledgers with a test source, and the command line run in-process.

Test modules import this as ``_helpers``: ``tests/conftest.py`` makes pytest put this folder on ``sys.path`` (the
default ``prepend`` import mode adds the folder of every ``conftest.py`` that is not in a package).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from junkan.cli import main
from junkan.ledger import Amount, Deal, Financial, Ledger, Source


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``junkan`` in-process; return (exit status, stdout, stderr)."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


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
