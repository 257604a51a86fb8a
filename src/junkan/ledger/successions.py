"""Cross-record checks of histories: deals superseded by other deals, parties merged into other parties.

A record on its own is checked by the schema (:mod:`junkan.ledger.schema`); what needs the whole dataset is
checked here and reported, like every integrity problem, at the file, line and field of the record concerned:

* a ``superseded`` status event whose ``superseded_by`` names no deal (with a did-you-mean suggestion);
* an entity event whose ``successor`` names no entity;
* a merger cycle: following merger / acquisition successors from a party leads back to it (``a -> b -> a``);
* a financial figure whose ``counterparty`` names no entity.

And two **warnings** (reported, never errors): an amount block that looks like the current amount rather than the
amount as announced (:func:`restatement_warnings`); a deal dated after the merger or acquisition of one of its parties
that still names the absorbed party. The record may be true (an acquired company often lives on as a subsidiary that
signs contracts in its own name), and :meth:`junkan.ledger.model.Ledger.as_of` attributes its flows to the
successor anyway; the warning asks the author to check it. ``junkan deals validate`` prints warnings and still exits 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence

from junkan.errors import InputProblem
from junkan.ledger.schema import Deal, Entity, EntityEvent, Financial
from junkan.suggest import did_you_mean

#: Entity event kinds after which the party's flows belong to its ``successor``.
SUCCESSION_KINDS: tuple[str, ...] = ("merger", "acquisition")

#: ``problem(message, record, field) -> InputProblem`` located at the record's field.
ProblemAt = Callable[[str, object, str], InputProblem]


def succession_of(entity: Entity) -> tuple[int, EntityEvent] | None:
    """The first merger or acquisition event of ``entity`` (index and event), or ``None``."""
    for i, ev in enumerate(entity.events):
        if ev.kind in SUCCESSION_KINDS and ev.successor is not None:
            return i, ev
    return None


def successor_on(entities: Mapping[str, Entity], party: str, when: dt.date) -> str:
    """The party that ``party``'s flows belong to on ``when``.

    Follows merger and acquisition events dated on or before ``when`` (``a`` merged into ``b``, ``b`` acquired by
    ``c``: ``c``); a party without such an event is its own. A cycle (rejected when a dataset is loaded) stops the
    walk at the last party before it repeats.
    """
    seen = {party}
    current = party
    while True:
        ent = entities.get(current)
        found = succession_of(ent) if ent is not None else None
        if found is None or found[1].date > when or found[1].successor is None:
            return current
        nxt = found[1].successor
        if nxt in seen:
            return current
        seen.add(nxt)
        current = nxt


def succession_problems(
    entities: Sequence[Entity],
    deals: Sequence[Deal],
    financials: Sequence[Financial],
    problem: ProblemAt,
    *,
    known_entities: Collection[str],
    known_deals: Collection[str],
    check_parties: bool = True,
    check_deals: bool = True,
) -> list[InputProblem]:
    """Errors: successors and counterparties naming nothing, merger cycles (see the module docstring)."""
    out: list[InputProblem] = []
    entity_ids = [e.id for e in entities]
    deal_ids = [d.id for d in deals]
    if check_deals:
        for d in deals:
            for i, ev in enumerate(d.status_history):
                if ev.superseded_by is not None and ev.superseded_by not in known_deals:
                    hint = did_you_mean(ev.superseded_by, [x for x in deal_ids if x != d.id])
                    out.append(
                        problem(
                            f"deal {d.id!r} is superseded by {ev.superseded_by!r}, which names no deal{hint}",
                            d,
                            f"status_history[{i}].superseded_by",
                        )
                    )
    if not check_parties:
        return out
    for e in entities:
        for i, eev in enumerate(e.events):
            if eev.successor is not None and eev.successor not in known_entities:
                out.append(
                    problem(
                        f"entity {e.id!r} names unknown successor {eev.successor!r}"
                        f"{did_you_mean(eev.successor, [x for x in entity_ids if x != e.id])}",
                        e,
                        f"events[{i}].successor",
                    )
                )
    out.extend(_cycles(entities, problem))
    for f in financials:
        if f.counterparty is not None and f.counterparty not in known_entities:
            out.append(
                problem(
                    f"figure names unknown counterparty {f.counterparty!r}{did_you_mean(f.counterparty, entity_ids)}",
                    f,
                    "counterparty",
                )
            )
    return out


def _cycles(entities: Sequence[Entity], problem: ProblemAt) -> list[InputProblem]:
    """One problem per merger cycle, at the successor field of the cycle's first party in id order."""
    by_id = {e.id: e for e in entities}
    nxt: dict[str, tuple[int, str]] = {}
    for e in entities:
        found = succession_of(e)
        if found is not None and found[1].successor is not None:
            nxt[e.id] = (found[0], found[1].successor)
    out: list[InputProblem] = []
    reported: set[str] = set()
    for start in sorted(nxt):
        path = [start]
        while path[-1] in nxt and nxt[path[-1]][1] not in path:
            path.append(nxt[path[-1]][1])
        if path[-1] not in nxt:
            continue  # the chain ends: no cycle from here
        loop = path[path.index(nxt[path[-1]][1]) :]
        if reported & set(loop):
            continue
        reported |= set(loop)
        first = min(loop)
        ring = loop[loop.index(first) :] + loop[: loop.index(first)] + [first]
        out.append(
            problem(
                f"merger cycle: {' -> '.join(ring)} (a party cannot be merged, directly or not, into itself)",
                by_id[first],
                f"events[{nxt[first][0]}].successor",
            )
        )
    return out


