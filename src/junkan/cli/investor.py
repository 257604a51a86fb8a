"""``junkan shares VENDOR``: returned money against revenue and segment revenue, warrants (ASC 606), backlog.

Usage::

    junkan shares VENDOR [--as-of DATE] [--basis committed|drawn|headline] [--nature N[,N...]]
                         [--include-cancelled] [--outside financials|none] [--data NAME|PATH] [--format table|json]

JSON: :meth:`junkan.flows.investor.InvestorView.to_dict` (docs/flows.md). Exit status 0, or 2 on bad input.
"""

from __future__ import annotations

from typing import Annotated

import typer

from junkan.cli._common import (
    DEFAULT_DATA,
    DataOption,
    FormatOption,
    check_format_input,
    console,
    emit,
    parse_date_option,
)


def shares(
    vendor: Annotated[str, typer.Argument(help="Vendor: party id, name or alias.")],
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only deals and figures up to this date.")] = None,
    basis: Annotated[str, typer.Option("--basis", help="committed (default), drawn or headline.")] = "committed",
    nature: Annotated[str, typer.Option("--nature", help="Flow natures, comma-separated, or all.")] = "all",
    include_cancelled: Annotated[bool, typer.Option("--include-cancelled", help="Keep cancelled deals.")] = False,
    outside: Annotated[str, typer.Option("--outside", help="Outside inflow: financials (default) or none.")] = (
        "financials"
    ),
) -> None:
    """Own money back as a share of revenue and segment revenue per fiscal year; warrants; backlog concentration."""
    from junkan.cli.analysis import load_ledger
    from junkan.flows.investor import investor_view

    fmt = check_format_input(fmt)
    ledger = load_ledger(data)
    res = investor_view(
        ledger,
        vendor,
        as_of=parse_date_option(as_of, "--as-of"),
        basis=basis,
        natures=nature,
        include_cancelled=include_cancelled,
        outside=outside,
    )
    doc = res.to_dict()
    if fmt == "json":
        emit([], "json", json_obj=doc)
        return
    if fmt == "csv":
        rows = doc["years"]
        emit(rows, "csv", columns=list(rows[0]) if rows else ["period"])  # type: ignore[index, arg-type]
        return
    console.print(f"[bold]{res.name}[/] ({res.vendor}): basis {basis}, outside inflow {outside}", highlight=False)
    emit(doc["years"], "table", title="own money back in each fiscal year's deals vs revenue and segment revenue")  # type: ignore[arg-type]
    if res.warrants:
        emit(doc["warrants"], "table", title="warrants as consideration payable to a customer (ASC 606)")  # type: ignore[arg-type]
    console.print(
        f"backlog (RPO): {res.backlog:,.0f} ({res.backlog_period})" if res.backlog else "no backlog figure on file",
        highlight=False,
    )
    emit(doc["customers"], "table", title="customers: financing, purchases, backlog shares")  # type: ignore[arg-type]
