"""Fixtures shared by every test folder; its presence also puts ``tests/`` on ``sys.path`` for ``_helpers``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs hypothesis derandomised, so a submission's result does not depend on which random examples a run draws
# (property tests still explore freely on developers' machines, where new counterexamples are found and kept as
# explicit regression tests).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

#: Two linked deals (an equity investment and the purchase it pays for) in the quick CSV format.
LOOP_CSV = """id,date,kind,payer,payee,amount,currency,status,confidence,source_url,legs
inv,2025-01-01,equity_investment,Vendor,Customer,100,USD,signed,high,https://example.com/a,buy
buy,2025-02-01,hardware_purchase,Customer,Vendor,150,USD,signed,high,https://example.com/b,inv
"""


@pytest.fixture
def csv_data(tmp_path: Path) -> str:
    """The path of :data:`LOOP_CSV` written to ``deals.csv`` in the test's temporary folder."""
    p = tmp_path / "deals.csv"
    p.write_text(LOOP_CSV, encoding="utf-8")
    return str(p)
