"""Build the HTML report of a ledger: run the analyses through the public API, draw the figures, render the template.

The report is one self-contained file: plotly.js is inlined once in the page head and every figure is a ``<div>``
with a stable id (:data:`FIGURE_IDS`), so the file works offline and browser tests can find each chart. Sections
(:data:`SECTION_IDS`) each have an id and a heading; every deal has an anchor ``#deal-<id>`` in the Sources section,
which the cycles table links to.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import plotly.graph_objects as go

from junkan import __version__
from junkan.fileio import write_text_atomic
from junkan.flows import (
    CircularityResult,
    CycleResult,
    ExposureResult,
    FlowGraph,
    ProvenanceResult,
    circularity,
    cycles_in_graph,
    exposure_in_graph,
    flow_graph,
    provenance,
)
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Confidence, EntityKind
from junkan.random import DEFAULT_SEED, normalize_seed
from junkan.report import data as rdata
from junkan.report import figures as rfig
from junkan.report.answers import Answers, build_answers
from junkan.report.i18n import Lang, get_lang, translate_figure

#: Section ids, in page order (a section whose analysis cannot run is left out; see :attr:`Report.omitted`).
SECTION_IDS: tuple[str, ...] = (
    "answers",
    "headline",
    "network",
    "flows",
    "own-money",
    "circularity",
    "scorecard",
    "stress",
    "watch",
    "sources",
)
#: The ``<div>`` id of each figure, by name.
FIGURE_IDS: dict[str, str] = {
    "network_map": "fig-network-map",
    "sankey": "fig-sankey",
    "own_money": "fig-own-money",
    "origins": "fig-origins",
    "exposure": "fig-exposure",
    "circularity_trend": "fig-circularity-trend",
    "scorecard": "fig-scorecard",
    "scorecard_playback": "fig-scorecard-playback",
    "default_probability": "fig-default-probability",
    "fans": "fig-stress-fans",
    "loss_distribution": "fig-loss-distribution",
    "chains": "fig-domino-chains",
    "channels": "fig-loss-channels",
    "sensitivity": "fig-sensitivity-tornado",
}
#: The section each figure belongs to.
FIGURE_SECTIONS: dict[str, str] = {
    "network_map": "network",
    "sankey": "flows",
    "own_money": "own-money",
    "origins": "own-money",
    "exposure": "own-money",
    "circularity_trend": "circularity",
    "scorecard": "scorecard",
    "scorecard_playback": "scorecard",
    "default_probability": "stress",
    "fans": "stress",
    "loss_distribution": "stress",
    "chains": "stress",
    "channels": "stress",
    "sensitivity": "stress",
}
#: The build steps, in order (the progress callback is called with each name as it starts).
STEPS: tuple[str, ...] = (
    "flows",
    "headline",
    "network",
    "flows-and-cycles",
    "own-money",
    "circularity",
    "scorecard",
    "stress",
    "watch",
    "sources",
    "answers",
    "render",
)
DEFAULT_SCENARIO = "baseline"
#: Draws of the position intervals drawn on the scorecard chart (dataset-level cases; ``junkan assess --uncertainty``
#: gives any number for any case).
INTERVAL_DRAWS = 40
DEFAULT_RUNS = 1000
#: Number of rewired networks the cycle-significance test draws (the seed is the report's ``seed``).
DEFAULT_NULL_SAMPLES = 100
#: Uncertainty draws behind the 90% intervals of the circularity index and the own-money shares (the seed is the
#: report's ``seed``; :mod:`junkan.flows.uncertainty`). 200 keeps the report fast (about 2-3 s on ai-compute);
#: ``junkan circularity --uncertainty N`` and ``junkan trace --uncertainty N`` give any number.
DEFAULT_UNCERTAINTY_DRAWS = 200
#: Parties shown in the circularity section's table (largest circular flow first).
CIRCULARITY_TOP = 10
WEAK_VERDICTS = frozenset({"unsupported", "wrong", "disputed"})

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Report:
    """A rendered report: the HTML and the figures behind its headline.

    Attributes
    ----------
    html
        The whole self-contained page.
    headline
        The headline numbers (see :func:`headline_numbers`), JSON-ready.
    sections
        Ids of the sections rendered, in page order.
    omitted
        Sections left out, with the reason.
    seed
        The seed every random step used (cycle significance), recorded so the report can be rebuilt.
    timings
        Seconds spent on each step.
    answers
        The three questions answered from the results (:func:`junkan.report.answers.build_answers`).
    """

    html: str
    headline: dict[str, Any]
    sections: tuple[str, ...]
    omitted: dict[str, str]
    seed: int
    timings: dict[str, float] = field(default_factory=dict)
    answers: Answers | None = None

    def write(self, path: str | Path) -> Path:
        """Write the page to ``path`` atomically (nothing half-written) and return the path."""
        p = Path(path)
        write_text_atomic(p, self.html)
        return p


#: The language figures are drawn in while a report is built (figure titles, axis titles and legends are looked up
#: in its catalogue by :func:`junkan.report.i18n.translate_figure`); ``None`` leaves them in English.
FIGURE_LANG: ContextVar[Lang | None] = ContextVar("junkan_report_figure_lang", default=None)


#: The plotly template of every report figure (see :func:`figure_html`).
REPORT_TEMPLATE = "plotly"


def figure_html(fig: go.Figure, div_id: str) -> str:
    """The ``<div>`` of one figure, without plotly.js (the page inlines it once), in the report's language.

    The figure is drawn with plotly's own ``plotly`` template whatever the process's default: importing Streamlit
    (the dashboard, or its tests in the same process) sets ``plotly.io.templates.default = "streamlit"``, whose
    margins let axis tick labels run into the legends placed below the plots. ``fig``'s template is set in place."""
    fig.update_layout(template=REPORT_TEMPLATE)
    lang = FIGURE_LANG.get()
    if lang is not None and lang.code != "en":
        fig = translate_figure(fig, lang)
    return str(
        fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=div_id,
            auto_play=False,
            config={"displaylogo": False, "responsive": True},
        )
    )


