"""The junkan dashboard: a Streamlit script on the public API (run it with ``junkan serve``).

Sidebar: the language (English or Japanese; ``junkan serve --lang ja`` opens in Japanese), a bundled dataset (or the
one ``junkan serve --data`` named) or an uploaded CSV in the quick format, the as-of date (the web, the scorecard and
the watch list as they stood on that date: :meth:`junkan.ledger.Ledger.as_of`), then filters on announcement date,
kind, status and minimum confidence, and the money basis. Tabs:
deals; the network's cycles; one party's flows, cycles, own-money share and scores (click a row of the party table or
pick a name); exposure. Bundled data is only read; an upload is validated in a temporary folder that is removed at
once (:mod:`junkan.app.data`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from junkan.app import DATA_ENV
from junkan.app.data import DEFAULT_DATASET, dataset_choices, load_dataset, load_upload, upload_key
from junkan.app.filters import CONFIDENCE_LEVELS, DealFilters, filter_options
from junkan.app.lang import LANG_KEY, _, default_lang
from junkan.app.params import StressParams
from junkan.app.sections import (
    circularity_section,
    deals_section,
    exposure_section,
    money,
    network_section,
    party_section,
    scorecard_section,
    show_problems,
    watch_section,
)
from junkan.app.stress_tab import stress_section
from junkan.assess import REFERENCE, Scorecard, scorecard
from junkan.assess.watch import watch
from junkan.errors import JunkanInputError
from junkan.flows import circularity, exposure, find_cycles, flow_graph, own_money_share, party_scores, provenance
from junkan.ledger.model import Ledger
from junkan.random import DEFAULT_SEED
from junkan.report import data as rdata
from junkan.report import figures as rfig
from junkan.report.build import DEFAULT_UNCERTAINTY_DRAWS
from junkan.stress.ecosystem import run_stress

T = TypeVar("T")
BASES = ("committed", "drawn", "headline")


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


# ---------------------------------------------------------------------------------------------------- sidebar
def choose_ledger() -> tuple[Ledger, str] | None:
    """The sidebar's data source: a dataset by name (or path given to ``serve``) or an uploaded CSV."""
    st.sidebar.header(_("Data"))
    source = st.sidebar.radio(
        _("Source"),
        ["Dataset", "Upload CSV"],
        key="source",
        horizontal=True,
        format_func=lambda o: _("Dataset") if o == "Dataset" else _("Upload CSV"),
    )
    if source == "Dataset":
        choices = dataset_choices(os.environ.get(DATA_ENV) or None)
        start = os.environ.get(DATA_ENV) or DEFAULT_DATASET
        if st.session_state.get("dataset") not in choices:
            st.session_state["dataset"] = start if start in choices else choices[0]
        name = st.sidebar.selectbox(_("Dataset"), choices, key="dataset")
        try:
            return _load_cached(name, _stamp(name)), f"data:{name}"
        except JunkanInputError as exc:
            show_problems(exc, _("Cannot load dataset %(name)s:") % {"name": repr(name)})
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
    st.sidebar.header(_("Filters"))
    start = end = None
    if opts.first is not None and opts.last is not None:
        picked = st.sidebar.date_input(
            _("Announced between"),
            value=(opts.first, opts.last),
            min_value=opts.first,
            max_value=opts.last,
            key=f"dates|{data_key}",
        )
        dates = tuple(picked) if isinstance(picked, list | tuple) else (picked,)
        start = dates[0] if len(dates) > 0 else None
        end = dates[1] if len(dates) > 1 else None
    kinds = st.sidebar.multiselect(
        _("Kinds"), opts.kinds, key=f"kinds|{data_key}", placeholder=_("all kinds"), format_func=_tr_value
    )
    statuses = st.sidebar.multiselect(
        _("Statuses"), opts.statuses, key=f"statuses|{data_key}", placeholder=_("all statuses"), format_func=_tr_value
    )
    conf = st.sidebar.select_slider(
        _("Minimum confidence"), options=list(CONFIDENCE_LEVELS), value="any", key=f"confidence|{data_key}"
    )
    basis = st.sidebar.radio(
        _("Money basis"),
        BASES,
        key="basis",
        format_func=_tr_value,
        help=_("committed: what payers are bound to; drawn: what has moved; headline: the announced figure"),
    )
    filters = DealFilters(start=start, end=end, kinds=tuple(kinds), statuses=tuple(statuses), min_confidence=conf)
    return filters, basis


def _tr_value(value: object) -> str:
    """A value of a closed vocabulary (kind, status, basis) in the chosen language (underscores as spaces)."""
    return _(str(value).replace("_", " "))


def choose_language() -> str:
    """The sidebar's language switch (default: ``junkan serve --lang``, else English)."""
    from junkan.report.i18n import LANGUAGE_NAMES, LANGUAGES

    if st.session_state.get(LANG_KEY) not in LANGUAGES:
        st.session_state[LANG_KEY] = default_lang()
    return str(
        st.sidebar.selectbox("Language / 言語", list(LANGUAGES), key=LANG_KEY, format_func=lambda c: LANGUAGE_NAMES[c])
    )


def last_date(ledger: Ledger) -> dt.date | None:
    """The latest date a ledger knows: its ``as_of`` if it has one, else its latest deal date."""
    info = ledger.info.as_of
    if isinstance(info, dt.date):
        return info
    dates = [d.date for d in ledger.deals]
    return max(dates) if dates else None


