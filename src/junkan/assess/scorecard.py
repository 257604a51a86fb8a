"""Circular trading or market creation? The scorecard of arrangements, parties and whole datasets.

Each case (see :mod:`junkan.assess.cases`) gets the seven indicators of :mod:`junkan.assess.indicators`, each with
value, evidence, band and sub-score, and a **position** on two axes:

* **round-trip intensity** ``R``: weighted mean of the sub-scores of ``round_trip_share``, ``genuine_demand`` and
  ``accounting_red_flags`` that have evidence;
* **financing strain** ``F``: weighted mean of ``vendor_funding``, ``customer_ability``, ``credit_losses`` and
  ``end_demand`` that have evidence.

An axis with no evidence at all is ``None``. ``coverage`` is the share of the seven indicators with evidence.
The **region** follows from the position and the evidence, by these rules in order (thresholds in
:class:`~junkan.assess.thresholds.Thresholds`):

1. ``round trip without real demand``: ``R >= round_trip_cut``, the ``round_trip_share`` sub-score is at least
   ``evidence_cut`` (the vendor's money comes back), and so is the ``genuine_demand`` sub-score or the
   overstated-revenue component of ``accounting_red_flags`` (evidence that the demand or revenue is not real);
2. ``vendor financing of customers that cannot pay``: ``F >= strain_cut``, the vendor finances customers in the case,
   and the ``customer_ability`` or ``credit_losses`` sub-score is at least ``evidence_cut``;
3. ``insufficient evidence`` when an alarming position lacks the evidence that would confirm or clear it: the money
   comes back (``R >= round_trip_cut`` and the ``round_trip_share`` sub-score at least ``evidence_cut``) but neither
   ``genuine_demand`` nor the overstated-revenue component has evidence; or ``F >= strain_cut`` and the vendor
   finances its customers but neither ``customer_ability`` nor ``credit_losses`` has evidence. The reason names
   what is missing;
4. ``vendor financing with real demand / market creation``: no rule above holds and ``coverage >= min_coverage``.
   Where the money comes back or the strain is high, this rests on evidence that clears it (a genuine-demand,
   overstated-revenue, customer-ability or credit-loss sub-score below ``evidence_cut``), and the reason says so;
5. ``insufficient evidence``: otherwise (coverage below ``min_coverage``).

Nothing is decided by a case's name: change an input (``overrides={"openai.revenue": 60e9}``, money in US dollars)
or a threshold and the position moves. Documentation with the reasoning and references: docs/scorecard.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from junkan.assess.cases import (
    LEVELS,
    Case,
    arrangements,
    choose_vendor,
    customers_of,
    dataset_case,
    party_cases,
    sales_receipts,
)
from junkan.assess.indicators import (
    INDICATOR_FUNCTIONS,
    INDICATORS,
    ROUND_TRIP_INDICATORS,
    STRAIN_INDICATORS,
    CaseContext,
    Facts,
    Indicator,
)
from junkan.assess.thresholds import Thresholds
from junkan.errors import InputProblem, JunkanInputError
from junkan.flows.graph import FlowGraph, check_basis, flow_graph
from junkan.ledger.model import Ledger, legs_within
from junkan.ledger.schema import FINANCIAL_METRICS, metric_unit

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

ROUND_TRIP = "round trip without real demand"
CANNOT_PAY = "vendor financing of customers that cannot pay"
MARKET = "vendor financing with real demand / market creation"
INSUFFICIENT = "insufficient evidence"
#: The qualified market-creation regions of the weakest-link rule: an indicator in its worst band (sub-score 1)
#: that does not, with the confirming evidence, make the axis's warning region names what the case depends on.
#: Checked in this order; the first that applies names the region, every one is listed in the reasons.
QUALIFIED: dict[str, str] = {
    "customer_ability": "market creation, customer dependent on new funding",
    "vendor_funding": "market creation, vendor financing beyond its cash flow",
    "credit_losses": "market creation, customers not paying in full",
    "end_demand": "market creation, customer's end demand not shown",
    "genuine_demand": "market creation, demand not shown",
    "accounting_red_flags": "market creation, accounting red flags",
    "round_trip_share": "market creation, own money returning",
}
REGIONS = (ROUND_TRIP, CANNOT_PAY, MARKET, *QUALIFIED.values(), INSUFFICIENT)

#: The bundled historical failures, scored beside the AI arrangements by default: vendor financing of customers
#: that could not pay (Lucent, Nortel), capacity swaps (Global Crossing / Qwest), round-tripped licence sales
#: (Orts) and fabricated sales of another kind (Luckin Coffee, 2019).
HISTORICAL = ("lucent-2000", "nortel-2001", "global-crossing-qwest-2001", "orts-2024", "luckin-2019")
#: Negative controls: vendor or captive financing with real end demand that came under stress and did not blow up
#: (Boeing Capital through the 2001-2003 airline downturn; PACCAR Financial through the 2008-2009 freight
#: recession). A scorecard that warns on these is warning on vendor financing as such (see each dataset's README).
CONTROLS = ("boeing-capital-2002", "paccar-2009")
#: Every reference case: the failures and the controls, in that order.
REFERENCE = (*HISTORICAL, *CONTROLS)
DEFAULT_DATASETS = ("ai-compute", *REFERENCE)


# ---------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class CaseScore:
    """The scorecard of one case: roles, indicators, position, region and the reasons for it."""

    id: str
    dataset: str
    level: str
    label: str
    deals: tuple[str, ...]
    linked: bool
    vendor: str | None
    customers: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    round_trip: float | None
    strain: float | None
    coverage: float
    region: str
    reasons: tuple[str, ...]
    as_of: dt.date | None = None

    def indicator(self, name: str) -> Indicator:
        """The indicator called ``name``."""
        for ind in self.indicators:
            if ind.name == name:
                return ind
        raise KeyError(name)

    def row(self) -> dict[str, object]:
        """One flat row: ids, roles, position, region and each indicator's value and sub-score."""
        out: dict[str, object] = {
            "case": self.id,
            "dataset": self.dataset,
            "level": self.level,
            "label": self.label,
            "vendor": self.vendor,
            "customers": list(self.customers),
            "deals": len(self.deals),
            "linked": self.linked,
            "round_trip": self.round_trip,
            "strain": self.strain,
            "coverage": self.coverage,
            "region": self.region,
        }
        for ind in self.indicators:
            out[f"{ind.name}"] = ind.value
            out[f"{ind.name}_score"] = ind.score
        return out

    def to_dict(self) -> dict[str, object]:
        """The stable JSON record of one case (``junkan assess --format json``)."""
        return {
            "case": self.id,
            "dataset": self.dataset,
            "level": self.level,
            "label": self.label,
            "deals": list(self.deals),
            "linked": self.linked,
            "vendor": self.vendor,
            "customers": list(self.customers),
            "position": {"round_trip": self.round_trip, "strain": self.strain},
            "coverage": self.coverage,
            "region": self.region,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "reasons": list(self.reasons),
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass(frozen=True)
class Scorecard:
    """Scores of many cases with the thresholds, overrides and basis that produced them."""

    cases: tuple[CaseScore, ...]
    thresholds: Thresholds
    inputs: dict[str, object] = field(default_factory=dict)

    def case(self, case_id: str) -> CaseScore:
        """The case with this id (a clear error lists close ids)."""
        for c in self.cases:
            if c.id == case_id:
                return c
        import difflib

        close = difflib.get_close_matches(case_id, [c.id for c in self.cases], n=3, cutoff=0.4)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise JunkanInputError.single(f"no case {case_id!r} in the scorecard{hint}", field="case")

    def to_frame(self) -> pd.DataFrame:
        """One row per case: position, region, coverage and every indicator's value and sub-score."""
        import pandas as pd

        rows = [c.row() for c in self.cases]
        cols = list(rows[0]) if rows else ["case", "region"]
        return pd.DataFrame(rows, columns=cols)

    def indicators_frame(self) -> pd.DataFrame:
        """One row per case and indicator (long form), with the reason."""
        import pandas as pd

        rows = [
            {
                "case": c.id,
                "indicator": i.name,
                "axis": i.axis,
                "value": i.value,
                "unit": i.unit,
                "score": i.score,
                "missing": i.missing,
                "reason": i.reason,
            }
            for c in self.cases
            for i in c.indicators
        ]
        return pd.DataFrame(rows, columns=["case", "indicator", "axis", "value", "unit", "score", "missing", "reason"])

    def summary(self) -> dict[str, object]:
        """Inputs, the count of cases per region and each case's region (the closing note's raw material)."""
        counts = {r: sum(c.region == r for c in self.cases) for r in REGIONS}
        return {
            **self.inputs,
            "cases": len(self.cases),
            "regions": counts,
            "positions": [
                {
                    "case": c.id,
                    "level": c.level,
                    "region": c.region,
                    "round_trip": c.round_trip,
                    "strain": c.strain,
                    "coverage": c.coverage,
                }
                for c in self.cases
            ],
        }

    def to_dict(self) -> dict[str, object]:
        """The stable JSON document of ``junkan assess --format json``."""
        return {
            "inputs": self.inputs,
            "thresholds": self.thresholds.to_dict(),
            "regions": list(REGIONS),
            "cases": [c.to_dict() for c in self.cases],
        }

    def plot(self, *, levels: Sequence[str] | None = None) -> go.Figure:
        """A plotly scatter of the positions (x: round-trip intensity, y: financing strain), coloured by region.

        Cases with an axis missing are drawn at 0 on that axis with an open marker. The cut lines are drawn.
        """
        import plotly.graph_objects as go

        fig = go.Figure()
        for region in REGIONS:
            pts = [c for c in self.cases if c.region == region and (levels is None or c.level in levels)]
            if not pts:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[c.round_trip if c.round_trip is not None else 0.0 for c in pts],
                    y=[c.strain if c.strain is not None else 0.0 for c in pts],
                    mode="markers+text",
                    text=[c.id for c in pts],
                    textposition="top center",
                    name=region,
                    marker={
                        "size": [8 + 12 * c.coverage for c in pts],
                        "symbol": [
                            "circle" if c.round_trip is not None and c.strain is not None else "circle-open"
                            for c in pts
                        ],
                    },
                    hovertext=["<br>".join(c.reasons[:3]) for c in pts],
                )
            )
        t = self.thresholds
        fig.add_vline(x=t.round_trip_cut, line_dash="dot")
        fig.add_hline(y=t.strain_cut, line_dash="dot")
        fig.update_layout(
            title="Circular trading or market creation?",
            xaxis={"title": "round-trip intensity", "range": [-0.05, 1.05]},
            yaxis={"title": "financing strain", "range": [-0.05, 1.05]},
        )
        return fig


