"""Validated contagion cores: clearing, DebtRank, equity cross-holdings and fire sales.

Every core is exact (not an approximate iteration) and batched over scenarios along a leading axis. Conventions
that change numbers are stated in each module: above all, ``liabilities[i, j]`` is what node ``i`` owes node ``j``.

* :mod:`junkan.stress.clearing`: Eisenberg-Noe (2001) and Rogers-Veraart (2013) greatest clearing vectors.
"""

from __future__ import annotations

from junkan.stress.clearing import ClearingResult, Seniority, eisenberg_noe, rogers_veraart

__all__ = [
    "ClearingResult",
    "Seniority",
    "eisenberg_noe",
    "rogers_veraart",
]