def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package (inlined once, so the report works offline)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


# ---------------------------------------------------------------------------------------------------- sections
def headline_numbers(
    ledger: Ledger, graph: FlowGraph, cycles: CycleResult, prov: ProvenanceResult, *, top: int = 3
) -> dict[str, Any]:
    """The headline: deals, parties, money committed and drawn, largest cycles and own-money shares.

    ``committed_usd`` and ``drawn_usd`` sum every deal of the flow graph (cancelled deals left out) in US dollars;
    ``largest_cycles`` are the ``top`` cycles by bottleneck; ``top_own_money`` the ``top`` parties by own-money
    share (proportional tracing).
    """
    s = ledger.summary()
    committed = float(sum(f.committed for f in graph.flows))
    drawn = float(sum(f.drawn for f in graph.flows))
    shares = sorted(
        (r for r in prov.rows if r.own_money_share is not None and r.own_money_share > 0),
        key=lambda r: (-(r.own_money_share or 0.0), r.entity),
    )
    sig = cycles.significance
    return {
        "dataset": ledger.info.name,
        "title": ledger.info.title,
        "deals": s["deals"],
        "parties": s["parties"],
        "first_year": s["first_year"],
        "last_year": s["last_year"],
        "committed_usd": committed,
        "drawn_usd": drawn,
        "drawn_share": drawn / committed if committed > 0 else None,
        "primary_source_share": s["primary_source_share"],
        "cycles": len(cycles.cycles),
        "time_respecting_cycles": len(cycles.time_respecting),
        "cycle_volume_usd": float(sum(c.bottleneck for c in cycles.cycles)),
        "cycle_count_z": _count_z(sig.to_dict()) if sig is not None else None,
        "largest_cycles": [
            {
                "cycle": " → ".join(graph.name(p) for p in (*c.parties, c.parties[0])),
                "bottleneck_usd": c.bottleneck,
                "time_respecting": c.time_respecting,
                "pattern": c.pattern,
            }
            for c in cycles.cycles[:top]
        ],
        "top_own_money": [
            {
                "entity": r.entity,
                "name": r.name,
                "own_money_share": r.own_money_share,
                "earmarked_share": r.earmarked.own_money_share,
                "returned_usd": r.returned,
            }
            for r in shares[:top]
        ],
    }


def _count_z(significance: dict[str, Any]) -> float | None:
    z = significance.get("count", {}).get("z")
    return None if z is None else float(z)


def _cycle_rows(cycles: CycleResult, graph: FlowGraph, limit: int) -> list[dict[str, Any]]:
    rows = []
    for i, c in enumerate(cycles.cycles[:limit], start=1):
        rows.append(
            {
                "rank": i,
                "parties": [graph.name(p) for p in (*c.parties, c.parties[0])],
                "length": c.length,
                "bottleneck": c.bottleneck,
                "committed": c.bottleneck_committed,
                "drawn": c.bottleneck_drawn,
                "drawn_share": c.drawn_share,
                "time_respecting": c.time_respecting,
                "span_days": c.time_span_days,
                "pattern": c.pattern.replace("_", " "),
                "edges": [
                    {"payer": graph.name(e.payer), "payee": graph.name(e.payee), "deals": list(e.deals)}
                    for e in c.edges
                ],
            }
        )
    return rows


