"""``junkan scan``: round trips in a transaction ledger, and ``junkan scan synth``: a synthetic ledger to try it on.

``junkan scan LEDGER [options]`` is short for ``junkan scan run LEDGER [options]``: a first argument that is not a
subcommand is taken as the ledger.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from junkan.cli._common import console_err, emit, to_json
from junkan.errors import JunkanInputError


class _ScanGroup(TyperGroup):
    """A group whose default command is ``run``: ``junkan scan LEDGER`` means ``junkan scan run LEDGER``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_ScanGroup,
    help="Find round trips in a transaction ledger (junkan scan LEDGER), or make a synthetic one (junkan scan synth).",
    no_args_is_help=True,
)

OUT_FORMATS = ("table", "json", "csv", "parquet")
TABLE_COLUMNS = [
    "alert", "group", "pattern", "score", "accounts", "transactions", "duration_days", "returned_share",
]  # fmt: skip


def _parse_columns(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    out = {}
    for part in text.split(","):
        if "=" not in part:
            raise JunkanInputError.single(f"expected role=name pairs, got {part!r}", field="--columns")
        role, name = (x.strip() for x in part.split("=", 1))
        out[role] = name
    return out


def _params(
    window: str,
    max_len: int,
    tolerance: str,
    min_amount: float,
    patterns: str,
    min_fan: int,
    max_cycles: int,
    evidence: dict[str, float] | None = None,
) -> Any:
    from junkan.scan import ScanParams, parse_duration

    try:
        window_ns = parse_duration(window)
    except ValueError as exc:
        raise JunkanInputError.single(str(exc), field="--window") from exc
    tol: float | None
    if tolerance.strip().lower() in ("none", "off", ""):
        tol = None
    else:
        try:
            tol = float(tolerance)
        except ValueError as exc:
            raise JunkanInputError.single(f"not a number: {tolerance!r} (or 'none')", field="--tolerance") from exc
    pats = tuple(p.strip() for p in patterns.split(",") if p.strip())
    if pats == ("all",):
        from junkan.scan import PATTERNS

        pats = PATTERNS
    try:
        return ScanParams(
            window_ns=window_ns,
            max_len=max_len,
            tolerance=tol,
            min_amount=min_amount,
            patterns=pats,
            min_fan=min_fan,
            max_cycles=max_cycles,
            **(evidence or {}),
        )
    except ValueError as exc:
        raise JunkanInputError.single(str(exc)) from exc


@app.command("run")
def run(
    ledger: Annotated[Path, typer.Argument(help="Ledger file: .csv or .parquet with id,timestamp,src,dst,amount.")],
    window: Annotated[str, typer.Option(help="Longest time a pattern may take: 90d, 12h, 2w, ...")] = "90d",
    max_len: Annotated[int, typer.Option("--max-len", help="Longest cycle, in transactions.")] = 6,
    tolerance: Annotated[
        str, typer.Option(help="Relative amount change allowed per hop (0.1 = 10%), or 'none' for no amount check.")
    ] = "0.1",
    min_amount: Annotated[float, typer.Option("--min-amount", help="Ignore transactions below this amount.")] = 0.0,
    patterns: Annotated[
        str,
        typer.Option(help="Comma-separated: cycle, scatter-gather, gather-scatter, fan-out, fan-in, or 'all'."),
    ] = "cycle,scatter-gather,gather-scatter",
    min_fan: Annotated[int, typer.Option("--min-fan", help="Fewest intermediaries for fan-like patterns.")] = 3,
    min_share: Annotated[
        float,
        typer.Option(
            "--min-share",
            help="Gather-scatter and fans: the pattern's share of the hub's turnover from one window before to one "
            "window after it, at least (0 = off).",
        ),
    ] = 0.5,
    min_share_sg: Annotated[
        float,
        typer.Option(
            "--min-share-sg",
            help="Scatter-gather: the pattern's share of the turnover of its origin and payee around it, at least "
            "(0 = off).",
        ),
    ] = 0.1,
    materiality: Annotated[
        float,
        typer.Option(
            help="Gather-scatter: the hub's payments below this share of the payment a pattern starts from are "
            "unrelated traffic, left out (0 = keep all).",
        ),
    ] = 0.3,
    min_baseline: Annotated[
        float,
        typer.Option(
            "--min-baseline",
            help="Gather-scatter: share of pairs (pattern payment, other payment of the hub) where the pattern's is "
            "larger, at least (Mann-Whitney U / mn; needs 5 other payments; 0 = off).",
        ),
    ] = 0.75,
    columns: Annotated[
        str | None, typer.Option(help="Map column names: id=txn_id,timestamp=date,src=from,dst=to,amount=value.")
    ] = None,
    engine: Annotated[str, typer.Option(help="numba (alias: local), reference or spark.")] = "numba",
    spark_master: Annotated[
        str | None, typer.Option("--spark-master", help="Spark master URL for --engine spark (default local[*]).")
    ] = None,
    threads: Annotated[int | None, typer.Option(help="Threads for the numba engine (default: all).")] = None,
    max_cycles: Annotated[int, typer.Option("--max-cycles", help="Keep at most this many cycles.")] = 1_000_000,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or parquet.")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the alerts to this file (atomically).")
    ] = None,
) -> None:
    """Scan LEDGER for round trips: time-ordered cycles, scatter-gather, gather-scatter and fans."""
    from junkan.scan import read_ledger, scan

    if fmt not in OUT_FORMATS:
        raise JunkanInputError.single(
            f"unknown format {fmt!r}; choose one of {', '.join(OUT_FORMATS)}", field="--format"
        )
    if fmt == "parquet" and output is None:
        raise JunkanInputError.single("parquet output needs --output FILE", field="--format")
    engine = "numba" if engine == "local" else engine
    if engine not in ("numba", "reference", "spark"):
        raise JunkanInputError.single(f"unknown engine {engine!r}; choose numba, reference or spark", field="--engine")
    evidence = {
        "min_share": min_share, "min_share_sg": min_share_sg, "materiality": materiality, "min_baseline": min_baseline,
    }  # fmt: skip
    params = _params(window, max_len, tolerance, min_amount, patterns, min_fan, max_cycles, evidence)
    txns = read_ledger(ledger, columns=_parse_columns(columns))
    try:
        result = scan(txns, params, engine=engine, n_threads=threads, spark_master=spark_master)
    except ImportError as exc:
        raise JunkanInputError.single(f"{exc}; install the extra with: pip install 'junkan[spark]'") from exc
    if result.truncated:
        console_err.print(f"[yellow]warning:[/] more than {params.max_cycles} cycles; only the first were kept")
    if output is not None:
        out_fmt = fmt if fmt != "table" else None
        try:
            result.write(output, out_fmt)
        except ValueError as exc:
            raise JunkanInputError.single(str(exc), field="--output") from exc
        s = result.summary()
        console_err.print(f"{s['alerts']} alerts in {s['groups']} groups written to {output}", soft_wrap=True)
        return
    records = result.to_records()
    if fmt == "json":
        typer.echo(to_json(records))
    elif fmt == "csv":
        emit(records, "csv", columns=list(records[0].keys()) if records else TABLE_COLUMNS)
    else:
        s = result.summary()
        title = (
            f"{s['alerts']} alerts in {s['groups']} groups, {s['transactions']:,} transactions, "
            f"window {s['window_days']:g} days, max length {s['max_len']}, tolerance {s['tolerance']}"
        )
        emit(records, "table", columns=TABLE_COLUMNS, title=title)


