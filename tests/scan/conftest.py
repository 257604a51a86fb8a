"""Helpers for the scan tests: hand-made ledgers."""

from __future__ import annotations

import pytest

from junkan.scan import TxnLedger, ledger_from_records


def make(rows: list[tuple], *, extra: dict[str, list[str]] | None = None) -> TxnLedger:
    """Ledger from (id, day, src, dst, amount) tuples; ``day`` may be a float (fractions of a day)."""
    base = 1_704_067_200  # 2024-01-01T00:00:00Z in seconds
    cols: dict[str, list[object]] = {
        "id": [r[0] for r in rows],
        "timestamp": [base + round(r[1] * 86_400) for r in rows],
        "src": [r[2] for r in rows],
        "dst": [r[3] for r in rows],
        "amount": [float(r[4]) for r in rows],
    }
    for k, v in (extra or {}).items():
        cols[k] = list(v)
    return ledger_from_records(cols)


@pytest.fixture
def make_ledger():
    return make
