"""The ledger as known on a date: the records of :meth:`junkan.ledger.model.Ledger.as_of` and the date check.

This module works on records (deals, entities, financials) and knows nothing of the :class:`Ledger` container,
which calls :func:`records_as_of` and builds the as-of ledger from what it returns.

Rules (also in ``junkan/datasets/FORMAT.md``, "As-of views"):

* **Deals.** Deals announced after the date are left out. Each kept deal has the status of its latest status event on
  or before the date (without a history: its ``status``; with a history that starts later: ``announced``, since a
  deal's date is its announcement date), the events after the date removed, and the amounts of that date: its
  recorded ``amount`` (the amount as announced) with the ``value`` / ``committed`` / ``drawn`` restatements of the
  events to that date applied in order.
* **Sources.** Sources published after the date are dropped from every deal and status event (a source without a
  date is kept: it cannot be shown to be later); a record whose sources are all later keeps its earliest one.
* **Financials.** Figures whose period ends after the date, or whose dated sources were all published after it, are
  left out; the later sources of the others are dropped as for deals.
* **Entities.** Events after the date are ignored: a party shows the ticker of its latest listing on or before the
  date (none before its first listing, none after a delisting) and the name of its latest rename on or before the
  date (before its first rename, the recorded name: the earlier name is not in the data).
* **Successions.** From the date of a merger or acquisition on (``as_of >= event date``), every deal of the absorbed
  party, whatever its date, names the successor in its place (chains are followed: ``a`` into ``b`` into ``c``
  gives ``c``); the successor took over the absorbed party's shares, claims and obligations. The original party is
  kept in the ledger's ``attributions``. A deal between the absorbed party and its successor (or two parties
  absorbed by the same one) keeps its original parties: the money moved between separate companies.
* **Date range.** The date may not be after today (nothing is known of the future) nor before
  :data:`EARLIEST_AS_OF` (2019-01-01, the start of the bundled AI ledger); for a ledger whose first deal is earlier
  (the historical reference datasets) the floor is 1 January of its first deal's year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from junkan.errors import JunkanInputError
from junkan.ledger.schema import DatasetInfo, Deal, Entity, Financial, Source, StatusEvent
from junkan.ledger.successions import SUCCESSION_KINDS, successor_on

#: The earliest as-of date for a ledger whose deals start in or after 2019.
EARLIEST_AS_OF = dt.date(2019, 1, 1)


def today() -> dt.date:
    """Today's date (the latest allowed as-of date); tests may replace it."""
    return dt.date.today()


def check_as_of(when: dt.date, *, first_deal: dt.date | None = None, field: str = "as_of") -> dt.date:
    """Return ``when`` if it is an allowed as-of date, else raise a :class:`JunkanInputError` naming ``field``.

    Parameters
    ----------
    when
        The as-of date.
    first_deal
        The date of the ledger's first deal: if before :data:`EARLIEST_AS_OF`, 1 January of its year is the floor.
    field
        The field or option named in the error (``--as-of`` on the command line).
    """
    floor = EARLIEST_AS_OF
    if first_deal is not None and first_deal < floor:
        floor = dt.date(first_deal.year, 1, 1)
    now = today()
    if when > now:
        raise JunkanInputError.single(
            f"as-of date {when.isoformat()} is after today ({now.isoformat()}): nothing is known about it yet",
            field=field,
        )
    if when < floor:
        raise JunkanInputError.single(
            f"as-of date {when.isoformat()} is before {floor.isoformat()}, the earliest date of this ledger",
            field=field,
        )
    return when


@dataclass(frozen=True)
class Attribution:
    """One party of one deal re-labelled to the successor that absorbed it (see :func:`records_as_of`).

    Parameters
    ----------
    deal_id
        The deal.
    role
        ``payer`` or ``payee``.
    original
        The party the deal names.
    successor
        The party its flow is attributed to as of the ledger's date.
    """

    deal_id: str
    role: Literal["payer", "payee"]
    original: str
    successor: str


@dataclass(frozen=True)
class AsOfRecords:
    """The records of a ledger as known on ``when`` (see the module docstring), for ``Ledger.as_of`` to assemble.

    Parameters
    ----------
    when
        The as-of date.
    info
        The dataset metadata with ``as_of`` set to ``when``.
    entities
        Every entity, as known on ``when``.
    deals
        The deals announced on or before ``when``, as known then (legs to later deals dropped).
    financials
        The figures known on ``when``.
    attributions
        Every deal party re-labelled to a successor.
    """

    when: dt.date
    info: DatasetInfo
    entities: dict[str, Entity]
    deals: tuple[Deal, ...]
    financials: tuple[Financial, ...]
    attributions: tuple[Attribution, ...]