def _path_rows(prov: ProvenanceResult, graph: FlowGraph, top: int) -> list[dict[str, Any]]:
    ranked = sorted((r for r in prov.rows if r.returned > 0), key=lambda r: (-(r.own_money_share or 0.0), r.entity))[
        :top
    ]
    out = []
    for r in ranked:
        out.append(
            {
                "entity": r.entity,
                "name": r.name,
                "receipts": r.network_receipts,
                "returned": r.returned,
                "share": r.own_money_share,
                "earmarked": r.earmarked.own_money_share,
                "paths": [
                    {
                        "path": " → ".join(graph.name(p) for p in (*p.path, p.path[0])),
                        "amount": p.amount,
                        "share": p.amount / r.network_receipts if r.network_receipts > 0 else None,
                    }
                    for p in sorted(r.paths, key=lambda x: -x.amount)[:6]
                ],
                "more_paths": max(0, len(r.paths) - 6),
                "other_paths": r.other_paths,
            }
        )
    return out


def _amount_text(ledger: Ledger, deal_id: str) -> str:
    a = ledger.deal(deal_id).amount
    cur = "" if a.currency == "USD" else f" {a.currency}"

    def m(v: float) -> str:
        return rfig.money(v).replace("$", "") + cur if cur else rfig.money(v)

    if a.value is None and a.low is not None and a.high is not None:
        txt = f"{m(a.low)}–{m(a.high)}"
    elif a.up_to and a.high is not None:
        txt = f"up to {m(a.high)}"
    else:
        txt = m(a.headline)
    return txt + (" (estimate)" if a.estimate else "")


