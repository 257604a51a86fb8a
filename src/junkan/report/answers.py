"""The three questions, answered in words from the results: how circular, circular trading or market creation, and
what if it runs in reverse.

:func:`build_answers` is a pure function of the analyses' results (no analysis is run here, nothing is written by
hand for one dataset): a user's own ledger gets its own sentences, built from its own numbers. Every number a
sentence quotes is kept in the :class:`Answers` it returns, so tests can check it against the API.

The three answers and their evidence
------------------------------------
1. **How circular is it?** (``#own-money``) The circularity index of the whole web (share of the money that can go
   round in cycles, Homs-Dones, MacKay, Sansom & Zhou 2025, arXiv 2506.12546; :func:`junkan.flows.circularity`) and
   the own-money shares of the main vendor financiers (proportional tracing, Bialek 1996;
   :func:`junkan.flows.provenance`): ``own_money_share`` (returned money / funded receipts),
   ``own_money_share_of_receipts`` (returned money / everything promised) and ``unfunded`` (receipts no recorded money
   backs). The main vendors are the parties that finance their own customers (:func:`junkan.flows.exposure`), largest
   vendor financing first; a dataset without vendor financing is answered with the largest own-money share instead.
2. **Circular trading or market creation?** (``#scorecard``) The scorecard regions of the dataset's arrangements
   (counts per region), the region of the dataset as a whole, and why: its two axes against their cuts and, for a
   qualified region, the weakest link that names it (:func:`junkan.assess.scorecard`).
3. **What if it runs in reverse?** (``#stress``) The probability of default, or of default or distressed
   restructuring when the stress result carries it (the measure rating agencies count), of the weakest modelled
   parties, the share of runs with any default, and the focal vendor's revenue at risk (median and 5-95% band against
   its central path) from :func:`junkan.stress.ecosystem.run_stress`.

The caveats name the data's date, the share of deals whose amount is an estimate or that lack a primary source, and
the seed of the random steps.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from junkan.report.i18n import N_, Lang, get_lang

if TYPE_CHECKING:
    from junkan.assess.scorecard import Scorecard
    from junkan.flows import CircularityResult, ExposureResult, ProvenanceResult
    from junkan.ledger.model import Ledger
    from junkan.stress.ecosystem import StressResult

#: The three questions, in order: key, question (English source of the catalogue), evidence section.
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("circular", N_("How circular is it?"), "own-money"),
    ("nature", N_("Circular trading or market creation?"), "scorecard"),
    ("reverse", N_("What if it runs in reverse?"), "stress"),
)
#: The scorecard regions as the catalogue writes them (the scorecard's own names are the English source).
REGION_MESSAGES: tuple[str, ...] = (
    N_("round trip without real demand"),
    N_("vendor financing of customers that cannot pay"),
    N_("vendor financing with real demand / market creation"),
    N_("market creation, customer dependent on new funding"),
    N_("market creation, vendor financing beyond its cash flow"),
    N_("market creation, customers not paying in full"),
    N_("market creation, customer's end demand not shown"),
    N_("market creation, demand not shown"),
    N_("market creation, accounting red flags"),
    N_("market creation, own money returning"),
    N_("insufficient evidence"),
)
#: Scorecard indicator names as the catalogue writes them.
INDICATOR_MESSAGES: dict[str, str] = {
    "round_trip_share": N_("own money returning"),
    "genuine_demand": N_("genuine demand"),
    "accounting_red_flags": N_("accounting red flags"),
    "vendor_funding": N_("vendor funding against cash flow"),
    "customer_ability": N_("customers' ability to pay"),
    "credit_losses": N_("credit losses"),
    "end_demand": N_("end demand"),
}
TOP_VENDORS = 3
TOP_WEAK = 3


@dataclass(frozen=True)
class VendorShare:
    """One vendor's own-money figures (US dollars; shares in [0, 1], ``None`` where undefined)."""

    entity: str
    name: str
    financing: float
    own_money_share: float | None
    own_money_share_of_receipts: float | None
    unfunded: float
    returned: float
    network_receipts: float
    own_money_share_interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class WeakParty:
    """A modelled party and its probability of a credit event (``measure``: ``default`` or
    ``default_or_restructuring``)."""

    party: str
    name: str
    probability: float
    measure: str


