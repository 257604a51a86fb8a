"""What the scorecard scores: a dataset as a whole, each arrangement in it, and each party.

Definitions (they decide which deals a score is computed on)
------------------------------------------------------------
* An **arrangement** is a connected group of deals linked by ``legs`` (legs are symmetric: a link listed on either
  deal counts), plus any deal with no legs that forms a loop with a deal of the group between the same two parties
  (``A -> B`` with no legs joins the group holding a ``B -> A`` deal). A deal linked to nothing and looping with
  nothing is an arrangement of its own (``linked=False``). Cancelled deals are left out. An arrangement's id is the
  id of its earliest deal (then the smallest id), prefixed by the dataset: ``ai-compute/msft-openai-2019``.
* A **dataset case** is every (not cancelled) deal of a dataset; its id is the dataset's name.
* A **party case** is every (not cancelled) deal the party takes part in, with the party in the vendor's seat;
  its id is ``dataset/party:ID``.

Roles
-----
The **vendor** of a case is the party that receives the most money for goods, capacity or licences in it (hardware
purchases, purchase commitments, leases, capacity swaps, revenue shares, on the scorecard's basis); service fees
count only when no such sale moves, since in a round trip they are usually the outbound leg (Orts's "advertising"
fees). Ties (a symmetric swap) go to the party with the larger such receipts across the whole dataset (the hub),
then to the party that sends the most in the case, then to the smaller id. A case in which no operating money moves
has as vendor the party that sends the most financing (equity, warrants, joint-venture capital, cloud credits,
loans, credit facilities, GPU-backed debt, guarantees, backstops), else the party that sends the most. The
vendor's **customers** are the parties it finances in the case and the parties that pay it in operating deals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from junkan.flows.cycles import OPERATING_KINDS
from junkan.flows.exposure import FINANCING_KINDS
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal, DealKind

LEVELS = ("dataset", "arrangement", "party")


@dataclass(frozen=True)
class Case:
    """One thing the scorecard scores: a set of deals of one dataset, with the vendor seat fixed or chosen."""

    id: str
    dataset: str
    level: str
    deals: tuple[str, ...]
    label: str
    linked: bool = True
    vendor: str | None = None  # fixed vendor (party cases); None: chosen by amounts (see the module docstring)

    def parties(self, ledger: Ledger) -> tuple[str, ...]:
        """The parties of the case's deals, sorted."""
        return tuple(sorted({p for d in self.deals for p in (ledger.deal(d).payer, ledger.deal(d).payee)}))


def _live(ledger: Ledger) -> list[Deal]:
    return [d for d in ledger.deals if not d.is_ended]


def arrangements(ledger: Ledger) -> list[Case]:
    """The arrangements of a ledger (see the module docstring), ordered by their first deal's date and id."""
    deals = _live(ledger)
    ids = {d.id for d in deals}
    parent = {d.id: d.id for d in deals}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for d in deals:
        for leg in d.legs:
            if leg in ids:
                union(d.id, leg)
    linked_ids = {d.id for d in deals} & (
        {d.id for d in deals if any(x in ids for x in d.legs)} | {leg for d in deals for leg in d.legs if leg in ids}
    )
    # single deals (no legs either way) that loop with another deal between the same two parties
    by_pair: dict[tuple[str, str], list[str]] = {}
    for d in deals:
        by_pair.setdefault((d.payer, d.payee), []).append(d.id)
    for d in deals:
        if d.id in linked_ids:
            continue
        back = by_pair.get((d.payee, d.payer), [])
        if back:
            union(d.id, sorted(back)[0])
            linked_ids.add(d.id)
            linked_ids.update(back)
    groups: dict[str, list[Deal]] = {}
    for d in deals:
        groups.setdefault(find(d.id), []).append(d)
    out = []
    for members in groups.values():
        members.sort(key=lambda d: (d.date, d.id))
        first = members[0]
        parties = sorted({p for d in members for p in (d.payer, d.payee)})
        names = [ledger.entities[p].name if p in ledger.entities else p for p in parties]
        out.append(
            Case(
                id=f"{ledger.name}/{first.id}",
                dataset=ledger.name,
                level="arrangement",
                deals=tuple(d.id for d in members),
                label=" / ".join(names),
                linked=any(d.id in linked_ids for d in members),
            )
        )
    out.sort(key=lambda c: (ledger.deal(c.deals[0]).date, c.deals[0]))
    return out


