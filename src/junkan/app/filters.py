"""The deal filters of the dashboard's sidebar, as a value that can be applied to a ledger and used as a cache key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from junkan.ledger.model import Ledger
from junkan.ledger.schema import Confidence, DealKind, Status

#: Minimum-confidence choices, loosest first (``any`` keeps every deal).
CONFIDENCE_LEVELS = ("any", Confidence.low.value, Confidence.medium.value, Confidence.high.value)


@dataclass(frozen=True)
class FilterOptions:
    """What the filter widgets offer for one ledger: its date span and the kinds and statuses it holds."""

    first: date | None
    last: date | None
    kinds: tuple[str, ...]
    statuses: tuple[str, ...]


def filter_options(ledger: Ledger) -> FilterOptions:
    """The date span of ``ledger``'s deals and the kinds and statuses present (in schema order)."""
    dates = [d.date for d in ledger.deals]
    kinds = {d.kind for d in ledger.deals}
    statuses = {d.status for d in ledger.deals}
    return FilterOptions(
        first=min(dates) if dates else None,
        last=max(dates) if dates else None,
        kinds=tuple(k.value for k in DealKind if k in kinds),
        statuses=tuple(s.value for s in Status if s in statuses),
    )


@dataclass(frozen=True)
class DealFilters:
    """Deal filters: announcement dates (inclusive), kinds, statuses and a minimum confidence.

    Empty ``kinds`` or ``statuses`` mean "all"; ``min_confidence`` ``"any"`` keeps every deal.
    """

    start: date | None = None
    end: date | None = None
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    min_confidence: str = "any"

    def __post_init__(self) -> None:
        if self.min_confidence not in CONFIDENCE_LEVELS:
            raise ValueError(f"min_confidence must be one of {', '.join(CONFIDENCE_LEVELS)}")

    def apply(self, ledger: Ledger) -> Ledger:
        """The deals of ``ledger`` that pass every filter (:meth:`junkan.ledger.Ledger.filter`)."""
        return ledger.filter(
            start=self.start,
            end=self.end,
            kinds=list(self.kinds) or None,
            statuses=list(self.statuses) or None,
            min_confidence=None if self.min_confidence == "any" else self.min_confidence,
        )

    def describe(self) -> str:
        """The active filters in words (``"all deals"`` when none)."""
        parts = []
        if self.start or self.end:
            parts.append(f"{self.start or '…'} to {self.end or '…'}")
        if self.kinds:
            parts.append("kinds: " + ", ".join(self.kinds))
        if self.statuses:
            parts.append("statuses: " + ", ".join(self.statuses))
        if self.min_confidence != "any":
            parts.append(f"confidence ≥ {self.min_confidence}")
        return "; ".join(parts) if parts else "all deals"


__all__ = ["CONFIDENCE_LEVELS", "DealFilters", "FilterOptions", "filter_options"]
