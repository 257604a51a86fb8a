"""The watch list: early-warning indicators of a circular web running in reverse, from the ledger's dated data.

Each indicator has a current value, two thresholds (``watch`` and ``alert``), a status (``ok``, ``watch`` or
``alert``), the date of the reading, the source of the reading and its history. Nothing is named in the code: the
indicators are built for whatever parties the data holds (a user's own dataset gets its own list).

Indicators (rules and references in :data:`RULES`; every threshold can be overridden):

* ``gpu_rental_price_trend``: the annual trend of each GPU model's rental price (financial metric
  ``gpu_rental_price``; readings grouped by the first GPU model their notes or period name, ``H100``, ``B200``, ...):
  ``exp(b) - 1`` where ``b`` is the ordinary-least-squares slope of ``ln price`` on time in years over every reading
  of the model up to the date (:func:`junkan.trend.ols_trend`, the estimator behind the stress model's GPU drift,
  :func:`junkan.stress.ecosystem.obligations.rental_trend`; with two readings it is their annualised change), with
  its standard error in the detail when there are three or more. GPU-backed lenders lend against the resale and
  rental value of the GPUs, so a price falling faster than the GPUs depreciate eats the collateral.
* ``own_money_share``: for each vendor that finances its customers, the share of its network receipts that is its
  own money coming back (:func:`junkan.flows.own_money_share`, the scorecard's ``round_trip_share`` band).
* ``circularity_index``: the network circularity index of the whole web as known on the date (the share of all
  flow that can go round, maximum circularity, Homs-Dones et al. 2025; :func:`junkan.flows.circularity`), its
  history the index of the cumulative web at each earlier year end and its trend the change since the last one.
* ``commitment_years``: for each customer with purchase commitments, commitments outstanding in years of its latest
  annual revenue (:func:`junkan.flows.exposure`, the scorecard's band).
* ``funding_cover``: for each customer whose commitments exceed its revenue, the equity and debt it closed in the
  year to the date against one year of its commitments (commitments outstanding / the contracts' typical tenor):
  whether new money keeps up with what falls due.
* ``collateral_ltv``: for each party with GPU-backed debt, the GPU-backed debt drawn against its net property,
  plant and equipment (the book value of the collateral; the GPUs are most of a GPU cloud's PP&E).
* ``customer_concentration`` and ``backlog_concentration``: a named customer's share of a vendor's revenue
  (``customer_revenue_share``, ``top_customer_share``) or of its backlog / RPO (``backlog_share``).
* ``cds_spread_5y``: a party's 5-year CDS spread, with the risk-neutral 5-year default probability it implies,
  ``1 - exp(-5 s / (1 - R))`` at recovery ``R = 0.4`` (the market convention for senior unsecured debt; Hull,
  *Options, Futures and Other Derivatives*, ch. "Credit risk": hazard ~ s / (1 - R)).

The status of an indicator whose rule runs ``above``: ``alert`` if value >= alert, ``watch`` if value >= watch, else
``ok``; a rule that runs ``below`` mirrors it. A result's ``alerts`` lists the indicators in alert; the command
``junkan watch`` exits with status 1 when there is one (for scripts and cron).

An indicator the data cannot give is listed in ``missing`` with the reason (a GPU model with one price reading; a
party with GPU-backed debt drawn but no ``ppe_net`` figure to set it against), never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from junkan.assess.thresholds import THRESHOLD_NOTES, Thresholds
from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.model import Ledger
from junkan.ledger.schema import DealKind, Financial, Status
from junkan.trend import ols_trend

if TYPE_CHECKING:
    import pandas as pd

StatusName = Literal["ok", "watch", "alert"]

#: Recovery rate used to read a CDS spread as a default probability (market convention for senior unsecured debt).
CDS_RECOVERY = 0.4
#: Years of a purchase commitment without a stated term (the stress model's ``default_tenor_years``: AWS-OpenAI
#: 7 years, CoreWeave-OpenAI 5, Oracle-OpenAI about 5).
DEFAULT_TENOR_YEARS = 5.0

_FUNDING_KINDS = frozenset(
    {DealKind.equity_investment, DealKind.loan, DealKind.credit_facility, DealKind.gpu_backed_debt}
)
_FUNDED_STATUSES = frozenset({Status.signed, Status.closed, Status.drawn})


@dataclass(frozen=True)
class Rule:
    """How one indicator is judged: direction, the two thresholds, the unit and the reasoning with its sources."""

    name: str
    direction: Literal["above", "below"]
    watch: float
    alert: float
    unit: str
    basis: str

    def status(self, value: float) -> StatusName:
        """``ok``, ``watch`` or ``alert`` for ``value``."""
        if self.direction == "above":
            return "alert" if value >= self.alert else "watch" if value >= self.watch else "ok"
        return "alert" if value <= self.alert else "watch" if value <= self.watch else "ok"


def _pd5(spread: float) -> float:
    return 1.0 - math.exp(-5.0 * spread / (1.0 - CDS_RECOVERY))


_BANDS = Thresholds()

#: The indicators' rules with their default thresholds and the reasoning behind them.
RULES: dict[str, Rule] = {
    "gpu_rental_price_trend": Rule(
        "gpu_rental_price_trend",
        "below",
        -1 / 6,
        -1 / 3,
        "change over a year",
        "watch at -16.7%/year: faster than straight-line depreciation of a GPU over the 6-year useful life CoreWeave "
        "uses (CoreWeave 10-K 2024, property and equipment), so rental value falls faster than book value and the "
        "collateral behind GPU-backed debt shrinks; alert at -33%/year, twice that pace (a 3-year economic life, the "
        "low end of the live 3-6 year debate).",
    ),
    "own_money_share": Rule(
        "own_money_share",
        "above",
        _BANDS.round_trip_share.good,
        _BANDS.round_trip_share.bad,
        "share of network receipts",
        "the scorecard's round_trip_share band: " + THRESHOLD_NOTES["round_trip_share"],
    ),
    "circularity_index": Rule(
        "circularity_index",
        "above",
        0.1,
        0.5,
        "share of the web's flow that can go round",
        "the round_trip_share band of the scorecard, for the whole web: watch at 10%, the significance level of SEC "
        "Regulation S-X Rule 1-02(w) (below it a part is not significant to the whole); alert at 50%, when most of "
        "the money in the web can go round a loop (Homs-Dones et al. 2025, arXiv 2506.12546: the circular share of "
        "the maximum-circularity decomposition).",
    ),
    "commitment_years": Rule(
        "commitment_years",
        "above",
        _BANDS.commitment_years.good,
        _BANDS.commitment_years.bad,
        "years of revenue",
        "the scorecard's commitment_years band: " + THRESHOLD_NOTES["commitment_years"],
    ),
    "funding_cover": Rule(
        "funding_cover",
        "below",
        1.0,
        0.5,
        "years of commitments funded",
        "watch below 1: the equity and debt closed in the last year do not cover one year of the customer's "
        f"commitments (outstanding commitments over a {DEFAULT_TENOR_YEARS:g}-year tenor), so paying them needs "
        "rounds not yet raised or revenue growth; alert below 0.5: half a year's payments unfunded.",
    ),
    "collateral_ltv": Rule(
        "collateral_ltv",
        "above",
        0.6,
        0.8,
        "GPU-backed debt / net PP&E",
        "alert at 0.8: equipment lenders typically advance up to about 80% of the collateral's appraised value, so "
        "debt at 80% of book value leaves no headroom before a borrowing-base shortfall; watch at 0.6. No covenant "
        "level of a GPU-backed facility is on file: a junkan convention, override with --threshold.",
    ),
    "customer_concentration": Rule(
        "customer_concentration",
        "above",
        0.10,
        0.50,
        "share of revenue",
        "watch at 10%: the level at which US GAAP requires a customer to be disclosed (ASC 280-10-50-42); alert at "
        "50%: one customer provides most of the revenue, so its funding is the vendor's.",
    ),
    "backlog_concentration": Rule(
        "backlog_concentration",
        "above",
        0.10,
        0.50,
        "share of backlog / RPO",
        "as customer_concentration, for contracted backlog: watch at 10% (ASC 280-10-50-42), alert when one "
        "customer holds most of it (Morgan Stanley put OpenAI at about two thirds of Oracle's RPO, Nov 2025).",
    ),
    "cds_spread_5y": Rule(
        "cds_spread_5y",
        "above",
        0.0126,
        0.10,
        "5-year CDS spread (decimal)",
        f"watch at 126bp: a risk-neutral 5-year default probability of 10% at {CDS_RECOVERY:.0%} recovery "
        "(PD = 1 - exp(-5 s / (1 - R))); alert at 1,000bp, the usual definition of distressed debt (a spread of "
        "1,000bp or more over Treasuries; Altman & Hotchkiss, Corporate Financial Distress and Bankruptcy).",
    ),
}


@dataclass(frozen=True)
class Reading:
    """One dated value of an indicator, with the source it rests on."""

    date: dt.date
    value: float
    source: str | None = None


@dataclass(frozen=True)
class WatchIndicator:
    """One indicator of the watch list: current value, thresholds, status, date, source and history."""

    name: str
    subject: str
    value: float
    watch_threshold: float
    threshold: float
    direction: str
    status: StatusName
    as_of: dt.date
    source: str | None
    unit: str
    detail: str
    history: tuple[Reading, ...] = ()
    trend: float | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: ``name, subject, value, threshold`` (the alert level), ``watch_threshold``, ``status``,
        ``as_of``, ``source``, ``unit``, ``detail``, ``trend`` and ``history``."""
        return {
            "name": self.name,
            "subject": self.subject,
            "value": self.value,
            "threshold": self.threshold,
            "watch_threshold": self.watch_threshold,
            "direction": self.direction,
            "status": self.status,
            "as_of": self.as_of.isoformat(),
            "source": self.source,
            "unit": self.unit,
            "detail": self.detail,
            "trend": self.trend,
            "history": [{"date": r.date.isoformat(), "value": r.value, "source": r.source} for r in self.history],
        }