# ---------------------------------------------------------------------------------------------------- overrides
def parse_overrides(
    overrides: Mapping[str, float] | None, ledgers: Sequence[Ledger]
) -> dict[str, dict[tuple[str, str], float]]:
    """Read ``{"entity.metric": value}`` (entity by id, name or alias) into ``{dataset: {(entity, metric): value}}``.

    Money values are in US dollars; ratios must lie in [0, 1]; counts must not be negative. An entity that no
    dataset knows, an unknown metric or a non-finite value is an error naming the key.
    """
    out: dict[str, dict[tuple[str, str], float]] = {lg.name: {} for lg in ledgers}
    problems: list[InputProblem] = []
    for key, raw in (overrides or {}).items():
        entity, dot, metric = key.rpartition(".")
        if not dot or not entity:
            problems.append(InputProblem(f"override {key!r} must be ENTITY.METRIC (e.g. openai.revenue)", field=key))
            continue
        if metric not in FINANCIAL_METRICS:
            problems.append(
                InputProblem(
                    f"override {key!r}: unknown metric {metric!r}; expected one of {', '.join(FINANCIAL_METRICS)}",
                    field=key,
                )
            )
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            problems.append(InputProblem(f"override {key!r} must be a number, got {raw!r}", field=key))
            continue
        unit = metric_unit(metric)
        if not math.isfinite(value) or (unit == "ratio" and not 0 <= value <= 1) or (unit == "count" and value < 0):
            problems.append(InputProblem(f"override {key!r}: {value!r} is not a valid {unit}", field=key))
            continue
        found = False
        for lg in ledgers:
            try:
                ent = lg.resolve_entity(entity)
            except JunkanInputError:
                continue
            out[lg.name][(ent.id, metric)] = value
            found = True
        if not found:
            problems.append(InputProblem(f"override {key!r}: no dataset has a party {entity!r}", field=key))
    if problems:
        raise JunkanInputError(problems)
    return out


