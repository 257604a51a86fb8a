"""Fiscal period labels of financial figures (``FY2025``, ``CY2025``, ``2025``, ``Q2FY2026``, ``2025-06``)."""

from __future__ import annotations

import re

#: An annual period label: ``FY2025``, ``CY2025`` or ``2025`` (case-insensitive).
ANNUAL_PERIOD = re.compile(r"^(FY|CY)?\d{4}$", re.IGNORECASE)


def is_annual(period: str) -> bool:
    """Whether ``period`` labels a whole year (``FY2025``, ``CY2025``, ``2025``), not a quarter or a month."""
    return ANNUAL_PERIOD.match(period) is not None
