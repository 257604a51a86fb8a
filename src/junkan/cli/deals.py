"""``junkan deals``: list, show, validate and export the deals of a dataset.

Usage::

    junkan deals list     [--data NAME|PATH] [--format table|json|csv] [--kind K]... [--status S]... [--party P]
                          [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--min-confidence low|medium|high]
    junkan deals show ID  [--data NAME|PATH] [--format table|json|csv]
    junkan deals validate [PATH] [--all] [--data NAME|PATH] [--format table|json|csv]
    junkan deals export   --to FILE [--as csv|json|parquet|graphml] [--data NAME|PATH] [list's filters]

Exit status: 0 success; 2 bad input (every problem listed with its file, line or row, and field).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from junkan.cli._common import (
    DEFAULT_DATA,
    DataOption,
    FormatOption,
    check_format_input,
    console,
    emit,
    format_money,
    parse_date_option,
)
from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.export import EXPORT_FORMATS, export_format, export_ledger
from junkan.ledger.load import list_datasets, load
from junkan.ledger.model import DEAL_COLUMNS, Ledger, deal_row
from junkan.ledger.schema import DEAL_KINDS, Confidence, Deal, DealKind, Status

app = typer.Typer(help="List, show, validate and export the deals of a dataset.", no_args_is_help=True)

KindOption = Annotated[
    list[str] | None, typer.Option("--kind", "-k", help="Only these deal kinds (repeatable), e.g. loan.")
]
StatusOption = Annotated[
    list[str] | None, typer.Option("--status", "-s", help="Only these statuses (repeatable), e.g. signed.")
]
PartyOption = Annotated[
    str | None, typer.Option("--party", "-p", help="Only deals with this party (id, name or alias).")
]
SinceOption = Annotated[str | None, typer.Option("--since", help="Only deals announced on or after this date.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only deals announced on or before this date.")]
MinConfidenceOption = Annotated[
    str | None, typer.Option("--min-confidence", help="Only deals with at least this confidence: low, medium, high.")
]

#: Columns of ``deals list`` in table format (json and csv carry every column of ``DEAL_COLUMNS``).
TABLE_COLUMNS = (
    "id",
    "date",
    "kind",
    "payer",
    "payee",
    "amount",
    "currency",
    "committed",
    "drawn",
    "status",
    "confidence",
)


#: Columns of ``deals validate`` in table format (json and csv add ``origin`` and ``ok``).
VALIDATE_TABLE_COLUMNS = ("dataset", "deals", "parties", "entities", "years", "primary_source_share", "financials")


def _choices(values: list[str] | None, allowed: list[str], option: str) -> list[str] | None:
    if not values:
        return None
    bad = [v for v in values if v not in allowed]
    if bad:
        raise JunkanInputError(
            [InputProblem(f"unknown value {v!r}; allowed values: {', '.join(allowed)}", field=option) for v in bad]
        )
    return values


def _filtered(
    ledger: Ledger,
    kind: list[str] | None,
    status: list[str] | None,
    party: str | None,
    since: str | None,
    until: str | None,
    min_confidence: str | None,
) -> Ledger:
    kinds = _choices(kind, [k.value for k in DealKind], "--kind")
    statuses = _choices(status, [s.value for s in Status], "--status")
    conf = _choices([min_confidence] if min_confidence else None, [c.value for c in Confidence], "--min-confidence")
    start, end = parse_date_option(since, "--since"), parse_date_option(until, "--until")
    if start and end and start > end:
        raise JunkanInputError.single(f"--since ({start}) is after --until ({end})", field="--since")
    return ledger.filter(
        start=start, end=end, kinds=kinds, statuses=statuses, min_confidence=conf[0] if conf else None, party=party
    )


@app.command("list")
def list_deals(
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    kind: KindOption = None,
    status: StatusOption = None,
    party: PartyOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_confidence: MinConfidenceOption = None,
) -> None:
    """List deals (date order). JSON: a list of deal objects with the keys of DEAL_COLUMNS."""
    fmt = check_format_input(fmt)
    ledger = _filtered(load(data), kind, status, party, since, until, min_confidence)
    rows = [deal_row(d) for d in ledger.deals]
    columns = TABLE_COLUMNS if fmt == "table" else DEAL_COLUMNS
    emit(rows, fmt, columns=columns, title=f"{ledger.info.title}: {len(rows)} deals")


def deal_detail(ledger: Ledger, d: Deal) -> dict[str, Any]:
    """The full record of one deal for ``show --format json``: the schema's dump plus derived fields."""
    out = d.model_dump(mode="json")
    out["derived"] = {
        "headline": d.amount.headline,
        "committed": d.amount.committed_value,
        "drawn": d.amount.drawn_value,
        "nature": d.nature.value,
        "direction": DEAL_KINDS[d.kind].direction,
        "primary_source": d.has_primary_source,
        "payer_name": ledger.entities[d.payer].name,
        "payee_name": ledger.entities[d.payee].name,
        "all_legs": [x.id for x in ledger.legs_of(d.id)],
    }
    return out