# ---------------------------------------------------------------------------------------------------- scoring
def _weighted(inds: Sequence[Indicator], names: Sequence[str], t: Thresholds) -> float | None:
    pairs = [(getattr(t.weights, i.name), i.score) for i in inds if i.name in names and i.score is not None]
    total = sum(w for w, _ in pairs)
    if not pairs or total <= 0:
        return None
    return float(sum(w * s for w, s in pairs if s is not None) / total)


def position(
    indicators: Sequence[Indicator], t: Thresholds
) -> tuple[float | None, float | None, float, str, list[str]]:
    """Axes, coverage, region and the reasons for the region (see the module docstring for the rules)."""
    by = {i.name: i for i in indicators}
    r = _weighted(indicators, ROUND_TRIP_INDICATORS, t)
    s = _weighted(indicators, STRAIN_INDICATORS, t)
    coverage = sum(not i.missing for i in indicators) / len(INDICATORS)

    def sc(name: str) -> float | None:
        return by[name].score if name in by else None

    def over_score() -> float | None:
        comps = [c for c in by["accounting_red_flags"].components if c.get("name") == "overstated_revenue_share"]
        vals = [float(c["score"]) for c in comps if c.get("score") is not None]  # type: ignore[arg-type]
        return max(vals) if vals else None

    eps = 1e-9  # comparisons at a cut tolerate rounding (0.125 on the band 0.05 -> 0.20 is 0.49999...)
    cut = t.evidence_cut - eps
    reasons: list[str] = []
    rts, gd, ov = sc("round_trip_share"), sc("genuine_demand"), over_score()
    no_real = [x for x in (("genuine demand", gd), ("overstated revenue", ov)) if x[1] is not None and x[1] >= cut]
    fin = by["vendor_funding"]
    finances = fin.score is not None and fin.value != 0.0
    ca, cl = sc("customer_ability"), sc("credit_losses")
    cannot = [x for x in (("customer ability", ca), ("credit losses", cl)) if x[1] is not None and x[1] >= cut]
    fmt = _f
    if r is not None and r >= t.round_trip_cut - eps and rts is not None and rts >= cut and no_real:
        region = ROUND_TRIP
        reasons.append(
            f"round-trip intensity {fmt(r)} >= {t.round_trip_cut}: the vendor's money comes back (sub-score "
            f"{fmt(rts)}) and {' and '.join(f'{n} ({fmt(v)})' for n, v in no_real)} show no real demand behind it"
        )
    elif s is not None and s >= t.strain_cut - eps and finances and cannot:
        region = CANNOT_PAY
        reasons.append(
            f"financing strain {fmt(s)} >= {t.strain_cut}: the vendor finances its customers and "
            f"{' and '.join(f'{n} ({fmt(v)})' for n, v in cannot)} show they cannot pay"
        )
    else:
        comes_back = r is not None and r >= t.round_trip_cut - eps and rts is not None and rts >= cut
        strained = s is not None and s >= t.strain_cut - eps and finances
        unconfirmed = []
        if comes_back and gd is None and ov is None:
            unconfirmed.append(
                f"the vendor's money comes back (round-trip share sub-score {fmt(rts)}, intensity {fmt(r)}) but "
                "nothing on file says whether the demand is real (genuine demand and overstated revenue missing)"
            )
        if strained and ca is None and cl is None:
            unconfirmed.append(
                f"the vendor finances its customers under strain {fmt(s)} but nothing on file says whether they "
                "can pay (customer ability and credit losses missing)"
            )
        worst = [i for i in indicators if i.score is not None and i.score >= 1 - eps]
        if unconfirmed:
            region = INSUFFICIENT
            reasons.append("; ".join(unconfirmed))
        elif worst and (hit := _weakest_link(worst, rts, gd, ov, ca, cl, finances, cut)) is not None:
            region, why_worst = hit
            reasons.append(why_worst)
        elif coverage >= t.min_coverage - eps:
            region = MARKET
            why = []
            if r is None or r < t.round_trip_cut - eps:
                why.append(f"round-trip intensity {fmt(r)} is below {t.round_trip_cut}")
            elif not (rts is not None and rts >= cut):
                why.append(f"little of the vendor's own money comes back (round-trip share sub-score {fmt(rts)})")
            else:
                shown = " and ".join(
                    f"{n} ({fmt(v)})" for n, v in (("genuine demand", gd), ("overstated revenue", ov)) if v is not None
                )
                why.append(
                    f"the vendor's money comes back (sub-score {fmt(rts)}) but the evidence says the demand is real: "
                    f"{shown} below the evidence cut {t.evidence_cut}"
                )
            if s is None or s < t.strain_cut - eps:
                why.append(f"financing strain {fmt(s)} is below {t.strain_cut}")
            elif not finances:
                why.append("the vendor does not finance its customers here")
            else:
                shown = " and ".join(
                    f"{n} ({fmt(v)})" for n, v in (("customer ability", ca), ("credit losses", cl)) if v is not None
                )
                why.append(
                    f"financing strain {fmt(s)} >= {t.strain_cut} but the evidence says the customers can pay: "
                    f"{shown} below the evidence cut {t.evidence_cut}"
                )
            reasons.append("; ".join(why))
        else:
            region = INSUFFICIENT
            reasons.append(
                f"only {sum(not i.missing for i in indicators)} of {len(INDICATORS)} indicators have evidence "
                f"(coverage {fmt(coverage)} < {t.min_coverage}) and no region's rule holds"
            )
    for i in indicators:
        tag = "missing" if i.missing else f"sub-score {fmt(i.score)}"
        reasons.append(f"{i.name} ({tag}): {i.reason}")
    return r, s, coverage, region, reasons


