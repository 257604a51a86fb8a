"""``junkan cycles``, ``junkan trace`` and ``junkan exposure``: the money-flow network of a dataset.

Usage::

    junkan cycles   [--as-of DATE] [--since DATE] [--max-len K] [--window DAYS] [--basis committed|drawn|headline]
                    [--nature N[,N...]] [--include-cancelled] [--null N] [--seed S] [--null-method strength|degree]
                    [--data NAME|PATH] [--format table|json|csv]
    junkan trace    [ENTITY] [graph options] [--outside financials|none] [--external PARTY=AMOUNT]... [--max-len K]
    junkan exposure [graph options] [--table vendors|concentration|commitments]

Without ENTITY, ``trace`` lists the own-money share of every party. JSON documents are described in docs/flows.md.
Exit status: 0 success; 2 bad input (unknown party, bad date, bad option), printed without a traceback.
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
    parse_as_of_option,
    parse_date_option,
)
from junkan.errors import JunkanInputError
from junkan.ledger.model import Ledger
from junkan.random import DEFAULT_SEED

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="The ledger as known on this date (deals, statuses, amounts, parties of then)."),
]
SinceOption = Annotated[str | None, typer.Option("--since", help="Only deals announced on or after this date.")]
BasisOption = Annotated[
    str, typer.Option("--basis", help="Money of each deal: committed (default), drawn or headline.")
]
NatureOption = Annotated[
    str,
    typer.Option(
        "--nature", help="Flow natures, comma-separated: cash, in_kind, equity, credit, contingent, or all (default)."
    ),
]
CancelledOption = Annotated[bool, typer.Option("--include-cancelled", help="Keep cancelled deals.")]
MaxLenOption = Annotated[int, typer.Option("--max-len", help="Longest cycle, in parties (at least 2).")]
UncertaintyOption = Annotated[
    int,
    typer.Option(
        "--uncertainty", help="Draws of ranged, estimated and undisclosed amounts for 90% intervals (0: none)."
    ),
]


def load_ledger(data: str) -> Ledger:
    """Load the ``--data`` dataset (a seam the tests replace)."""
    from junkan.ledger.load import load

    return load(data)


def _graph_kw(
    ledger: Ledger, as_of: str | None, since: str | None, basis: str, nature: str, include_cancelled: bool
) -> dict[str, Any]:
    return {
        "as_of": parse_as_of_option(as_of, ledger),  # the graph is then built on ledger.as_of(as_of)
        "since": parse_date_option(since, "--since"),
        "basis": basis,
        "natures": nature,
        "include_cancelled": include_cancelled,
    }


def _records(df: Any) -> list[dict[str, Any]]:
    """A data frame's rows as plain dicts with string keys."""
    return [{str(k): v for k, v in row.items()} for row in df.to_dict(orient="records")]


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _notes(notes: Any) -> None:
    for n in notes:
        console.print(f"[yellow]note:[/] {n}", highlight=False)


def _check_draws(n: int) -> None:
    if n < 0:
        raise JunkanInputError.single(f"--uncertainty must not be negative, got {n}", field="--uncertainty")


