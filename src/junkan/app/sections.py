"""The dashboard's analysis views (Streamlit): deals, network cycles, one party, exposure, scorecard.

Each function draws one section from results of the public API; the numbers come from :mod:`junkan.flows` and
:mod:`junkan.assess`, the figures from :mod:`junkan.report.figures` (the same functions the HTML report uses: no
chart is drawn twice in two places), and nothing is computed here but formatting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from plotly.graph_objects import Figure

from junkan.app.lang import _, chart, current
from junkan.assess import Scorecard
from junkan.assess.watch import WatchResult
from junkan.errors import JunkanInputError
from junkan.flows import (
    CircularityResult,
    CycleResult,
    ExposureResult,
    FlowGraph,
    PartyScores,
    ProvenanceResult,
    TraceResult,
)
from junkan.ledger.model import Ledger
from junkan.report import data as rdata
from junkan.report import figures as rfig
from junkan.report.i18n import N_

MONEY = st.column_config.NumberColumn(format="compact")
SHARE = st.column_config.NumberColumn(format="percent")


def show_problems(exc: JunkanInputError, heading: str) -> None:
    """One ``st.error`` for the heading and one per problem (file, row or line, field, message)."""
    st.error(heading)
    for problem in exc.problems:
        st.error(str(problem))


def money(v: float | None) -> str:
    """``1.2e11 -> "$120.0B"``, ``-5.4e10 -> "-$54.0B"``; ``None`` -> ``"n/a"`` (in Japanese: ``1200億ドル``)."""
    if current().code != "en":
        return current().money(v)
    if v is None:
        return "n/a"
    sign, a = ("-" if v < 0 else ""), abs(v)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= scale:
            return f"{sign}${a / scale:,.1f}{suffix}"
    return f"{sign}${a:,.0f}"


def share(v: float | None) -> str:
    """``0.0452 -> "4.5%"``; ``None`` -> ``"n/a"``."""
    return "n/a" if v is None else f"{v:.1%}"


def score(v: float | None) -> str:
    """A score in [0, 1] with two decimals; ``None`` -> ``"n/a"``."""
    return "n/a" if v is None else f"{v:.2f}"


def deals_section(led: Ledger) -> None:
    """The filtered deals, with their sources as links."""
    st.subheader(_("Deals (%(n)s)") % {"n": len(led)})
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
    st.caption(_("Amounts in each deal's own currency; the network views convert to US dollars."))


def network_section(graph: FlowGraph, cycles: CycleResult, network_map: Figure, sankey: Figure) -> None:
    """The network map (with its time control), the money Sankey and the cycles of the money-flow network."""
    s = cycles.summary()
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_("Cycles"), f"{s['cycles']}")
    c2.metric(_("Money on cycles (sum of bottlenecks)"), money(float(s["cycle_volume"])))  # type: ignore[arg-type]
    c3.metric(_("Time-respecting cycles"), f"{s['time_respecting_cycles']}")
    c4.metric(_("Network volume"), money(float(graph.summary()["volume"])))  # type: ignore[arg-type]
    chart(network_map, key="network_map_chart")
    chart(sankey, key="sankey_chart")
    st.subheader(_("Cycles"))
    if not cycles.cycles:
        st.info(_("No cycle in the filtered network."))
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
        _(
            "Bottleneck: the smallest edge along the cycle. Time-respecting: some rotation admits one deal per edge "
            "with dates that never decrease."
        )
    )


#: The circularity table's columns in the dashboard: (label, format), labels through the message catalogue.
CIRCULARITY_COLUMNS: dict[str, tuple[str, str | None]] = {
    "entity": (N_("party id"), None),
    "name": (N_("party"), None),
    "received": (N_("received"), "compact"),
    "paid": (N_("paid"), "compact"),
    "throughput": (N_("throughput"), "compact"),
    "circular": (N_("circular flow through it"), "compact"),
    "circular_share": (N_("of its throughput"), "percent"),
}


def circularity_section(circ: CircularityResult, names: dict[str, str], basis: str) -> None:
    """The circularity index of the filtered web (Homs-Dones et al. 2025, :func:`junkan.flows.circularity`), its 90%
    interval over the uncertainty draws, its trend (the cumulative web at each year end) and the parties the circular
    money runs through. ``circ`` must have been run with ``by="year"`` (and draws, for the interval)."""
    lang = current()
    st.subheader(_("How circular is the whole web?"))
    iv = circ.index_interval
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_("Circularity index"), lang.pct(circ.index, 1))
    c2.metric(_("90% interval of the index"), f"{lang.pct(iv[0], 1)}–{lang.pct(iv[1], 1)}" if iv else _("n/a"))
    c3.metric(_("Can go round (circular flow)"), money(circ.circular_flow))
    c4.metric(_("In the web (total flow)"), money(circ.total_flow))
    draws = circ.inputs.get("uncertainty")
    st.caption(
        (
            _(
                "Circular Directional Flow Decomposition (Homs-Dones, MacKay, Sansom and Zhou 2025, arXiv 2506.12546): "
                "the share of the money that can go round in cycles. 90%% interval over %(n)s draws of the uncertain "
                "amounts, seed %(seed)s; basis %(basis)s. The index is on the amounts as recorded and the interval "
                'over the draws, so the index can fall outside it: a deal recorded "up to" an amount counts at its '
                "ceiling in the index, while the draws spread it below the ceiling."
            )
            % {"n": draws, "seed": circ.inputs.get("seed"), "basis": _(basis)}
        )
        if draws
        else _(
            "Circular Directional Flow Decomposition (Homs-Dones, MacKay, Sansom and Zhou 2025, arXiv 2506.12546): "
            "the share of the money that can go round in cycles; basis %(basis)s."
        )
        % {"basis": _(basis)}
    )
    chart(rfig.circularity_trend(circ.periods_frame(), interval=iv), key="circularity_chart")
    st.dataframe(
        rdata.circularity_parties_table(circ, names, top=None),
        hide_index=True,
        key="circularity_table",
        column_config=column_config(CIRCULARITY_COLUMNS),
    )


def column_config(columns: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """Streamlit column configs with the labels in the chosen language (``percent``, ``compact`` or text)."""
    out: dict[str, Any] = {}
    for col, (label, fmt) in columns.items():
        text = _(label)
        out[col] = st.column_config.NumberColumn(text, format=fmt) if fmt else st.column_config.Column(text)
    return out


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
    score_of: Callable[[str], Scorecard],
    origins: pd.DataFrame,
) -> None:
    """Party scores (click a row) and one party's own-money share, receipts by origin, paths, cycles and its
    scorecard (the party in the vendor's seat: :func:`junkan.assess.scorecard` at level ``party``)."""
    frame = scores.to_frame()
    if frame.empty:
        st.info(_("No party in the filtered network."))
        return
    order = list(frame["party"])
    st.session_state["_party_order"] = order
    names = {p: (led.entities[p].name if p in led.entities else p) for p in order}
    st.subheader(_("Parties"))
    st.caption(_("Click a row to look at that party, or pick it from the list below."))
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
    party = st.selectbox(_("Party"), order, key="party", format_func=lambda p: f"{names[p]} ({p})")
    tr = trace_of(party)
    st.subheader(_("%(name)s: where its receipts come from") % {"name": tr.name})
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_("Own-money share"), share(tr.own_money_share), help=_("returned money / receipts from the network"))
    c2.metric(_("Returned money"), money(tr.returned))
    c3.metric(_("Receipts from the network"), money(tr.network_receipts))
    c4.metric(_("Earmarked own-money share"), share(tr.earmarked.own_money_share))
    for note in tr.notes:
        st.caption(note)
    chart(
        rfig.receipts_by_origin(
            origins[origins["entity"] == party], title=_("Where %(name)s's receipts come from") % {"name": tr.name}
        ),
        key="party_origin_chart",
    )
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Receipts by origin** (proportional tracing)"))
        st.dataframe(
            tr.to_frame(), hide_index=True, key="origin_table", column_config={"amount": MONEY, "share": SHARE}
        )
    with right:
        st.markdown(_("**Paths of its returned money**"))
        paths = pd.DataFrame(
            [{"path": " -> ".join(r.path), "amount": r.amount} for r in tr.paths], columns=["path", "amount"]
        )
        st.dataframe(paths, hide_index=True, key="paths_table", column_config={"amount": MONEY})
        if tr.other_paths > 0:
            st.caption(_("Longer walks and walks round inner loops: %(amount)s") % {"amount": money(tr.other_paths)})
    st.markdown(_("**Flows**"))
    flows = pd.DataFrame(
        [{"direction": "receives from", "counterparty": p, "amount": a} for p, a in tr.by_payer],
        columns=["direction", "counterparty", "amount"],
    )
    st.dataframe(flows, hide_index=True, key="flows_table", column_config={"amount": MONEY})
    through = [c for c in cycles.cycles if party in c.parties]
    st.markdown(_("**Cycles through %(name)s** (%(n)s)") % {"name": tr.name, "n": len(through)})
    if through:
        st.dataframe(
            cycles.to_frame().loc[[i for i, c in enumerate(cycles.cycles) if party in c.parties]],
            hide_index=True,
            key="party_cycles_table",
            column_config={"bottleneck": MONEY, "bottleneck_committed": MONEY, "bottleneck_drawn": MONEY},
        )
    row = frame.loc[frame["party"] == party].iloc[0]
    st.markdown(_("**Network scores**"))
    s1, s2, s3 = st.columns(3)
    s1.metric(_("Loop score"), f"{row['loop_score']:.3f}", help=_("weighted reciprocity of its edges"))
    s2.metric(_("Cycle score"), f"{row['cycle_score']:.3f}", help=_("share of its volume on edges lying on a cycle"))
    s3.metric(_("Hub score"), f"{row['hub_score']:.3f}", help=_("its volume / the largest volume"))
    card = score_of(party)
    if not card.cases:
        st.caption(
            _("%(name)s is not scored: it is in no deal of the filtered data as a vendor or a customer.")
            % {"name": tr.name}
        )
        return
    case = card.cases[0]
    st.markdown(_("**Scorecard: %(name)s in the vendor's seat**") % {"name": tr.name})
    k1, k2, k3, k4 = st.columns(4)
    k1.metric(_("Region"), _(case.region))
    k2.metric(_("Round-trip intensity"), score(case.round_trip))
    k3.metric(_("Financing strain"), score(case.strain))
    k4.metric(_("Evidence coverage"), share(case.coverage))
    st.dataframe(
        card.indicators_frame().drop(columns=["case"]),
        hide_index=True,
        key="party_indicators_table",
        column_config={"score": st.column_config.NumberColumn(format="%.2f")},
    )


