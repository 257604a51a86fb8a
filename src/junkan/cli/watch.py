"""``junkan watch``: the early-warning list (GPU prices, funding, collateral, own money, concentration, spreads).

Usage::

    junkan watch [--data NAME|PATH] [--as-of DATE] [--threshold NAME.watch=V | NAME.alert=V]... [--no-history]
                 [--format table|json|csv]

The JSON document is :meth:`junkan.assess.watch.WatchResult.to_dict`: ``indicators`` is a list of
``name, subject, value, threshold`` (the alert level), ``watch_threshold, status, as_of, source, trend, history``.
Exit status: 0 when no indicator is in ``alert``, **1 when at least one is** (for scripts and cron), 2 on bad input.
"""

from __future__ import annotations

from typing import Annotated

import typer

from junkan.cli._common import (
    DEFAULT_DATA,
    DataOption,
    FormatOption,
    check_format,
    console,
    emit,
    parse_as_of_option,
)
from junkan.errors import InputProblem, JunkanInputError

COLUMNS = ("status", "name", "subject", "value", "watch_threshold", "threshold", "trend", "as_of")
CSV_COLUMNS = (*COLUMNS, "source", "detail")


def _thresholds(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    problems = []
    for item in items:
        key, eq, raw = item.partition("=")
        try:
            if not eq or not key.strip():
                raise ValueError("write NAME.watch=VALUE or NAME.alert=VALUE")
            out[key.strip()] = float(raw)
        except ValueError as exc:
            problems.append(InputProblem(f"--threshold {item!r}: {exc}", field="--threshold"))
    if problems:
        raise JunkanInputError(problems)
    return out


def watch(
    data: DataOption = DEFAULT_DATA,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Read the list as known on this date.")] = None,
    threshold: Annotated[
        list[str] | None,
        typer.Option("--threshold", help="Change a threshold: NAME.watch=V or NAME.alert=V (repeatable)."),
    ] = None,
    no_history: Annotated[bool, typer.Option("--no-history", help="Skip the year-end history of flow shares.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """The watch list: each indicator's value, thresholds, status (ok/watch/alert), date and source. Exit 1 on alert."""
    from junkan.assess.watch import watch as run_watch
    from junkan.ledger.load import load

    check_format(fmt)
    ledger = load(data)
    when = parse_as_of_option(as_of, ledger)
    res = run_watch(ledger, as_of=when, thresholds=_thresholds(threshold or []), history=not no_history)
    rows = [i.to_dict() for i in res.indicators]
    if fmt == "table":
        for r in rows:
            r["value"] = f"{r['value']:.4g}"
            r["trend"] = "" if r["trend"] is None else f"{r['trend']:+.3g}"
        c = res.counts()
        console.print(
            f"[bold]Watch list[/] of {res.dataset} as of {res.as_of}: {c['alert']} alert, {c['watch']} watch, "
            f"{c['ok']} ok"
        )
    emit(rows, fmt, columns=CSV_COLUMNS if fmt == "csv" else COLUMNS, json_obj=res.to_dict())
    if fmt == "table":
        for m in res.missing:
            console.print(f"not computable: {m['name']} {m['subject']}: {m['reason']}", markup=False)
    if res.alerts:
        raise typer.Exit(1)
