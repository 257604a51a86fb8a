"""``junkan stress``: Monte Carlo stress test of the AI ecosystem under a named or user-written scenario.

Usage::

    junkan stress [--scenario NAME|PATH] [--runs N] [--seed S] [--data NAME|PATH] [--assumptions PATH]
                  [--off CHANNEL]... [--attribution] [--top K] [--format table|json|csv] [--list]

``--format json`` prints the summary (scenario, seed, runs, assumptions hash, channels, default probabilities,
first defaulters, top cascade chains, NVIDIA revenue at risk with quantiles) and one record per party. The same seed
gives the same output. Exit status: 0 success; 2 bad input (unknown scenario, bad key in a scenario or assumptions
file, with file, line and key).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from junkan.cli._common import DEFAULT_DATA, DataOption, FormatOption, check_format, console, console_err, emit
from junkan.ledger.load import load
from junkan.random import DEFAULT_SEED

COLUMNS = (
    "party",
    "default_probability",
    "median_default_quarter",
    "revenue_at_risk_mean",
    "revenue_at_risk_p5",
    "revenue_at_risk_p95",
    "loss_clearing",
    "loss_backlog",
    "loss_equity",
    "loss_firesale",
)


def stress(
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="Bundled scenario name or YAML path.")] = "baseline",
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Monte Carlo runs.")] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed (recorded in the output; default: a fixed seed).")
    ] = DEFAULT_SEED,
    data: DataOption = DEFAULT_DATA,
    assumptions: Annotated[
        str | None, typer.Option("--assumptions", "-a", help="Assumptions YAML (default: bundled for the dataset).")
    ] = None,
    off: Annotated[
        list[str] | None, typer.Option("--off", help="Switch a channel off (repeatable): clearing, backlog, ...")
    ] = None,
    attribution: Annotated[
        bool, typer.Option("--attribution", help="Also rerun with each channel off and print the differences.")
    ] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="How many cascade chains to show.")] = 5,
    list_: Annotated[bool, typer.Option("--list", help="List the bundled scenarios and exit.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Stress-test the deal network: default probabilities, cascades, NVIDIA revenue at risk, losses by channel."""
    from junkan.stress.ecosystem import attribute_channels, list_scenarios, load_scenario, run_stress

    check_format(fmt)
    if list_:
        rows = [{"scenario": n, "description": load_scenario(n).description} for n in list_scenarios()]
        emit(rows, fmt, title="Bundled scenarios")
        return
    ledger = load(data)
    channels = {c: False for c in off or []}
    show_bar = fmt == "table"
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} quarters"),
        TimeElapsedColumn(),
        console=console_err,
        disable=not show_bar,
        transient=True,
    ) as bar:
        task = bar.add_task(f"{scenario}: {runs} runs", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = run_stress(
            ledger, scenario, runs=runs, seed=seed, assumptions=assumptions, channels=channels, progress=progress
        )
    summary = result.summary(top=top)
    frame = result.to_frame()
    attr = None
    if attribution:
        attr = attribute_channels(ledger, scenario, runs=runs, seed=result.seed, assumptions=assumptions)
    if fmt == "json":
        obj: dict[str, Any] = result.to_dict()
        if attr is not None:
            obj["attribution"] = attr.to_dict(orient="records")
        emit([], "json", json_obj=obj)
        return
    if fmt == "csv":
        emit(frame.to_dict(orient="records"), "csv", columns=list(frame.columns))
        return
    console.print(
        f"[bold]{result.scenario}[/]: {result.runs} runs, seed {result.seed}, "
        f"assumptions {result.assumptions_hash}, horizon {summary['horizon']}"
    )
    emit(frame.to_dict(orient="records"), "table", columns=COLUMNS, title="Parties")
    if "nvidia_revenue_at_risk" in summary:
        nv = summary["nvidia_revenue_at_risk"]
        emit([nv], "table", title="NVIDIA revenue at risk over the horizon (US dollars)")
    emit(summary["top_cascades"], "table", title="Most frequent cascade chains")
    if attr is not None:
        emit(attr.to_dict(orient="records"), "table", title="Channel attribution (each channel off, same seed)")
