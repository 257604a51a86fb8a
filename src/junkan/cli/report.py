"""``junkan report``: the main job: the full analysis of a dataset in one self-contained HTML file.

    junkan report [--data NAME|PATH] [-o report.html] [--scenario NAME|PATH] [--runs N] [--seed S]
                  [--map-period year|quarter] [--no-stress] [--focal PARTY] [--uncertainty N] [--open]

A progress bar on standard error follows the sections; a short summary (file, size, build time, headline numbers)
is printed at the end. ``--lang ja`` writes the whole report in Japanese (headings, answers, figures, tables;
amounts as 億ドル / 兆ドル); English is the default.
Bad input (unknown dataset, scenario, negative runs) exits with status 2.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from junkan import load
from junkan.cli._common import DEFAULT_DATA, DataOption, console, console_err, format_money
from junkan.random import DEFAULT_SEED
from junkan.report.build import DEFAULT_UNCERTAINTY_DRAWS


def report(
    data: DataOption = DEFAULT_DATA,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
    scenario: Annotated[
        str, typer.Option("--scenario", "-s", help="Stress scenario: bundled name or YAML path.")
    ] = "baseline",
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Monte Carlo runs of the stress model.")] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of every random step (recorded; default: a fixed seed).")
    ] = DEFAULT_SEED,
    map_period: Annotated[
        str, typer.Option("--map-period", help="Step of the network map's time control: year or quarter.")
    ] = "year",
    no_stress: Annotated[bool, typer.Option("--no-stress", help="Leave the stress section out.")] = False,
    focal: Annotated[
        str | None,
        typer.Option(
            "--focal",
            help=(
                "Party whose revenue at risk the stress section reports (default: the dataset's focal_vendor, "
                "else the largest vendor financier)."
            ),
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: en (default) or ja (Japanese).")] = "en",
    uncertainty: Annotated[
        int,
        typer.Option(
            "--uncertainty",
            min=0,
            help=(
                "Draws behind the 90% intervals of the circularity index and the own-money shares "
                f"(seeded with --seed; 0: point figures only). Default {DEFAULT_UNCERTAINTY_DRAWS}."
            ),
        ),
    ] = DEFAULT_UNCERTAINTY_DRAWS,
    open_: Annotated[bool, typer.Option("--open", help="Open the report in a web browser when done.")] = False,
) -> None:
    """Build the HTML report of a dataset: network map, flows and cycles, own money, scorecard, stress, sources."""
    from junkan.report import build_report
    from junkan.report.build import STEPS

    if map_period not in ("year", "quarter"):
        raise typer.BadParameter(f"must be 'year' or 'quarter', not {map_period!r}", param_hint="--map-period")
    t0 = time.perf_counter()
    ledger = load(data)
    with Progress(
        TextColumn("[progress.description]{task.description:<22}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} sections"),
        TimeElapsedColumn(),
        console=console_err,
        transient=True,
    ) as bar:
        task = bar.add_task("loading", total=len(STEPS))
        seen: list[str] = []

        def progress(step: str) -> None:
            if seen:
                bar.advance(task)
            seen.append(step)
            bar.update(task, description=step)

        rep = build_report(
            ledger,
            seed=seed,
            map_period=map_period,
            scenario=None if no_stress else scenario,
            runs=runs,
            lang=lang,
            progress=progress,
            focal=focal,
            uncertainty=uncertainty,
        )
        bar.update(task, completed=len(STEPS))
    path = rep.write(output)
    elapsed = time.perf_counter() - t0
    h = rep.headline
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("report", f"{path} ({path.stat().st_size / 1e6:.1f} MB, built in {elapsed:.1f} s)")
    table.add_row("dataset", f"{h['dataset']}: {h['deals']} deals, {h['parties']} parties")
    drawn_share = f" ({h['drawn_share']:.1%})" if h["drawn_share"] is not None else ""
    table.add_row(
        "money", f"{format_money(h['committed_usd'])} committed, {format_money(h['drawn_usd'])} drawn{drawn_share}"
    )
    table.add_row("cycles", f"{h['cycles']} ({h['time_respecting_cycles']} respect time)")
    if h["largest_cycles"]:
        c = h["largest_cycles"][0]
        table.add_row("largest cycle", f"{c['cycle']} ({format_money(c['bottleneck_usd'])})")
    if h["top_own_money"]:
        r = h["top_own_money"][0]
        table.add_row("own-money share", f"{r['name']} {r['own_money_share']:.1%} (largest)")
    circ = h.get("circularity")
    if circ and circ.get("index") is not None:
        iv = circ.get("index_interval")
        band = f" (90% interval {iv[0]:.1%}-{iv[1]:.1%}, {circ['uncertainty']} draws)" if iv else ""
        table.add_row("circularity index", f"{circ['index']:.1%}{band}")
    for key in ("scorecard", "stress"):
        if key in h:
            table.add_row(key, h[key]["line"])
    for sec, why in rep.omitted.items():
        table.add_row(f"left out: {sec}", why)
    table.add_row("seed", str(rep.seed))
    console.print(table)
    if open_:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