def exposure_section(exp: ExposureResult, prov: ProvenanceResult, names: dict[str, str]) -> None:
    """Vendor financing, customer concentration, commitments and every party's own-money share."""
    frames = exp.frames()
    chart(rfig.exposure_bars(frames["vendors"], frames["commitments"], names), key="exposure_chart")
    st.subheader(_("Vendor financing of customers"))
    st.dataframe(
        frames["vendors"],
        hide_index=True,
        key="vendors_table",
        column_config={
            k: MONEY for k in ("financing", "committed", "drawn", "all_financing", "revenue", "operating_cash_flow")
        },
    )
    st.subheader(_("Customer concentration"))
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
    st.subheader(_("Commitments against revenue"))
    st.dataframe(
        frames["commitments"],
        hide_index=True,
        key="commitments_table",
        column_config={k: MONEY for k in ("commitments", "committed", "drawn", "revenue", "operating_cash_flow")},
    )
    st.subheader(_("Own-money share of every party"))
    chart(rfig.own_money_bars(rdata.own_money_table(prov, names)), key="own_money_chart")
    chart(rfig.receipts_by_origin(rdata.origins_table(prov)), key="origins_chart")
    st.dataframe(
        prov.to_frame(),
        hide_index=True,
        key="provenance_table",
        column_config={
            **{k: MONEY for k in ("network_receipts", "returned", "unfunded", "revenue")},
            **{
                k: SHARE
                for k in (
                    "own_money_share",
                    "own_money_share_p5",
                    "own_money_share_p95",
                    "own_money_share_of_receipts",
                    "own_money_share_of_receipts_p5",
                    "own_money_share_of_receipts_p95",
                    "share_of_revenue",
                    "earmarked_own_money_share",
                    "earmarked_own_money_share_of_receipts",
                )
            },
        },
    )
    draws = prov.inputs.get("uncertainty")
    if draws:
        st.caption(
            _(
                "own_money_share is returned money over funded receipts, own_money_share_of_receipts returned money "
                "over all network receipts; the _p5 and _p95 columns are their 90%% interval over %(n)s draws of the "
                "uncertain amounts, seed %(seed)s. The shares are on the amounts as recorded, so a share can fall "
                "outside its interval."
            )
            % {"n": draws, "seed": prov.inputs.get("seed")}
        )
    st.caption(_("Ratios with a missing, zero or negative denominator are empty. See docs/flows.md."))