def choose_as_of(ledger: Ledger, data_key: str) -> dt.date | None:
    """The sidebar's as-of date: ``None`` (the data as they are now) unless a date before the last is picked."""
    last = last_date(ledger)
    dates = [d.date for d in ledger.deals]
    if last is None or not dates:
        return None
    last = min(last, dt.date.today())  # an as-of view cannot look past today
    first = min(dates)  # Ledger.as_of accepts any date from the first deal's year on
    picked = st.sidebar.date_input(
        _("As of"),
        value=last,
        min_value=first,
        max_value=last,
        key=f"as_of|{data_key}",
        help=_("Replay the web, the scorecard and the watch list as they stood on this date (known at the time)."),
    )
    when = picked if isinstance(picked, dt.date) else None
    return when if when is not None and when < last else None


# ---------------------------------------------------------------------------------------------------- page
def main() -> None:
    """Lay out the page."""
    st.set_page_config(page_title="junkan dashboard", layout="wide")
    choose_language()
    st.title(_("junkan: follow the money around the loop"))
    chosen = choose_ledger()
    if chosen is None:
        return
    now, data_key = chosen
    filters, basis = choose_filters(now, data_key)
    as_of = choose_as_of(now, data_key)
    full = _analysis("as-of", (data_key, as_of), lambda: now.as_of(as_of)) if as_of is not None else now
    led = filters.apply(full)
    when = f"; {_('as of %(date)s') % {'date': as_of.isoformat()}}" if as_of is not None else ""
    st.caption(
        _("%(title)s (%(origin)s): %(n)s of %(total)s deals; %(filters)s")
        % {
            "title": full.info.title,
            "origin": full.origin,
            "n": len(led),
            "total": len(now),
            "filters": filters.describe(),
        }
        + when
    )
    if len(led) == 0:
        st.warning(_("No deal passes the filters."))
        return
    key = (data_key, repr(filters), basis, as_of)
    graph = _analysis("graph", key, lambda: flow_graph(led, basis=basis))
    cycles = _analysis("cycles", key, lambda: find_cycles(led, basis=basis))
    scores = _analysis("scores", key, lambda: party_scores(led, basis=basis))
    exp = _analysis("exposure", key, lambda: exposure(led, basis=basis))
    prov = _analysis(
        "provenance",
        key,
        lambda: provenance(led, basis=basis, uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=DEFAULT_SEED),
    )

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(_("Deals"), f"{len(led)}")
    m2.metric(_("Parties"), f"{len(graph.parties)}")
    volume = money(float(graph.summary()["volume"]))  # type: ignore[arg-type]
    m3.metric(_("Network volume (%(basis)s, USD)") % {"basis": _tr_value(basis)}, volume)
    m4.metric(_("Cycles"), f"{len(cycles.cycles)}")

    tabs = st.tabs(
        [_("Deals"), _("Network"), _("Parties"), _("Exposure"), _("Scorecard"), _("Stress test"), _("Watch list")]
    )
    with tabs[0]:
        deals_section(led)
    names = {p: (led.entities[p].name if p in led.entities else p) for p in graph.parties}
    with tabs[1]:
        flows = _analysis("flows-table", key, lambda: rdata.flows_table(led, graph))
        network_section(
            graph,
            cycles,
            _analysis("network-map", key, lambda: rfig.network_map(flows, rdata.parties_table(led, graph))),
            _analysis("sankey", key, lambda: rfig.money_sankey(flows)),
        )
        circ = _analysis(
            "circularity",
            key,
            lambda: circularity(led, basis=basis, by="year", uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=DEFAULT_SEED),
        )
        circularity_section(circ, names, basis)
    with tabs[2]:
        party_section(
            led,
            scores,
            cycles,
            lambda p: _analysis("trace", (*key, p), lambda: own_money_share(led, p, basis=basis)),
            lambda p: _analysis(
                "party-score", (*key, p), lambda: scorecard(led, levels=("party",), parties=[p], basis=basis)
            ),
            _analysis("origins-table", key, lambda: rdata.origins_table(prov)),
        )
    with tabs[3]:
        exposure_section(exp, prov, names)
    with tabs[4]:
        with_history = st.toggle(_("Score the historical reference cases beside it"), value=True, key="with_history")
        card = _analysis("scorecard", key, lambda: scorecard(filters.apply(now), basis=basis, as_of=as_of))
        if with_history:
            history = tuple(h for h in REFERENCE if h != led.name)
            past = _analysis("scorecard-history", (history, basis), lambda: scorecard(list(history), basis=basis))
            card = merge_scorecards(card, past)
        scorecard_section(card, led.name)
    with tabs[5]:
        stress_section(led, lambda p, ov: _stress(key, p, ov, led))
    with tabs[6]:
        watch_section(_analysis("watch", key, lambda: watch(filters.apply(now), as_of=as_of)))


def merge_scorecards(ours: Scorecard, past: Scorecard) -> Scorecard:
    """The dataset's cases, then the reference cases (scored separately with the same thresholds, so each is cached
    once; scoring a dataset never depends on the others)."""
    datasets = [*ours.inputs.get("datasets", []), *past.inputs.get("datasets", [])]  # type: ignore[misc]
    return Scorecard(
        cases=ours.cases + past.cases, thresholds=ours.thresholds, inputs={**ours.inputs, "datasets": datasets}
    )


def _stress(key: tuple[Any, ...], params: StressParams, overrides: dict[str, Any], led: Ledger) -> Any:
    return _analysis(
        "stress",
        (*key, repr(params)),
        lambda: run_stress(led, params.scenario, runs=params.runs, seed=params.seed, overrides=overrides),
    )


main()