def _weakest_link(
    worst: Sequence[Indicator],
    rts: float | None,
    gd: float | None,
    ov: float | None,
    ca: float | None,
    cl: float | None,
    finances: bool,
    cut: float,
) -> tuple[str, str] | None:
    """The region of the weakest-link rule for indicators in their worst band, with the reason; ``None`` if none.

    A weighted mean lets one fatal weakness be averaged away by healthy indicators. Credit analysis does not: in
    S&P Global Ratings' corporate criteria a 'weak' liquidity assessment caps the issuer credit rating at 'b-'
    whatever the business and financial risk profiles ("Methodology And Assumptions: Liquidity Descriptors For
    Global Corporate Issuers", 2014), and Moody's rating scorecards note that one factor can outweigh the grid.
    So an indicator at the alarming end of its band (sub-score 1) is never averaged away:

    * with the axis's confirming evidence it makes the warning region: the vendor's money comes back and the demand
      is shown not to be real (``round_trip_share`` and ``genuine_demand`` / overstated revenue both at least the
      evidence cut, one of them at 1) -> round trip; the vendor finances customers and they are shown not to pay
      (``credit_losses`` at 1, or ``customer_ability`` at 1 with credit losses at least the evidence cut) ->
      cannot pay;
    * otherwise the case is a *qualified* market creation, named by the first worst-band indicator of
      :data:`QUALIFIED` (e.g. "market creation, customer dependent on new funding": the customer has committed far
      beyond its revenue, and paying depends on raising money it does not yet have).
    """
    names = {i.name for i in worst}
    no_real = [v for v in (gd, ov) if v is not None and v >= cut]
    listed = ", ".join(f"{i.name} (sub-score {_f(i.score)})" for i in worst)
    if ("round_trip_share" in names and no_real) or (
        rts is not None and rts >= cut and ({"genuine_demand"} & names or (ov is not None and ov >= 1 - 1e-9))
    ):
        return ROUND_TRIP, (
            f"weakest link: {listed} at the alarming end of its band, with the vendor's money coming back and the "
            "demand shown not to be real, is not averaged away by the other indicators"
        )
    if finances and ("credit_losses" in names or ("customer_ability" in names and cl is not None and cl >= cut)):
        return CANNOT_PAY, (
            f"weakest link: {listed} at the alarming end of its band, with the vendor financing its customers and "
            "their losses on file, is not averaged away by the other indicators"
        )
    for name, region in QUALIFIED.items():
        if name in names:
            return region, (
                f"weakest link: {listed} at the alarming end of its band, so the case is not plain market creation "
                f"({region}); the other indicators would have averaged it away"
            )
    return None


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def score_case(
    ledger: Ledger,
    case: Case,
    *,
    thresholds: Thresholds | None = None,
    overrides: Mapping[tuple[str, str], float] | None = None,
    basis: str = "committed",
    full_graph: FlowGraph | None = None,
) -> CaseScore:
    """Score one case of ``ledger`` (see the module docstring); ``overrides`` keyed by ``(entity id, metric)``."""
    t = thresholds or Thresholds()
    full = full_graph or flow_graph(ledger, basis=basis)
    wanted = set(case.deals)
    flows = tuple(f for f in full.flows if f.deal_id in wanted)
    parties = tuple(sorted({p for f in flows if f.amount > 0 for p in (f.payer, f.payee)}))
    graph = FlowGraph(
        flows=flows,
        parties=parties,
        basis=full.basis,
        natures=full.natures,
        include_cancelled=full.include_cancelled,
        names=full.names,
    )
    deals = [ledger.deal(d) for d in case.deals]
    amounts = {f.deal_id: f.amount for f in flows}
    if case.vendor is not None:
        vendor: str | None = case.vendor
        customers = customers_of(case.vendor, deals)
    else:
        all_amounts = {f.deal_id: f.amount for f in full.flows}
        hub = sales_receipts([d for d in ledger.deals if d.id in all_amounts], all_amounts)
        vendor, customers = choose_vendor(deals, amounts, hub)
    in_deals = {p for d in ledger.deals for p in (d.payer, d.payee)}
    context = tuple(sorted(e for e in ledger.entities if e not in in_deals))
    ref = max((d.date for d in deals), default=None)
    ctx = CaseContext(
        ledger=ledger,
        facts=Facts(ledger, ref, overrides),
        graph=graph,
        full_graph=full,
        vendor=vendor,
        customers=customers,
        thresholds=t,
        level=case.level,
        context_entities=context,
    )
    indicators = tuple(INDICATOR_FUNCTIONS[n](ctx) for n in INDICATORS)
    r, s, coverage, region, reasons = position(indicators, t)
    return CaseScore(
        id=case.id,
        dataset=case.dataset,
        level=case.level,
        label=case.label,
        deals=case.deals,
        linked=case.linked,
        vendor=vendor,
        customers=customers,
        indicators=indicators,
        round_trip=r,
        strain=s,
        coverage=coverage,
        region=region,
        reasons=tuple(reasons),
        as_of=getattr(ledger, "as_of_date", None),
    )