def records_as_of(
    info: DatasetInfo,
    entities: Mapping[str, Entity],
    deals: Sequence[Deal],
    financials: Sequence[Financial],
    when: dt.date,
) -> AsOfRecords:
    """The records as known on ``when`` (rules in the module docstring).

    Parameters
    ----------
    info, entities, deals, financials
        The records as recorded (``deals`` in date order).
    when
        The as-of date (inclusive); see :func:`check_as_of` for the allowed range.

    Returns
    -------
    AsOfRecords
        New records (shared or copied, never changed).

    Raises
    ------
    JunkanInputError
        If ``when`` is after today or before the ledger's earliest date.
    """
    check_as_of(when, first_deal=min((d.date for d in deals), default=None))
    known = {eid: entity_as_of(e, when) for eid, e in entities.items()}
    attributions: list[Attribution] = []
    kept = [_deal_as_of(d, when, entities, attributions) for d in deals if d.date <= when]
    ids = {d.id for d in kept}
    kept = [d if set(d.legs) <= ids else d.model_copy(update={"legs": [x for x in d.legs if x in ids]}) for d in kept]
    figures = tuple(f for f in (financial_as_of(x, when) for x in financials) if f is not None)
    return AsOfRecords(
        when=when,
        info=info.model_copy(update={"as_of": when}),
        entities=known,
        deals=tuple(kept),
        financials=figures,
        attributions=tuple(attributions),
    )


def known_sources(sources: list[Source], when: dt.date) -> list[Source]:
    """The sources published on or before ``when`` (undated ones kept); if none, the earliest of them."""
    keep = [s for s in sources if s.date is None or s.date <= when]
    if keep or not sources:
        return keep
    return [min(sources, key=lambda s: s.date or dt.date.min)]


def _deal_as_of(d: Deal, when: dt.date, entities: Mapping[str, Entity], out: list[Attribution]) -> Deal:
    events: list[StatusEvent] = []
    for ev in d.status_history:
        if ev.date <= when:
            srcs = known_sources(ev.sources, when)
            events.append(ev if len(srcs) == len(ev.sources) else ev.model_copy(update={"sources": srcs}))
    update: dict[str, object] = {
        "status": d.status_on(when),
        "status_history": events,
        "amount": d.amount_on(when),
        "sources": known_sources(d.sources, when),
    }
    payer, payee = successor_on(entities, d.payer, when), successor_on(entities, d.payee, when)
    if payer != payee:
        for role, old, new in (("payer", d.payer, payer), ("payee", d.payee, payee)):
            if new != old:
                update[role] = new
                out.append(Attribution(deal_id=d.id, role=role, original=old, successor=new))  # type: ignore[arg-type]
    return d.model_copy(update=update)


def entity_as_of(e: Entity, when: dt.date) -> Entity:
    """``e`` as known on ``when``: later events dropped, name and ticker of that date (module docstring)."""
    if not e.events:
        return e
    events = [ev for ev in e.events if ev.date <= when]
    update: dict[str, object] = {"events": events}
    renames = [ev for ev in events if ev.kind == "rename" and ev.name]
    if renames:
        update["name"] = renames[-1].name
    listing_events = [ev for ev in e.events if ev.kind in ("listing", "delisting")]
    if listing_events:
        ticker = None if listing_events[0].kind == "listing" else e.ticker
        for ev in events:
            if ev.kind == "listing":
                ticker = ev.ticker or e.ticker
            elif ev.kind == "delisting":
                ticker = None
        update["ticker"] = ticker
    return e.model_copy(update=update)


def financial_as_of(f: Financial, when: dt.date) -> Financial | None:
    """``f`` as known on ``when``, or ``None`` if its period ends later or all its dated sources are later."""
    if f.period_end > when:
        return None
    if all(s.date is not None and s.date > when for s in f.sources):
        return None
    srcs = known_sources(f.sources, when)
    return f if len(srcs) == len(f.sources) else f.model_copy(update={"sources": srcs})


__all__ = [
    "EARLIEST_AS_OF",
    "SUCCESSION_KINDS",
    "AsOfRecords",
    "Attribution",
    "check_as_of",
    "entity_as_of",
    "financial_as_of",
    "known_sources",
    "records_as_of",
    "today",
]
