"""The junkan dashboard: a Streamlit script on the public API (run it with ``junkan serve``).

Sidebar: choose a bundled dataset (or the one ``junkan serve --data`` named) or upload a CSV in the quick format,
then filter deals by announcement date, kind, status and minimum confidence, and pick the money basis. Tabs:
deals; the network's cycles; one party's flows, cycles, own-money share and scores (click a row of the party table or
pick a name); exposure. Bundled data is only read; an upload is validated in a temporary folder that is removed at
once (:mod:`junkan.app.data`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from junkan.app import DATA_ENV
from junkan.app.data import DEFAULT_DATASET, dataset_choices, load_dataset, load_upload, upload_key
from junkan.app.filters import CONFIDENCE_LEVELS, DealFilters, filter_options
from junkan.errors import JunkanInputError
from junkan.flows import (
    CycleResult,
    ExposureResult,
    FlowGraph,
    PartyScores,
    ProvenanceResult,
    TraceResult,
    exposure,
    find_cycles,
    flow_graph,
    own_money_share,
    party_scores,
    provenance,
)
from junkan.ledger.model import Ledger

T = TypeVar("T")
BASES = ("committed", "drawn", "headline")
MONEY = st.column_config.NumberColumn(format="compact")
SHARE = st.column_config.NumberColumn(format="percent")


# ---------------------------------------------------------------------------------------------------- caching
@st.cache_resource(show_spinner=False, max_entries=16)
def _load_cached(name: str, stamp: float | None) -> Ledger:
    """Load a bundled dataset or path once (``stamp``: the path's modification time, so edits are picked up)."""
    return load_dataset(name)


@st.cache_resource(show_spinner=False, max_entries=64)
def _analysis(kind: str, key: tuple[Any, ...], _run: Callable[[], T]) -> T:
    """Run an analysis once per (kind, data, filters, options) key; results are frozen, so sharing them is safe."""
    return _run()


def _stamp(name: str) -> float | None:
    path = Path(name)
    return path.stat().st_mtime if path.exists() else None


def show_problems(exc: JunkanInputError, heading: str) -> None:
    """One ``st.error`` for the heading and one per problem (file, row or line, field, message)."""
    st.error(heading)
    for problem in exc.problems:
        st.error(str(problem))


def money(v: float | None) -> str:
    """``1.2e11 -> "$120.0B"``; ``None`` -> ``"n/a"``."""
    if v is None:
        return "n/a"
    a = abs(v)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= scale:
            return f"${v / scale:,.1f}{suffix}"
    return f"${v:,.0f}"


def share(v: float | None) -> str:
    """``0.0452 -> "4.5%"``; ``None`` -> ``"n/a"``."""
    return "n/a" if v is None else f"{v:.1%}"


# ---------------------------------------------------------------------------------------------------- sidebar
def choose_ledger() -> tuple[Ledger, str] | None:
    """The sidebar's data source: a dataset by name (or path given to ``serve``) or an uploaded CSV."""
    st.sidebar.header("Data")
    source = st.sidebar.radio("Source", ["Dataset", "Upload CSV"], key="source", horizontal=True)
    if source == "Dataset":
        choices = dataset_choices(os.environ.get(DATA_ENV) or None)
        start = os.environ.get(DATA_ENV) or DEFAULT_DATASET
        if st.session_state.get("dataset") not in choices:
            st.session_state["dataset"] = start if start in choices else choices[0]
        name = st.sidebar.selectbox("Dataset", choices, key="dataset")
        try:
            return _load_cached(name, _stamp(name)), f"data:{name}"
        except JunkanInputError as exc:
            show_problems(exc, f"Cannot load dataset {name!r}:")
            return None
    upload = st.sidebar.file_uploader(
        "CSV in the quick format (one deal per row)", type=["csv"], key="upload", help="See junkan/datasets/FORMAT.md"
    )
    if upload is None:
        st.info(
            "Upload a CSV with the columns id, date, kind, payer, payee, amount, currency, status, confidence, "
            "source_url (optional: title, committed, drawn, low, high, legs, notes). It is checked in a temporary "
            "folder and never stored."
        )
        return None
    data = upload.getvalue()
    key = upload_key(upload.name, data)
    cached = st.session_state.get("_upload")
    if cached is None or cached[0] != key:
        try:
            cached = (key, load_upload(upload.name, data))
        except JunkanInputError as exc:
            cached = (key, exc)
        st.session_state["_upload"] = cached
    result = cached[1]
    if isinstance(result, JunkanInputError):
        n = len(result.problems)
        show_problems(result, f"{upload.name} was not loaded: {n} problem{'s' if n != 1 else ''} in the file.")
        return None
    return result, key


def choose_filters(ledger: Ledger, data_key: str) -> tuple[DealFilters, str]:
    """The sidebar's deal filters and money basis (widget keys carry the dataset, so switching data resets them)."""
    opts = filter_options(ledger)
    st.sidebar.header("Filters")
    start = end = None
    if opts.first is not None and opts.last is not None:
        picked = st.sidebar.date_input(
            "Announced between",
            value=(opts.first, opts.last),
            min_value=opts.first,
            max_value=opts.last,
            key=f"dates|{data_key}",
        )
        dates = tuple(picked) if isinstance(picked, list | tuple) else (picked,)
        start = dates[0] if len(dates) > 0 else None
        end = dates[1] if len(dates) > 1 else None
    kinds = st.sidebar.multiselect("Kinds", opts.kinds, key=f"kinds|{data_key}", placeholder="all kinds")
    statuses = st.sidebar.multiselect("Statuses", opts.statuses, key=f"statuses|{data_key}", placeholder="all statuses")
    conf = st.sidebar.select_slider(
        "Minimum confidence", options=list(CONFIDENCE_LEVELS), value="any", key=f"confidence|{data_key}"
    )
    basis = st.sidebar.radio(
        "Money basis",
        BASES,
        key="basis",
        help="committed: what payers are bound to; drawn: what has moved; headline: the announced figure",
    )
    filters = DealFilters(start=start, end=end, kinds=tuple(kinds), statuses=tuple(statuses), min_confidence=conf)
    return filters, basis


# ---------------------------------------------------------------------------------------------------- sections
def deals_section(led: Ledger) -> None:
    """The filtered deals, with their sources as links."""
    st.subheader(f"Deals ({len(led)})")
    df = led.deals_frame()
    st.dataframe(
        df,
        hide_index=True,
        key="deals_table",
        column_order=[
            "id",
            "date",
            "kind",
            "payer",
            "payee",
            "amount",
            "committed",
            "drawn",
            "currency",
            "status",
            "confidence",
            "estimate",
            "title",
            "source_url",
        ],
        column_config={
            "amount": MONEY,
            "committed": MONEY,
            "drawn": MONEY,
            "source_url": st.column_config.LinkColumn("source"),
        },
    )
    st.caption("Amounts in each deal's own currency; the network views convert to US dollars.")


def network_section(graph: FlowGraph, cycles: CycleResult) -> None:
    """Cycles of the money-flow network (docs/flows.md)."""
    s = cycles.summary()
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Cycles", f"{s['cycles']}")
    c2.metric("Money on cycles (sum of bottlenecks)", money(float(s["cycle_volume"])))  # type: ignore[arg-type]
    c3.metric("Time-respecting cycles", f"{s['time_respecting_cycles']}")
    c4.metric("Network volume", money(float(graph.summary()["volume"])))  # type: ignore[arg-type]
    st.subheader("Cycles")
    if not cycles.cycles:
        st.info("No cycle in the filtered network.")
        return
    st.dataframe(
        cycles.to_frame(),
        hide_index=True,
        key="cycles_table",
        column_config={
            "bottleneck": MONEY,
            "bottleneck_committed": MONEY,
            "bottleneck_drawn": MONEY,
            "drawn_share": SHARE,
        },
    )
    st.caption(
        "Bottleneck: the smallest edge along the cycle. Time-respecting: some rotation admits one deal per edge "
        "with dates that never decrease."
    )


def _pick_party_from_table() -> None:
    state = st.session_state.get("party_table")
    order = st.session_state.get("_party_order") or []
    rows = state.selection.rows if state is not None else []
    if rows and rows[0] < len(order):
        st.session_state["party"] = order[rows[0]]


def party_section(
    led: Ledger,
    scores: PartyScores,
    cycles: CycleResult,
    trace_of: Callable[[str], TraceResult],
) -> None:
    """Party scores (click a row) and one party's own-money share, receipts by origin, paths and cycles."""
    frame = scores.to_frame()
    if frame.empty:
        st.info("No party in the filtered network.")
        return
    order = list(frame["party"])
    st.session_state["_party_order"] = order
    names = {p: (led.entities[p].name if p in led.entities else p) for p in order}
    st.subheader("Parties")
    st.caption("Click a row to look at that party, or pick it from the list below.")
    st.dataframe(
        frame.assign(name=[names[p] for p in order]),
        hide_index=True,
        key="party_table",
        on_select=_pick_party_from_table,
        selection_mode="single-row",
        column_order=[
            "name",
            "party",
            "volume",
            "received",
            "paid",
            "loop_score",
            "cycle_score",
            "hub_score",
            "pagerank",
            "loops",
            "cycles",
            "cycle_volume",
        ],
        column_config={"volume": MONEY, "received": MONEY, "paid": MONEY, "cycle_volume": MONEY},
    )
    if st.session_state.get("party") not in order:
        st.session_state["party"] = order[0]
    party = st.selectbox("Party", order, key="party", format_func=lambda p: f"{names[p]} ({p})")
    tr = trace_of(party)
    st.subheader(f"{tr.name}: where its receipts come from")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Own-money share", share(tr.own_money_share), help="returned money / receipts from the network")
    c2.metric("Returned money", money(tr.returned))
    c3.metric("Receipts from the network", money(tr.network_receipts))
    c4.metric("Earmarked own-money share", share(tr.earmarked.own_money_share))
    for note in tr.notes:
        st.caption(note)
    left, right = st.columns(2)
    with left:
        st.markdown("**Receipts by origin** (proportional tracing)")
        st.dataframe(
            tr.to_frame(), hide_index=True, key="origin_table", column_config={"amount": MONEY, "share": SHARE}
        )
    with right:
        st.markdown("**Paths of its returned money**")
        paths = pd.DataFrame(
            [{"path": " -> ".join(r.path), "amount": r.amount} for r in tr.paths], columns=["path", "amount"]
        )
        st.dataframe(paths, hide_index=True, key="paths_table", column_config={"amount": MONEY})
        if tr.other_paths > 0:
            st.caption(f"Longer walks and walks round inner loops: {money(tr.other_paths)}")
    st.markdown("**Flows**")
    flows = pd.DataFrame(
        [{"direction": "receives from", "counterparty": p, "amount": a} for p, a in tr.by_payer],
        columns=["direction", "counterparty", "amount"],
    )
    st.dataframe(flows, hide_index=True, key="flows_table", column_config={"amount": MONEY})
    through = [c for c in cycles.cycles if party in c.parties]
    st.markdown(f"**Cycles through {tr.name}** ({len(through)})")
    if through:
        st.dataframe(
            cycles.to_frame().loc[[i for i, c in enumerate(cycles.cycles) if party in c.parties]],
            hide_index=True,
            key="party_cycles_table",
            column_config={"bottleneck": MONEY, "bottleneck_committed": MONEY, "bottleneck_drawn": MONEY},
        )
    row = frame.loc[frame["party"] == party].iloc[0]
    s1, s2, s3 = st.columns(3)
    s1.metric("Loop score", f"{row['loop_score']:.3f}", help="weighted reciprocity of its edges")
    s2.metric("Cycle score", f"{row['cycle_score']:.3f}", help="share of its volume on edges lying on a cycle")
    s3.metric("Hub score", f"{row['hub_score']:.3f}", help="its volume / the largest volume")


def exposure_section(exp: ExposureResult, prov: ProvenanceResult) -> None:
    """Vendor financing, customer concentration, commitments and every party's own-money share."""
    frames = exp.frames()
    st.subheader("Vendor financing of customers")
    st.dataframe(
        frames["vendors"],
        hide_index=True,
        key="vendors_table",
        column_config={
            k: MONEY for k in ("financing", "committed", "drawn", "all_financing", "revenue", "operating_cash_flow")
        },
    )
    st.subheader("Customer concentration")
    st.dataframe(
        frames["concentration"],
        hide_index=True,
        key="concentration_table",
        column_config={
            "receipts": MONEY,
            "top_share": SHARE,
            "top2_share": SHARE,
            "reported_top_customer_share": SHARE,
        },
    )
    st.subheader("Commitments against revenue")
    st.dataframe(
        frames["commitments"],
        hide_index=True,
        key="commitments_table",
        column_config={k: MONEY for k in ("commitments", "committed", "drawn", "revenue", "operating_cash_flow")},
    )
    st.subheader("Own-money share of every party")
    st.dataframe(
        prov.to_frame(),
        hide_index=True,
        key="provenance_table",
        column_config={
            "network_receipts": MONEY,
            "returned": MONEY,
            "revenue": MONEY,
            "own_money_share": SHARE,
            "earmarked_own_money_share": SHARE,
        },
    )
    st.caption("Ratios with a missing, zero or negative denominator are empty. See docs/flows.md.")


# ---------------------------------------------------------------------------------------------------- page
def main() -> None:
    """Lay out the page."""
    st.set_page_config(page_title="junkan dashboard", layout="wide")
    st.title("junkan: follow the money around the loop")
    chosen = choose_ledger()
    if chosen is None:
        return
    full, data_key = chosen
    filters, basis = choose_filters(full, data_key)
    led = filters.apply(full)
    st.caption(f"{full.info.title} ({full.origin}): {len(led)} of {len(full)} deals; {filters.describe()}")
    if len(led) == 0:
        st.warning("No deal passes the filters.")
        return
    key = (data_key, repr(filters), basis)
    graph = _analysis("graph", key, lambda: flow_graph(led, basis=basis))
    cycles = _analysis("cycles", key, lambda: find_cycles(led, basis=basis))
    scores = _analysis("scores", key, lambda: party_scores(led, basis=basis))
    exp = _analysis("exposure", key, lambda: exposure(led, basis=basis))
    prov = _analysis("provenance", key, lambda: provenance(led, basis=basis))

    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Deals", f"{len(led)}")
    m2.metric("Parties", f"{len(graph.parties)}")
    m3.metric(f"Network volume ({basis}, USD)", money(float(graph.summary()["volume"])))  # type: ignore[arg-type]
    m4.metric("Cycles", f"{len(cycles.cycles)}")

    t_deals, t_network, t_party, t_exposure = st.tabs(["Deals", "Network", "Parties", "Exposure"])
    with t_deals:
        deals_section(led)
    with t_network:
        network_section(graph, cycles)
    with t_party:
        party_section(
            led,
            scores,
            cycles,
            lambda p: _analysis("trace", (*key, p), lambda: own_money_share(led, p, basis=basis)),
        )
    with t_exposure:
        exposure_section(exp, prov)


main()
