"""``junkan deals``: list, show, validate, export, copy, add, update and diff the deals of a dataset.

Usage::

    junkan deals list     [--data NAME|PATH] [--format table|json|csv] [--kind K]... [--status S]... [--party P]
                          [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--min-confidence low|medium|high]
                          [--as-of YYYY-MM-DD]
    junkan deals show ID  [--data NAME|PATH] [--format table|json|csv] [--as-of YYYY-MM-DD]
    junkan deals validate [PATH] [--all] [--data NAME|PATH] [--format table|json|csv]
    junkan deals export   --to FILE [--as csv|json|parquet|graphml] [--data NAME|PATH] [list's filters]
    junkan deals copy     NAME DIR
    junkan deals add      --data DIR (--yaml FILE | --id ID --date D --kind K --payer P --payee P --amount X
                          --status S --confidence C --source-url URL [...]) [--file deals/NAME.yaml]
    junkan deals update   ID --data DIR --status S --on DATE --source URL [--drawn X] [--committed X] [--value X]
                          [--superseded-by ID] [--note TEXT]
    junkan deals diff     OLD NEW [--format table|json|csv]

``--as-of`` shows the ledger as known on that date (:meth:`junkan.ledger.model.Ledger.as_of`). ``add`` and
``update`` write into a dataset directory (never into a bundled dataset: ``copy`` it first), after checking the
change against the whole dataset, atomically (:mod:`junkan.ledger.edit`).

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
    console_err,
    emit,
    format_money,
    parse_as_of_option,
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
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="The ledger as known on this date: statuses, amounts, sources and parties of then."),
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


def _as_of(ledger: Ledger, as_of: str | None) -> Ledger:
    when = parse_as_of_option(as_of, ledger)
    return ledger if when is None else ledger.as_of(when)


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
    as_of: AsOfOption = None,
) -> None:
    """List deals (date order). JSON: a list of deal objects with the keys of DEAL_COLUMNS."""
    fmt = check_format_input(fmt)
    ledger = _filtered(_as_of(load(data), as_of), kind, status, party, since, until, min_confidence)
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
        "superseded_by": d.superseded_by,
        "base_amount": d.base_amount.model_dump(mode="json"),  # the amount block as written (before restatements)
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
    as_of: AsOfOption = None,
) -> None:
    """Show one deal in full: amounts, schedule, sources, status history, legs, claims and notes."""
    fmt = check_format_input(fmt)
    ledger = _as_of(load(data), as_of)
    if as_of is not None and deal_id not in {d.id for d in ledger.deals}:
        announced = load(data).deal(deal_id).date  # an unknown id gets its did-you-mean here
        raise JunkanInputError.single(
            f"deal {deal_id!r} was announced on {announced}, after --as-of {as_of}", field="--as-of"
        )
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
        ("status", d.status.value + (f" (superseded by {d.superseded_by})" if d.superseded_by else "")),
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
    if d.status_history:
        console.print("[bold]status history[/]")
        for ev in d.status_history:
            bits = [ev.date.isoformat(), ev.status.value]
            if ev.superseded_by:
                bits.append(f"by {ev.superseded_by}")
            for name in ("value", "committed", "drawn"):
                v = getattr(ev, name)
                if v is not None:
                    bits.append(f"{name} {_money(v, a.currency)}")
            console.print(
                "  - " + escape(", ".join(bits)) + (f": {escape(ev.note)}" if ev.note else ""), soft_wrap=True
            )
            for src in ev.sources:
                console.print(f"      {escape(src.url)}", soft_wrap=True)
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
            ledger = load(target)
        except JunkanInputError as exc:
            problems.extend(exc.problems)
            continue
        rows.append(_summary_row(ledger))
        for w in ledger.warnings:
            console_err.print(f"[yellow]warning:[/] {escape(str(w))}", highlight=False, soft_wrap=True)
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


# ---------------------------------------------------------------------------------------------- keeping it current
WriteDataOption = Annotated[
    str,
    typer.Option(
        "--data", "-d", help="The dataset DIRECTORY to write into (a copy: see 'junkan deals copy'; never bundled)."
    ),
]


@app.command("copy")
def copy(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Bundled dataset name (or a dataset directory).")],
    to: Annotated[str, typer.Argument(metavar="DIR", help="New directory to copy it to (must not exist).")],
    fmt: FormatOption = "table",
) -> None:
    """Copy a dataset to a new directory, to keep your own version current with add and update."""
    from junkan.ledger.edit import copy_dataset

    fmt = check_format_input(fmt)
    target = copy_dataset(name, to)
    emit([{"dataset": name, "copied_to": str(target), "deals": len(load(target).deals)}], fmt)


#: Deal fields -> the ``deals add`` option that sets them (named in problems).
ADD_OPTIONS = {
    "id": "--id",
    "date": "--date",
    "kind": "--kind",
    "payer": "--payer",
    "payee": "--payee",
    "amount": "--amount",
    "status": "--status",
    "confidence": "--confidence",
    "sources": "--source-url",
    "title": "--title",
    "notes": "--notes",
    "legs": "--leg",
}


@app.command("add")
def add(
    data: WriteDataOption,
    yaml_file: Annotated[
        str | None, typer.Option("--yaml", help="A YAML file holding one deal record (instead of the flags).")
    ] = None,
    deal_id: Annotated[str | None, typer.Option("--id", help="The new deal's id (payer-payee-what-YEAR).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Announcement date, YYYY-MM-DD.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Deal kind, e.g. equity_investment.")] = None,
    payer: Annotated[str | None, typer.Option("--payer", help="Payer: entity id, name or alias.")] = None,
    payee: Annotated[str | None, typer.Option("--payee", help="Payee: entity id, name or alias.")] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="Headline amount, e.g. 30B.")] = None,
    currency: Annotated[str, typer.Option("--currency", help="ISO currency code.")] = "USD",
    committed: Annotated[str | None, typer.Option("--committed", help="Amount committed.")] = None,
    drawn: Annotated[str | None, typer.Option("--drawn", help="Amount drawn (paid, funded).")] = None,
    up_to: Annotated[bool, typer.Option("--up-to", help="The amount is a ceiling ('up to').")] = False,
    status: Annotated[str | None, typer.Option("--status", help="Status, e.g. announced.")] = None,
    confidence: Annotated[str | None, typer.Option("--confidence", help="high, medium or low.")] = None,
    source_url: Annotated[str | None, typer.Option("--source-url", help="The source's URL.")] = None,
    source_title: Annotated[str | None, typer.Option("--source-title", help="The source's title.")] = None,
    source_kind: Annotated[str | None, typer.Option("--source-kind", help="filing, press_release, news...")] = None,
    source_date: Annotated[str | None, typer.Option("--source-date", help="The source's publication date.")] = None,
    source_quote: Annotated[str | None, typer.Option("--source-quote", help="Verbatim quote of the figure.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="One-line title.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes.")] = None,
    leg: Annotated[list[str] | None, typer.Option("--leg", help="Id of a linked leg (repeatable).")] = None,
    file: Annotated[
        str | None, typer.Option("--file", help="File in the dataset to append to (default deals/added.yaml).")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Add one deal to a dataset directory: checked against the whole dataset, written atomically."""
    from junkan.ledger.edit import add_deal, writable_dataset

    fmt = check_format_input(fmt)
    writable_dataset(data)
    flags = {
        "--id": deal_id,
        "--date": date,
        "--kind": kind,
        "--payer": payer,
        "--payee": payee,
        "--amount": amount,
        "--status": status,
        "--confidence": confidence,
        "--source-url": source_url,
    }
    if yaml_file is not None:
        given = [k for k, v in flags.items() if v is not None]
        if given:
            raise JunkanInputError.single(
                f"give --yaml or the record's flags, not both ({', '.join(given)})", field="--yaml"
            )
        record, origin, lines = _read_snippet(yaml_file)
    else:
        missing = [k for k, v in flags.items() if v is None]
        if missing:
            raise JunkanInputError(
                [InputProblem("missing option (or give --yaml FILE with the record)", field=k) for k in missing]
            )
        ledger = load(data)
        parties: dict[str, str] = {}
        for role, given_party in (("payer", payer), ("payee", payee)):
            assert given_party is not None
            try:
                parties[role] = ledger.resolve_entity(given_party).id  # an id, a name or an alias
            except JunkanInputError:
                parties[role] = given_party  # add_deal reports it with suggestions
        src: dict[str, Any] = {"url": source_url, "title": source_title, "kind": source_kind, "date": source_date}
        src["quote"] = source_quote
        amt: dict[str, Any] = {"value": amount, "currency": currency, "committed": committed, "drawn": drawn}
        if up_to:
            amt = {"high": amount, "up_to": True, "currency": currency, "committed": committed, "drawn": drawn}
        record = {
            "id": deal_id,
            "date": date,
            "kind": kind,
            "payer": parties["payer"],
            "payee": parties["payee"],
            "title": title,
            "amount": amt,
            "status": status,
            "confidence": confidence,
            "sources": [src],
            "legs": list(leg) if leg else None,
            "notes": notes,
        }
        origin, lines = "(command line)", {}
    try:
        written = add_deal(data, record, file=file, origin=origin, line_of=lines)
    except JunkanInputError as exc:
        if yaml_file is None:  # name the flags rather than the record's fields
            raise JunkanInputError([_flag_problem(p) for p in exc.problems]) from None
        raise
    emit([{"added": written.deal_id, "file": str(written.file), "line": written.line}], fmt)


