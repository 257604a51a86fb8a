"""Every plotly figure of junkan, built once: the HTML report and the dashboard both call these functions.

Each function is pure: plain tables in (the frames of :mod:`junkan.report.data` or a result's ``to_frame()``),
a :class:`plotly.graph_objects.Figure` out. Nothing here reads files or calls the analyses.

The network map (:func:`network_map`)
-------------------------------------
* **Layout**: fixed and deterministic: Kamada-Kawai (1989) on the final party graph (edges unweighted, so every deal
  pulls alike), computed once so a party keeps its place in every frame.
* **Time control**: one frame per year (or quarter) holding every deal announced up to the end of that period; a
  slider and a play button step through them. Parties with no deal yet are drawn faint.
* **Edges**: all deals of one kind group from one payer to one payee are one edge, coloured by group (investment,
  purchase, credit, in-kind, backstop), its width set by the amount on a log scale (four widths). An arrowhead at
  the middle shows the direction money moves; hovering it lists the deals with their status and source.
* **No hairball**: edges below ``min_share`` of the network's total volume (default 0.1%) are grouped in one thin
  grey "small deals" layer; beyond ``max_parties`` parties (by volume), the smallest are merged into one
  "other parties" node.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from junkan.report.data import GROUP_ORDER, source_host

GROUP_COLOURS: dict[str, str] = {
    "investment": "#2563eb",
    "purchase": "#ea580c",
    "credit": "#7c3aed",
    "in-kind": "#16a34a",
    "backstop": "#dc2626",
}
SMALL_COLOUR = "#a3a3a3"
ENTITY_COLOURS: dict[str, str] = {
    "company": "#0f172a",
    "investor": "#0e7490",
    "lender": "#6d28d9",
    "spv": "#b45309",
    "joint_venture": "#be185d",
    "government": "#4d7c0f",
    "agency": "#4d7c0f",
    "customers": "#64748b",
    "other": "#64748b",
}
CHANNEL_LABELS: dict[str, str] = {
    "returned": "its own money coming back",
    "outside": "outside money (end customers, outside investors)",
    "unfunded": "unfunded (promised beyond any money that can reach the payer)",
}
CHANNEL_COLOURS: dict[str, str] = {"returned": "#dc2626", "outside": "#16a34a", "unfunded": "#94a3b8"}
OTHER_PARTIES = "(other parties)"
WIDTHS = (1.6, 3.2, 5.5, 9.0)
ASPECT = 1.7  # the map is drawn wider than tall: layout x is stretched by this factor
LABEL_CHARS = 26
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def money(v: float | None) -> str:
    """Human-readable US dollars: ``1.2e11`` -> ``$120.0B``; ``None``/NaN -> ``n/a``."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    a = abs(v)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= scale:
            return f"{'-' if v < 0 else ''}${a / scale:,.1f}{suffix}"
    return f"{'-' if v < 0 else ''}${a:,.0f}"


#: A horizontal legend at the bottom of the figure, under the x-axis title: placed against the whole figure
#: (``yref="container"``), so plotly grows the bottom margin to fit however many rows it wraps onto. Above the plot
#: (``y=1`` on the plot area) its entries, longer in Japanese and on a narrow page, wrapped upwards into the chart's
#: title; checked in Chromium at 1400, 800 and 500 px (tests/browser/test_answers_lang_browser.py).
LEGEND_BELOW: dict[str, object] = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
}


def _base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        height=height,
        font={"family": FONT, "size": 12},
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    return fig


