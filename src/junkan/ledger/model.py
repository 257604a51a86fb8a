"""The :class:`Ledger` container: one dataset's entities, deals, financials and FX rates, with queries.

A ledger is immutable; every filter returns a new ledger that shares the records. It checks its own referential
integrity on construction (unknown parties, duplicate ids, legs that name no deal) so that a ledger built in
Python is held to the same rules as one loaded from files.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.asof import Attribution, records_as_of
from junkan.ledger.schema import (
    Confidence,
    DatasetInfo,
    Deal,
    DealKind,
    Entity,
    Financial,
    FxRate,
    Status,
)
from junkan.suggest import did_you_mean

if TYPE_CHECKING:
    import pandas as pd

#: ``locate(record, field) -> (file, line)``: where a record's field was read from (loaders pass one for line numbers).
Locator = Callable[[object, str], tuple[str | None, int | None]]

_CONFIDENCE_RANK = {Confidence.low: 0, Confidence.medium: 1, Confidence.high: 2}


@dataclass(frozen=True)
class Ledger:
    """A dataset of deals among parties, with their financials.

    Parameters
    ----------
    info
        Dataset metadata.
    entities
        The parties, keyed by id.
    deals
        The deals, in any order (kept sorted by date, then id).
    financials
        Sourced financial figures.
    fx
        Exchange rates to US dollars.
    origin
        Where the ledger was loaded from (dataset name or path), for messages.
    warnings
        Things a loader noticed that are not errors (e.g. a deal naming a party after its merger; see
        :mod:`junkan.ledger.successions`), each with its file, line and field.
    as_of_date
        For a ledger made by :meth:`as_of`: the date it is known as of (else ``None``).
    attributions
        For a ledger made by :meth:`as_of`: every deal party re-labelled to the successor that absorbed it, with
        the original party.
    """

    info: DatasetInfo
    entities: dict[str, Entity]
    deals: tuple[Deal, ...]
    financials: tuple[Financial, ...] = ()
    fx: tuple[FxRate, ...] = ()
    origin: str = "<memory>"
    warnings: tuple[InputProblem, ...] = field(default=(), compare=False)
    as_of_date: date | None = None
    attributions: tuple[Attribution, ...] = ()
    _deal_index: dict[str, Deal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "deals", tuple(sorted(self.deals, key=lambda d: (d.date, d.id))))
        object.__setattr__(self, "_deal_index", {d.id: d for d in self.deals})
        problems = self.integrity_problems()
        if problems:
            raise JunkanInputError(problems)

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(
        cls,
        deals: Iterable[Deal],
        entities: Iterable[Entity] = (),
        financials: Iterable[Financial] = (),
        fx: Iterable[FxRate] = (),
        *,
        info: DatasetInfo | None = None,
        origin: str = "<memory>",
        create_missing_entities: bool = False,
        warnings: Iterable[InputProblem] = (),
    ) -> Ledger:
        """Build a ledger from records; with ``create_missing_entities`` parties named only in deals are created."""
        deals = list(deals)
        ents = {e.id: e for e in entities}
        if create_missing_entities:
            for d in deals:
                for pid in (d.payer, d.payee):
                    if pid not in ents:
                        ents[pid] = Entity(id=pid, name=pid)
        return cls(
            info=info or DatasetInfo(name="memory", title="ledger built in memory"),
            entities=ents,
            deals=tuple(deals),
            financials=tuple(financials),
            fx=tuple(fx),
            origin=origin,
            warnings=tuple(warnings),
        )

    def integrity_problems(self) -> list[InputProblem]:
        """Problems that span records: duplicate ids, unknown parties, legs naming no deal."""
        return integrity_problems(list(self.entities.values()), self.deals, self.financials, origin=self.origin)

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self.deals)

    @property
    def name(self) -> str:
        """The dataset's name."""
        return self.info.name

    def deal(self, deal_id: str) -> Deal:
        """Return the deal with this id, or raise a clear error suggesting close ids."""
        try:
            return self._deal_index[deal_id]
        except KeyError:
            raise JunkanInputError.single(
                f"no deal {deal_id!r} in {self.origin}{did_you_mean(deal_id, self._deal_index)}", field="id"
            ) from None

    def resolve_entity(self, name: str) -> Entity:
        """Find a party by id, name or alias (case-insensitive); a clear error suggests the closest names."""
        key = name.strip().casefold()
        for e in self.entities.values():
            if key == e.id.casefold() or key == e.name.casefold() or key in (a.casefold() for a in e.aliases):
                return e
        names = {e.id: e for e in self.entities.values()} | {e.name: e for e in self.entities.values()}
        raise JunkanInputError.single(f"unknown party {name!r} in {self.origin}{did_you_mean(name, names)}")

    def legs_of(self, deal_id: str) -> list[Deal]:
        """The other deals of the same arrangement (legs are symmetric: listed on either side)."""
        d = self.deal(deal_id)
        ids = set(d.legs) | {o.id for o in self.deals if deal_id in o.legs}
        ids.discard(deal_id)
        return [self._deal_index[i] for i in sorted(ids)]

    def financial(self, entity: str, metric: str, period: str | None = None) -> Financial | None:
        """The figure for ``entity`` and ``metric``: for ``period`` if given, else the latest period."""
        rows = [f for f in self.financials if f.entity == entity and f.metric == metric]
        if period is not None:
            rows = [f for f in rows if f.period == period]
        if not rows:
            return None
        return max(rows, key=lambda f: f.period_end)

    def fx_rate(self, currency: str, year: int) -> float:
        """US dollars per unit of ``currency`` in ``year`` (nearest year on file); 1.0 for USD."""
        if currency == "USD":
            return 1.0
        rows = [r for r in self.fx if r.currency == currency]
        if not rows:
            raise JunkanInputError.single(
                f"no exchange rate for {currency} in {self.origin}; add one to fx.yaml", field="currency"
            )
        return min(rows, key=lambda r: (abs(r.year - year), -r.year)).usd_per_unit

    def to_usd(self, value: float, currency: str, when: date) -> float:
        """Convert ``value`` in ``currency`` to US dollars at the rate for ``when``'s year."""
        return value * self.fx_rate(currency, when.year)

    # ------------------------------------------------------------------ filters
    def filter(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: Sequence[DealKind | str] | None = None,
        statuses: Sequence[Status | str] | None = None,
        exclude_statuses: Sequence[Status | str] | None = None,
        min_confidence: Confidence | str | None = None,
        party: str | None = None,
    ) -> Ledger:
        """Return a ledger with only the deals that pass every given condition (dates inclusive)."""
        kind_set = {DealKind(k) for k in kinds} if kinds else None
        status_set = {Status(s) for s in statuses} if statuses else None
        excl = {Status(s) for s in exclude_statuses} if exclude_statuses else set()
        rank = _CONFIDENCE_RANK[Confidence(min_confidence)] if min_confidence else None
        pid = self.resolve_entity(party).id if party else None
        keep = []
        for d in self.deals:
            if start and d.date < start:
                continue
            if end and d.date > end:
                continue
            if kind_set is not None and d.kind not in kind_set:
                continue
            if status_set is not None and d.status not in status_set:
                continue
            if d.status in excl:
                continue
            if rank is not None and _CONFIDENCE_RANK[d.confidence] < rank:
                continue
            if pid is not None and pid not in (d.payer, d.payee):
                continue
            keep.append(d)
        kept = {d.id for d in keep}
        # a superseded deal whose successor the filter leaves out goes too: it moves no money (its successor carries
        # the arrangement), and a view naming a successor it lacks would not be a consistent ledger
        keep = [d for d in keep if d.superseded_by is None or d.superseded_by in kept]
        kept = {d.id for d in keep}
        # legs pointing outside the filtered set are dropped so the filtered ledger stays consistent
        return Ledger(self.info, self.entities, tuple(legs_within(keep)), self.financials, self.fx, self.origin)

    def as_of(self, when: date) -> Ledger:
        """The ledger as known on ``when``.

        Deals announced after ``when`` are left out; each deal has the status, amounts (value, committed, drawn) and
        sources known on that date (its status events to that date); financial figures of later periods or later
        sources are left out; entity events after ``when`` are ignored; from a merger or acquisition on, the
        absorbed party's deals name its successor (originals in ``attributions``). The full rules are in
        :mod:`junkan.ledger.asof` and ``junkan/datasets/FORMAT.md`` ("As-of views").

        Parameters
        ----------
        when
            The date (inclusive); not after today, not before 2019-01-01 (for a ledger starting earlier, 1 January
            of its first deal's year).

        Returns
        -------
        Ledger
            A new frozen ledger with ``as_of_date`` and ``attributions`` set.

        Raises
        ------
        JunkanInputError
            For a date out of range (field ``as_of``).
        """
        r = records_as_of(self.info, self.entities, self.deals, self.financials, when)
        return Ledger(
            info=r.info,
            entities=r.entities,
            deals=r.deals,
            financials=r.financials,
            fx=self.fx,
            origin=self.origin,
            as_of_date=r.when,
            attributions=r.attributions,
        )

    # ------------------------------------------------------------------ tables
    def deals_frame(self) -> pd.DataFrame:
        """One row per deal: id, date, kind, payer, payee, amounts (committed, drawn, low, high), status, sources."""
        import pandas as pd

        rows = [deal_row(d) for d in self.deals]
        return pd.DataFrame(rows, columns=list(DEAL_COLUMNS))

    def financials_frame(self) -> pd.DataFrame:
        """One row per financial figure."""
        import pandas as pd

        rows = [
            {
                "entity": f.entity,
                "period": f.period,
                "period_end": f.period_end,
                "metric": f.metric,
                "value": f.value,
                "currency": f.currency,
                "confidence": f.confidence.value,
                "estimate": f.estimate,
                "source_url": f.sources[0].url,
            }
            for f in self.financials
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "entity",
                "period",
                "period_end",
                "metric",
                "value",
                "currency",
                "confidence",
                "estimate",
                "source_url",
            ],
        )

    def summary(self) -> dict[str, object]:
        """Counts a closing note or a report headline needs."""
        years = sorted({d.date.year for d in self.deals})
        primary = sum(d.has_primary_source for d in self.deals)
        return {
            "dataset": self.info.name,
            "deals": len(self.deals),
            "parties": len({p for d in self.deals for p in (d.payer, d.payee)}),
            "entities": len(self.entities),
            "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None,
            "primary_source_share": primary / len(self.deals) if self.deals else 0.0,
            "financials": len(self.financials),
        }