def _flag_problem(p: InputProblem) -> InputProblem:
    if p.file != "(command line)" or p.field is None:
        return p
    top = p.field.split(".", 1)[0].split("[", 1)[0]
    opt = ADD_OPTIONS.get(top)
    if p.field.startswith("amount.") and p.field.split(".", 1)[1] in ("committed", "drawn", "currency"):
        opt = "--" + p.field.split(".", 1)[1]
    if p.field.startswith("sources[0]."):
        opt = "--source-" + p.field.split(".", 1)[1]
    return InputProblem(p.message, field=opt or p.field)


def _read_snippet(path: str) -> tuple[dict[str, Any], str, dict[str, int]]:
    """The one record of a ``--yaml`` file, its name, and the line of each top-level key."""
    from pathlib import Path

    from junkan.ledger.yaml_lines import parse_yaml

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise JunkanInputError.single(f"cannot read file: {exc.strerror or exc}", file=path, field="--yaml") from None
    doc = parse_yaml(data, path)
    if doc.problems:
        raise JunkanInputError(doc.problems)
    value = doc.value
    prefix: tuple[int, ...] = ()
    if isinstance(value, list) and len(value) == 1:
        value, prefix = value[0], (0,)
    if not isinstance(value, dict):
        raise JunkanInputError.single(
            "expected one deal record (a mapping of keys, or a list holding one)", file=path, line=doc.line(())
        )
    lines = {k: doc.line((*prefix, k)) or 1 for k in value}
    return value, path, lines