def succession_warnings(entities: Sequence[Entity], deals: Sequence[Deal], problem: ProblemAt) -> list[InputProblem]:
    """Warnings: deals dated after a party's merger or acquisition that still name it (see the module docstring)."""
    merged: dict[str, EntityEvent] = {}
    for e in entities:
        found = succession_of(e)
        if found is not None:
            merged[e.id] = found[1]
    out: list[InputProblem] = []
    for d in deals:
        for role in ("payer", "payee"):
            pid = getattr(d, role)
            ev = merged.get(pid)
            if ev is not None and d.date > ev.date:
                out.append(
                    problem(
                        f"deal {d.id!r} ({d.date}) names {pid!r}, which was {_past(ev.kind)} {ev.successor!r} on "
                        f"{ev.date}; its flows are attributed to {ev.successor!r} as of that date (name "
                        f"{ev.successor!r} if it is the party, keep {pid!r} if the absorbed company signed it)",
                        d,
                        role,
                    )
                )
    return out


def restatement_warnings(deals: Sequence[Deal], problem: ProblemAt) -> list[InputProblem]:
    """Warnings: a deal whose amount block looks like its *current* amount rather than the amount as announced.

    A deal's ``amount`` block is the amount as announced; status events restate figures from their date on, and the
    current amount has every restatement applied (see :class:`junkan.ledger.schema.StatusEvent`). When the first
    event, dated on the deal's own date, restates a figure to another value than the block's and no later event
    restates it, the current figure is the event's and the block's figure is never used: the author most likely wrote
    the final figure in the block. The warning names that event's field.
    """
    out: list[InputProblem] = []
    for d in deals:
        h = d.status_history
        if not h or h[0].date != d.date:
            continue
        base = d.base_amount
        for name in ("value", "committed", "drawn"):
            first, block = getattr(h[0], name), getattr(base, name)
            if first is None or block is None or first == block:
                continue
            if any(getattr(ev, name) is not None for ev in h[1:]):
                continue
            out.append(
                problem(
                    f"deal {d.id!r}: its first status event ({h[0].date}, the deal's date) restates {name} to "
                    f"{first:g} and no later event restates it, so its current {name} is {first:g}, not the "
                    f"{block:g} of its amount block; the block is the amount as announced: give the later figure on "
                    "the event that made it",
                    d,
                    f"status_history[0].{name}",
                )
            )
    return out


def _past(kind: str) -> str:
    return "merged into" if kind == "merger" else "acquired by"