def empty_figure(title: str, message: str, height: int = 260) -> go.Figure:
    """A figure that says there is nothing to draw (never a blank box)."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 14})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, title, height)


# ---------------------------------------------------------------------------------------------------- network map
def _periods(first: date, last: date, period: str) -> list[tuple[str, date]]:
    """``(label, last day)`` of every year or quarter from ``first`` to ``last``."""
    out: list[tuple[str, date]] = []
    if period == "year":
        for y in range(first.year, last.year + 1):
            out.append((str(y), date(y, 12, 31)))
        return out
    if period != "quarter":
        raise ValueError(f"period must be 'year' or 'quarter', not {period!r}")
    y, q = first.year, (first.month - 1) // 3 + 1
    while (y, q) <= (last.year, (last.month - 1) // 3 + 1):
        end_month = 3 * q
        end = date(y + 1, 1, 1) if end_month == 12 else date(y, end_month + 1, 1)
        out.append((f"{y}Q{q}", date.fromordinal(end.toordinal() - 1)))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def map_layout(pairs: Sequence[tuple[str, str]], nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Deterministic node positions: Kamada-Kawai on the undirected party graph, components joined for layout only.

    Positions depend only on the sorted nodes and edges, never on a random seed.
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from(sorted({tuple(sorted(p)) for p in pairs if p[0] != p[1]}))
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_nodes() <= 2:
        return {n: (float(x), float(y)) for n, (x, y) in nx.circular_layout(g).items()}
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    h = g.copy()
    for c in comps[1:]:  # join smaller components to the largest so the layout is defined; not drawn
        h.add_edge(comps[0][0], c[0])
    pos = nx.kamada_kawai_layout(h)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _edge_hover(payer: str, payee: str, group: str, rows: pd.DataFrame, max_deals: int = 8) -> str:
    total = float(rows["amount"].sum())
    n = len(rows)
    lines = [f"<b>{payer} → {payee}</b>", f"{group}: {money(total)} ({n} deal{'s' if n != 1 else ''})"]
    for r in rows.sort_values("amount", ascending=False).head(max_deals).to_dict("records"):
        when = r["date"].isoformat() if hasattr(r["date"], "isoformat") else str(r["date"])
        lines.append(
            f"• {r['title']} ({when}, {money(float(r['amount']))}, {r['status']}, {r['confidence']} confidence)"
        )
        lines.append(f"   {str(r['kind']).replace('_', ' ')}; source: {source_host(str(r['source_url']))}")
    if n > max_deals:
        lines.append(f"… and {n - max_deals} more")
    return "<br>".join(lines)


def network_map(
    flows: pd.DataFrame,
    parties: pd.DataFrame,
    *,
    period: str = "year",
    min_share: float = 0.001,
    max_parties: int = 40,
    title: str = "The network map: who pays whom",
) -> go.Figure:
    """The deal network with a time control (see the module docstring).

    Parameters
    ----------
    flows
        :func:`junkan.report.data.flows_table` (one row per deal with money).
    parties
        :func:`junkan.report.data.parties_table` (node sizes: ``size_value``; colours: entity ``kind``).
    period
        ``year`` (default) or ``quarter``: one frame per period, cumulative.
    min_share
        Edges under this share of the total volume go into the grey "small deals" layer.
    max_parties
        Largest number of party nodes; the rest (smallest by volume) become one "other parties" node.
    """
    f = flows[flows["amount"] > 0].copy()
    if f.empty:
        return empty_figure(title, "No deals with money to draw.")
    # ---- merge the smallest parties into one node
    vol = (f.groupby("payer")["amount"].sum().add(f.groupby("payee")["amount"].sum(), fill_value=0.0)).sort_values(
        ascending=False, kind="stable"
    )
    keep = set(vol.index[: max(1, max_parties - 1)]) if len(vol) > max_parties else set(vol.index)
    names = dict(zip(parties["party"], parties["name"], strict=False))
    names[OTHER_PARTIES] = OTHER_PARTIES
    for col in ("payer", "payee"):
        f[col] = [p if p in keep else OTHER_PARTIES for p in f[col]]
    f = f[f["payer"] != f["payee"]]
    nodes = sorted(set(f["payer"]) | set(f["payee"]))
    pos = {
        n: (ASPECT * x, y) for n, (x, y) in map_layout(list(zip(f["payer"], f["payee"], strict=True)), nodes).items()
    }
    xs = np.array([pos[n][0] for n in nodes])
    span = float(max(np.ptp(xs), np.ptp([pos[n][1] for n in nodes]), 1e-9))
    # ---- edge geometry: an offset slot per (payer, payee, group) on each pair, so opposite directions separate
    final = f.groupby(["payer", "payee", "group"], sort=True)["amount"].sum()
    total = float(final.sum())
    threshold = min_share * total
    slots: dict[tuple[str, str, str], int] = {}
    for a, b, g in final.index:
        key = (a, b)
        slots[(a, b, g)] = sum(1 for (x, y, _) in slots if (x, y) == key)
    big = final[final >= threshold]
    lo, hi = (float(big.min()), float(big.max())) if len(big) else (threshold, threshold)
    cuts = np.geomspace(max(lo, 1e-9), max(hi, 1e-9), len(WIDTHS) + 1)[1:-1] if hi > lo else np.array([])

    def bucket(x: float) -> int:
        return int(np.searchsorted(cuts, x, side="right"))

    def geometry(a: str, b: str, g: str) -> tuple[float, float, float, float]:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        dx, dy = x1 - x0, y1 - y0
        d = math.hypot(dx, dy) or 1.0
        off = 0.012 * span * (slots[(a, b, g)] + 0.6)
        nx_, ny_ = dy / d, -dx / d  # the right-hand side of the direction of travel
        return x0 + nx_ * off, y0 + ny_ * off, x1 + nx_ * off, y1 + ny_ * off

    sizes = dict(zip(parties["party"], parties["size_value"], strict=False))
    kinds = dict(zip(parties["party"], parties["kind"], strict=False))
    size_metric = str(parties["size_metric"].iloc[0]) if len(parties) else "revenue"
    periods_of = dict(zip(parties["party"], parties["size_period"], strict=False))
    known = [v for v in sizes.values() if v is not None and not (isinstance(v, float) and math.isnan(v)) and v > 0]
    smax = max(known, default=1.0)

    def node_size(p: str) -> float:
        v = sizes.get(p)
        if v is None or (isinstance(v, float) and math.isnan(v)) or v <= 0:
            return 9.0
        return 12.0 + 34.0 * math.sqrt(v / smax)

    def node_hover(p: str, sub: pd.DataFrame) -> str:
        rec = float(sub.loc[sub["payee"] == p, "amount"].sum())
        paid = float(sub.loc[sub["payer"] == p, "amount"].sum())
        v = sizes.get(p)
        has = v is not None and not (isinstance(v, float) and math.isnan(v))
        fig_txt = f"{size_metric} {money(v)} ({periods_of.get(p)})" if has else f"no {size_metric} on file"
        return (
            f"<b>{names.get(p, p)}</b> ({kinds.get(p, 'parties')})<br>{fig_txt}<br>"
            f"receives {money(rec)}, pays {money(paid)} in deals so far"
        )

    def traces(upto: date) -> list[go.Scatter]:
        sub = f[f["date"] <= upto]
        agg = {k: rows for k, rows in sub.groupby(["payer", "payee", "group"], sort=True)}
        lines: dict[tuple[str, int], tuple[list[float | None], list[float | None]]] = {
            (g, w): ([], []) for g in GROUP_ORDER for w in range(len(WIDTHS))
        }
        small_line: tuple[list[float | None], list[float | None]] = ([], [])
        heads: dict[str, dict[str, list[Any]]] = {
            g: {"x": [], "y": [], "angle": [], "text": [], "size": []} for g in (*GROUP_ORDER, "small")
        }
        for key, rows in agg.items():
            a, b, g = (str(x) for x in key)
            amount = float(rows["amount"].sum())
            x0, y0, x1, y1 = geometry(a, b, g)
            is_small = float(final[(a, b, g)]) < threshold
            xl, yl = small_line if is_small else lines[(g, bucket(float(final[(a, b, g)])))]
            xl.extend([x0, x1, None])
            yl.extend([y0, y1, None])
            h = heads["small" if is_small else g]
            h["x"].append(x0 + 0.55 * (x1 - x0))
            h["y"].append(y0 + 0.55 * (y1 - y0))
            h["angle"].append(90.0 - math.degrees(math.atan2(y1 - y0, x1 - x0)))
            h["text"].append(_edge_hover(names.get(a, a), names.get(b, b), g, rows))
            h["size"].append(7.0 if is_small else 8.0 + 1.6 * WIDTHS[bucket(amount)])
        out: list[go.Scatter] = []
        for g in GROUP_ORDER:
            for w in range(len(WIDTHS)):
                xl, yl = lines[(g, w)]
                out.append(
                    go.Scatter(
                        x=xl,
                        y=yl,
                        mode="lines",
                        line={"color": GROUP_COLOURS[g], "width": WIDTHS[w]},
                        opacity=0.55,
                        hoverinfo="skip",
                        name=g,
                        legendgroup=g,
                        showlegend=False,
                    )
                )
        out.append(
            go.Scatter(
                x=small_line[0],
                y=small_line[1],
                mode="lines",
                line={"color": SMALL_COLOUR, "width": 1, "dash": "dot"},
                opacity=0.7,
                hoverinfo="skip",
                name=f"small deals (< {money(threshold)})",
                legendgroup="small",
                showlegend=False,
            )
        )
        for g in (*GROUP_ORDER, "small"):
            h = heads[g]
            out.append(
                go.Scatter(
                    x=h["x"],
                    y=h["y"],
                    mode="markers",
                    marker={
                        "symbol": "triangle-up",
                        "angle": h["angle"],
                        "size": h["size"],
                        "color": SMALL_COLOUR if g == "small" else GROUP_COLOURS[g],
                        "line": {"width": 0.5, "color": "white"},
                    },
                    hovertext=h["text"],
                    hoverinfo="text",
                    name=f"small deals (< {money(threshold)})" if g == "small" else g,
                    legendgroup=g,
                    showlegend=True,
                )
            )
        active = set(sub["payer"]) | set(sub["payee"])
        out.append(
            go.Scatter(
                x=[pos[n][0] for n in nodes],
                y=[pos[n][1] for n in nodes],
                mode="markers+text",
                text=[_short(names.get(n, n)) if n in active else "" for n in nodes],
                textposition="top center",
                textfont={"size": 11, "color": "#111827"},
                marker={
                    "size": [node_size(n) for n in nodes],
                    "color": [ENTITY_COLOURS.get(kinds.get(n, "other"), "#64748b") for n in nodes],
                    "opacity": [0.95 if n in active else 0.12 for n in nodes],
                    "line": {"width": 1.5, "color": "white"},
                },
                hovertext=[node_hover(n, sub) for n in nodes],
                hoverinfo="text",
                name="parties",
                showlegend=False,
            )
        )
        return out

    first, last = min(f["date"]), max(f["date"])
    steps = _periods(first, last, period)
    frames = [go.Frame(name=label, data=traces(end)) for label, end in steps]
    fig = go.Figure(data=frames[-1].data, frames=frames)
    anim = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    fig.update_layout(
        sliders=[
            {
                "active": len(steps) - 1,
                "currentvalue": {"prefix": "Deals announced up to the end of ", "font": {"size": 13}},
                "pad": {"t": 30, "b": 10},
                "len": 0.9,
                "x": 0.05,
                "steps": [{"label": label, "method": "animate", "args": [[label], anim]} for label, _ in steps],
            }
        ],
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0.0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 42, "r": 10},
                "buttons": [
                    {
                        "label": "▶ play",
                        "method": "animate",
                        "args": [
                            None,
                            {**anim, "frame": {"duration": 700, "redraw": True}, "fromcurrent": True},
                        ],
                    }
                ],
            }
        ],
        legend={
            **LEGEND_BELOW,
            "title": {"text": "money moves as "},
            "itemsizing": "constant",
        },
        hovermode="closest",
        hoverlabel={"align": "left", "font": {"size": 11}},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    _base_layout(fig, title, 780)
    fig.update_layout(margin={"t": 90})
    return fig


# ---------------------------------------------------------------------------------------------------- Sankey
def _hex_rgba(colour: str, alpha: float) -> str:
    c = colour.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def money_sankey(
    flows: pd.DataFrame, *, max_nodes: int = 14, title: str = "Money flows: payers (left) to payees (right)"
) -> go.Figure:
    """A Sankey diagram from payers (left) to payees (right), links coloured by kind group and sized by amount.

    A party can pay and receive, so it may appear on both sides. Beyond the ``max_nodes`` largest payers (and
    payees), the rest are merged into "other payers" ("other payees").
    """
    f = flows[flows["amount"] > 0]
    if f.empty:
        return empty_figure(title, "No deals with money to draw.")
    out_tot = f.groupby("payer_name")["amount"].sum().sort_values(ascending=False, kind="stable")
    in_tot = f.groupby("payee_name")["amount"].sum().sort_values(ascending=False, kind="stable")
    top_out = set(out_tot.index[:max_nodes]) if len(out_tot) > max_nodes else set(out_tot.index)
    top_in = set(in_tot.index[:max_nodes]) if len(in_tot) > max_nodes else set(in_tot.index)
    g = f.assign(
        src=[p if p in top_out else "other payers" for p in f["payer_name"]],
        dst=[p if p in top_in else "other payees" for p in f["payee_name"]],
    )
    agg = g.groupby(["src", "dst", "group"], sort=False).agg(amount=("amount", "sum"), n=("deal_id", "count"))
    agg = agg.reset_index()
    left = [p for p in out_tot.index if p in top_out] + (["other payers"] if len(out_tot) > len(top_out) else [])
    right = [p for p in in_tot.index if p in top_in] + (["other payees"] if len(in_tot) > len(top_in) else [])
    li = {p: i for i, p in enumerate(left)}
    ri = {p: len(left) + i for i, p in enumerate(right)}
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [*left, *right],
                "pad": 10,
                "thickness": 14,
                "color": ["#334155"] * len(left) + ["#64748b"] * len(right),
                "customdata": [f"pays {money(float(out_tot[p]))}" if p in out_tot.index else "" for p in left]
                + [f"receives {money(float(in_tot[p]))}" if p in in_tot.index else "" for p in right],
                "hovertemplate": "%{label} %{customdata}<extra></extra>",
            },
            link={
                "source": [li[s] for s in agg["src"]],
                "target": [ri[t] for t in agg["dst"]],
                "value": agg["amount"].tolist(),
                "color": [_hex_rgba(GROUP_COLOURS[x], 0.45) for x in agg["group"]],
                "customdata": [
                    f"{money(a)} ({grp}, {n} deal{'s' if n != 1 else ''})"
                    for a, grp, n in zip(agg["amount"], agg["group"], agg["n"], strict=True)
                ],
                "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
            },
        )
    )
    for grp in GROUP_ORDER:  # a legend for the link colours
        if (agg["group"] == grp).any():
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"size": 10, "color": GROUP_COLOURS[grp], "symbol": "square"},
                    name=grp,
                    showlegend=True,
                )
            )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(legend=LEGEND_BELOW)
    return _base_layout(fig, title, max(480, 30 * max(len(left), len(right))))


# ---------------------------------------------------------------------------------------------------- own money
def own_money_bars(
    shares: pd.DataFrame, *, title: str = "Own-money share: how much of a party's receipts is its own money back"
) -> go.Figure:
    """Grouped horizontal bars of each party's own-money share: proportional tracing and the earmarked view.

    ``shares`` is :func:`junkan.report.data.own_money_table`; parties with neither share above 0 are left out.
    """
    s = shares.copy()
    s["p"] = s["own_money_share"].astype(float).fillna(0.0)
    s["e"] = s["earmarked_share"].astype(float).fillna(0.0)
    s = s[(s["p"] > 0) | (s["e"] > 0)].sort_values(["p", "e"], kind="stable")
    if s.empty:
        return empty_figure(title, "No party receives its own money back in this network.")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=s["name"],
            x=s["p"],
            orientation="h",
            name="proportional tracing",
            marker_color="#dc2626",
            customdata=np.stack([[money(x) for x in s["returned"]], [money(x) for x in s["network_receipts"]]], axis=1),
            hovertemplate="%{y}: %{x:.1%} of %{customdata[1]} receipts"
            " (%{customdata[0]} returned)<extra>proportional</extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=s["name"],
            x=s["e"],
            orientation="h",
            name="earmarked (linked legs return first)",
            marker_color="#f59e0b",
            hovertemplate="%{y}: %{x:.1%}<extra>earmarked</extra>",
        )
    )
    fig.update_layout(barmode="group", legend=LEGEND_BELOW)
    fig.update_xaxes(tickformat=".0%", gridcolor="#e5e7eb", title="share of network receipts")
    return _base_layout(fig, title, max(320, 34 * len(s) + 120))


def receipts_by_origin(
    origins: pd.DataFrame, *, top: int = 14, title: str = "Where each party's receipts come from"
) -> go.Figure:
    """Stacked horizontal bars of the largest receivers' network receipts by origin channel (US dollars).

    ``origins`` is :func:`junkan.report.data.origins_table`.
    """
    if origins.empty:
        return empty_figure(title, "No party receives money from the network.")
    tot = origins.groupby("name")["amount"].sum().sort_values(ascending=False, kind="stable")
    keep = list(tot.index[:top])[::-1]
    fig = go.Figure()
    for ch in ("returned", "outside", "unfunded"):
        sub = origins[origins["channel"] == ch].groupby("name")["amount"].sum()
        xs = [float(sub.get(n, 0.0)) for n in keep]
        fig.add_trace(
            go.Bar(
                y=keep,
                x=xs,
                orientation="h",
                name=CHANNEL_LABELS[ch],
                marker_color=CHANNEL_COLOURS[ch],
                customdata=[money(x) for x in xs],
                hovertemplate="%{y}: %{customdata}<extra>" + CHANNEL_LABELS[ch] + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend=LEGEND_BELOW)
    fig.update_xaxes(tickprefix="$", exponentformat="B", gridcolor="#e5e7eb", title="network receipts (US$)")
    return _base_layout(fig, title, max(320, 30 * len(keep) + 120))


# ---------------------------------------------------------------------------------------------------- exposure
def _revenue_ratio_bar(
    rows: pd.DataFrame, party: str, amount: str, names: dict[str, str], colour: str, label: str, shown: str
) -> go.Bar:
    """One panel of :func:`exposure_bars`: each party's ``amount`` / revenue (column ``r``) as a horizontal bar.

    The amount and the revenue go in the hover, the amount (or "(no revenue)") beside the bar; ``shown`` is the
    plotly format of the ratio in the hover, e.g. ``"{x:.2f}"``.
    """
    return go.Bar(
        y=[names.get(x, x) for x in rows[party]],
        x=rows["r"].fillna(0.0),
        orientation="h",
        marker_color=colour,
        name=label,
        customdata=np.stack([[money(x) for x in rows[amount]], [money(x) for x in rows["revenue"]]], axis=1),
        hovertemplate=f"%{{y}}: {amount} %{{customdata[0]}}, revenue %{{customdata[1]}} → %{shown}<extra></extra>",
        text=[
            money(a) + ("" if pd.notna(r) else " (no revenue)") for a, r in zip(rows[amount], rows["r"], strict=True)
        ],
        textposition="outside",
        cliponaxis=False,
    )


def exposure_bars(
    vendors: pd.DataFrame,
    commitments: pd.DataFrame,
    names: dict[str, str] | None = None,
    *,
    title: str = "Exposure: vendor financing and purchase commitments against revenue",
) -> go.Figure:
    """Two panels: each vendor's financing of its customers / its revenue, and each customer's commitments / revenue.

    ``vendors`` and ``commitments`` are the ``vendors`` and ``commitments`` frames of
    :meth:`junkan.flows.ExposureResult.frames`. Parties without a revenue figure are listed with their amount only.
    """
    from plotly.subplots import make_subplots

    names = names or {}
    if vendors.empty and commitments.empty:
        return empty_figure(title, "No vendor financing or purchase commitments in this network.")
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(
            "vendor financing of its own customers / revenue",
            "purchase commitments / revenue (years of revenue)",
        ),
        horizontal_spacing=0.22,
    )
    v = vendors.assign(r=vendors["financing_to_revenue"].astype(float)).sort_values("financing", kind="stable")
    fig.add_trace(
        _revenue_ratio_bar(v, "vendor", "financing", names, "#2563eb", "financing / revenue", "{x:.2f}"), row=1, col=1
    )
    c = commitments.assign(r=commitments["coverage_years"].astype(float)).sort_values("commitments", kind="stable")
    fig.add_trace(
        _revenue_ratio_bar(c, "customer", "commitments", names, "#ea580c", "commitments / revenue", "{x:.1f} years"),
        row=1,
        col=2,
    )
    fig.update_xaxes(gridcolor="#e5e7eb")
    for col, vals in ((1, v["r"]), (2, c["r"])):  # room for the amount labels beside the bars
        top = float(np.nanmax(vals.to_numpy(dtype=float), initial=0.0))
        fig.update_xaxes(range=[0, 1.45 * top if top > 0 else 1.0], row=1, col=col)
    fig.update_layout(showlegend=False)
    return _base_layout(fig, title, max(360, 26 * max(len(v), len(c)) + 140))


# ---------------------------------------------------------------------------------------------------- scorecard
REGION_COLOURS: dict[str, str] = {
    "round trip without real demand": "#dc2626",
    "vendor financing of customers that cannot pay": "#f59e0b",
    "vendor financing with real demand / market creation": "#16a34a",
    "insufficient evidence": "#9ca3af",
}
#: Qualified market creation (the scorecard's weakest-link regions, "market creation, ..."): one colour, amber-brown.
QUALIFIED_COLOUR = "#a16207"


def region_colour(region: str) -> str:
    """The colour of a scorecard region (qualified market-creation regions share :data:`QUALIFIED_COLOUR`)."""
    if region in REGION_COLOURS:
        return REGION_COLOURS[region]
    return QUALIFIED_COLOUR if region.startswith("market creation, ") else "#9ca3af"


MISSING_AXIS = -0.1  # where a case with no evidence on an axis is drawn (open marker, "no evidence" strip)


def scorecard_map(
    cases: pd.DataFrame,
    *,
    round_trip_cut: float,
    strain_cut: float,
    title: str = "Circular trading or market creation? Every case on the same axes",
) -> go.Figure:
    """The scorecard's two axes: round-trip intensity (x) against financing strain (y), coloured by region.

    ``cases`` has one row per case: ``case, dataset, level, label, round_trip, strain, coverage, region, reasons``
    (``reasons`` a list of strings), e.g. :meth:`junkan.assess.Scorecard.to_frame` with the reasons added.
    Cases at the same position, in the same dataset and region, are drawn as one marker whose hover lists them all
    (sized by their number). A case without evidence on an axis sits on the grey "no evidence" strip at
    ``-0.1`` with an open marker. Dataset-level cases are diamonds and carry their dataset's name; optional columns
    ``rt_lo, rt_hi, f_lo, f_hi`` (5-95% intervals of the two axes) draw error bars on them.
    """
    if cases.empty:
        return empty_figure(title, "No cases to score.")
    fig = go.Figure()
    for x0, x1, y0, y1, colour, opacity in (
        (round_trip_cut, 1.05, -0.17, 1.05, "#fee2e2", 0.35),  # round trip without real demand
        (-0.17, round_trip_cut, strain_cut, 1.05, "#fef3c7", 0.45),  # vendor financing of customers that cannot pay
        (-0.17, 1.05, -0.17, -0.04, "#f3f4f6", 1.0),  # "no evidence" strip of the strain axis
        (-0.17, -0.04, -0.17, 1.05, "#f3f4f6", 1.0),  # "no evidence" strip of the round-trip axis
    ):
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x1,
            y0=y0,
            y1=y1,
            fillcolor=colour,
            opacity=opacity,
            line_width=0,
            layer="below",
        )
    fig.add_vline(x=round_trip_cut, line_dash="dot", line_color="#6b7280")
    fig.add_hline(y=strain_cut, line_dash="dot", line_color="#6b7280")
    c = cases.copy()
    c["x"] = [MISSING_AXIS if v is None or pd.isna(v) else float(v) for v in c["round_trip"]]
    c["y"] = [MISSING_AXIS if v is None or pd.isna(v) else float(v) for v in c["strain"]]
    c["open"] = [x == MISSING_AXIS or y == MISSING_AXIS for x, y in zip(c["x"], c["y"], strict=True)]
    c["kx"], c["ky"] = c["x"].round(3), c["y"].round(3)

    def hover(grp: pd.DataFrame) -> str:
        lines = []
        for r in grp.head(8).itertuples():
            rt = "no evidence" if r.x == MISSING_AXIS else f"{r.x:.2f}"
            st = "no evidence" if r.y == MISSING_AXIS else f"{r.y:.2f}"
            lines.append(
                f"<b>{r.label}</b> ({r.level}, {r.dataset})<br>round trip {rt}, strain {st}, coverage {r.coverage:.0%}"
            )
        if len(grp) > 8:
            lines.append(f"… and {len(grp) - 8} more at this position")
        first = grp.iloc[0]
        reasons = list(first["reasons"])[:4] if isinstance(first["reasons"], list | tuple) else []
        lines.extend("· " + _wrap(str(x)) for x in reasons)
        return "<br>".join(lines)

    parts = c[c["level"] != "dataset"]
    found = [r for r in dict.fromkeys(parts["region"]) if r not in REGION_COLOURS]
    for region in [*REGION_COLOURS, *sorted(found)]:
        colour = region_colour(region)
        sub = parts[parts["region"] == region]
        xs, ys, sizes, symbols, texts, hovers = [], [], [], [], [], []
        for _, grp in sub.groupby(["dataset", "kx", "ky"], sort=True):
            first = grp.iloc[0]
            n = len(grp)
            xs.append(float(first["x"]))
            ys.append(float(first["y"]))
            sizes.append(11.0 + 4.0 * math.sqrt(n - 1))
            symbols.append("circle" + ("-open" if bool(first["open"]) else ""))
            texts.append(f"×{n}" if n > 1 else "")
            hovers.append(hover(grp))
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers+text",
                text=texts,
                textposition="bottom center",
                textfont={"size": 10, "color": "#374151"},
                marker={
                    "size": sizes,
                    "symbol": symbols,
                    "color": colour,
                    "line": {"width": 1.5, "color": colour},
                    "opacity": 0.8,
                },
                hovertext=hovers,
                hoverinfo="text",
                name=region,
            )
        )
    whole = c[c["level"] == "dataset"]
    if not whole.empty:  # each dataset as a whole: a labelled diamond on top
        bars: dict[str, object] = {}
        for axis, lo, hi, pos in (("error_x", "rt_lo", "rt_hi", "x"), ("error_y", "f_lo", "f_hi", "y")):
            if lo in whole.columns:  # 5-95% position intervals (junkan.assess.uncertainty), where drawn
                up = [
                    0.0 if pd_isna(h) else max(0.0, float(h) - float(v))
                    for h, v in zip(whole[hi], whole[pos], strict=True)
                ]
                down = [
                    0.0 if pd_isna(q) else max(0.0, float(v) - float(q))
                    for q, v in zip(whole[lo], whole[pos], strict=True)
                ]
                bars[axis] = {"type": "data", "symmetric": False, "array": up, "arrayminus": down, "color": "#111827"}
        fig.add_trace(
            go.Scatter(
                **bars,
                x=whole["x"],
                y=whole["y"],
                mode="markers+text",
                text=[f"<b>{d}</b>" for d in whole["dataset"]],
                textposition=["middle left" if x > 0.6 else "middle right" for x in whole["x"]],
                textfont={"size": 12, "color": "#111827"},
                marker={
                    "size": 18,
                    "symbol": ["diamond" + ("-open" if o else "") for o in whole["open"]],
                    "color": [region_colour(r) for r in whole["region"]],
                    "line": {"width": 1.5, "color": "#111827"},
                },
                hovertext=[hover(whole.iloc[[i]]) for i in range(len(whole))],
                hoverinfo="text",
                name="dataset as a whole",
            )
        )
    fig.update_xaxes(
        range=[-0.17, 1.05], title="round-trip intensity (0 healthy – 1 alarming)", gridcolor="#e5e7eb", zeroline=False
    )
    fig.update_yaxes(
        range=[-0.17, 1.05], title="financing strain (0 healthy – 1 alarming)", gridcolor="#e5e7eb", zeroline=False
    )
    fig.add_annotation(
        x=1.04,
        y=-0.105,
        text="no evidence on strain",
        showarrow=False,
        xanchor="right",
        font={"size": 10, "color": "#6b7280"},
    )
    fig.add_annotation(
        x=-0.105,
        y=1.04,
        text="no evidence on round trip",
        showarrow=False,
        textangle=-90,
        yanchor="top",
        font={"size": 10, "color": "#6b7280"},
    )
    fig.update_layout(legend=LEGEND_BELOW, hoverlabel={"align": "left", "font": {"size": 11}})
    return _base_layout(fig, title, 700)


def _wrap(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------------------------------- stress
def default_probability_bars(
    parties: pd.DataFrame, *, title: str = "Default probability within the horizon"
) -> go.Figure:
    """Horizontal bars of each modelled party's default probability.

    ``parties``: ``name, default_probability, median_default_quarter`` (e.g. ``StressResult.to_frame()`` with names).
    """
    if parties.empty:
        return empty_figure(title, "No parties modelled.")
    p = parties.sort_values("default_probability", kind="stable")
    when = ["" if q is None or pd.isna(q) else f"median default {q}" for q in p["median_default_quarter"]]
    fig = go.Figure(
        go.Bar(
            y=p["name"],
            x=p["default_probability"],
            orientation="h",
            marker_color=[
                "#dc2626" if v >= 0.5 else "#f59e0b" if v > 0.05 else "#16a34a" for v in p["default_probability"]
            ],
            text=[f"{v:.0%}" for v in p["default_probability"]],
            textposition="outside",
            cliponaxis=False,
            customdata=when,
            hovertemplate="%{y}: %{x:.1%} %{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 1.12], tickformat=".0%", gridcolor="#e5e7eb", title="share of runs with a default")
    return _base_layout(fig, title, max(320, 28 * len(p) + 120))


def quantile_fans(
    quarters: Sequence[str],
    series: dict[str, np.ndarray],
    *,
    title: str = "How the runs spread over time (quantile fans: 5–95%, 25–75%, median)",
) -> go.Figure:
    """One panel per series: quantile fans over quarters of an ``(runs, quarters)`` array.

    Bands: 5-95% (light), 25-75% (darker), median (line).
    """
    from plotly.subplots import make_subplots

    names = [k for k, v in series.items() if np.asarray(v).size]
    if not names or not len(quarters):
        return empty_figure(title, "No simulated paths.")
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names, horizontal_spacing=0.07)
    x = list(quarters)
    for j, name in enumerate(names, start=1):
        a = np.asarray(series[name], dtype=float)
        q = np.quantile(a, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        for lo, hi, alpha in ((0, 4, 0.18), (1, 3, 0.35)):
            fig.add_trace(
                go.Scatter(x=x, y=q[hi], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"),
                row=1,
                col=j,
            )
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=q[lo],
                    mode="lines",
                    line={"width": 0},
                    fill="tonexty",
                    fillcolor=f"rgba(37,99,235,{alpha})",
                    showlegend=False,
                    name=f"{'5–95%' if lo == 0 else '25–75%'}",
                    hoverinfo="skip",
                ),
                row=1,
                col=j,
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=q[2],
                mode="lines",
                line={"color": "#1e3a8a", "width": 2},
                showlegend=False,
                name="median",
                customdata=np.stack([q[0], q[4]], axis=1),
                hovertemplate="%{x}: median %{y:.3g} (5–95%: %{customdata[0]:.3g}–%{customdata[1]:.3g})<extra></extra>",
            ),
            row=1,
            col=j,
        )
    fig.update_xaxes(gridcolor="#e5e7eb", tickangle=-45, nticks=10)
    fig.update_yaxes(gridcolor="#e5e7eb", rangemode="tozero")
    return _base_layout(fig, title, 380)


def loss_distribution(
    losses: pd.DataFrame, *, title: str = "Loss distribution per party over the horizon (all channels, per run)"
) -> go.Figure:
    """Per party, the 5-95% range, interquartile range and median of its total loss across runs (US dollars).

    ``losses``: ``name, p5, p25, p50, p75, p95, mean`` (one row per party); parties that never lose are left out.
    """
    d = losses[losses["p95"] > 0].sort_values("mean", kind="stable")
    if d.empty:
        return empty_figure(title, "No party bears a loss in any run.")
    fig = go.Figure()
    for lo, hi, width, colour, name in (
        ("p5", "p95", 0.25, "rgba(220,38,38,0.35)", "5–95% of runs"),
        ("p25", "p75", 0.6, "rgba(220,38,38,0.7)", "25–75% of runs"),
    ):
        fig.add_trace(
            go.Bar(
                y=d["name"],
                x=d[hi] - d[lo],
                base=d[lo],
                orientation="h",
                width=width,
                marker_color=colour,
                name=name,
                customdata=np.stack([[money(v) for v in d[lo]], [money(v) for v in d[hi]]], axis=1),
                hovertemplate="%{y}: %{customdata[0]} – %{customdata[1]}<extra>" + name + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=d["name"],
            x=d["p50"],
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 18, "color": "#111827", "line": {"width": 2}},
            name="median",
            customdata=[money(v) for v in d["p50"]],
            hovertemplate="%{y}: median %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(barmode="overlay", legend=LEGEND_BELOW)
    fig.update_xaxes(tickprefix="$", exponentformat="B", gridcolor="#e5e7eb", title="loss per run (US$)")
    return _base_layout(fig, title, max(320, 34 * len(d) + 140))


def losses_by_channel(
    channel_losses: pd.DataFrame, *, title: str = "Mean loss per run by contagion channel"
) -> go.Figure:
    """Stacked bars of each party's mean loss per run by channel. ``channel_losses``: ``name, channel, loss``."""
    d = channel_losses[channel_losses["loss"] > 0]
    if d.empty:
        return empty_figure(title, "No losses through any channel.")
    order = d.groupby("name")["loss"].sum().sort_values(kind="stable").index.tolist()
    colours = {"clearing": "#7c3aed", "backlog": "#ea580c", "equity": "#2563eb", "firesale": "#dc2626"}
    fig = go.Figure()
    for ch in sorted(set(d["channel"]), key=lambda x: list(colours).index(x) if x in colours else 99):
        sub = d[d["channel"] == ch].set_index("name")["loss"]
        xs = [float(sub.get(n, 0.0)) for n in order]
        fig.add_trace(
            go.Bar(
                y=order,
                x=xs,
                orientation="h",
                name=ch,
                marker_color=colours.get(ch, "#6b7280"),
                customdata=[money(v) for v in xs],
                hovertemplate="%{y}: %{customdata}<extra>" + ch + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend=LEGEND_BELOW)
    fig.update_xaxes(tickprefix="$", exponentformat="B", gridcolor="#e5e7eb", title="mean loss per run (US$)")
    return _base_layout(fig, title, max(320, 30 * len(order) + 140))


def domino_chains(
    chains: Sequence[tuple[Sequence[Sequence[str]], float]],
    *,
    title: str = "The most frequent domino chains (who defaults first, then next)",
) -> go.Figure:
    """The most frequent cascade chains, each drawn as a row of boxes joined by arrows.

    ``chains``: ``(steps, share)`` with ``steps`` the groups of party names that default in the same quarter, in
    order, and ``share`` the share of runs that ended in exactly that chain.
    """
    if not chains:
        return empty_figure(title, "No defaults in any run: no chains to draw.")
    fig = go.Figure()
    n = len(chains)
    longest = max(len(s) for s, _ in chains)
    xs, ys, texts = [], [], []
    for row, (steps, share) in enumerate(chains):
        y = n - 1 - row
        for k, group in enumerate(steps):
            xs.append(k)
            ys.append(y)
            texts.append(" + ".join(group))
            if k:
                fig.add_annotation(
                    x=k - 0.3,
                    y=y,
                    ax=k - 0.7,
                    ay=y,
                    xref="x",
                    yref="y",
                    axref="x",
                    ayref="y",
                    showarrow=True,
                    arrowhead=3,
                    arrowsize=1.2,
                    arrowwidth=1.6,
                    arrowcolor="#6b7280",
                    text="",
                )
        fig.add_annotation(
            x=-0.45,
            y=y,
            text=f"<b>{share:.0%}</b> of runs" if share >= 0.01 else f"<b>{share:.1%}</b> of runs",
            showarrow=False,
            xanchor="right",
            font={"size": 12},
        )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"symbol": "square", "size": 28, "color": "rgba(0,0,0,0)"},
            hoverinfo="text",
            hovertext=texts,
            showlegend=False,
        )
    )
    for x, y, t in zip(xs, ys, texts, strict=True):  # the boxes, sized to the text
        fig.add_annotation(
            x=x,
            y=y,
            text=t,
            showarrow=False,
            bgcolor="#991b1b",
            bordercolor="#7f1d1d",
            borderpad=5,
            font={"color": "white", "size": 11},
        )
    fig.update_xaxes(visible=False, range=[-1.6, longest - 0.4])
    fig.update_yaxes(visible=False, range=[-0.7, n - 0.3])
    fig.update_layout(showlegend=False)
    return _base_layout(fig, title, 70 + 52 * n)


