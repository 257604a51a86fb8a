"""``junkan stress``: Monte Carlo stress test of the AI ecosystem under a named or user-written scenario.

Usage::

    junkan stress [--scenario NAME|PATH] [--runs N] [--seed S] [--data NAME|PATH] [--assumptions PATH]
                  [--off CHANNEL]... [--focal PARTY] [--attribution] [--top K] [--format table|json|csv] [--list]
                  [--as-of YYYY-MM-DD] [--calibration]
                  [--sensitivity [--samples N] [--engine local|spark] [--ranges FILE] [--workers N]]

``--format json`` prints the summary (scenario, seed, runs, assumptions hash, channels, default probabilities,
first defaulters, top cascade chains, ``focal`` and ``focal_revenue_at_risk``: the focal vendor's revenue at risk
with quantiles; default focal: the modelled party with the largest vendor financing of its own customers) and one
record per party. ``--as-of`` starts the run from the ledger as known on that date (default: the dataset's
``as_of``, or its ``known_at`` for a historical reference case such as ``lucent-2000``: the out-of-sample backtest,
see docs/stress-model.md; JSON ``as_of`` and ``horizon``). ``--calibration`` adds the list ``calibration``: for
each party with a traded spread, the model's 5-year PD beside the market-implied PD and the calibrated funding odds
(:func:`junkan.stress.ecosystem.calibrate`, on the same runs and seed). ``--sensitivity`` adds the list
``sensitivity`` (``input, output, first_order, total_order`` with 95% confidence half-widths) and
``sensitivity_settings`` (``inputs``: each varied input's ``low, high, basis, source``; Morris screening; skipped
estimates): :func:`junkan.stress.sensitivity.sensitivity` with ``--samples`` Saltelli base samples of ``--runs``
runs each, the same seed at every point (common random numbers), on ``--engine local`` (``--workers`` processes,
default the CPUs available; same indices whatever the number) or ``spark``. ``--ranges FILE`` gives the inputs'
ranges with their sources (:mod:`junkan.stress.ecosystem.ranges`; default ``NAME.sensitivity.yaml`` beside the
assumptions file). Any ``--runs``: runs are simulated in chunks, memory stays bounded. The same seed
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
    "p_default_or_restructuring",
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
    focal: Annotated[
        str | None,
        typer.Option(
            "--focal",
            help=(
                "Party whose revenue at risk is reported (default: the dataset's focal_vendor, "
                "else the largest vendor financier)."
            ),
        ),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the bundled scenarios and exit.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Start from the ledger as known on this date (YYYY-MM-DD).")
    ] = None,
    calibration: Annotated[
        bool, typer.Option("--calibration", help="Add the calibration to market credit spreads (slower).")
    ] = False,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Add Sobol sensitivity indices (Morris screening first; slow).")
    ] = False,
    samples: Annotated[int, typer.Option("--samples", min=2, help="Saltelli base samples N for --sensitivity.")] = 64,
    engine: Annotated[str, typer.Option("--engine", help="Where --sensitivity runs: local or spark.")] = "local",
    ranges: Annotated[
        str | None,
        typer.Option(
            "--ranges",
            help=(
                "Ranges file of --sensitivity: each input's range and its source (default: NAME.sensitivity.yaml "
                "beside the assumptions file; none there: nominal +-25%)."
            ),
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Processes of --sensitivity on --engine local (default: the CPUs available)."
        ),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Stress-test the deal network: default probabilities, cascades, focal vendor's revenue at risk, losses."""
    from junkan.stress.ecosystem import attribute_channels, list_scenarios, load_scenario, run_stress

    check_format(fmt)
    if list_:
        rows = [{"scenario": n, "description": load_scenario(n).description} for n in list_scenarios()]
        emit(rows, fmt, title="Bundled scenarios")
        return
    ledger = load(data)
    known_at = getattr(ledger.info, "known_at", None)
    if as_of is None and known_at is not None:
        # a historical reference case (lucent-2000) is run as known at its known_at date: the backtest
        as_of = known_at.isoformat()
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
            ledger,
            scenario,
            runs=runs,
            seed=seed,
            assumptions=assumptions,
            channels=channels,
            progress=progress,
            focal=focal,
            as_of=as_of,
        )
    summary = result.summary(top=top)
    frame = result.to_frame()
    calib = None
    if calibration:
        from junkan.stress.ecosystem import calibrate

        calib = calibrate(ledger, scenario, runs=runs, seed=result.seed, assumptions=assumptions, as_of=as_of)
    sens = None
    if sensitivity:
        from junkan.stress.sensitivity import default_workers
        from junkan.stress.sensitivity import sensitivity as run_sensitivity

        sens = run_sensitivity(
            ledger, scenario, samples=samples, runs=runs, seed=result.seed, engine=engine,
            assumptions=assumptions, focal=result.focal, channels=channels, as_of=as_of, ranges=ranges,
            workers=workers if workers is not None else default_workers(),
        ).to_dict()  # fmt: skip
    attr = None
    if attribution:
        attr = attribute_channels(
            ledger, scenario, runs=runs, seed=result.seed, assumptions=assumptions, focal=result.focal, as_of=as_of
        )
    if fmt == "json":
        obj: dict[str, Any] = result.to_dict()
        if attr is not None:
            obj["attribution"] = attr.to_dict(orient="records")
        if calib is not None:
            obj["calibration"] = calib
        if sens is not None:
            obj["sensitivity"] = sens.pop("sensitivity")
            obj["sensitivity_settings"] = sens
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
    if summary.get("focal_revenue_at_risk"):
        emit(
            [summary["focal_revenue_at_risk"]],
            "table",
            title=f"{summary['focal']}: revenue at risk over the horizon (US dollars; focal vendor)",
        )
    emit(summary["top_cascades"], "table", title="Most frequent cascade chains")
    if calib is not None:
        emit(
            [
                {
                    **r,
                    "parameter": (r["calibrated"] or {}).get("parameter", "not calibrated"),
                    "calibrated": (r["calibrated"] or {}).get("value"),
                }
                for r in calib
            ],
            "table",
            columns=[
                "party",
                "model_pd",
                "market_pd",
                "target_pd",
                "spread_bp",
                "date",
                "gap",
                "parameter",
                "calibrated",
            ],
            title="Calibration to market (5-year PD; target = market PD over the risk premium; reasons: --format json)",
        )
    if sens is not None:
        heads = ["any_default"] + ([f"revenue_at_risk:{result.focal}"] if result.focal else [])
        for h in heads:
            ranked: list[dict[str, Any]] = [r for r in sens["sensitivity"] if r["output"] == h]
            ranked.sort(key=lambda r: -float(r["total_order"]))
            emit(
                ranked[:15],
                "table",
                columns=["input", "first_order", "first_order_conf", "total_order", "total_order_conf"],
                title=f"Sobol indices of {h} (N = {samples}, {sens['evaluations']} evaluations of {runs} runs)",
            )
    if attr is not None:
        emit(attr.to_dict(orient="records"), "table", title="Channel attribution (each channel off, same seed)")