@app.command("update")
def update(
    deal_id: Annotated[str, typer.Argument(metavar="ID", help="The deal's id.")],
    data: WriteDataOption,
    status: Annotated[str, typer.Option("--status", help="The new status, e.g. closed, lapsed, superseded.")],
    on: Annotated[str, typer.Option("--on", help="Date of the change, YYYY-MM-DD.")],
    source: Annotated[str, typer.Option("--source", help="URL of the source that reports the change.")],
    source_title: Annotated[str | None, typer.Option("--source-title", help="The source's title.")] = None,
    source_kind: Annotated[str | None, typer.Option("--source-kind", help="filing, press_release, news...")] = None,
    source_date: Annotated[str | None, typer.Option("--source-date", help="Publication date (default --on).")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Restated headline amount.")] = None,
    committed: Annotated[str | None, typer.Option("--committed", help="Restated committed amount.")] = None,
    drawn: Annotated[str | None, typer.Option("--drawn", help="Restated drawn amount.")] = None,
    superseded_by: Annotated[
        str | None, typer.Option("--superseded-by", help="Id of the deal that replaces it (with --status superseded).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A short note.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Append a dated status event to a deal, in its YAML file (comments and layout kept), atomically."""
    from junkan.ledger.edit import update_deal

    fmt = check_format_input(fmt)
    src = {"url": source, "title": source_title, "kind": source_kind, "date": source_date or on}
    event = {
        "date": on,
        "status": status,
        "superseded_by": superseded_by,
        "value": value,  # written as given ("0.5B"); the schema parses and checks it
        "committed": committed,
        "drawn": drawn,
        "sources": [src],
        "note": note,
    }
    options = {
        "date": "--on",
        "status": "--status",
        "sources": "--source",
        "superseded_by": "--superseded-by",
        "value": "--value",
        "committed": "--committed",
        "drawn": "--drawn",
        "note": "--note",
    }
    written = update_deal(data, deal_id, event, option_of=options)
    emit(
        [{"updated": written.deal_id, "status": status, "on": on, "file": str(written.file), "line": written.line}], fmt
    )


#: Columns of ``deals diff`` (every format).
DIFF_COLUMNS = ("record", "key", "change", "field", "old", "new")


@app.command("diff")
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The older dataset: bundled name or path.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The newer dataset: bundled name or path.")],
    fmt: FormatOption = "table",
) -> None:
    """What changed from OLD to NEW: records added, removed and changed (field by field).

    JSON: ``{"old", "new", "counts": {record: {added, removed, changed}}, "changes": [rows]}``.
    """
    from junkan.ledger.diff import diff_ledgers

    fmt = check_format_input(fmt)
    res = diff_ledgers(load(old), load(new))
    rows = [c.row() for c in res.changes]
    if fmt == "json":
        emit(rows, "json", json_obj=res.to_json())
        return
    counts = res.counts()
    title = "; ".join(f"{rec}s +{c['added']} -{c['removed']} ~{c['changed']}" for rec, c in counts.items())
    emit(rows, fmt, columns=DIFF_COLUMNS, title=f"{old} -> {new}: {title}")