@dataclass(frozen=True)
class Answer:
    """One question, its answer in two or three sentences, and the section with the evidence."""

    key: str
    question: str
    sentences: tuple[str, ...]
    href: str
    sep: str = " "

    @property
    def text(self) -> str:
        """The sentences as one paragraph (joined by ``sep``: a space in English, nothing in Japanese)."""
        return self.sep.join(self.sentences)


@dataclass(frozen=True)
class Answers:
    """The three answers, the caveats, and every number they quote.

    Attributes
    ----------
    answers
        The three :class:`Answer` in the order of :data:`QUESTIONS`.
    caveats
        Sentences on the data's date, the estimates and the seed.
    vendors
        The main vendor financiers' own-money figures (empty when nobody finances its customers).
    top_own_money
        Without vendors: the party with the largest positive own-money share, if any.
    circularity_index, circularity_interval, circular_flow, total_flow
        From :class:`junkan.flows.CircularityResult` (``None`` when not computed).
    arrangements, region_counts, dataset_region, dataset_round_trip, dataset_strain, weakest_link
        From the scorecard (``None``/empty when not scored): counts of this dataset's arrangements per region.
    weakest, any_default_probability, focal, focal_name, focal_revenue_at_risk, stress_reason
        From the stress result (``stress_reason`` says why there is none).
    as_of, deals, estimate_share, no_primary_share, seed, lang, sep
        The caveats' numbers, the language of the sentences and what joins them.
    """

    answers: tuple[Answer, ...]
    caveats: tuple[str, ...]
    vendors: tuple[VendorShare, ...]
    top_own_money: VendorShare | None
    circularity_index: float | None
    circularity_interval: tuple[float, float] | None
    circular_flow: float | None
    total_flow: float | None
    arrangements: int
    region_counts: dict[str, int]
    dataset_region: str | None
    dataset_round_trip: float | None
    dataset_strain: float | None
    weakest_link: str | None
    weakest: tuple[WeakParty, ...]
    any_default_probability: float | None
    focal: str | None
    focal_name: str | None
    focal_revenue_at_risk: dict[str, float] | None
    stress_reason: str | None
    as_of: str | None
    deals: int
    estimate_share: float
    no_primary_share: float
    seed: int | None
    lang: str
    thresholds: dict[str, float] = field(default_factory=dict)
    sep: str = " "

    def answer(self, key: str) -> Answer:
        """The answer with this key (``circular``, ``nature``, ``reverse``)."""
        for a in self.answers:
            if a.key == key:
                return a
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the sentences and the numbers."""
        d = asdict(self)
        d["answers"] = [{**asdict(a), "text": a.text} for a in self.answers]
        return d


def _interval(obj: object, name: str) -> tuple[float, float] | None:
    v = getattr(obj, name, None)
    if v is None:
        return None
    lo, hi = v
    return (float(lo), float(hi))


def _finite(v: object) -> float | None:
    if v is None:
        return None
    x = float(v)  # type: ignore[arg-type]
    return None if math.isnan(x) else x


def _join(items: list[str], lang: Lang) -> str:
    if lang.code == "ja":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------------------------------- question 1
def _vendor_shares(prov: ProvenanceResult, expo: ExposureResult | None) -> tuple[list[VendorShare], VendorShare | None]:
    rows = {r.entity: r for r in prov.rows}

    def share(entity: str, financing: float) -> VendorShare | None:
        r = rows.get(entity)
        if r is None:
            return None
        return VendorShare(
            entity=r.entity,
            name=r.name,
            financing=financing,
            own_money_share=r.own_money_share,
            own_money_share_of_receipts=r.own_money_share_of_receipts,
            unfunded=r.unfunded,
            returned=r.returned,
            network_receipts=r.network_receipts,
            own_money_share_interval=_interval(r, "own_money_share_interval"),
        )

    vendors: list[VendorShare] = []
    if expo is not None:
        for v in sorted(expo.vendors, key=lambda v: (-v.financing, v.vendor)):
            if v.financing <= 0:
                continue
            s = share(v.vendor, v.financing)
            if s is not None:
                vendors.append(s)
            if len(vendors) == TOP_VENDORS:
                break
    top = None
    if not vendors:
        ranked = sorted(
            (r for r in prov.rows if r.own_money_share is not None and r.own_money_share > 0),
            key=lambda r: (-(r.own_money_share or 0.0), r.entity),
        )
        top = share(ranked[0].entity, 0.0) if ranked else None
    return vendors, top


def _vendor_phrase(v: VendorShare, lang: Lang) -> str:
    _ = lang.gettext
    share = lang.pct(v.own_money_share, 1)
    if v.own_money_share_interval is not None:
        lo, hi = v.own_money_share_interval
        share = _("%(share)s (90%% interval %(low)s–%(high)s)") % {
            "share": share,
            "low": lang.pct(lo, 1),
            "high": lang.pct(hi, 1),
        }
    return _("%(name)s %(share)s (%(of_receipts)s of all it is promised; %(unfunded)s unfunded)") % {
        "name": v.name,
        "share": share,
        "of_receipts": lang.pct(v.own_money_share_of_receipts, 1),
        "unfunded": lang.money(v.unfunded),
    }


def _answer_circular(
    circ: CircularityResult | None, vendors: list[VendorShare], top: VendorShare | None, lang: Lang
) -> tuple[str, ...]:
    _ = lang.gettext
    out: list[str] = []
    if circ is None or circ.index is None:
        out.append(_("The circularity index of the whole web is not computed for this report."))
    else:
        idx = lang.pct(circ.index, 1)
        if circ.index_interval is not None:
            idx = _("%(share)s (90%% interval %(low)s–%(high)s)") % {
                "share": idx,
                "low": lang.pct(circ.index_interval[0], 1),
                "high": lang.pct(circ.index_interval[1], 1),
            }
        out.append(
            _(
                "The circularity index is %(index)s: of the %(total)s committed across the web, %(circular)s can go "
                "round in cycles and the rest flows one way."
            )
            % {"index": idx, "total": lang.money(circ.total_flow), "circular": lang.money(circ.circular_flow)}
        )
    if vendors:
        out.append(
            _(
                "Of what the main vendor financiers receive from the network, the share that is their own money "
                "coming back is: %(vendors)s."
            )
            % {"vendors": _join([_vendor_phrase(v, lang) for v in vendors], lang)}
        )
        largest = max(vendors, key=lambda v: v.own_money_share or 0.0)
        if (largest.own_money_share or 0.0) >= 0.5:
            out.append(
                _("For %(name)s most of the money received is its own money returning.") % {"name": largest.name}
            )
        else:
            out.append(
                _("Even for %(name)s, the largest of them, most of the money received did not start as its own.")
                % {"name": largest.name}
            )
    elif top is not None:
        out.append(
            _("No party in this dataset finances its own customers; the largest own-money share is %(vendor)s.")
            % {"vendor": _vendor_phrase(top, lang)}
        )
    else:
        out.append(_("No party in this dataset finances its own customers, and no party receives its own money back."))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------- question 2
def _verdict(region: str, lang: Lang) -> str:
    from junkan.assess.scorecard import CANNOT_PAY, INSUFFICIENT, MARKET, QUALIFIED, ROUND_TRIP

    _ = lang.gettext
    if region == ROUND_TRIP:
        return _("which reads as circular trading (money going round without real demand behind it).")
    if region == CANNOT_PAY:
        return _(
            "which is neither plain circular trading nor healthy market creation (vendor financing of customers "
            "whose ability to pay is not shown)."
        )
    if region == MARKET:
        return _("which reads as market creation (vendor financing with real demand behind it).")
    if region in QUALIFIED.values():
        return _("which is market creation with a weak link that the other indicators would have averaged away.")
    if region == INSUFFICIENT:
        return _("where the evidence on file is not enough to say.")
    return _("a region the scorecard does not describe.")


def _answer_nature(ledger_name: str, sc: Scorecard | None, lang: Lang) -> tuple[tuple[str, ...], dict[str, Any]]:
    from junkan.assess.scorecard import QUALIFIED, REGIONS

    _ = lang.gettext
    info: dict[str, Any] = {
        "arrangements": 0,
        "region_counts": {},
        "dataset_region": None,
        "dataset_round_trip": None,
        "dataset_strain": None,
        "weakest_link": None,
        "thresholds": {},
    }
    if sc is None:
        return (_("The scorecard is not computed for this report."),), info
    mine = [c for c in sc.cases if c.dataset == ledger_name]
    arr = [c for c in mine if c.level == "arrangement"]
    whole = next((c for c in mine if c.level == "dataset"), None)
    counts = {r: sum(c.region == r for c in arr) for r in REGIONS}
    counts = {r: n for r, n in counts.items() if n}
    info.update(
        arrangements=len(arr),
        region_counts=counts,
        thresholds={"round_trip_cut": sc.thresholds.round_trip_cut, "strain_cut": sc.thresholds.strain_cut},
    )
    out: list[str] = []
    if arr:
        parts = [
            _("%(n)d in “%(region)s”") % {"n": n, "region": _(r)}
            for r, n in sorted(counts.items(), key=lambda kv: (-kv[1], REGIONS.index(kv[0])))
        ]
        out.append(
            lang.ngettext(
                "Of the %(n)d arrangement scored, %(parts)s.", "Of the %(n)d arrangements scored, %(parts)s.", len(arr)
            )
            % {"n": len(arr), "parts": _join(parts, lang)}
        )
    else:
        out.append(_("No arrangement (deals linked as legs of one another) is recorded in this dataset."))
    if whole is not None:
        info.update(dataset_region=whole.region, dataset_round_trip=whole.round_trip, dataset_strain=whole.strain)
        out.append(
            _("The dataset as a whole sits in “%(region)s”, %(verdict)s")
            % {"region": _(whole.region), "verdict": _verdict(whole.region, lang)}
        )
        nums = {
            "rt": _("n/a") if whole.round_trip is None else f"{whole.round_trip:.2f}",
            "rt_cut": f"{sc.thresholds.round_trip_cut:g}",
            "st": _("n/a") if whole.strain is None else f"{whole.strain:.2f}",
            "st_cut": f"{sc.thresholds.strain_cut:g}",
        }
        weak = [i for i in whole.indicators if i.score is not None and i.score >= 1.0]
        link = next((name for name, reg in QUALIFIED.items() if reg == whole.region), None)
        if link is None and weak:
            link = next((i.name for i in weak if i.name in QUALIFIED), weak[0].name)
        if link is not None:
            info["weakest_link"] = link
            why = _(
                "Why: round-trip intensity %(rt)s against the cut of %(rt_cut)s, financing strain %(st)s against the "
                "cut of %(st_cut)s; at the alarming end of its band: %(indicator)s."
            ) % {**nums, "indicator": _(INDICATOR_MESSAGES.get(link, link.replace("_", " ")))}
        else:
            why = (
                _(
                    "Why: round-trip intensity %(rt)s against the cut of %(rt_cut)s, financing strain %(st)s against "
                    "the cut of %(st_cut)s."
                )
                % nums
            )
        out.append(why)
    return tuple(out), info


# ---------------------------------------------------------------------------------------------------- question 3
def _answer_reverse(
    res: StressResult | None, reason: str | None, names: Mapping[str, str], lang: Lang
) -> tuple[tuple[str, ...], dict[str, Any]]:
    _ = lang.gettext
    info: dict[str, Any] = {
        "weakest": (),
        "any_default_probability": None,
        "focal": None,
        "focal_name": None,
        "focal_revenue_at_risk": None,
        "stress_reason": reason,
    }
    if res is None:
        text = (
            _("The stress model is not run for this report (%(reason)s).") % {"reason": _(reason)}
            if reason
            else _("The stress model is not run for this report.")
        )
        return (text, _("Without it the question of a reversal is left open here.")), info
    summ = res.summary()
    dor = getattr(res, "p_default_or_restructuring", None)
    probs: Mapping[str, float] = dor if isinstance(dor, Mapping) else res.default_probability
    measure = "default_or_restructuring" if isinstance(dor, Mapping) else "default"
    weakest = tuple(
        WeakParty(p, names.get(p, p), float(v), measure)
        for p, v in sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WEAK]
        if v > 0
    )
    focal = summ.get("focal")
    rar = summ.get("focal_revenue_at_risk")
    info.update(
        weakest=weakest,
        any_default_probability=float(summ["any_default_probability"]),
        focal=focal,
        focal_name=names.get(focal, focal) if focal else None,
        focal_revenue_at_risk={k: float(v) for k, v in rar.items()} if rar else None,
    )
    label = _("P(default or restructuring)") if measure == "default_or_restructuring" else _("P(default)")
    out: list[str] = []
    if weakest:
        out.append(
            _(
                "Under the “%(scenario)s” scenario (%(runs)d runs), the weakest parties are %(parties)s; in "
                "%(any)s of runs at least one party defaults."
            )
            % {
                "scenario": res.scenario,
                "runs": res.runs,
                "parties": _join(
                    [
                        _("%(name)s (%(measure)s %(p)s)")
                        % {"name": w.name, "measure": label, "p": lang.pct(w.probability)}
                        for w in weakest
                    ],
                    lang,
                ),
                "any": lang.pct(summ["any_default_probability"]),
            }
        )
    else:
        out.append(
            _("Under the “%(scenario)s” scenario (%(runs)d runs), no modelled party defaults in any run.")
            % {"scenario": res.scenario, "runs": res.runs}
        )
    if rar:
        out.append(
            _(
                "%(name)s's revenue at risk over %(horizon)s: median %(p50)s (5–95%%: %(p5)s to %(p95)s) against a "
                "central path of %(ref)s."
            )
            % {
                "name": info["focal_name"],
                "horizon": "–".join(lang.quarter(q) for q in str(summ["horizon"]).split("..")),
                "p50": lang.money(rar["p50"]),
                "p5": lang.money(rar["p5"]),
                "p95": lang.money(rar["p95"]),
                "ref": lang.money(rar["reference"]),
            }
        )
    else:
        out.append(_("No modelled party finances its own customers, so no vendor's revenue at risk is reported."))
    out.append(_("These are model outcomes under stated assumptions, not forecasts."))
    return tuple(out), info


# ---------------------------------------------------------------------------------------------------- the answers
def build_answers(
    ledger: Ledger,
    *,
    provenance: ProvenanceResult,
    exposure: ExposureResult | None = None,
    circularity: CircularityResult | None = None,
    scorecard: Scorecard | None = None,
    stress: StressResult | None = None,
    stress_reason: str | None = None,
    seed: int | None = None,
    lang: str | Lang | None = None,
) -> Answers:
    """Answer the three questions from the results of the analyses (module docstring).

    Parameters
    ----------
    ledger
        The dataset the results are of (its name, date, deals and entity names).
    provenance
        :func:`junkan.flows.provenance` of ``ledger``.
    exposure
        :func:`junkan.flows.exposure` of ``ledger``: who finances its own customers (``None``: nobody is treated as
        a vendor financier).
    circularity
        :func:`junkan.flows.circularity` of ``ledger``, or ``None`` ("not computed").
    scorecard
        :func:`junkan.assess.scorecard` including ``ledger``'s cases, or ``None`` ("not computed").
    stress
        :func:`junkan.stress.ecosystem.run_stress` of ``ledger``, or ``None``; ``stress_reason`` says why (English
        source text, translated when the catalogue has it).
    seed
        The seed of the random steps, named in the caveats.
    lang
        ``en`` (default) or ``ja``, or a :class:`~junkan.report.i18n.Lang`.

    Returns
    -------
    Answers
        The sentences and every number they quote.
    """
    lg = lang if isinstance(lang, Lang) else get_lang(lang)
    _ = lg.gettext
    names = {e.id: e.name for e in ledger.entities.values()}
    vendors, top = _vendor_shares(provenance, exposure)
    a1 = _answer_circular(circularity, vendors, top, lg)
    a2, sc_info = _answer_nature(ledger.name, scorecard, lg)
    a3, st_info = _answer_reverse(stress, stress_reason, names, lg)
    sep = "" if lg.code == "ja" else " "  # Japanese runs sentences together after their 。
    present = {"own-money": True, "scorecard": scorecard is not None, "stress": stress is not None}
    answers = tuple(
        Answer(key, _(q), s, f"#{sec}" if present[sec] else "#watch", sep)
        for (key, q, sec), s in zip(QUESTIONS, (a1, a2, a3), strict=True)
    )
    deals = list(ledger.deals)
    n = len(deals)
    est = sum(1 for d in deals if d.amount.estimate) / n if n else 0.0
    nop = sum(1 for d in deals if not d.has_primary_source) / n if n else 0.0
    as_of = ledger.info.as_of
    as_of_s = as_of.isoformat() if isinstance(as_of, dt.date) else (str(as_of) if as_of else None)
    caveats: list[str] = []
    if as_of_s:
        caveats.append(_("The data are as of %(date)s.") % {"date": lg.day(as_of_s)})
    caveats.append(
        _("Of the %(n)d deals, %(est)s have an estimated amount and %(nop)s have no primary source.")
        % {"n": n, "est": lg.pct(est), "nop": lg.pct(nop)}
    )
    if seed is not None:
        caveats.append(
            _("Random steps use seed %(seed)d, so a rebuild with the same data and seed gives the same numbers.")
            % {"seed": seed}
        )
    return Answers(
        answers=answers,
        caveats=tuple(caveats),
        vendors=tuple(vendors),
        top_own_money=top,
        circularity_index=None if circularity is None else circularity.index,
        circularity_interval=None if circularity is None else circularity.index_interval,
        circular_flow=None if circularity is None else circularity.circular_flow,
        total_flow=None if circularity is None else circularity.total_flow,
        arrangements=sc_info["arrangements"],
        region_counts=sc_info["region_counts"],
        dataset_region=sc_info["dataset_region"],
        dataset_round_trip=_finite(sc_info["dataset_round_trip"]),
        dataset_strain=_finite(sc_info["dataset_strain"]),
        weakest_link=sc_info["weakest_link"],
        weakest=st_info["weakest"],
        any_default_probability=st_info["any_default_probability"],
        focal=st_info["focal"],
        focal_name=st_info["focal_name"],
        focal_revenue_at_risk=st_info["focal_revenue_at_risk"],
        stress_reason=st_info["stress_reason"],
        as_of=as_of_s,
        deals=n,
        estimate_share=est,
        no_primary_share=nop,
        seed=seed,
        lang=lg.code,
        thresholds=sc_info["thresholds"],
        sep=sep,
    )