def dataset_case(ledger: Ledger) -> Case:
    """The whole dataset as one case."""
    return Case(
        id=ledger.name,
        dataset=ledger.name,
        level="dataset",
        deals=tuple(d.id for d in _live(ledger)),
        label=ledger.info.title,
    )


def party_cases(ledger: Ledger, parties: Iterable[str] | None = None) -> list[Case]:
    """One case per party (every party named in a live deal, or those given), the party in the vendor's seat."""
    deals = _live(ledger)
    named = sorted({p for d in deals for p in (d.payer, d.payee)})
    wanted = named if parties is None else [ledger.resolve_entity(p).id for p in parties]
    out = []
    for p in wanted:
        mine = tuple(d.id for d in deals if p in (d.payer, d.payee))
        if not mine:
            continue
        name = ledger.entities[p].name if p in ledger.entities else p
        out.append(
            Case(id=f"{ledger.name}/party:{p}", dataset=ledger.name, level="party", deals=mine, label=name, vendor=p)
        )
    return out


SALE_KINDS = OPERATING_KINDS - {DealKind.service_fee}


def sales_receipts(deals: Iterable[Deal], amount: Mapping[str, float]) -> dict[str, float]:
    """Money each party receives for goods, capacity or licences (:data:`SALE_KINDS`) among ``deals``."""
    out: dict[str, float] = {}
    for d in deals:
        if d.kind in SALE_KINDS:
            out[d.payee] = out.get(d.payee, 0.0) + amount.get(d.id, 0.0)
    return out


def choose_vendor(
    deals: Iterable[Deal], amount: Mapping[str, float], hub: Mapping[str, float] | None = None
) -> tuple[str | None, tuple[str, ...]]:
    """The vendor and its customers among ``deals`` (``amount[deal_id]`` on the scorecard's basis, US dollars).

    ``hub`` gives each party's sales receipts across the whole dataset (the first tie-break).
    """
    deals = list(deals)
    hub = hub or {}
    sales = sales_receipts(deals, amount)
    fees: dict[str, float] = {}
    fin_out: dict[str, float] = {}
    out_all: dict[str, float] = {}
    for d in deals:
        x = amount.get(d.id, 0.0)
        out_all[d.payer] = out_all.get(d.payer, 0.0) + x
        if d.kind == DealKind.service_fee:
            fees[d.payee] = fees.get(d.payee, 0.0) + x
        elif d.kind in FINANCING_KINDS:
            fin_out[d.payer] = fin_out.get(d.payer, 0.0) + x
    vendor: str | None = None
    for table in (sales, fees, fin_out, out_all):
        positive = {p: v for p, v in table.items() if v > 0}
        if positive:
            top = max(positive.values())
            tied = [p for p, v in positive.items() if v >= top * (1 - 1e-9)]
            vendor = min(tied, key=lambda p: (-hub.get(p, 0.0), -out_all.get(p, 0.0), p))
            break
    if vendor is None:
        return None, ()
    return vendor, customers_of(vendor, deals)


def customers_of(vendor: str, deals: Iterable[Deal]) -> tuple[str, ...]:
    """Parties ``vendor`` finances, and parties that pay it in operating deals, among ``deals`` (sorted)."""
    out = set()
    for d in deals:
        if d.payer == vendor and d.kind in FINANCING_KINDS:
            out.add(d.payee)
        if d.payee == vendor and d.kind in OPERATING_KINDS:
            out.add(d.payer)
    out.discard(vendor)
    return tuple(sorted(out))
