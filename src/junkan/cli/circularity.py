"""``junkan circularity``: how circular the whole money-flow web is (Circular Directional Flow Decomposition).

Usage::

    junkan circularity [--method max|bff] [--by year|quarter] [--as-of DATE] [--since DATE]
                       [--basis committed|drawn|headline] [--nature N[,N...]] [--include-cancelled]
                       [--uncertainty N] [--seed S] [--top K] [--data NAME|PATH] [--format table|json|csv]

JSON: ``{"index", "index_interval", "summary", "edges", "parties", "by_period"}`` (docs/flows.md). CSV: one row per
edge, or one per period with ``--by``. Exit status: 0 success; 2 bad input, printed without a traceback.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

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
from junkan.errors import JunkanInputError


def _records(df: Any) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in df.to_dict(orient="records")]


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def circularity(
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    method: Annotated[
        str, typer.Option("--method", help="max (maximum circularity, default) or bff (Balanced Flow Forwarding).")
    ] = "max",
    by: Annotated[
        str | None, typer.Option("--by", help="Also the index of the cumulative web at each year or quarter end.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only deals announced on or before this date.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only deals announced on or after this date.")] = None,
    basis: Annotated[
        str, typer.Option("--basis", help="Money of each deal: committed (default), drawn or headline.")
    ] = "committed",
    nature: Annotated[str, typer.Option("--nature", help="Flow natures, comma-separated, or all (default).")] = "all",
    include_cancelled: Annotated[bool, typer.Option("--include-cancelled", help="Keep cancelled deals.")] = False,
    uncertainty: Annotated[
        int, typer.Option("--uncertainty", help="Draws of ranged and undisclosed amounts for a 90% interval (0: none).")
    ] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the uncertainty draws (recorded).")] = None,
    top: Annotated[int, typer.Option("--top", help="Edges and parties shown in the table.")] = 15,
) -> None:
    """The circularity index: the share of the web's money that goes round (Homs-Dones et al. 2025)."""
    from junkan.cli.analysis import load_ledger
    from junkan.flows.circularity import circularity as run

    fmt = check_format_input(fmt)
    if uncertainty < 0:
        raise JunkanInputError.single(f"--uncertainty must not be negative, got {uncertainty}", field="--uncertainty")
    ledger = load_ledger(data)
    kw: dict[str, Any] = {
        "method": method,
        "by": by,
        "as_of": parse_date_option(as_of, "--as-of"),
        "since": parse_date_option(since, "--since"),
        "basis": basis,
        "natures": nature,
        "include_cancelled": include_cancelled,
    }
    if uncertainty:
        kw.update(uncertainty=uncertainty, seed=seed)
    res = run(ledger, **kw)
    if fmt == "json":
        emit([], "json", json_obj=res.to_dict())
        return
    if fmt == "csv":
        frame = res.periods_frame() if by else res.to_frame()
        emit(frame.pipe(_records), "csv", columns=list(frame.columns))
        return
    s = res.summary()
    interval = res.index_interval
    console.print(
        f"[bold]{ledger.info.title}[/]: circularity index {_pct(res.index)} ({method})"
        + (f", 90% interval {_pct(interval[0])} - {_pct(interval[1])}" if interval else "")
        + f": {format_money(res.circular_flow)} of {format_money(res.total_flow)} goes round; "
        f"{s['circular_edges']} of {s['edges']} edges carry circular flow; basis {basis}, natures {nature}",
        highlight=False,
    )
    for n in res.notes:
        console.print(f"[yellow]note:[/] {n}", highlight=False)
    edges = [r for r in res.to_frame().pipe(_records) if r["circular"] > 0][:top]
    if edges:
        emit(edges, "table", title="circular flow by edge (largest first)")
    parties = [r for r in res.parties_frame().pipe(_records) if r["circular"] > 0][:top]
    if parties:
        cols = ["party", "received", "paid", "circular", "circular_share"]
        emit(parties, "table", columns=cols, title="circular flow through each party")
    if res.by_period:
        emit(res.periods_frame().pipe(_records), "table", title=f"index of the cumulative web at each {by} end")
