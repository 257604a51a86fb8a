"""What changed between two versions of a dataset: records added, removed and changed, field by field.

Deals are matched by ``id``, entities by ``id``, financial figures by ``(entity, metric, period)``. For a deal
present in both, the compared fields are those of :data:`DEAL_FIELDS` (the current status and the amounts as known
now, see :attr:`junkan.ledger.schema.Deal.amount`; ``sources`` and ``status_history`` compare their counts); for an
entity :data:`ENTITY_FIELDS`; for a figure :data:`FINANCIAL_FIELDS`. A field's values are compared as written in
the JSON record (numbers as floats, dates as ISO strings).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal, Entity, Financial

Record = Literal["deal", "entity", "financial"]

#: Deal fields compared, each read from a deal.
DEAL_FIELDS: dict[str, Callable[[Deal], Any]] = {
    "date": lambda d: d.date.isoformat(),
    "kind": lambda d: d.kind.value,
    "payer": lambda d: d.payer,
    "payee": lambda d: d.payee,
    "status": lambda d: d.status.value,
    "amount": lambda d: d.amount.headline,
    "committed": lambda d: d.amount.committed_value,
    "drawn": lambda d: d.amount.drawn_value,
    "currency": lambda d: d.amount.currency,
    "confidence": lambda d: d.confidence.value,
    "sources": lambda d: len(d.sources),
    "status_history": lambda d: len(d.status_history),
    "legs": lambda d: sorted(d.legs),
    "title": lambda d: d.title,
}
#: Entity fields compared.
ENTITY_FIELDS: dict[str, Callable[[Entity], Any]] = {
    "name": lambda e: e.name,
    "kind": lambda e: e.kind.value,
    "parent": lambda e: e.parent,
    "ticker": lambda e: e.ticker,
    "events": lambda e: len(e.events),
}
#: Financial figure fields compared.
FINANCIAL_FIELDS: dict[str, Callable[[Financial], Any]] = {
    "value": lambda f: f.value,
    "currency": lambda f: f.currency,
    "period_end": lambda f: f.period_end.isoformat(),
    "confidence": lambda f: f.confidence.value,
    "estimate": lambda f: f.estimate,
    "sources": lambda f: len(f.sources),
}


@dataclass(frozen=True)
class Change:
    """One difference: a record ``added``, ``removed``, or one ``changed`` field with its old and new value."""

    record: Record
    key: str
    change: Literal["added", "removed", "changed"]
    field: str | None = None
    old: Any = None
    new: Any = None

    def row(self) -> dict[str, Any]:
        """The JSON/table row."""
        return {
            "record": self.record,
            "key": self.key,
            "change": self.change,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class DatasetDiff:
    """The differences from ``old`` to ``new`` (origins as given), in record, then key, then field order."""

    old: str
    new: str
    changes: tuple[Change, ...]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{record: {"added": n, "removed": n, "changed": n}}``; ``changed`` counts records, not fields."""
        out: dict[str, dict[str, int]] = {}
        for rec in ("deal", "entity", "financial"):
            mine = [c for c in self.changes if c.record == rec]
            out[rec] = {
                "added": sum(c.change == "added" for c in mine),
                "removed": sum(c.change == "removed" for c in mine),
                "changed": len({c.key for c in mine if c.change == "changed"}),
            }
        return out

    def to_json(self) -> dict[str, Any]:
        """``{"old", "new", "counts", "changes": [rows]}``."""
        return {"old": self.old, "new": self.new, "counts": self.counts(), "changes": [c.row() for c in self.changes]}


def diff_ledgers(old: Ledger, new: Ledger) -> DatasetDiff:
    """Compare two ledgers record by record (see the module docstring).

    Parameters
    ----------
    old, new
        The two versions.

    Returns
    -------
    DatasetDiff
        Every added and removed record and every changed field.
    """
    changes: list[Change] = []
    changes += _compare("deal", {d.id: d for d in old.deals}, {d.id: d for d in new.deals}, DEAL_FIELDS)
    changes += _compare("entity", old.entities, new.entities, ENTITY_FIELDS)

    def fin_key(f: Financial) -> str:
        return f"{f.entity}/{f.metric}/{f.period}"

    changes += _compare(
        "financial",
        {fin_key(f): f for f in old.financials},
        {fin_key(f): f for f in new.financials},
        FINANCIAL_FIELDS,
    )
    return DatasetDiff(old=old.origin, new=new.origin, changes=tuple(changes))


def _compare(
    record: Record, old: Mapping[str, Any], new: Mapping[str, Any], fields: Mapping[str, Callable[[Any], Any]]
) -> list[Change]:
    out: list[Change] = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            out.append(Change(record, key, "removed"))
        elif key not in old:
            out.append(Change(record, key, "added"))
        else:
            for name, get in fields.items():
                a, b = get(old[key]), get(new[key])
                if a != b:
                    out.append(Change(record, key, "changed", name, a, b))
    return out
