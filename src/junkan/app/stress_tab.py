"""The dashboard's stress tab (Streamlit): pick a scenario, move its knobs, see the Monte Carlo results at once.

Runs :func:`junkan.stress.ecosystem.run_stress` on the filtered ledger with the bundled assumptions of its dataset;
results are cached per (data, filters, parameters), so moving a knob back shows the earlier result at once. Knobs
and units: see :mod:`junkan.app.params`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from junkan.app.lang import _, chart, current
from junkan.app.params import RUN_CHOICES, StressParams, quarter_labels
from junkan.app.sections import column_config, money, share, show_problems
from junkan.errors import JunkanInputError
from junkan.ledger.model import Ledger
from junkan.random import DEFAULT_SEED
from junkan.report import data as rdata
from junkan.report import figures as rfig
from junkan.report.i18n import N_
from junkan.stress.ecosystem import Assumptions, StressResult, list_scenarios, load_assumptions, load_scenario

#: The per-party table's columns: (label, format) -- labels through the message catalogue, amounts compact, shares as
#: percentages (the data keep their field names: :func:`junkan.report.data.stress_tables`).
STRESS_COLUMNS: dict[str, tuple[str, str | None]] = {
    "party": (N_("party"), None),
    "default_probability": (N_("default probability"), "percent"),
    "p_restructuring": (N_("restructuring probability"), "percent"),
    "p_default_or_restructuring": (N_("default or restructuring"), "percent"),
    "median_default_quarter": (N_("median default quarter"), None),
    "revenue_reference": (N_("revenue on the central path"), "compact"),
    "revenue_at_risk_mean": (N_("revenue at risk (mean)"), "compact"),
    "revenue_at_risk_p5": (N_("revenue at risk (5%)"), "compact"),
    "revenue_at_risk_p50": (N_("revenue at risk (median)"), "compact"),
    "revenue_at_risk_p95": (N_("revenue at risk (95%)"), "compact"),
    "loss_clearing": (N_("loss: clearing"), "compact"),
    "loss_backlog": (N_("loss: backlog"), "compact"),
    "loss_cancel": (N_("loss: cancelled contracts"), "compact"),
    "loss_equity": (N_("loss: equity"), "compact"),
    "loss_firesale": (N_("loss: fire sales"), "compact"),
    "capex_deferred": (N_("capex deferred"), "compact"),
    "raised": (N_("money raised"), "compact"),
    "gpu_sold": (N_("GPUs sold"), "compact"),
}
#: The cascades table's columns.
CASCADE_COLUMNS: dict[str, tuple[str, str | None]] = {
    "chain": (N_("chain"), None),
    "runs": (N_("runs"), None),
    "share": (N_("share of runs"), "percent"),
}


@st.cache_resource(show_spinner=False, max_entries=8)
def _assumptions(dataset: str) -> Assumptions | JunkanInputError:
    try:
        return load_assumptions(dataset)
    except JunkanInputError as exc:
        return exc


def stress_controls(a: Assumptions) -> StressParams:
    """The scenario picker and knobs (defaults: neutral, so the scenario runs as written)."""
    horizon = quarter_labels(a.start, a.quarters)
    life = a.gpu.depreciation_years.value
    c1, c2, c3 = st.columns(3)
    names = list_scenarios()
    scenario = c1.selectbox(
        _("Scenario"), names, index=names.index("baseline") if "baseline" in names else 0, key="scenario"
    )
    runs = c2.select_slider(_("Monte Carlo runs"), options=list(RUN_CHOICES), value=500, key="runs")
    seed = c3.number_input(_("Seed"), min_value=0, max_value=2**31 - 1, value=DEFAULT_SEED, step=1, key="seed")
    k1, k2 = st.columns(2)
    with k1:
        fall = st.slider(
            _("GPU price fall (%)"),
            min_value=0,
            max_value=90,
            value=0,
            step=5,
            key="gpu_fall",
            help=_(
                "GPU price / rental index falls by this much, reached linearly over the ramp (added to the scenario)"
            ),
        )
        gpu_start = st.select_slider(_("GPU price fall starts"), options=horizon, value=horizon[0], key="gpu_start")
        growth = st.slider(
            _("End-demand growth change (percentage points a year)"),
            min_value=-50,
            max_value=50,
            value=0,
            step=5,
            key="demand_growth",
            help=_("added to every party's annual end-customer revenue growth"),
        )
    with k2:
        frozen = st.multiselect(
            _("Funding freeze: parties"),
            sorted(a.parties),
            key="freeze_parties",
            placeholder=_("nobody frozen"),
            help=_("no new equity or refinancing for these parties from the freeze date"),
        )
        freeze_start = st.select_slider(_("Funding freeze from"), options=horizon, value=horizon[0], key="freeze_start")
        depreciation = st.slider(
            _("GPU depreciation life (years)"),
            min_value=2.0,
            max_value=8.0,
            value=float(life) if life is not None else 5.0,
            step=0.5,
            key="depreciation",
            help=_("the assumptions use %(years)s years") % {"years": f"{life:g}"} if life is not None else None,
        )
    return StressParams(
        scenario=scenario,
        gpu_price_change=-fall / 100.0,
        gpu_price_start=gpu_start,
        freeze_parties=tuple(frozen),
        freeze_start=freeze_start,
        demand_growth_delta=growth / 100.0,
        depreciation_years=depreciation,
        runs=int(runs),
        seed=int(seed),
    )


def stress_results(res: StressResult, knobs: str, names: dict[str, str]) -> None:
    """Headline numbers, the figures (default probability by party and over time, domino chains, losses by channel),
    cascades and the per-party table (``knobs``: the moved knobs in words; ``names``: party id -> name)."""
    s = res.summary(top=8)
    m1, m2, m3, m4 = st.columns(4)
    lang = current()
    m1.metric(_("Probability of any default"), share(s["any_default_probability"]))
    m2.metric(_("Defaults per run (mean)"), f"{s['mean_defaults_per_run']:.2f}")
    m3.metric(_("GPU price index at horizon (median)"), f"{s['gpu_index_end_median']:.2f}")
    focal = s["focal_revenue_at_risk"]
    who = names.get(s["focal"], s["focal"]) if s["focal"] else _("Focal vendor")
    m4.metric(_("%(name)s revenue at risk (mean)") % {"name": who}, money(focal["mean"]) if focal else _("n/a"))
    horizon = "–".join(lang.quarter(q) for q in str(s["horizon"]).split(".."))
    st.caption(
        _(
            "Scenario %(scenario)s with %(knobs)s. Horizon %(horizon)s, %(runs)s runs, seed %(seed)s, "
            "assumptions %(hash)s."
        )
        % {
            "scenario": s["scenario"],
            "knobs": knobs,
            "horizon": horizon,
            "runs": s["runs"],
            "seed": s["seed"],
            "hash": s["assumptions_hash"],
        }
    )
    tables = rdata.stress_tables(res, names)
    frame = tables.frame
    left, right = st.columns(2)
    with left:
        chart(rfig.default_probability_bars(frame), key="default_probability_chart")
    with right:
        chart(res.plot(), key="stress_chart")
    chart(rfig.quantile_fans(tables.quarter_labels, tables.series), key="fans_chart")
    left, right = st.columns(2)
    with left:
        chart(rfig.domino_chains(tables.chains), key="chains_chart")
    with right:
        chart(rfig.loss_distribution(tables.losses), key="loss_distribution_chart")
    chart(rfig.losses_by_channel(tables.channels), key="channels_chart")
    left, right = st.columns([2, 1])
    with left:
        st.markdown(_("**Per party** (means per run, US dollars)"))
        st.dataframe(
            frame.drop(columns=["name"]),
            hide_index=True,
            key="stress_table",
            column_config=column_config(STRESS_COLUMNS),
        )
    with right:
        st.markdown(_("**Most frequent cascades**"))
        st.dataframe(
            pd.DataFrame(s["top_cascades"], columns=["chain", "runs", "share"]),
            hide_index=True,
            key="cascades_table",
            column_config=column_config(CASCADE_COLUMNS),
        )


def stress_section(led: Ledger, run: Callable[[StressParams, dict[str, Any]], StressResult]) -> None:
    """The stress tab: controls, then the result of ``run(params, overrides)`` (cached by the caller)."""
    a = _assumptions(led.name)
    if isinstance(a, JunkanInputError):
        st.info(
            _(
                "The stress model needs an assumptions file for dataset %(name)s (bundled: ai-compute). "
                "See docs/stress-model.md."
            )
            % {"name": repr(led.name)}
        )
        return
    params = stress_controls(a)
    scen = load_scenario(params.scenario)
    if scen.description:
        st.caption(scen.description)
    overrides = params.overrides(a.gpu.depreciation_years.value)
    try:
        with st.spinner(_("Running the stress test…")):
            res = run(params, overrides)
    except JunkanInputError as exc:
        show_problems(exc, _("The stress test cannot run on these deals:"))
        return
    names = {p: (led.entities[p].name if p in led.entities else p) for p in res.parties}
    stress_results(res, params.describe(a.gpu.depreciation_years.value, lang=current()), names)