def scorecard_section(card: Scorecard, dataset: str) -> None:
    """Circular trading or market creation: positions of the dataset, its arrangements and the reference cases."""
    summary = card.summary()
    regions: dict[str, int] = summary["regions"]  # type: ignore[assignment]
    shown = {r: n for r, n in regions.items() if n}  # the regions that hold a case (there are ten)
    cols = st.columns(max(1, len(shown)))
    for col, (region, n) in zip(cols, shown.items(), strict=False):
        col.metric(_(region), f"{n}")
    frame = card.to_frame()
    placed = frame[["case", "dataset", "level", "label", "round_trip", "strain", "coverage", "region"]].copy()
    placed["reasons"] = [list(c.reasons) for c in card.cases]
    t = card.thresholds
    chart(rfig.scorecard_map(placed, round_trip_cut=t.round_trip_cut, strain_cut=t.strain_cut), key="scorecard_chart")
    st.dataframe(
        frame,
        hide_index=True,
        key="scorecard_table",
        column_order=[
            "case",
            "dataset",
            "level",
            "label",
            "region",
            "round_trip",
            "strain",
            "coverage",
            "vendor",
            "deals",
        ],
        column_config={
            "round_trip": st.column_config.NumberColumn(format="%.2f"),
            "strain": st.column_config.NumberColumn(format="%.2f"),
            "coverage": SHARE,
        },
    )
    ours = [c for c in card.cases if c.dataset == dataset]
    if ours:
        pick = st.selectbox(_("Case"), [c.id for c in ours], key="case")
        case = card.case(pick)
        st.markdown(f"**{case.label}**: {_(case.region)}")
        for reason in case.reasons:
            st.markdown(f"- {reason}")
    st.caption(
        _("Round-trip intensity and financing strain are weighted means of indicator sub-scores (docs/scorecard.md).")
    )


def watch_section(res: WatchResult) -> None:
    """The watch list: counts, then one row per indicator (status, value, thresholds, date, reading, source)."""
    c = res.counts()
    a, w, o = st.columns(3)
    a.metric(_("Alert"), f"{c['alert']}")
    w.metric(_("Watch"), f"{c['watch']}")
    o.metric(_("OK"), f"{c['ok']}")
    st.caption(
        _("As known on %(date)s. Thresholds and their reasons: docs/watch.md; `junkan watch` exits 1 on alert.")
        % {"date": current().day(res.as_of)}
    )
    st.dataframe(res.to_frame(), hide_index=True, width="stretch", key="watch_table")