# ---------------------------------------------------------------------------------------------------- cycles
def cycles(
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
    since: SinceOption = None,
    max_len: MaxLenOption = 5,
    window: Annotated[
        int | None, typer.Option("--window", help="Largest span of a time-respecting cycle, in days (no limit).")
    ] = None,
    basis: BasisOption = "committed",
    nature: NatureOption = "all",
    include_cancelled: CancelledOption = False,
    null: Annotated[int, typer.Option("--null", help="Null-model samples for significance (0: none).")] = 100,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of the null model (recorded; default: a fixed seed).")
    ] = DEFAULT_SEED,
    null_method: Annotated[
        str,
        typer.Option(
            "--null-method",
            help="all (default, side by side), degree_strength (degrees and volumes), strength (volumes, edge count) "
            "or degree (degrees).",
        ),
    ] = "all",
    time_respecting: Annotated[
        bool, typer.Option("--time-respecting", help="Show only time-respecting cycles (table and csv).")
    ] = False,
    uncertainty: UncertaintyOption = 0,
) -> None:
    """Cycles of the money-flow network: time-respecting or not, bottleneck, pattern, significance, party scores."""
    from junkan.flows.cycles import cycles_in_graph, with_uncertainty
    from junkan.flows.graph import flow_graph
    from junkan.flows.scores import scores_in_graph
    from junkan.ledger.schema import EntityKind

    fmt = check_format_input(fmt)
    if null < 0:
        raise JunkanInputError.single(f"--null must not be negative, got {null}", field="--null")
    ledger = load_ledger(data)
    graph = flow_graph(ledger, **_graph_kw(ledger, as_of, since, basis, nature, include_cancelled))
    spv = frozenset(e.id for e in ledger.entities.values() if e.kind == EntityKind.spv)
    res = cycles_in_graph(
        graph, max_len=max_len, window_days=window, spv_parties=spv, null=null, seed=seed, null_method=null_method
    )
    if uncertainty:
        _check_draws(uncertainty)
        res = with_uncertainty(res, ledger, graph, uncertainty, seed)
    scores = scores_in_graph(graph, res)
    if fmt == "json":
        doc = {**res.to_dict(), "scores": scores.to_frame().pipe(_records)}
        if uncertainty:
            doc["margins"] = _margins_json(ledger, graph)
        emit([], "json", json_obj=doc)
        return
    frame = res.to_frame()
    if time_respecting:
        frame = frame[frame["time_respecting"]]
    rows = frame.pipe(_records)
    if fmt == "csv":
        emit(rows, "csv", columns=list(frame.columns))
        return
    s = res.summary()
    cols = ["cycle", "length", "bottleneck", "drawn_share", "time_respecting", "time_span_days", "pattern", "deals"]
    emit(rows, "table", columns=cols, title=f"{ledger.info.title}: cycles of up to {max_len} parties")
    console.print(
        f"{s['cycles']} cycles (volume {format_money(float(s['cycle_volume']))}), "  # type: ignore[arg-type]
        f"{s['time_respecting_cycles']} time-respecting "
        f"(volume {format_money(float(s['time_respecting_volume']))}); basis {basis}, natures {nature}",  # type: ignore[arg-type]
        highlight=False,
    )
    if res.volume_interval:
        lo, hi = res.volume_interval
        console.print(
            f"cycle volume 90% interval over {uncertainty} draws of the uncertain amounts (seed {seed}): "
            f"{format_money(lo)} - {format_money(hi)}",
            highlight=False,
        )
    if res.nulls:
        rows = []
        for sig in res.nulls:
            for label, t in (("count", sig.count), ("volume", sig.volume)):
                rows.append(
                    {
                        "null model": sig.method,
                        "statistic": f"cycle {label}",
                        "observed": f"{t.observed:.4g}",
                        "null mean": f"{t.null_mean:.4g}",
                        "null std": f"{t.null_std:.4g}",
                        "z": "n/a" if t.z is None else f"{t.z:.2f}",
                        "p(more)": f"{t.p_value:.3g}",
                        "p(less)": f"{t.p_value_low:.3g}",
                        "edges (null mean)": f"{sig.observed_edges} ({sig.null_edges_mean:.1f})",
                    }
                )
        sig0 = res.nulls[0]
        emit(
            rows,
            "table",
            title=f"cycles against each null model ({sig0.n_samples} samples, seed {sig0.seed}; docs/flows.md)",
        )
    _notes(res.notes)
    score_rows = scores.to_frame().head(20).pipe(_records)
    if score_rows:
        emit(
            score_rows,
            "table",
            columns=["party", "volume", "loop_score", "cycle_score", "hub_score", "pagerank", "loops", "cycles"],
            title="party scores (junkan's loop, cycle and hub scores; see docs/flows.md)",
        )


def _margins_json(ledger: Ledger, graph: Any) -> list[dict[str, object]]:
    """The margins the uncertainty draws honoured (junkan.flows.uncertainty.reconstruction_margins), JSON-ready."""
    from junkan.flows.uncertainty import reconstruction_margins

    return [m.to_dict() for m in reconstruction_margins(ledger, graph)]


