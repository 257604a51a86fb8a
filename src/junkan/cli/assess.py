"""``junkan assess``: the circular-trading vs market-creation scorecard, historical cases side by side.

Usage::

    junkan assess [CASE...] [--data NAME|PATH] [--level dataset,arrangement,party] [--party NAME]...
                  [--set ENTITY.METRIC=VALUE]... [--threshold NAME=VALUE]... [--basis committed|drawn|headline]
                  [--no-history] [--case ID] [--format table|json|csv]

``CASE`` is a bundled dataset name or a path (YAML directory or CSV file); without one, ``--data`` (default
``ai-compute``) is scored. The four historical datasets are added unless ``--no-history``. ``--set`` replaces a
financial figure (money in US dollars; ``60B`` is accepted), ``--threshold`` a threshold (``genuine_demand.bad=0.1``,
``strain_cut=0.4``, ``weights.end_demand=2``). ``--case ID`` prints one case's indicators with their reasons.
The JSON document is :meth:`junkan.assess.Scorecard.to_dict` (docs/scorecard.md). Exit status: 0; 2 on bad input.
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
    console_err,
    emit,
    parse_date_option,
    to_json,
)
from junkan.errors import InputProblem, JunkanInputError
from junkan.random import DEFAULT_SEED

ROW_COLUMNS = ("case", "level", "vendor", "round_trip", "strain", "coverage", "region")


def _pairs(items: list[str], option: str, money: bool) -> dict[str, float]:
    from junkan.ledger.schema import parse_money

    out: dict[str, float] = {}
    problems = []
    for item in items:
        key, eq, raw = item.partition("=")
        if not eq or not key.strip():
            problems.append(InputProblem(f"{option} {item!r}: write NAME=VALUE", field=option))
            continue
        try:
            out[key.strip()] = parse_money(raw.strip()) if money else float(raw)
        except ValueError as exc:
            problems.append(InputProblem(f"{option} {item!r}: {exc}", field=option))
    if problems:
        raise JunkanInputError(problems)
    return out


def _levels(level: str, parties: list[str]) -> list[str]:
    levels = [x.strip() for x in level.split(",") if x.strip()]
    if parties and "party" not in levels:
        levels.append("party")
    return levels


def _fmt(x: Any) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def assess(
    cases: Annotated[
        list[str] | None, typer.Argument(help="Datasets to score: bundled names or paths (default: --data).")
    ] = None,
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    level: Annotated[
        str, typer.Option("--level", help="Cases to score, comma-separated: dataset, arrangement, party.")
    ] = "dataset,arrangement",
    party: Annotated[
        list[str] | None, typer.Option("--party", help="Score this party in the vendor's seat (repeatable).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a figure: ENTITY.METRIC=VALUE, money in US dollars (repeatable)."),
    ] = None,
    threshold: Annotated[
        list[str] | None, typer.Option("--threshold", help="Change a threshold: NAME=VALUE (repeatable).")
    ] = None,
    basis: Annotated[
        str, typer.Option("--basis", help="Money of each deal: committed (default), drawn or headline.")
    ] = "committed",
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not add the historical reference datasets.")
    ] = False,
    case: Annotated[str | None, typer.Option("--case", help="Show one case's indicators and reasons.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Score each dataset as known on this date (known-at scoring).")
    ] = None,
    known_at: Annotated[
        bool,
        typer.Option("--known-at", help="Score each historical case as known on its dataset's known_at date."),
    ] = False,
    uncertainty: Annotated[
        int, typer.Option("--uncertainty", min=0, help="Draws for each case's position interval (0: none).")
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of the interval draws (recorded; default: a fixed seed).")
    ] = DEFAULT_SEED,
) -> None:
    """Score arrangements, parties and datasets: round trip without real demand, vendor financing of customers
    that cannot pay, or market creation, with the evidence and reasons."""
    from junkan.assess.scorecard import scorecard

    fmt = check_format_input(fmt)
    datasets = list(cases or [data])
    overrides = _pairs(list(set_ or []), "--set", money=True)
    changes = _pairs(list(threshold or []), "--threshold", money=False)
    sc = scorecard(
        datasets,
        history=not no_history,
        levels=_levels(level, list(party or [])),
        parties=list(party or []) or None,
        thresholds=changes,
        overrides=overrides,
        basis=basis,
        as_of=parse_date_option(as_of, "--as-of"),
        known_at=known_at,
    )
    skipped: dict[str, str] = sc.inputs["skipped"]  # type: ignore[assignment]
    for name, why in skipped.items():
        console_err.print(f"note: {name} left out: {why}", highlight=False)
    intervals: dict[str, dict[str, object]] = {}
    unc_doc: dict[str, object] | None = None
    if uncertainty:
        from junkan.assess.scorecard import scored_ledgers
        from junkan.assess.uncertainty import position_intervals

        when = parse_date_option(as_of, "--as-of")
        unc = position_intervals(
            scored_ledgers(datasets, history=not no_history, as_of=when, known_at=known_at),
            draws=uncertainty,
            seed=seed,
            levels=_levels(level, list(party or [])),
            thresholds=changes,
            basis=basis,
        )
        unc_doc = unc.to_dict()
        intervals = {i.case: i.to_dict() for i in unc.intervals}
    if case is not None:
        one = sc.case(case)
        rows: list[dict[str, object]] = [
            {
                "indicator": i.name,
                "axis": i.axis,
                "value": i.value,
                "score": i.score,
                "band": None if i.band is None else f"{i.band['good']:g} -> {i.band['bad']:g}",
                "reason": i.reason,
            }
            for i in one.indicators
        ]
        if fmt == "json":
            typer.echo(to_json({**one.to_dict(), **({"interval": intervals.get(one.id)} if intervals else {})}))
            return
        emit(rows, fmt, title=f"{one.id}: {one.region}")
        if fmt == "table":
            console.print(
                f"position: round trip {_fmt(one.round_trip)}, strain {_fmt(one.strain)}, "
                f"coverage {_fmt(one.coverage)}; vendor {one.vendor}, customers {', '.join(one.customers) or '-'}",
                highlight=False,
            )
            console.print(f"[bold]{one.region}[/]: {one.reasons[0]}", highlight=False)
        return
    rows = [c.row() for c in sc.cases]
    for r in rows:
        iv = intervals.get(str(r["case"]))
        if iv is not None:
            r["round_trip_interval"] = iv["round_trip_interval"]
            r["strain_interval"] = iv["strain_interval"]
            r["straddles"] = iv["straddles"]
    if fmt == "json":
        typer.echo(to_json({**sc.to_dict(), **({"uncertainty": unc_doc} if unc_doc else {})}))
        return
    if fmt == "csv":
        emit(rows, fmt, columns=list(rows[0]) if rows else list(ROW_COLUMNS))
        return
    cols = [*ROW_COLUMNS, "round_trip_interval", "strain_interval", "straddles"] if intervals else list(ROW_COLUMNS)
    emit(rows, fmt, columns=cols, title="Circular trading or market creation?")
    for c in sc.cases:
        if c.level != "arrangement" or c.region != "insufficient evidence":
            console.print(f"[bold]{c.id}[/] -> {c.region}: {c.reasons[0]}", highlight=False)