DEAL_COLUMNS = (
    "id",
    "date",
    "kind",
    "payer",
    "payee",
    "amount",
    "currency",
    "low",
    "high",
    "up_to",
    "committed",
    "drawn",
    "estimate",
    "status",
    "confidence",
    "source_url",
    "source_urls",
    "primary_source",
    "legs",
    "title",
)


def legs_within(deals: Sequence[Deal]) -> list[Deal]:
    """``deals`` with every leg naming a deal outside them removed (a subset of a ledger stays consistent)."""
    kept = {d.id for d in deals}
    return [
        d if set(d.legs) <= kept else d.model_copy(update={"legs": [x for x in d.legs if x in kept]}) for d in deals
    ]


def deal_row(d: Deal) -> dict[str, object]:
    """A flat, JSON-ready dict of one deal (the stable ``--format json`` record)."""
    a = d.amount
    return {
        "id": d.id,
        "date": d.date.isoformat(),
        "kind": d.kind.value,
        "payer": d.payer,
        "payee": d.payee,
        "amount": a.headline,
        "currency": a.currency,
        "low": a.low,
        "high": a.high,
        "up_to": a.up_to,
        "committed": a.committed_value,
        "drawn": a.drawn_value,
        "estimate": a.estimate,
        "status": d.status.value,
        "confidence": d.confidence.value,
        "source_url": d.sources[0].url,
        "source_urls": [s.url for s in d.sources],
        "primary_source": d.has_primary_source,
        "legs": list(d.legs),
        "title": d.title,
    }