#: Days after a period's end by which its figures are taken as published when no source is dated: the longest
#: Form 10-K deadline, 90 days for non-accelerated filers (SEC Release 33-8644, 2005; large accelerated filers 60,
#: accelerated 75; 10-Qs 40-45 days).
REPORTING_LAG_DAYS = 90
#: Metrics that are findings made after the fact (a restatement, an investigation): known only from a dated source.
RETROSPECTIVE_METRICS = frozenset({"overstated_revenue"})
#: Point-in-time observations (users, utilisation, prices, spreads, valuations, run-rates): their period end is
#: the day they were observed and reported, so no filing lag applies.
POINT_METRICS = frozenset(
    {
        "users",
        "paying_users",
        "utilisation",
        "valuation",
        "revenue_run_rate",
        "cds_spread_5y",
        "bond_spread",
        "gpu_rental_price",
        "gpu_fleet",
    }
)


def _published_by(sources: Sequence[Any], when: dt.date, dates: Mapping[str, dt.date]) -> bool | None:
    """True if a source is dated on or before ``when``, False if all dated ones are later, None if none is dated.

    An undated source takes the date the same URL carries elsewhere in the ledger (``dates``)."""
    dated = [src.date or dates.get(src.url) for src in sources]
    known = [d for d in dated if d is not None]
    if not known:
        return None
    return min(known) <= when