# ---------------------------------------------------------------------------------------------------- trace
def _parse_external(values: list[str] | None) -> dict[str, float]:
    from junkan.ledger.schema import parse_money

    out: dict[str, float] = {}
    for v in values or []:
        party, sep, amount = v.partition("=")
        if not sep or not party.strip():
            raise JunkanInputError.single(f"--external takes PARTY=AMOUNT (e.g. openai=13B), got {v!r}")
        try:
            x = parse_money(amount)
        except ValueError as exc:
            raise JunkanInputError.single(f"--external {v!r}: {exc}", field="--external") from None
        out[party.strip()] = out.get(party.strip(), 0.0) + x
    return out


def trace(
    entity: Annotated[str | None, typer.Argument(help="Party id, name or alias; omit to list every party.")] = None,
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
    since: SinceOption = None,
    basis: BasisOption = "committed",
    nature: NatureOption = "all",
    include_cancelled: CancelledOption = False,
    outside: Annotated[
        str, typer.Option("--outside", help="Outside inflow: financials (default) or none. See docs/flows.md.")
    ] = "financials",
    external: Annotated[
        list[str] | None, typer.Option("--external", help="Extra outside inflow PARTY=AMOUNT (repeatable).")
    ] = None,
    max_len: MaxLenOption = 5,
    respect_time: Annotated[
        bool,
        typer.Option(
            "--respect-time", help="Money returns only along paths whose dates do not run backwards (default: static)."
        ),
    ] = False,
    uncertainty: UncertaintyOption = 0,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of the uncertainty draws (recorded; default: a fixed seed).")
    ] = DEFAULT_SEED,
) -> None:
    """Where a party's receipts come from, and its own-money shares (proportional tracing, exact)."""
    from junkan.flows.provenance import own_money_share, provenance

    fmt = check_format_input(fmt)
    ledger = load_ledger(data)
    kw = {
        **_graph_kw(ledger, as_of, since, basis, nature, include_cancelled),
        "outside": outside,
        "external": _parse_external(external),
        "max_len": max_len,
        "respect_time": respect_time,
    }
    margins: list[dict[str, object]] | None = None
    if uncertainty:
        _check_draws(uncertainty)
        kw.update(uncertainty=uncertainty, seed=seed)
        if fmt == "json":
            from junkan.flows.graph import flow_graph

            margins = _margins_json(
                ledger, flow_graph(ledger, **_graph_kw(ledger, as_of, since, basis, nature, include_cancelled))
            )
    if entity is None:
        allp = provenance(ledger, **kw)
        frame = allp.to_frame().sort_values("own_money_share", ascending=False, na_position="last")
        rows = frame.pipe(_records)
        if fmt == "json":
            doc: dict[str, object] = {"summary": allp.summary(), "parties": rows}
            if margins is not None:
                doc["margins"] = margins
            emit([], "json", json_obj=doc)
        else:
            emit(rows, fmt, columns=list(frame.columns), title=f"{ledger.info.title}: own-money share by party")
            if fmt == "table":
                console.print(f"view: {allp.summary()['view']}", highlight=False)
        return
    res = own_money_share(ledger, entity, **kw)
    if fmt == "json":
        one = res.to_dict()
        if margins is not None:
            one["margins"] = margins
        emit([], "json", json_obj=one)
        return
    origin = res.to_frame().pipe(_records)
    if fmt == "csv":
        emit(origin, "csv", columns=["origin", "channel", "amount", "share"])
        return
    s = res.summary()
    console.print(f"[bold]{res.name}[/] ({res.entity}): receipts from the network {format_money(res.network_receipts)}")
    console.print(
        f"returned money {format_money(res.returned)}, unfunded {format_money(res.unfunded)}: own-money share "
        f"{_pct(res.own_money_share)} of funded receipts, {_pct(res.own_money_share_of_receipts)} of all network "
        f"receipts; {_pct(res.share_of_revenue)} of revenue"
        + (
            f" ({format_money(res.revenue)}, {res.revenue_period})"
            if res.revenue is not None
            else " (no revenue on file)"
        ),
        highlight=False,
    )
    if res.intervals:
        iv, ivr = res.intervals["own_money_share_interval"], res.intervals["own_money_share_of_receipts_interval"]
        console.print(
            f"90% intervals over {uncertainty} draws (seed {seed}): own-money share "
            f"{_pct(iv[0]) if iv else 'n/a'} - {_pct(iv[1]) if iv else 'n/a'}, of all receipts "
            f"{_pct(ivr[0]) if ivr else 'n/a'} - {_pct(ivr[1]) if ivr else 'n/a'}",
            highlight=False,
        )
    console.print(
        f"earmarked view (legs): {format_money(res.earmarked.returned)} returned, own-money share "
        f"{_pct(res.earmarked.own_money_share)} of funded, {_pct(res.earmarked.own_money_share_of_receipts)} of all "
        f"receipts ({format_money(res.earmarked.earmarked)} earmarked)",
        highlight=False,
    )
    console.print(f"view: {res.view}; basis {s['basis']}, natures {nature}, outside inflow: {outside}", highlight=False)
    _notes(res.notes)
    if res.by_payer:
        via = dict(res.returned_by_payer)
        rows = [{"payer": p, "amount": a, "returned": via.get(p, 0.0)} for p, a in res.by_payer]
        emit(rows, "table", title="receipts by payer (returned: own money that payer's payments carried back)")
    if origin:
        emit(origin, "table", title="receipts by origin (where the money entered the network)")
    if res.paths:
        rows = [{"path": " -> ".join([*p.path, p.path[0]]), "amount": p.amount} for p in res.paths]
        rows.append({"path": "other paths (inner loops, longer walks)", "amount": res.other_paths})
        emit(rows, "table", title="returned money by path")