def _source_rows(ledger: Ledger) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Deals, financial figures and claims for the Sources section, each with its flags for weak evidence."""
    names = {e.id: e.name for e in ledger.entities.values()}
    deals: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for d in sorted(ledger.deals, key=lambda x: (x.date, x.id)):
        flags = []
        if d.confidence == Confidence.low:
            flags.append("low confidence")
        if d.amount.estimate:
            flags.append("estimate")
        if not d.has_primary_source:
            flags.append("no primary source")
        for c in d.claims:
            claims.append(
                {"about": d.title or d.id, "anchor": f"deal-{d.id}", "claim": c, "weak": c.verdict in WEAK_VERDICTS}
            )
            if c.verdict in WEAK_VERDICTS:
                flags.append(f"claim {c.verdict}")
        deals.append(
            {
                "id": d.id,
                "date": d.date.isoformat(),
                "title": d.title or d.id,
                "payer": names.get(d.payer, d.payer),
                "payee": names.get(d.payee, d.payee),
                "kind": d.kind.value.replace("_", " "),
                "amount": _amount_text(ledger, d.id),
                "committed": rfig.money(ledger.to_usd(d.amount.committed_value, d.amount.currency, d.date)),
                "drawn": rfig.money(ledger.to_usd(d.amount.drawn_value, d.amount.currency, d.date)),
                "status": d.status.value.replace("_", " "),
                "confidence": d.confidence.value,
                "sources": [
                    {
                        "url": s.url,
                        "label": s.title or rdata.source_host(s.url),
                        "host": rdata.source_host(s.url),
                        "kind": s.kind.value.replace("_", " "),
                        "primary": s.is_primary,
                    }
                    for s in d.sources
                ],
                "legs": list(d.legs),
                "flags": flags,
                "weak": bool(flags),
            }
        )
    figures: list[dict[str, Any]] = []
    for f in sorted(ledger.financials, key=lambda x: (x.entity, x.metric, x.period_end)):
        flags = []
        if f.confidence == Confidence.low:
            flags.append("low confidence")
        if f.estimate:
            flags.append("estimate")
        for c in f.claims:
            claims.append(
                {
                    "about": f"{names.get(f.entity, f.entity)} {f.metric} {f.period}",
                    "anchor": None,
                    "claim": c,
                    "weak": c.verdict in WEAK_VERDICTS,
                }
            )
            if c.verdict in WEAK_VERDICTS:
                flags.append(f"claim {c.verdict}")
        unit = rdata_metric_unit(f.metric)
        value = (
            rfig.money(f.value)
            if unit == "money" and f.currency == "USD"
            else f"{f.value:,.4g} {f.currency}"
            if unit == "money"
            else f"{f.value:.0%}"
            if unit == "ratio"
            else f"{f.value:,.0f}"
        )
        figures.append(
            {
                "entity": names.get(f.entity, f.entity),
                "period": f.period,
                "metric": f.metric.replace("_", " "),
                "value": value,
                "confidence": f.confidence.value,
                "sources": [{"url": s.url, "label": s.title or rdata.source_host(s.url)} for s in f.sources],
                "flags": flags,
                "weak": bool(flags),
            }
        )
    return deals, figures, claims


def rdata_metric_unit(metric: str) -> str:
    """Unit class of a financial metric (``money``, ``count`` or ``ratio``)."""
    from junkan.ledger.schema import metric_unit

    return metric_unit(metric)


# ---------------------------------------------------------------------------------------------------- scorecard
def _scorecard_section(ledger: Ledger) -> tuple[dict[str, Any], str]:
    """Score the ledger's dataset and arrangements beside the bundled historical cases; the figure and table rows."""
    from junkan.assess import REFERENCE, REGIONS
    from junkan.assess import scorecard as run_scorecard

    sc = run_scorecard(ledger, history=True)
    frame = sc.to_frame()[["case", "dataset", "level", "label", "round_trip", "strain", "coverage", "region"]].copy()
    frame["reasons"] = [list(c.reasons) for c in sc.cases]
    from junkan.assess.scorecard import scored_ledgers
    from junkan.assess.uncertainty import position_intervals

    unc = position_intervals(
        scored_ledgers(ledger, history=True), draws=INTERVAL_DRAWS, seed=DEFAULT_SEED, thresholds=sc.thresholds
    )
    ivs = {i.case: i for i in unc.intervals}
    for col, axis, k in (
        ("rt_lo", "round_trip", 0),
        ("rt_hi", "round_trip", 1),
        ("f_lo", "strain", 0),
        ("f_hi", "strain", 1),
    ):
        frame[col] = [(getattr(ivs[cid], axis) or (None, None))[k] if cid in ivs else None for cid in frame["case"]]
    fig = rfig.scorecard_map(frame, round_trip_cut=sc.thresholds.round_trip_cut, strain_cut=sc.thresholds.strain_cut)
    own = {d.id for d in ledger.deals}
    rows = []
    for c in sc.cases:
        inds = []
        for i in c.indicators:
            ev = []
            for e in i.evidence:
                if e.get("type") == "deal" and c.dataset == ledger.name and e.get("id") in own:
                    ev.append({"label": str(e.get("id")), "href": f"#deal-{e.get('id')}"})
                elif e.get("source_url"):
                    label = e.get("id") or f"{e.get('entity')} {e.get('metric')} {e.get('period')}"
                    ev.append({"label": str(label), "href": str(e["source_url"])})
            inds.append(
                {
                    "name": i.name.replace("_", " "),
                    "axis": i.axis.replace("_", " "),
                    "value": "n/a" if i.value is None else f"{i.value:.3g}",
                    "unit": i.unit,
                    "score": None if i.score is None else f"{i.score:.2f}",
                    "reason": i.reason,
                    "evidence": ev,
                }
            )
        rows.append(
            {
                "id": c.id,
                "dataset": c.dataset,
                "level": c.level,
                "label": c.label,
                "round_trip": c.round_trip,
                "strain": c.strain,
                "coverage": c.coverage,
                "region": c.region,
                "colour": rfig.region_colour(c.region),
                "reasons": list(c.reasons),
                "indicators": inds,
                "historical": c.dataset != ledger.name,
            }
        )
    counts = {r: sum(c.region == r for c in sc.cases if c.dataset == ledger.name) for r in REGIONS}
    mine = next((c for c in sc.cases if c.dataset == ledger.name and c.level == "dataset"), None)
    line = f"{ledger.name} as a whole: {mine.region}" if mine else ""
    ctx = {
        "rows": rows,
        "thresholds": sc.thresholds.to_dict(),
        "counts": counts,
        "dataset_region": mine.region if mine else None,
        "line": line,
        "result": sc,
    }
    from junkan.assess.playback import scorecard_playback

    played = scorecard_playback([ledger, *(d for d in REFERENCE if d != ledger.name)], thresholds=sc.thresholds)
    replay = rfig.scorecard_playback(
        played, round_trip_cut=sc.thresholds.round_trip_cut, strain_cut=sc.thresholds.strain_cut
    )
    html = figure_html(fig, FIGURE_IDS["scorecard"]) + figure_html(replay, FIGURE_IDS["scorecard_playback"])
    return ctx, html