@dataclass(frozen=True)
class WatchResult:
    """The watch list of a ledger as of a date, with the rules it used."""

    dataset: str
    as_of: dt.date
    indicators: tuple[WatchIndicator, ...]
    rules: Mapping[str, Rule] = field(default_factory=dict)
    #: Indicators the data cannot give: ``{"name", "subject", "reason"}``.
    missing: tuple[dict[str, str], ...] = ()

    @property
    def alerts(self) -> tuple[WatchIndicator, ...]:
        """The indicators in ``alert``."""
        return tuple(i for i in self.indicators if i.status == "alert")

    def counts(self) -> dict[str, int]:
        """How many indicators are ``ok``, ``watch`` and ``alert``."""
        out = {"ok": 0, "watch": 0, "alert": 0}
        for i in self.indicators:
            out[i.status] += 1
        return out

    def to_dict(self) -> dict[str, object]:
        """``{"dataset", "as_of", "counts", "indicators": [...], "missing": [...], "rules": {...}}``."""
        return {
            "dataset": self.dataset,
            "as_of": self.as_of.isoformat(),
            "counts": self.counts(),
            "indicators": [i.to_dict() for i in self.indicators],
            "missing": [dict(m) for m in self.missing],
            "rules": {
                k: {"direction": r.direction, "watch": r.watch, "alert": r.alert, "unit": r.unit, "basis": r.basis}
                for k, r in self.rules.items()
            },
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator (without the history)."""
        import pandas as pd

        cols = ["name", "subject", "value", "watch_threshold", "threshold", "status", "as_of", "source", "trend"]
        return pd.DataFrame([{k: i.to_dict()[k] for k in cols} for i in self.indicators], columns=cols)


def rules_with(overrides: Mapping[str, float] | None) -> dict[str, Rule]:
    """:data:`RULES` with thresholds changed: keys ``NAME.watch`` / ``NAME.alert`` (or ``NAME`` for the alert level).

    Unknown names and non-finite values are a :class:`JunkanInputError` listing the valid keys.
    """
    rules = dict(RULES)
    problems: list[InputProblem] = []
    for key, raw in (overrides or {}).items():
        name, _, part = key.partition(".")
        part = part or "alert"
        if name not in rules or part not in ("watch", "alert"):
            valid = ", ".join(f"{n}.watch, {n}.alert" for n in RULES)
            problems.append(InputProblem(f"unknown watch threshold {key!r}; expected one of {valid}", field=key))
            continue
        v = float(raw)
        if not math.isfinite(v):
            problems.append(InputProblem(f"watch threshold {key!r} must be finite, got {raw!r}", field=key))
            continue
        rules[name] = replace(rules[name], watch=v) if part == "watch" else replace(rules[name], alert=v)
    if problems:
        raise JunkanInputError(problems)
    return rules


def _url(f: Financial) -> str | None:
    return f.sources[0].url if f.sources else None


def _series(ledger: Ledger, metric: str) -> dict[tuple[str, str | None, str], list[Financial]]:
    """Readings of ``metric`` grouped by (entity, counterparty, notes), each list in period order."""
    groups: dict[tuple[str, str | None, str], list[Financial]] = {}
    for f in ledger.financials:
        if f.metric == metric:
            groups.setdefault((f.entity, f.counterparty, (f.notes or "").split(".")[0]), []).append(f)
    for fs in groups.values():
        fs.sort(key=lambda f: f.period_end)
    return groups


def _make(
    rule: Rule,
    subject: str,
    value: float,
    when: dt.date,
    source: str | None,
    detail: str,
    history: Iterable[Reading] = (),
    trend: float | None = None,
) -> WatchIndicator:
    return WatchIndicator(
        name=rule.name,
        subject=subject,
        value=float(value),
        watch_threshold=rule.watch,
        threshold=rule.alert,
        direction=rule.direction,
        status=rule.status(value),
        as_of=when,
        source=source,
        unit=rule.unit,
        detail=detail,
        history=tuple(history),
        trend=trend,
    )


_GPU_MODEL = re.compile(r"\b(GB\d{3}|[ABHLM]\d{2,3}[A-Z]?)\b")


def gpu_model(f: Financial) -> str | None:
    """The first GPU model a price reading names in its notes or period (``H100``, ``B200``, ``GB200``), or ``None``.

    ``"H100/H200 on-demand"`` is an ``H100`` reading; an index ticker such as ``SDH100RT`` is not a model name (the
    notes of that reading name the model)."""
    m = _GPU_MODEL.search(f"{f.notes or ''} {f.period}")
    return m.group(1) if m else None


def _gpu_price_trend(ledger: Ledger, rule: Rule, missing: list[dict[str, str]]) -> list[WatchIndicator]:
    groups: dict[tuple[str, str], list[Financial]] = {}
    for f in ledger.financials:
        if f.metric == "gpu_rental_price":
            groups.setdefault((f.entity, gpu_model(f) or "GPU"), []).append(f)
    out = []
    for (entity, model), fs in sorted(groups.items()):
        fs.sort(key=lambda f: (f.period_end, f.value))
        subject = f"{entity}/{model}"
        if len({f.period_end for f in fs}) < 2:
            missing.append(
                {"name": rule.name, "subject": subject, "reason": f"one dated {model} price reading: no trend"}
            )
            continue
        if any(not (f.value > 0) for f in fs):
            raise ValueError("prices must be positive")
        t0 = fs[0].period_end
        b, se = ols_trend([(f.period_end - t0).days / 365.25 for f in fs], [math.log(f.value) for f in fs])
        change = math.exp(b) - 1
        last, first = fs[-1], fs[0]
        hist = [Reading(f.period_end, f.value, _url(f)) for f in fs]
        fit = (
            f"OLS of ln price on time over {len(fs)} readings, {change:+.1%} a year (log slope {b:+.3f}, "
            f"standard error {se:.3f})"
            if se is not None
            else f"two readings, {change:+.1%} a year"
        )
        detail = (
            f"{model} rental price: {first.value:.2f} on {first.period_end} ... {last.value:.2f} on "
            f"{last.period_end} ({last.currency} per GPU-hour); {fit}"
        )
        out.append(_make(rule, subject, change, last.period_end, _url(last), detail, hist, trend=change))
    return out


def _share_indicators(ledger: Ledger, rule: Rule, metrics: tuple[str, ...]) -> list[WatchIndicator]:
    out = []
    for metric in metrics:
        for (entity, counterparty, _), fs in _series(ledger, metric).items():
            last = fs[-1]
            who = counterparty or "largest customer"
            hist = [Reading(f.period_end, f.value, _url(f)) for f in fs]
            trend = last.value - fs[-2].value if len(fs) > 1 else None
            detail = f"{who}'s share of {entity}'s {'backlog' if metric == 'backlog_share' else 'revenue'} ({metric})"
            out.append(_make(rule, f"{entity}/{who}", last.value, last.period_end, _url(last), detail, hist, trend))
    return out


def _cds(ledger: Ledger, rule: Rule) -> list[WatchIndicator]:
    out = []
    for (entity, _, _), fs in _series(ledger, "cds_spread_5y").items():
        last = fs[-1]
        hist = [Reading(f.period_end, f.value, _url(f)) for f in fs]
        trend = last.value - fs[-2].value if len(fs) > 1 else None
        detail = (
            f"{last.value * 1e4:.0f}bp on {last.period_end}: risk-neutral 5-year default probability "
            f"{_pd5(last.value):.1%} at {CDS_RECOVERY:.0%} recovery"
        )
        out.append(_make(rule, entity, last.value, last.period_end, _url(last), detail, hist, trend))
    return out


def _latest(ledger: Ledger, entity: str, metric: str, annual: bool = False) -> Financial | None:
    fs = [f for f in ledger.financials if f.entity == entity and f.metric == metric]
    if annual:
        fs = [f for f in fs if f.period.upper().startswith("FY") or f.period.isdigit()]
    return max(fs, key=lambda f: f.period_end) if fs else None


def _deal_usd(ledger: Ledger, d: object, value: float) -> float:
    return ledger.to_usd(value, d.amount.currency, d.date)  # type: ignore[attr-defined]


def _collateral(ledger: Ledger, rule: Rule, missing: list[dict[str, str]]) -> list[WatchIndicator]:
    debt: dict[str, float] = {}
    deals: dict[str, list[str]] = {}
    for d in ledger.deals:
        if d.kind == DealKind.gpu_backed_debt and not d.is_ended and d.amount.drawn_value > 0:
            debt[d.payee] = debt.get(d.payee, 0.0) + _deal_usd(ledger, d, d.amount.drawn_value)
            deals.setdefault(d.payee, []).append(d.id)
    out = []
    for party, owed in sorted(debt.items()):
        ppe = _latest(ledger, party, "ppe_net")
        if ppe is None or ppe.value <= 0:
            missing.append(
                {
                    "name": rule.name,
                    "subject": party,
                    "reason": f"GPU-backed debt drawn {owed / 1e9:.2f}B ({', '.join(deals[party])}) but no ppe_net "
                    "figure in the ledger to set it against",
                }
            )
            continue
        ltv = owed / ledger.to_usd(ppe.value, ppe.currency, ppe.period_end)
        detail = (
            f"GPU-backed debt drawn {owed / 1e9:.2f}B ({', '.join(deals[party])}) against net PP&E "
            f"{ppe.value / 1e9:.2f}B ({ppe.period})"
        )
        out.append(_make(rule, party, ltv, ppe.period_end, _url(ppe), detail))
    return out


def _flows_indicators(
    ledger: Ledger, rules: Mapping[str, Rule], when: dt.date, history_dates: list[dt.date]
) -> list[WatchIndicator]:
    from junkan.flows import exposure, own_money_share

    now = exposure(ledger)
    out: list[WatchIndicator] = []
    vendors = sorted({v.vendor for v in now.vendors if v.financing > 0})
    past = {h: ledger.as_of(h) if hasattr(ledger, "as_of") else ledger for h in history_dates}

    def oms(led: Ledger, party: str) -> float | None:
        if party not in led.entities:
            return None
        try:
            res = own_money_share(led, party)
        except JunkanInputError:
            return None
        v = res.own_money_share
        return None if v is None else float(v)

    for v in vendors:
        value = oms(ledger, v)
        if value is None:
            continue
        hist = [Reading(h, x) for h, led in past.items() if (x := oms(led, v)) is not None]
        trend = value - hist[-1].value if hist else None
        detail = f"share of {v}'s network receipts that is its own money coming back (proportional tracing)"
        out.append(_make(rules["own_money_share"], v, value, when, None, detail, [*hist, Reading(when, value)], trend))

    for c in now.commitments:
        if c.coverage_years is None:
            continue
        rev = _latest(ledger, c.customer, "revenue", annual=True)
        detail = (
            f"{c.customer}'s commitments {c.commitments / 1e9:.1f}B against revenue "
            f"{(c.revenue or 0) / 1e9:.1f}B ({c.revenue_period})"
        )
        out.append(
            _make(rules["commitment_years"], c.customer, c.coverage_years, when, _url(rev) if rev else None, detail)
        )
        if c.coverage_years > 1:
            cover = _funding_cover(ledger, c.customer, c.commitments, when)
            if cover is not None:
                value, raised, ids = cover
                due = c.commitments / DEFAULT_TENOR_YEARS
                detail = (
                    f"{c.customer} closed {raised / 1e9:.1f}B of equity and debt in the year to {when} "
                    f"({len(ids)} deals) against {due / 1e9:.1f}B of commitments a year"
                )
                out.append(_make(rules["funding_cover"], c.customer, value, when, None, detail))
    return out


def _circularity(ledger: Ledger, rule: Rule, when: dt.date, history: bool) -> list[WatchIndicator]:
    from junkan.flows import circularity

    res = circularity(ledger, by="year" if history else None)
    if res.index is None:
        return []
    value = float(res.index)
    hist = [Reading(p.as_of, float(p.index)) for p in res.by_period if p.index is not None and p.as_of < when]
    trend = value - hist[-1].value if hist else None
    detail = (
        f"{res.circular_flow / 1e9:.1f}B of {res.total_flow / 1e9:.1f}B of flows can go round "
        "(maximum circularity, committed basis, recorded amounts)"
    )
    return [_make(rule, ledger.name, value, when, None, detail, [*hist, Reading(when, value)], trend)]


def _funding_cover(
    ledger: Ledger, party: str, commitments: float, when: dt.date
) -> tuple[float, float, list[str]] | None:
    if commitments <= 0:
        return None
    start = when - dt.timedelta(days=365)
    raised = 0.0
    ids = []
    for d in ledger.deals:
        if d.payee == party and d.kind in _FUNDING_KINDS and d.status in _FUNDED_STATUSES and start < d.date <= when:
            raised += _deal_usd(ledger, d, d.amount.committed_value)
            ids.append(d.id)
    return raised / (commitments / DEFAULT_TENOR_YEARS), raised, ids


def watch(
    ledger: Ledger,
    *,
    as_of: dt.date | None = None,
    thresholds: Mapping[str, float] | None = None,
    history: bool = True,
) -> WatchResult:
    """The watch list of ``ledger`` as known on ``as_of``.

    Parameters
    ----------
    ledger
        The dataset.
    as_of
        The date the list is read on (default: the dataset's ``as_of``, else its latest deal date). The ledger is
        taken as known on that date (:meth:`junkan.ledger.Ledger.as_of`): later deals, statuses and figures are
        not used.
    thresholds
        Overrides of :data:`RULES`: ``{"cds_spread_5y.alert": 0.05, "own_money_share.watch": 0.1}``.
    history
        Also compute the flow-based indicators at each earlier year end (the history of own-money shares).

    Returns
    -------
    WatchResult
        The indicators, ordered alert first, then watch, then ok.
    """
    rules = rules_with(thresholds)
    when = as_of or ledger.info.as_of or max((d.date for d in ledger.deals), default=dt.date.today())
    led = ledger.as_of(when) if hasattr(ledger, "as_of") else ledger
    first = min((d.date for d in led.deals), default=when)
    years = [dt.date(y, 12, 31) for y in range(first.year, when.year)] if history else []
    inds: list[WatchIndicator] = []
    missing: list[dict[str, str]] = []
    inds += _gpu_price_trend(led, rules["gpu_rental_price_trend"], missing)
    inds += _flows_indicators(led, rules, when, years)
    inds += _collateral(led, rules["collateral_ltv"], missing)
    inds += _circularity(led, rules["circularity_index"], when, history)
    inds += _share_indicators(led, rules["customer_concentration"], ("customer_revenue_share", "top_customer_share"))
    inds += _share_indicators(led, rules["backlog_concentration"], ("backlog_share",))
    inds += _cds(led, rules["cds_spread_5y"])
    order = {"alert": 0, "watch": 1, "ok": 2}
    inds.sort(key=lambda i: (order[i.status], i.name, i.subject))
    return WatchResult(dataset=ledger.name, as_of=when, indicators=tuple(inds), rules=rules, missing=tuple(missing))