def _url_dates(ledger: Ledger) -> dict[str, dt.date]:
    """The earliest date each source URL carries anywhere in the ledger (deals, status events, figures)."""
    out: dict[str, dt.date] = {}
    srcs = [s for d in ledger.deals for s in (*d.sources, *(x for e in d.status_history for x in e.sources))]
    srcs += [s for f in ledger.financials for s in f.sources]
    for src in srcs:
        if src.date is not None and (src.url not in out or src.date < out[src.url]):
            out[src.url] = src.date
    return out


def known_on(ledger: Ledger, when: dt.date) -> Ledger:
    """What the public could know on ``when``: :meth:`Ledger.as_of`, then stricter for known-at scoring.

    On top of the as-of rules (deals announced later, later statuses and later-period figures left out), a deal
    counts only if a source of it was published by ``when`` (or none is dated: its date is its announcement; an
    undated source takes the date its URL carries elsewhere in the ledger); a
    financial figure counts only if a source of it was published by then, or, with no dated source, if its period
    ended at least :data:`REPORTING_LAG_DAYS` before ``when`` (a filed statement; no lag for the point-in-time
    observations of :data:`POINT_METRICS`) and it is not a finding made after the fact
    (:data:`RETROSPECTIVE_METRICS`, e.g. revenue later found fictitious).
    """
    from dataclasses import replace

    known = ledger.as_of(when)
    base = {d.id: d for d in ledger.deals}
    dates = _url_dates(ledger)
    deals = [d for d in known.deals if _published_by(base[d.id].sources, when, dates) is not False]
    deals = legs_within(deals)
    figs = []
    for f in known.financials:
        pub = _published_by(f.sources, when, dates)
        lag = dt.timedelta(days=0 if f.metric in POINT_METRICS else REPORTING_LAG_DAYS)
        if pub or (pub is None and f.metric not in RETROSPECTIVE_METRICS and f.period_end + lag <= when):
            figs.append(f)
    return replace(known, deals=tuple(deals), financials=tuple(figs))