def scorecard_playback(
    frame: pd.DataFrame,
    *,
    round_trip_cut: float,
    strain_cut: float,
    title: str = "Where each case stood as known at each year end",
) -> go.Figure:
    """The scorecard replayed: each dataset's position as known at each year end, with a year slider.

    ``frame`` has the columns of :func:`junkan.assess.playback.scorecard_playback` (``date, dataset, round_trip,
    strain, coverage, region, reason``). A frame per calendar year shows every dataset with its latest position
    known by the end of that year (a dataset appears from its first year); an axis without evidence is drawn on the
    "no evidence" strip at ``-0.1``.
    """
    if frame.empty:
        return empty_figure(title, "no dataset has a position to replay")
    f = frame.copy()
    f["year"] = [int(str(d)[:4]) for d in f["date"]]
    years = sorted(set(f["year"]))

    def trace(year: int) -> go.Scatter:
        known = f[f["year"] <= year].sort_values("date").groupby("dataset").tail(1)
        xs = [MISSING_AXIS if pd_isna(v) else float(v) for v in known["round_trip"]]
        ys = [MISSING_AXIS if pd_isna(v) else float(v) for v in known["strain"]]
        return go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=list(known["dataset"]),
            textposition="top center",
            marker={"size": 16, "color": [region_colour(r) for r in known["region"]], "line": {"width": 1}},
            hovertext=[
                f"<b>{d}</b> as known on {w}<br>{r}<br>{_wrap(str(why))}"
                for d, w, r, why in zip(known["dataset"], known["date"], known["region"], known["reason"], strict=True)
            ],
            hoverinfo="text",
            showlegend=False,
        )

    frames = [go.Frame(name=str(y), data=[trace(y)]) for y in years]
    fig = go.Figure(data=frames[-1].data, frames=frames)
    anim = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    fig.update_layout(
        sliders=[
            {
                "active": len(years) - 1,
                "currentvalue": {"prefix": "As known at the end of ", "font": {"size": 13}},
                "pad": {"t": 30, "b": 10},
                "steps": [{"label": str(y), "method": "animate", "args": [[str(y)], anim]} for y in years],
            }
        ],
        xaxis={"title": "round-trip intensity", "range": [-0.15, 1.05]},
        yaxis={"title": "financing strain", "range": [-0.15, 1.05]},
    )
    fig.add_vline(x=round_trip_cut, line_dash="dot")
    fig.add_hline(y=strain_cut, line_dash="dot")
    return _base_layout(fig, title, 560)