def integrity_problems(
    entities: Sequence[Entity],
    deals: Sequence[Deal],
    financials: Sequence[Financial] = (),
    *,
    origin: str = "<memory>",
    locate: Locator | None = None,
    invalid_entity_ids: Collection[str] = (),
    invalid_deal_ids: Collection[str] = (),
    check_parties: bool = True,
    check_legs: bool = True,
) -> list[InputProblem]:
    """Problems that span records: duplicate ids, unknown parties and parents, legs naming no deal, and the
    histories' references (successor deals and parties, merger cycles, counterparties: :mod:`.successions`).

    Parameters
    ----------
    entities, deals, financials
        The records, in the order they were read (duplicates are reported at their second occurrence).
    origin
        The file or dataset named in a problem when ``locate`` is not given.
    locate
        ``locate(record, field) -> (file, line)``; loaders pass one so that each problem names its file and line.
    invalid_entity_ids, invalid_deal_ids
        Ids of records that failed validation (already reported); references to them are not reported again.
    check_parties, check_legs
        Whether to check references to entities / deals at all; a loader turns a check off when the file holding
        those records could not be read, so that one unreadable file does not make every reference a problem.
    """

    def problem(message: str, record: object, fld: str) -> InputProblem:
        file, line = locate(record, fld) if locate is not None else (origin, None)
        return InputProblem(message, file=file, line=line, field=fld)

    out: list[InputProblem] = []
    entity_ids: dict[str, Entity] = {}
    for e in entities:
        if e.id in entity_ids:
            out.append(problem(f"duplicate entity id {e.id!r}", e, "id"))
        entity_ids.setdefault(e.id, e)
    known_entities = set(entity_ids) | set(invalid_entity_ids)
    deal_ids: set[str] = set()
    for d in deals:
        if d.id in deal_ids:
            out.append(problem(f"duplicate deal id {d.id!r}", d, "id"))
        deal_ids.add(d.id)
    known_deals = deal_ids | set(invalid_deal_ids)
    for d in deals:
        for role in ("payer", "payee"):
            pid = getattr(d, role)
            if check_parties and pid not in known_entities:
                out.append(
                    problem(f"deal {d.id!r} names unknown entity {pid!r}{did_you_mean(pid, entity_ids)}", d, role)
                )
        for i, leg in enumerate(d.legs):
            if check_legs and leg not in known_deals:
                out.append(
                    problem(
                        f"deal {d.id!r} lists leg {leg!r}, which names no deal{did_you_mean(leg, deal_ids - {d.id})}",
                        d,
                        f"legs[{i}]",
                    )
                )
    for f in financials:
        if check_parties and f.entity not in known_entities:
            out.append(
                problem(
                    f"financial figure names unknown entity {f.entity!r}{did_you_mean(f.entity, entity_ids)}",
                    f,
                    "entity",
                )
            )
    for e in entities:
        if check_parties and e.parent is not None and e.parent not in known_entities:
            out.append(
                problem(
                    f"entity {e.id!r} names unknown parent {e.parent!r}{did_you_mean(e.parent, entity_ids)}",
                    e,
                    "parent",
                )
            )
    from junkan.ledger.successions import succession_problems

    out += succession_problems(
        entities,
        deals,
        financials,
        problem,
        known_entities=known_entities,
        known_deals=known_deals,
        check_parties=check_parties,
        check_deals=check_legs,
    )
    return out