def _known_at(
    ledgers: Sequence[Ledger], as_of: dt.date | Mapping[str, dt.date] | None, known_at: bool
) -> tuple[list[Ledger], dict[str, str], dict[str, str]]:
    """Each ledger as known on its date (``as_of``, else its ``known_at`` when asked); skipped ones with the reason."""
    from junkan.ledger.asof import check_as_of

    out: list[Ledger] = []
    dates: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for lg in ledgers:
        when = as_of.get(lg.name) if isinstance(as_of, Mapping) else as_of
        if when is None and known_at:
            when = lg.info.known_at
        if when is None:
            out.append(lg)
            continue
        first = lg.deals[0].date if lg.deals else None
        if first is None or first > when:
            skipped[lg.name] = f"no deal announced by {when.isoformat()}"
            continue
        check_as_of(when, first_deal=first, field="as_of")
        known = known_on(lg, when)
        if not known.deals:
            skipped[lg.name] = f"no deal published by {when.isoformat()}"
            continue
        out.append(known)
        dates[lg.name] = when.isoformat()
    return out, dates, skipped


def scored_ledgers(
    data: Ledger | str | Sequence[Ledger | str] | None = None,
    *,
    history: bool = False,
    as_of: dt.date | Mapping[str, dt.date] | None = None,
    known_at: bool = False,
) -> list[Ledger]:
    """The ledgers :func:`scorecard` scores for these arguments (loaded, historical cases added, as known on their
    dates); e.g. to draw intervals for the same cases with :func:`junkan.assess.uncertainty.position_intervals`."""
    return _known_at(_as_ledgers(data, history), as_of, known_at)[0]


def _as_ledgers(data: Ledger | str | Sequence[Ledger | str] | None, history: bool = False) -> list[Ledger]:
    from junkan.ledger.load import load

    if data is None:
        items: list[Ledger | str] = list(DEFAULT_DATASETS)
    elif isinstance(data, Ledger | str):
        items = [data]
    else:
        items = list(data)
    if history:
        items += REFERENCE
    out: list[Ledger] = []
    for x in items:
        if isinstance(x, str) and any(o.name == x for o in out):
            continue
        lg = x if isinstance(x, Ledger) else load(x)
        if any(o.name == lg.name for o in out):
            continue
        out.append(lg)
    return out