# ---------------------------------------------------------------------------------------------------- stress
def _stress_section(
    ledger: Ledger, scenario: str, runs: int, seed: int, names: dict[str, str], focal: str | None = None
) -> tuple[dict[str, Any] | None, dict[str, str], str | None]:
    """Run the ecosystem Monte Carlo; its figures and numbers, or ``None`` and the reason it cannot run."""
    import numpy as np

    from junkan.errors import JunkanInputError
    from junkan.stress.ecosystem import load_assumptions, load_scenario, run_stress

    load_scenario(scenario)  # a bad scenario is the user's input error: let it through
    try:  # a dataset without a stress model (no assumptions file) leaves the section out, with the reason
        assumptions = load_assumptions(ledger.name, ledger)
    except JunkanInputError as exc:
        msg = "; ".join(p.message for p in exc.problems) if exc.problems else str(exc)
        return None, {}, f"no stress model for this dataset: {msg}"
    res = run_stress(ledger, scenario, runs=runs, seed=seed, assumptions=assumptions, focal=focal)
    labels = {p: names.get(p, ledger.entities[p].name if p in ledger.entities else p) for p in res.parties}
    tables = rdata.stress_tables(res, labels)
    frame = tables.frame
    figs = {
        "default_probability": figure_html(rfig.default_probability_bars(frame), FIGURE_IDS["default_probability"]),
        "fans": figure_html(rfig.quantile_fans(tables.quarter_labels, tables.series), FIGURE_IDS["fans"]),
        "loss_distribution": figure_html(rfig.loss_distribution(tables.losses), FIGURE_IDS["loss_distribution"]),
        "chains": figure_html(rfig.domino_chains(tables.chains), FIGURE_IDS["chains"]),
        "channels": figure_html(rfig.losses_by_channel(tables.channels), FIGURE_IDS["channels"]),
    }
    summ = res.summary()
    top = summ["top_cascades"][0] if summ["top_cascades"] else None
    chain_txt = (
        " > ".join("+".join(names.get(x, x) for x in s.split("+")) for s in top["chain"].split(" > ")) if top else None
    )
    from junkan.stress.ecosystem.calibration import calibration_rows
    from junkan.stress.ecosystem.montecarlo import resolve_as_of

    # the calibration gap from this run (no extra runs): the model's 5-year PD beside the market-implied one
    known, _ = resolve_as_of(ledger, None)
    pd5 = res.events.p_default_or_restructuring(min(20, res.quarters)) if res.events is not None else None
    calibration = (
        calibration_rows(known, assumptions, dict(zip(res.parties, pd5.tolist(), strict=True)))
        if pd5 is not None
        else []
    )
    for row in calibration:
        row["name"] = labels.get(row["party"], row["party"])
    line = (
        f"{res.scenario}, {res.runs} runs: P(any default) {summ['any_default_probability']:.0%}, "
        f"P(any default or restructuring) {summ['any_default_or_restructuring_probability'] or 0:.0%}, "
        f"{summ['mean_defaults_per_run']:.2f} defaults per run"
        + (f"; most frequent chain {chain_txt} ({top['share']:.0%})" if top else "")
    )
    ctx = {
        "scenario": res.scenario,
        "description": res.description,
        "runs": res.runs,
        "seed": res.seed,
        "assumptions_hash": res.assumptions_hash,
        "horizon": summ["horizon"],
        "channels": summ["channels"],
        "any_default_probability": summ["any_default_probability"],
        "any_default_or_restructuring_probability": summ["any_default_or_restructuring_probability"],
        "calibration": calibration,
        "as_of": summ["as_of"],
        "mean_defaults_per_run": summ["mean_defaults_per_run"],
        "top_chain": chain_txt,
        "top_chain_share": top["share"] if top else None,
        "focal": summ["focal_revenue_at_risk"],
        "focal_name": labels.get(summ["focal"], summ["focal"]) if summ["focal"] else None,
        "parties": [
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
            for row in frame.sort_values("default_probability", ascending=False, kind="stable").to_dict("records")
        ],
        "line": line,
        "result": res,
        "sensitivity": _sensitivity_context(ledger.name, scenario, res.assumptions_hash, figs),
    }
    return ctx, figs, None