@app.command("synth")
def synth(
    output: Annotated[Path, typer.Argument(help="Ledger file to write: .csv or .parquet (truth: <stem>.truth.csv).")],
    transactions: Annotated[int, typer.Option("--transactions", "-n", help="Background transactions.")] = 100_000,
    accounts: Annotated[int | None, typer.Option(help="Accounts (default transactions / 5).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    days: Annotated[int, typer.Option(help="Days the ledger spans.")] = 365,
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")] = "2024-01-01",
    plant: Annotated[
        str | None,
        typer.Option(
            help="Planted patterns per typology, e.g. orts=20,carousel=10,fan_out=5 (default 10 of each "
            "round-trip typology)."
        ),
    ] = None,
    window_days: Annotated[float, typer.Option("--window-days", help="Planted patterns finish within this.")] = 90.0,
    max_cycle_len: Annotated[int, typer.Option("--max-cycle-len", help="Longest planted cycle.")] = 6,
    hop_noise: Annotated[float, typer.Option("--hop-noise", help="Largest fee / mark-up per hop.")] = 0.05,
) -> None:
    """Write a synthetic ledger with planted round trips, and its ground truth beside it."""
    from junkan.scan import synth_ledger

    plants = None
    if plant:
        plants = {}
        for part in plant.split(","):
            name, _, count = part.partition("=")
            try:
                plants[name.strip()] = int(count)
            except ValueError as exc:
                raise JunkanInputError.single(f"expected typology=count, got {part!r}", field="--plant") from exc
    try:
        s = synth_ledger(
            transactions,
            n_accounts=accounts,
            seed=seed,
            days=days,
            start=start,
            plants=plants,
            window_days=window_days,
            max_cycle_len=max_cycle_len,
            hop_noise=hop_noise,
        )
        ledger_path, truth_path = s.write(output)
    except ValueError as exc:
        raise JunkanInputError.single(str(exc)) from exc
    console_err.print(
        f"wrote {len(s.transactions):,} transactions to {ledger_path} and "
        f"{s.truth['pattern_id'].nunique()} planted patterns to {truth_path} (seed {s.seed})",
        soft_wrap=True,
    )
