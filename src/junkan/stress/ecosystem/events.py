"""Credit events per party: defaults, distressed restructurings, and either, counted as rating agencies count them.

A *default* is a failure to pay (the party is short after every source of liquidity, see :mod:`.model`). A
*restructuring* is a distressed cancellation or renegotiation of contracted obligations: a customer that cannot pay
cuts its compute contracts (the ``cancel`` channel), owing the vendor only the take-or-pay damages. Moody's counts
such distressed exchanges as defaults ("a distressed exchange ... that amounts to a diminished financial
obligation" is one of its default events: Moody's, *Rating Symbols and Definitions*, "Definition of Default";
S&P likewise rates a distressed exchange 'SD'), so ``p_default_or_restructuring`` is the probability comparable to
an agency default rate and to a market-implied PD. ``p_restructuring`` counts every run with a distressed
cancellation, whether or not the party later defaults. Counts are integers: the same for any chunking of runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["CreditEvents"]


@dataclass
class CreditEvents:
    """Integer counts of credit events over ``runs`` runs (added chunk by chunk with :meth:`add`)."""

    runs: int
    parties: tuple[str, ...]
    quarters: int
    restructure_counts: np.ndarray = field(init=False)  # (N, Q) first distressed cancellation per quarter
    either_counts: np.ndarray = field(init=False)  # (N, Q) first default-or-restructuring per quarter
    any_event: int = field(init=False, default=0)  # runs with any default or restructuring
    closed_quarters: int = field(init=False, default=0)  # quarters with a closed funding market, summed over runs
    added: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        n = len(self.parties)
        self.restructure_counts = np.zeros((n, self.quarters), dtype=np.int64)
        self.either_counts = np.zeros((n, self.quarters), dtype=np.int64)

    def add(
        self, default_quarter: np.ndarray, restructure_quarter: np.ndarray | None, closed: np.ndarray | None
    ) -> None:
        """Fold in a chunk's ``(R, N)`` first default and first restructuring quarters (-1 = none)."""
        r = restructure_quarter if restructure_quarter is not None else np.full_like(default_quarter, -1)
        big = np.iinfo(np.int64).max
        first = np.minimum(np.where(default_quarter >= 0, default_quarter, big), np.where(r >= 0, r, big))
        for i in range(len(self.parties)):
            self.restructure_counts[i] += np.bincount(r[r[:, i] >= 0, i], minlength=self.quarters)[: self.quarters]
            f = first[:, i]
            self.either_counts[i] += np.bincount(f[f < big], minlength=self.quarters)[: self.quarters]
        self.any_event += int((first < big).any(axis=1).sum())
        if closed is not None:
            self.closed_quarters += int(closed.sum())
        self.added += int(default_quarter.shape[0])

    def p_restructuring(self) -> np.ndarray:
        """``(N,)`` share of runs with a distressed restructuring within the horizon."""
        return np.asarray(self.restructure_counts.sum(axis=1) / self.runs)

    def p_default_or_restructuring(self, quarters: int | None = None) -> np.ndarray:
        """``(N,)`` share of runs with a default or a restructuring within the first ``quarters`` (default: all)."""
        q = self.quarters if quarters is None else quarters
        return np.asarray(self.either_counts[:, :q].sum(axis=1) / self.runs)