def _sensitivity_context(dataset: str, scenario: str, current_hash: str, figs: dict[str, str]) -> dict[str, Any] | None:
    """The stored Sobol run of the dataset (:func:`junkan.stress.sensitivity.cached_sensitivity`; the scenario's, else
    the baseline's) as a tornado chart of P(any default), and whether it was computed on the current assumptions and
    ranges file.
    A stored run keeps the report fast: the analysis itself takes minutes (docs/stress-model.md, "Sensitivity")."""
    from junkan.stress.sensitivity import cached_sensitivity

    run = cached_sensitivity(dataset, scenario) or cached_sensitivity(dataset, "baseline")
    if run is None:
        return None
    figs["sensitivity"] = figure_html(
        rfig.sensitivity_tornado(run["sensitivity"], "any_default", title="What drives P(any default): Sobol indices"),
        FIGURE_IDS["sensitivity"],
    )
    return {
        "scenario": run["scenario"],
        "samples": run["samples"],
        "runs": run["runs"],
        "evaluations": run["evaluations"],
        "candidates": run["candidates"],
        "seed": run["seed"],
        "assumptions_hash": run["assumptions_hash"],
        "current": run["assumptions_hash"] == current_hash and run.get("ranges_hash") == _bundled_ranges_hash(dataset),
    }


def _bundled_ranges_hash(dataset: str) -> str | None:
    """The hash of the bundled ranges file of ``dataset`` (``stress/assumptions/NAME.sensitivity.yaml``), or
    ``None`` when there is none: a stored run is current only if its ranges are these."""
    from junkan.stress.ecosystem.ranges import load_ranges, ranges_hash, ranges_path

    found = ranges_path(f"stress/assumptions/{dataset}.yaml")
    return ranges_hash(load_ranges(*found)) if found is not None else None


# ---------------------------------------------------------------------------------------------------- the build
def build_report(
    ledger: Ledger,
    *,
    seed: int | None = DEFAULT_SEED,
    scenario: str | None = DEFAULT_SCENARIO,
    runs: int = DEFAULT_RUNS,
    map_period: str = "year",
    null_samples: int = DEFAULT_NULL_SAMPLES,
    max_len: int = 5,
    scorecard: bool = True,
    lang: str | None = None,
    progress: Progress | None = None,
    focal: str | None = None,
    uncertainty: int = DEFAULT_UNCERTAINTY_DRAWS,
) -> Report:
    """Run the analyses on ``ledger`` and render the report.

    Parameters
    ----------
    ledger
        The dataset (e.g. ``junkan.load("ai-compute")``).
    seed
        Seed of every random step (cycle-significance null model, stress Monte Carlo), recorded in the report and
        :attr:`Report.seed`. Default :data:`junkan.random.DEFAULT_SEED`, so two builds of the same data show the
        same numbers; ``None`` draws a fresh one.
    scenario
        Stress scenario (bundled name or YAML path) for :func:`junkan.stress.ecosystem.run_stress`; ``None`` leaves
        the stress section out. Datasets without a stress model (assumptions file) leave it out with the reason.
    runs
        Monte Carlo runs of the stress model.
    map_period
        ``year`` or ``quarter``: the step of the network map's time control.
    null_samples
        Rewired networks for the cycle-significance test (0 switches it off).
    max_len
        Longest cycle searched, in parties.
    scorecard
        Score the dataset's arrangements beside the bundled historical cases (``False`` leaves the section out).
    lang
        ``en`` (default) or ``ja``: the language of every heading, label, answer, axis title and table header
        (:mod:`junkan.report.i18n`); ``<html lang>`` and the font stack follow it.
    progress
        Called with the name of each step of :data:`STEPS` as it starts (the CLI drives a progress bar with it).
    focal
        The party whose revenue at risk the stress section reports; default: the modelled party with the largest
        vendor financing of its own customers (see :func:`junkan.stress.ecosystem.default_focal`).
    uncertainty
        Draws of the ranged, estimated and undisclosed amounts (:mod:`junkan.flows.uncertainty`, seeded with
        ``seed``) behind the 90% intervals of the circularity index and the own-money shares; recorded in the
        circularity section. Default :data:`DEFAULT_UNCERTAINTY_DRAWS`; 0 shows the point figures alone.

    Returns
    -------
    Report
        The HTML and its headline numbers; write it with :meth:`Report.write`.
    """
    from junkan.errors import JunkanInputError

    if map_period not in ("year", "quarter"):
        raise JunkanInputError.single(f"map period must be 'year' or 'quarter', not {map_period!r}", field="map_period")
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise JunkanInputError.single(f"runs must be a positive integer, got {runs!r}", field="runs")
    if isinstance(uncertainty, bool) or not isinstance(uncertainty, int) or uncertainty < 0:
        raise JunkanInputError.single(
            f"uncertainty draws must be a non-negative integer, got {uncertainty!r}", field="uncertainty"
        )
    if scenario is not None:  # a bad scenario is the user's input error: fail before any work
        from junkan.stress.ecosystem import load_scenario

        load_scenario(scenario)
    seed_n = normalize_seed(seed)
    lg = get_lang(lang)
    token = FIGURE_LANG.set(lg)
    try:
        return _build(
            ledger,
            seed_n=seed_n,
            lg=lg,
            scenario=scenario,
            runs=runs,
            map_period=map_period,
            null_samples=null_samples,
            max_len=max_len,
            scorecard=scorecard,
            progress=progress,
            focal=focal,
            uncertainty=uncertainty,
        )
    finally:
        FIGURE_LANG.reset(token)