@app.command("show")
def show(
    deal_id: Annotated[str, typer.Argument(metavar="ID", help="The deal's id.")],
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
) -> None:
    """Show one deal in full: amounts, schedule, sources, legs, claims and notes."""
    fmt = check_format_input(fmt)
    ledger = load(data)
    d = ledger.deal(deal_id)
    if fmt == "json":
        emit([], "json", json_obj=deal_detail(ledger, d))
        return
    if fmt == "csv":
        emit([deal_row(d)], "csv", columns=DEAL_COLUMNS)
        return
    _print_deal(ledger, d)


def _money(v: float | None, currency: str) -> str:
    return "" if v is None else f"{format_money(v)} {currency}"


def _print_deal(ledger: Ledger, d: Deal) -> None:
    a = d.amount
    console.print(f"[bold]{escape(d.id)}[/]" + (f": {escape(d.title)}" if d.title else ""))
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    payer, payee = ledger.entities[d.payer], ledger.entities[d.payee]
    amount = _money(a.headline, a.currency)
    if a.low is not None:
        amount += f" (range {_money(a.low, a.currency)} to {_money(a.high, a.currency) or '?'})"
    if a.up_to:
        amount = "up to " + amount
    if a.currency != "USD" and any(r.currency == a.currency for r in ledger.fx):
        rate = ledger.fx_rate(a.currency, d.date.year)
        amount += f" (about {_money(a.headline * rate, 'USD')} at {rate:g} USD/{a.currency})"
    if a.estimate:
        amount += " [estimate" + (f": {a.basis}" if a.basis else "") + "]"
    rows = [
        ("date", d.date.isoformat() + (f" to {d.end_date.isoformat()}" if d.end_date else "")),
        ("kind", f"{d.kind.value} ({d.nature.value}): {DEAL_KINDS[d.kind].direction}"),
        ("payer", f"{payer.name} ({payer.id})"),
        ("payee", f"{payee.name} ({payee.id})"),
        ("amount", amount),
        ("committed", _money(a.committed_value, a.currency)),
        ("drawn", _money(a.drawn_value, a.currency)),
        ("status", d.status.value),
        ("confidence", d.confidence.value),
    ]
    if d.tags:
        rows.append(("tags", ", ".join(d.tags)))
    for k, v in rows:
        facts.add_row(k, escape(v))
    console.print(facts)
    if d.schedule is not None:
        s = d.schedule
        console.print("[bold]schedule[/]")
        parts = []
        if s.unit_amount is not None and s.units is not None:
            parts.append(f"{_money(s.unit_amount, a.currency)} per {s.unit or 'unit'} x {s.units:g}")
        if s.start or s.end:
            parts.append(f"from {s.start or '?'} to {s.end or '?'}")
        if s.capacity_gw is not None:
            parts.append(f"{s.capacity_gw:g} GW")
        if s.notes:
            parts.append(s.notes)
        if parts:
            console.print("  " + escape("; ".join(parts)))
        if s.tranches:
            t = Table("amount", "date", "condition", "status", box=None)
            for tr in s.tranches:
                t.add_row(
                    _money(tr.amount, a.currency),
                    tr.date.isoformat() if tr.date else "",
                    escape(tr.condition or ""),
                    tr.status.value if tr.status else "",
                )
            console.print(t)
    console.print("[bold]sources[/]")
    for src in d.sources:
        bits = [src.kind.value + (" (primary)" if src.is_primary else "")]
        bits += [x for x in (src.publisher, src.title, src.date.isoformat() if src.date else None) if x]
        console.print(f"  - {escape(src.url)}  [dim]{escape(', '.join(bits))}[/]", soft_wrap=True)
        if src.quote:
            console.print(f'    "{escape(src.quote)}"', soft_wrap=True)
    legs = ledger.legs_of(d.id)
    if legs:
        console.print("[bold]legs[/]")
        for leg in legs:
            console.print(
                f"  - {escape(leg.id)}: {leg.kind.value} {escape(leg.payer)} -> {escape(leg.payee)} "
                f"{_money(leg.amount.headline, leg.amount.currency)} ({leg.status.value})"
            )
    if d.claims:
        console.print("[bold]claims[/]")
        for c in d.claims:
            line = f"  - [{c.verdict}] {c.text}" + (f": {c.note}" if c.note else "")
            console.print(escape(line), soft_wrap=True)
            for src in c.sources:
                console.print(f"      {escape(src.url)}", soft_wrap=True)
    if d.notes:
        console.print("[bold]notes[/]")
        console.print("  " + escape(d.notes), soft_wrap=True)


