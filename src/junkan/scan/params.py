"""Scan settings: the window, the cycle length bound, the amount tolerance, the patterns, and duration parsing.

Definitions (also in ``docs/scan.md``):

- A **transaction** is a payment ``src -> dst`` of a positive ``amount`` at ``timestamp``.
- A **time-ordered cycle** of length ``k`` (``2 <= k <= max_len``) is a sequence of transactions ``e1, ..., ek`` with
  ``dst(e_i) = src(e_{i+1})`` and ``dst(ek) = src(e1)``, visiting ``k`` *distinct* accounts, with **strictly
  increasing** timestamps ``t1 < t2 < ... < tk`` (two payments at the same instant are not ordered, so they never
  chain) and ``tk - t1 <= window``. Self-payments (``src == dst``) are ignored. Because ``e1`` is the earliest
  transaction, every cycle is reported exactly once, starting from the account that paid first.
- **Amounts consistent within tolerance** ``tol``: every hop satisfies ``|a_{i+1} - a_i| <= tol * a_i`` (each payment
  is within ``tol`` of the previous one, so fees or a small mark-up are allowed at each hop). ``tolerance=None``
  switches the amount check off (pure temporal cycles, as in 2SCENT and snapml). If the ledger has a ``currency``
  column, all hops of a pattern are in the first payment's currency.
- ``min_amount``: transactions below it are ignored before the search.

The search follows Kumar & Calders, "2SCENT: an efficient algorithm for enumerating all simple temporal cycles",
PVLDB 11(11), 2018, and the bounded, time-ordered Johnson-style search of Blanuša, Atasu & Ienne, "Scalable
fine-grained parallel cycle enumeration algorithms", ACM TOPC 2023 (arXiv 2202.09685).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

NS_PER_SECOND = 1_000_000_000
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")

PATTERNS = ("cycle", "scatter-gather", "gather-scatter", "fan-out", "fan-in")
DEFAULT_PATTERNS = ("cycle", "scatter-gather", "gather-scatter")
#: Gather-scatter's conservation tolerance when ``tolerance`` is ``None`` (see :attr:`ScanParams.flow_tolerance`).
FLOW_TOLERANCE = 0.1
#: Gather-scatter's baseline test needs at least this many other payments of the hub (a rank over fewer says little).
BASELINE_MIN_PAYMENTS = 5


def parse_duration(text: str | int | float) -> int:
    """Parse a duration such as ``"90d"``, ``"12h"``, ``"30m"``, ``"45s"`` or ``"2w"`` into nanoseconds.

    A bare number means days. Raises ``ValueError`` for anything else or for a non-positive duration.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        value, unit = float(text), "d"
    else:
        m = _DURATION.match(str(text))
        if not m:
            raise ValueError(f"not a duration: {text!r} (use e.g. 90d, 12h, 30m, 45s, 2w)")
        value, unit = float(m.group(1)), m.group(2) or "d"
    ns = round(value * _UNITS[unit] * NS_PER_SECOND)
    if ns <= 0:
        raise ValueError(f"duration must be positive, got {text!r}")
    return int(ns)


@dataclass(frozen=True)
class ScanParams:
    """Settings of one scan.

    Parameters
    ----------
    window_ns
        The longest a pattern may take, first to last transaction, in nanoseconds (``parse_duration("90d")``).
    max_len
        Longest cycle, in transactions (= accounts), at least 2.
    tolerance
        Relative amount tolerance per hop, ``|a_{i+1} - a_i| <= tolerance * a_i``; ``None`` disables the check.
    min_amount
        Transactions with a smaller amount are ignored.
    patterns
        Which detectors run: any of :data:`PATTERNS`.
    min_fan
        Fewest distinct intermediaries / counterparties for scatter-gather, gather-scatter and fan patterns.
    min_share
        Gather-scatter and fans: the pattern's payments must be at least this share of the hub's turnover (payments
        in and out, same currency) from one window before the pattern's first payment to one window after its last
        (a pass-through account has little else going on). ``0`` switches the check off.
    materiality
        Gather-scatter: the hub's payments smaller than this share of the incoming payment a walk starts from are
        immaterial to it (unrelated small traffic): left out of the balance walk and of the instance. ``0`` keeps
        every payment.
    min_baseline
        Gather-scatter: the pattern's payments must be large for the hub: in at least this share of the pairs
        (pattern payment, other payment of the hub anywhere in the ledger) the pattern's is the larger (ties count
        half; the Mann-Whitney statistic ``U / (m n)``). Applies when the hub has at least
        :data:`BASELINE_MIN_PAYMENTS` other payments. ``0`` switches the check off.
    min_share_sg
        Scatter-gather: the money of the pattern (scattered plus gathered) must be at least this share of the turnover
        of its origin and payee together over the same span (rules out very busy accounts whose payments line up by
        chance). ``0`` switches the check off.
    max_cycles
        Safety cap on the number of cycles returned; the result says when it was reached.
    """

    window_ns: int = 90 * 86_400 * NS_PER_SECOND
    max_len: int = 6
    tolerance: float | None = 0.1
    min_amount: float = 0.0
    patterns: tuple[str, ...] = field(default=DEFAULT_PATTERNS)
    min_fan: int = 3
    min_share: float = 0.5
    min_share_sg: float = 0.1
    materiality: float = 0.3
    min_baseline: float = 0.75
    max_cycles: int = 1_000_000

    def __post_init__(self) -> None:
        if self.window_ns <= 0:
            raise ValueError("window must be positive")
        if not 2 <= self.max_len <= 32:
            raise ValueError(f"max_len must be between 2 and 32, got {self.max_len}")
        if self.tolerance is not None and not (self.tolerance >= 0 and math.isfinite(self.tolerance)):
            raise ValueError(f"tolerance must be a finite number >= 0 or None, got {self.tolerance}")
        if not (self.min_amount >= 0 and math.isfinite(self.min_amount)):
            raise ValueError(f"min_amount must be >= 0, got {self.min_amount}")
        bad = [p for p in self.patterns if p not in PATTERNS]
        if bad:
            raise ValueError(f"unknown pattern(s) {', '.join(bad)}; choose from {', '.join(PATTERNS)}")
        if self.min_fan < 2:
            raise ValueError(f"min_fan must be at least 2, got {self.min_fan}")
        if not 0.0 <= self.min_share <= 1.0:
            raise ValueError(f"min_share must be in [0, 1], got {self.min_share}")
        if not 0.0 <= self.min_share_sg <= 1.0:
            raise ValueError(f"min_share_sg must be in [0, 1], got {self.min_share_sg}")
        if not 0.0 <= self.materiality <= 1.0:
            raise ValueError(f"materiality must be in [0, 1], got {self.materiality}")
        if not 0.0 <= self.min_baseline <= 1.0:
            raise ValueError(f"min_baseline must be in [0, 1], got {self.min_baseline}")
        if self.max_cycles < 1:
            raise ValueError("max_cycles must be positive")

    @property
    def window_days(self) -> float:
        """The window in days."""
        return self.window_ns / (86_400 * NS_PER_SECOND)

    @property
    def kernel_tolerance(self) -> float:
        """The tolerance as the kernels take it: ``-1.0`` when the amount check is off."""
        return -1.0 if self.tolerance is None else float(self.tolerance)

    @property
    def flow_tolerance(self) -> float:
        """The conservation tolerance of gather-scatter: ``tolerance``, or :data:`FLOW_TOLERANCE` when that is off.

        Gather-scatter is defined by the money leaving the hub about as it came in, so it always needs a tolerance.
        """
        return FLOW_TOLERANCE if self.tolerance is None else float(self.tolerance)