def _build(
    ledger: Ledger,
    *,
    seed_n: int,
    lg: Lang,
    scenario: str | None,
    runs: int,
    map_period: str,
    null_samples: int,
    max_len: int,
    scorecard: bool,
    progress: Progress | None,
    focal: str | None = None,
    uncertainty: int = DEFAULT_UNCERTAINTY_DRAWS,
) -> Report:
    """The body of :func:`build_report`, its arguments checked, in the language ``lg``."""
    timings: dict[str, float] = {}
    figs: dict[str, str] = {}
    ctx: dict[str, Any] = {"scorecard": None, "stress": None}
    omitted: dict[str, str] = {}

    def step(name: str) -> float:
        if progress is not None:
            progress(name)
        return time.perf_counter()

    t = step("flows")
    graph = flow_graph(ledger)
    spv = frozenset(e.id for e in ledger.entities.values() if e.kind == EntityKind.spv)
    cycles = cycles_in_graph(graph, max_len=max_len, spv_parties=spv, null=null_samples, seed=seed_n)
    prov = provenance(ledger, max_len=max_len, uncertainty=uncertainty, seed=seed_n)
    expo: ExposureResult = exposure_in_graph(ledger, graph)
    circ = circularity(ledger, by="year", uncertainty=uncertainty, seed=seed_n)
    names = {e.id: e.name for e in ledger.entities.values()}
    timings["flows"] = time.perf_counter() - t

    t = step("headline")
    headline = headline_numbers(ledger, graph, cycles, prov)
    headline["circularity"] = {
        "index": circ.index,
        "index_interval": list(circ.index_interval) if circ.index_interval else None,
        "uncertainty": uncertainty,
    }
    timings["headline"] = time.perf_counter() - t

    t = step("network")
    flows_tab = rdata.flows_table(ledger, graph)
    parties_tab = rdata.parties_table(ledger, graph)
    figs["network_map"] = figure_html(
        rfig.network_map(flows_tab, parties_tab, period=map_period), FIGURE_IDS["network_map"]
    )
    timings["network"] = time.perf_counter() - t

    t = step("flows-and-cycles")
    figs["sankey"] = figure_html(rfig.money_sankey(flows_tab), FIGURE_IDS["sankey"])
    ctx["cycles"] = _cycle_rows(cycles, graph, limit=40)
    ctx["cycles_total"] = len(cycles.cycles)
    ctx["cycle_summary"] = cycles.summary()
    timings["flows-and-cycles"] = time.perf_counter() - t

    t = step("own-money")
    figs["own_money"] = figure_html(rfig.own_money_bars(rdata.own_money_table(prov, names)), FIGURE_IDS["own_money"])
    figs["origins"] = figure_html(rfig.receipts_by_origin(rdata.origins_table(prov)), FIGURE_IDS["origins"])
    fr = expo.frames()
    figs["exposure"] = figure_html(rfig.exposure_bars(fr["vendors"], fr["commitments"], names), FIGURE_IDS["exposure"])
    ctx["paths"] = _path_rows(prov, graph, top=6)
    ctx["own_money_rows"] = rdata.own_money_intervals_table(prov, names).to_dict("records")
    ctx["uncertainty"] = uncertainty
    timings["own-money"] = time.perf_counter() - t

    t = step("circularity")
    ctx["circularity"] = _circularity_context(circ, names)
    figs["circularity_trend"] = figure_html(
        rfig.circularity_trend(circ.periods_frame(), interval=circ.index_interval), FIGURE_IDS["circularity_trend"]
    )
    timings["circularity"] = time.perf_counter() - t

    t = step("scorecard")
    if scorecard:
        sc_ctx, figs["scorecard"] = _scorecard_section(ledger)
        ctx["scorecard"] = sc_ctx
        headline["scorecard"] = {"line": sc_ctx["line"], "region": sc_ctx["dataset_region"]}
    else:
        omitted["scorecard"] = "switched off"
    timings["scorecard"] = time.perf_counter() - t

    t = step("stress")
    if scenario is None:
        omitted["stress"] = "switched off (--no-stress)"
    else:
        st_ctx, st_figs, why = _stress_section(ledger, scenario, runs, seed_n, names, focal)
        if st_ctx is None:
            omitted["stress"] = why or "not available"
        else:
            ctx["stress"] = st_ctx
            figs.update(st_figs)
            headline["stress"] = {
                "line": st_ctx["line"],
                "any_default_probability": st_ctx["any_default_probability"],
            }
    timings["stress"] = time.perf_counter() - t

    t = step("watch")
    ctx["watch"] = _watch_section(ledger)
    timings["watch"] = time.perf_counter() - t

    t = step("sources")
    ctx["deals"], ctx["figures"], ctx["claims"] = _source_rows(ledger)
    timings["sources"] = time.perf_counter() - t

    t = step("answers")
    st_reason = None if ctx["stress"] else ("switched off" if scenario is None else "no stress model for this dataset")
    answers = build_answers(
        ledger,
        provenance=prov,
        exposure=expo,
        circularity=circ,
        scorecard=ctx["scorecard"]["result"] if ctx["scorecard"] else None,
        stress=ctx["stress"]["result"] if ctx["stress"] else None,
        stress_reason=st_reason,
        seed=seed_n,
        lang=lg,
    )
    timings["answers"] = time.perf_counter() - t

    t = step("render")
    sections = tuple(s for s in SECTION_IDS if s not in omitted)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("junkan.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(lg.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["money"] = lg.money
    env.filters["t"] = lg.gettext  # a value from a closed vocabulary (kinds, statuses, regions), not formatted
    env.filters["pct"] = _pct
    env.filters["num"] = _num
    html = env.get_template("report.html.j2").render(
        info=ledger.info,
        origin=ledger.origin,
        headline=headline,
        figs=figs,
        sections=sections,
        omitted=omitted,
        seed=seed_n,
        null_samples=null_samples,
        max_len=max_len,
        map_period=map_period,
        version=__version__,
        built=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=plotly_js(),
        figure_ids=FIGURE_IDS,
        answers=answers,
        lang=lg,
        **ctx,
    )
    timings["render"] = time.perf_counter() - t
    return Report(
        html=html,
        headline=headline,
        sections=sections,
        omitted=omitted,
        seed=seed_n,
        timings=timings,
        answers=answers,
    )


def _circularity_context(circ: CircularityResult, names: dict[str, str]) -> dict[str, Any]:
    """The circularity section's numbers: the index (Homs-Dones et al. 2025, :func:`junkan.flows.circularity`), its
    90% interval and draws, whether the point lies ``"above"`` or ``"below"`` that interval (``None`` inside it or
    without draws), the flows, the index of the cumulative web at each year end and the top parties."""
    s = circ.summary()
    iv = circ.index_interval
    # the point figure is on the recorded amounts, the interval over the draws: the point can lie outside it
    outside = None
    if iv is not None and circ.index is not None:
        outside = "above" if circ.index > iv[1] else "below" if circ.index < iv[0] else None
    return {
        "index": circ.index,
        "interval": iv,
        "outside": outside,
        "draws": circ.inputs.get("uncertainty"),
        "seed": circ.inputs.get("seed"),
        "method": circ.method,
        "circular_flow": circ.circular_flow,
        "total_flow": circ.total_flow,
        "edges": s["edges"],
        "circular_edges": s["circular_edges"],
        "periods": [p.to_dict() for p in circ.by_period],
        "parties": rdata.circularity_parties_table(circ, names, top=CIRCULARITY_TOP).to_dict("records"),
        "notes": list(circ.notes),
        "result": circ,
    }


def _watch_section(ledger: Ledger) -> dict[str, Any]:
    """The watch list (:func:`junkan.assess.watch.watch`) as table rows, with the counts and the date."""
    from junkan.assess.watch import watch

    res = watch(ledger)
    return {"as_of": res.as_of, "counts": res.counts(), "rows": [i.to_dict() for i in res.indicators]}


def _pct(v: float | None, digits: int = 0) -> str:
    return "n/a" if v is None else f"{v:.{digits}%}"


def _num(v: float | None, digits: int = 2) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"