def scorecard(
    data: Ledger | str | Sequence[Ledger | str] | None = None,
    *,
    levels: Sequence[str] = ("dataset", "arrangement"),
    parties: Sequence[str] | None = None,
    thresholds: Thresholds | Mapping[str, float] | None = None,
    overrides: Mapping[str, float] | None = None,
    basis: str = "committed",
    history: bool = False,
    as_of: dt.date | Mapping[str, dt.date] | None = None,
    known_at: bool = False,
) -> Scorecard:
    """Score datasets, their arrangements and (optionally) their parties on the same axes.

    Parameters
    ----------
    data
        Ledgers or dataset names/paths (``junkan.load``); default: ``ai-compute`` and the four historical cases.
    levels
        Which cases: ``dataset`` (each dataset as a whole), ``arrangement`` (each leg-linked group of deals),
        ``party`` (each party in the vendor's seat).
    parties
        With level ``party``: only these parties (id, name or alias); default all parties named in deals.
    thresholds
        A :class:`Thresholds`, or a mapping of changes such as ``{"genuine_demand.bad": 0.1}``.
    overrides
        Replace financial figures: ``{"openai.revenue": 60e9}`` (entity id/name/alias, dot, metric; money in US
        dollars). The figure replaces every period of that metric for that entity.
    basis
        Deal amounts: ``committed`` (default), ``drawn`` or ``headline`` (:func:`junkan.flows.graph.flow_graph`).
    history
        Also score the reference datasets (:data:`REFERENCE`: the historical failures and the negative controls) not
        already given, after the given ones,
        so that ``scorecard(ledger, history=True)`` shows a ledger beside Lucent, Nortel, Global Crossing and ORTS.
    as_of
        **Known-at scoring**: score each dataset as known on this date (one date for all, or ``{dataset: date}``),
        with :meth:`junkan.ledger.Ledger.as_of`: deals announced later are left out, statuses and amounts are those
        of that date, financial figures of later periods or published later (their sources' dates) are not used,
        and a customer counts as failed only with a dated bankruptcy event by then. Each indicator's evidence lists
        the figures and deals it used. A dataset with no deal by that date is skipped (``inputs["skipped"]``).
    known_at
        Score each dataset without an ``as_of`` date as known on its ``known_at`` date (``dataset.yaml``: Lucent on
        2000-06-30, Nortel at the end of 2000, ...): would the scorecard have warned before the outcome?

    Returns
    -------
    Scorecard
        One :class:`CaseScore` per case, in dataset order: the dataset case, its arrangements, then parties.
    """
    check_basis(basis)
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels:
        raise JunkanInputError.single(
            f"unknown level(s) {', '.join(map(repr, bad)) or '(none given)'}; choose from {', '.join(LEVELS)}",
            field="levels",
        )
    t = thresholds if isinstance(thresholds, Thresholds) else Thresholds.from_mapping(thresholds or {})
    ledgers, dates, skipped = _known_at(_as_ledgers(data, history), as_of, known_at)
    ov = parse_overrides(overrides, ledgers)
    scores: list[CaseScore] = []
    for lg in ledgers:
        full = flow_graph(lg, basis=basis)
        cases: list[Case] = []
        if "dataset" in levels:
            cases.append(dataset_case(lg))
        if "arrangement" in levels:
            cases.extend(arrangements(lg))
        if "party" in levels:
            wanted = None
            if parties:
                wanted = []
                for p in parties:
                    try:
                        wanted.append(lg.resolve_entity(p).id)
                    except JunkanInputError:
                        continue
            cases.extend(party_cases(lg, wanted))
        for c in cases:
            scores.append(score_case(lg, c, thresholds=t, overrides=ov[lg.name], basis=basis, full_graph=full))
    inputs: dict[str, Any] = {
        "datasets": [lg.name for lg in ledgers],
        "levels": list(levels),
        "basis": basis,
        "overrides": dict(overrides or {}),
        "as_of": dates,
        "skipped": skipped,
    }
    return Scorecard(cases=tuple(scores), thresholds=t, inputs=inputs)