# ---------------------------------------------------------------------------------------------------- exposure
def exposure(
    data: DataOption = DEFAULT_DATA,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
    since: SinceOption = None,
    basis: BasisOption = "committed",
    nature: NatureOption = "all",
    include_cancelled: CancelledOption = False,
    table: Annotated[
        str | None,
        typer.Option("--table", help="Only this table: vendors, concentration or commitments (csv: vendors)."),
    ] = None,
) -> None:
    """Vendor financing vs the vendor's cash flow and revenue; customer concentration; commitments vs revenue."""
    from junkan.flows.exposure import exposure as run_exposure

    fmt = check_format_input(fmt)
    names = ("vendors", "concentration", "commitments")
    if table is not None and table not in names:
        raise JunkanInputError.single(f"unknown table {table!r}; choose one of {', '.join(names)}", field="--table")
    ledger = load_ledger(data)
    res = run_exposure(ledger, **_graph_kw(ledger, as_of, since, basis, nature, include_cancelled))
    if fmt == "json":
        doc = res.to_dict()
        if table is not None:
            doc = {"summary": doc["summary"], table: doc[table]}
        emit([], "json", json_obj=doc)
        return
    frames = res.frames()
    if fmt == "csv":
        name = table or "vendors"
        emit(frames[name].pipe(_records), "csv", columns=list(frames[name].columns))
        return
    titles = {
        "vendors": "vendor financing of customers vs the vendor's revenue and operating cash flow",
        "concentration": "customer concentration (operating receipts)",
        "commitments": "customers' commitments vs their revenue (coverage in years of revenue)",
    }
    shown = {
        "vendors": ["vendor", "financing", "committed", "drawn", "customers_financed", "revenue",
                    "financing_to_revenue", "operating_cash_flow", "financing_to_ocf", "drawn_share"],
        "concentration": ["vendor", "receipts", "customers", "top_customer", "top_share", "top2_share", "hhi",
                          "reported_top_customer_share"],
        "commitments": ["customer", "commitments", "committed", "drawn", "revenue", "coverage_years",
                        "operating_cash_flow", "ocf_coverage_years", "drawn_share"],
    }  # fmt: skip
    for name in names:
        if table is not None and name != table:
            continue
        emit(frames[name].pipe(_records), "table", columns=shown[name], title=titles[name])
    _notes(res.notes)