def pd_isna(v: object) -> bool:
    """True for None or NaN (a missing axis)."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def sensitivity_tornado(
    rows: Sequence[dict[str, Any]], output: str, *, top: int = 15, title: str | None = None
) -> go.Figure:
    """Tornado chart of Sobol indices of one output: total order (bar) and first order (marker) per input, largest
    total order on top, with 95% bootstrap confidence half-widths as error bars.

    ``rows``: the ``sensitivity`` list of :func:`junkan.stress.sensitivity.sensitivity` (``input, output,
    first_order, first_order_conf, total_order, total_order_conf``); Sobol (2001) indices estimated as in Saltelli
    et al. (2010). Negative first-order estimates (sampling noise around 0) are drawn as they are.
    """
    title = title or f"What drives {output}: Sobol total-order indices"
    sel = sorted((r for r in rows if r["output"] == output), key=lambda r: -r["total_order"])[:top]
    if not sel:
        return empty_figure(title, f"No sensitivity indices for {output}.")
    sel = sel[::-1]
    names = [r["input"] for r in sel]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=[r["total_order"] for r in sel],
            orientation="h",
            name="total order",
            marker_color="#2563eb",
            error_x={"type": "data", "array": [r["total_order_conf"] for r in sel], "color": "#1e3a8a"},
            hovertemplate="%{y}: total order %{x:.3f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=[r["first_order"] for r in sel],
            mode="markers",
            name="first order",
            marker={"color": "#f59e0b", "size": 9, "symbol": "diamond"},
            error_x={"type": "data", "array": [r["first_order_conf"] for r in sel], "color": "#b45309"},
            hovertemplate="%{y}: first order %{x:.3f}<extra></extra>",
        )
    )
    fig.update_xaxes(title="share of output variance", gridcolor="#e5e7eb")
    return _base_layout(fig, title, max(320, 26 * len(sel) + 140))


# ---------------------------------------------------------------------------------------------------- circularity
def circularity_trend(
    periods: pd.DataFrame,
    *,
    interval: tuple[float, float] | None = None,
    title: str = "The circularity index over time: the share of the web's money that can go round",
) -> go.Figure:
    """The circularity index of the cumulative web at each period end, as a line with markers.

    ``periods`` is :meth:`junkan.flows.CircularityResult.periods_frame` (``period, as_of, index, circular_flow,
    total_flow, edges``); the index is circular / total flow of the Circular Directional Flow Decomposition
    (Homs-Dones, MacKay, Sansom & Zhou 2025, arXiv 2506.12546). Periods with no money (index empty) are left out.
    ``interval`` (the 90% interval of today's index over uncertainty draws, :func:`junkan.flows.circularity`) is
    drawn as a shaded band across the chart when given, so the trend can be read against it.
    """
    p = periods.copy()
    p = p[p["index"].notna()] if not p.empty else p
    if p.empty:
        return empty_figure(title, "No period with money to measure.")
    x = [str(v) for v in p["period"]]
    y = [float(v) for v in p["index"]]
    fig = go.Figure()
    if interval is not None:  # a band across the whole chart (drawn as a shape, so one period shows it too)
        fig.add_hrect(
            y0=interval[0],
            y1=interval[1],
            fillcolor="rgba(220, 38, 38, 0.12)",
            line_width=0,
            layer="below",
            annotation_text="today's index: 90% interval",
            annotation_position="top left",
            annotation_font={"size": 11, "color": "#991b1b"},
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name="index of the web at the period end",
            line={"color": "#dc2626", "width": 2},
            marker={"size": 8},
            customdata=np.stack([[money(v) for v in p["circular_flow"]], [money(v) for v in p["total_flow"]]], axis=1),
            hovertemplate="%{x}: %{y:.1%} (%{customdata[0]} of %{customdata[1]} can go round)<extra></extra>",
        )
    )
    top = max([*y, *(interval or ())]) if y else 0.0
    fig.update_yaxes(tickformat=".0%", range=[0, max(0.05, top * 1.2)], gridcolor="#e5e7eb", title="circularity index")
    fig.update_xaxes(type="category", title="period end (deals announced up to then, as known then)")
    fig.update_layout(legend=LEGEND_BELOW)
    return _base_layout(fig, title, 380)
