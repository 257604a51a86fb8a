"""What the pattern engines return: :class:`PatternHit`, shared by the compiled kernels, the reference, the Spark
engine and the alerts (definitions of the patterns: :mod:`junkan.scan.patterns`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PatternHit:
    """One pattern instance: ledger rows (time order) and the accounts involved (origin first)."""

    pattern: str
    rows: tuple[int, ...]
    accounts: tuple[int, ...]
    returned_share: float | None