def _summary_row(ledger: Ledger) -> dict[str, Any]:
    s = ledger.summary()
    years = f"{s['first_year']}-{s['last_year']}" if s["first_year"] is not None else ""
    return {
        "dataset": s["dataset"],
        "origin": ledger.origin,
        "ok": True,
        "deals": s["deals"],
        "parties": s["parties"],
        "entities": s["entities"],
        "years": years,
        "primary_source_share": round(float(s["primary_source_share"]), 4),  # type: ignore[arg-type]
        "financials": s["financials"],
        "fx_rates": len(ledger.fx),
    }


@app.command("validate")
def validate(
    path: Annotated[str | None, typer.Argument(help="Dataset name or path (default: --data).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Validate every bundled dataset.")] = False,
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
) -> None:
    """Check a dataset; print its summary, or every problem (file, line, field) and exit with status 2."""
    fmt = check_format_input(fmt)
    targets = list_datasets() if all_ else [path or data]
    if all_ and path:
        raise JunkanInputError.single("give a PATH or --all, not both", field="--all")
    if not targets:
        raise JunkanInputError.single("no bundled datasets are installed", field="--all")
    rows: list[dict[str, Any]] = []
    problems: list[InputProblem] = []
    for target in targets:
        try:
            rows.append(_summary_row(load(target)))
        except JunkanInputError as exc:
            problems.extend(exc.problems)
    if rows:
        emit(rows, fmt, columns=VALIDATE_TABLE_COLUMNS if fmt == "table" else None, title="valid datasets")
    if problems:
        raise JunkanInputError(problems)


@app.command("export")
def export(
    to: Annotated[str, typer.Option("--to", "-o", help="Output file (.csv, .json, .parquet or .graphml).")],
    as_: Annotated[
        str | None, typer.Option("--as", help=f"Format, if not from the extension: {', '.join(EXPORT_FORMATS)}.")
    ] = None,
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    kind: KindOption = None,
    status: StatusOption = None,
    party: PartyOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_confidence: MinConfidenceOption = None,
) -> None:
    """Write the (filtered) deals to a file, atomically; nothing is written if the input is bad."""
    fmt = check_format_input(fmt)
    chosen = export_format(to, as_)
    ledger = _filtered(load(data), kind, status, party, since, until, min_confidence)
    export_ledger(ledger, to, chosen)
    emit([{"file": to, "format": chosen, "deals": len(ledger.deals), "parties": len(ledger.entities)}], fmt)
