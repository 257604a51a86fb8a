"""Thresholds of the circular-trading scorecard: every band with its default, its direction and its reasoning.

A **band** turns an indicator's value into a sub-score between 0 (the healthy end) and 1 (the alarming end):
``good`` is where the sub-score is 0, ``bad`` where it is 1, linear in between and clipped outside. When ``bad`` is
below ``good`` the band runs downward (a *low* value is alarming, e.g. utilisation). Every default below is a
parameter: pass ``Thresholds(...)`` or ``Thresholds.from_mapping({"utilisation.bad": 0.1})`` to change it, and the
scorecard records the thresholds it used. The reasoning and references for each default are in
:data:`THRESHOLD_NOTES` and in docs/scorecard.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace

from junkan.errors import InputProblem, JunkanInputError


@dataclass(frozen=True)
class Band:
    """A linear band: sub-score 0 at ``good``, 1 at ``bad`` (either may be the larger), clipped to [0, 1]."""

    good: float
    bad: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.good) and math.isfinite(self.bad)) or self.good == self.bad:
            raise JunkanInputError.single(
                f"a band needs two different finite bounds, got good={self.good!r}, bad={self.bad!r}", field="band"
            )

    def score(self, value: float) -> float:
        """Sub-score of ``value``: 0 at or beyond ``good``, 1 at or beyond ``bad``, linear in between."""
        s = (value - self.good) / (self.bad - self.good)
        return float(min(1.0, max(0.0, s)))

    def to_dict(self) -> dict[str, float]:
        """``{"good": ..., "bad": ...}``."""
        return {"good": self.good, "bad": self.bad}


@dataclass(frozen=True)
class Weights:
    """Weights of the sub-scores in each axis (a weighted mean over the indicators that have evidence)."""

    round_trip_share: float = 1.0
    genuine_demand: float = 1.0
    accounting_red_flags: float = 1.0
    vendor_funding: float = 1.0
    customer_ability: float = 1.0
    credit_losses: float = 1.0
    end_demand: float = 1.0


@dataclass(frozen=True)
class Thresholds:
    """All thresholds of the scorecard (defaults documented in :data:`THRESHOLD_NOTES` and docs/scorecard.md).

    Bands (sub-score 0 at ``good``, 1 at ``bad``)
    ----------------------------------------------
    round_trip_share
        Vendor's own-money share of its receipts in the case (earmarked view).
    genuine_demand
        Genuine share of the product's use or revenue (utilisation, end-customer revenue / revenue, active / paying
        users); runs downward.
    overstated_revenue
        Revenue found fictitious / revenue of the same period.
    cash_conversion
        Operating cash flow / net income; runs downward.
    dsri
        Days-sales-in-receivables index, DSO_t / DSO_t-1 (Beneish 1999).
    vendor_funding_ocf, vendor_funding_revenue
        Vendor financing committed / the vendor's operating cash flow (used when it is on file), else / revenue.
    commitment_years
        A customer's purchase commitments / its annual revenue, in years.
    runway_years
        A customer's cash / its annual cash burn, in years; runs downward.
    failed_customers
        Share of the vendor's financing in the case that went to customers recorded as failed (bankrupt, insolvent).
    credit_losses
        Vendor's provisions (bad-debt reserve) / customer financing drawn, same period.
    end_demand
        Share of the customer's revenue from outside the network; runs downward.

    Positions and regions
    ---------------------
    round_trip_cut, strain_cut
        An axis at or above its cut is "high".
    evidence_cut
        A "no real demand" (genuine demand or overstated revenue) or "cannot pay" (customer ability or credit
        losses) sub-score at or above it is the evidence a region needs besides its axis.
    min_coverage
        Share of the seven indicators with evidence below which a case with no region is "insufficient evidence".
    beneish
        M-score cut-off (Beneish 1999; Beneish, Lee & Nichols 2013): above it flags a likely manipulator.
    """

    round_trip_share: Band = field(default_factory=lambda: Band(0.10, 0.50))
    genuine_demand: Band = field(default_factory=lambda: Band(0.6, 0.2))
    overstated_revenue: Band = field(default_factory=lambda: Band(0.05, 0.25))
    cash_conversion: Band = field(default_factory=lambda: Band(1.0, 0.5))
    dsri: Band = field(default_factory=lambda: Band(1.031, 1.465))
    vendor_funding_ocf: Band = field(default_factory=lambda: Band(0.25, 1.0))
    vendor_funding_revenue: Band = field(default_factory=lambda: Band(0.05, 0.20))
    commitment_years: Band = field(default_factory=lambda: Band(1.0, 3.0))
    runway_years: Band = field(default_factory=lambda: Band(3.0, 1.0))
    failed_customers: Band = field(default_factory=lambda: Band(0.0, 0.10))
    credit_losses: Band = field(default_factory=lambda: Band(0.05, 0.20))
    end_demand: Band = field(default_factory=lambda: Band(0.6, 0.2))
    round_trip_cut: float = 0.5
    strain_cut: float = 0.5
    evidence_cut: float = 0.5
    min_coverage: float = 0.3
    beneish: float = -1.78
    weights: Weights = field(default_factory=Weights)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready dict (bands as ``{"good", "bad"}``)."""
        return asdict(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, float], base: Thresholds | None = None) -> Thresholds:
        """Thresholds with some values changed: keys ``"band.good"``, ``"band.bad"``, ``"weights.name"`` or a cut.

        Example: ``Thresholds.from_mapping({"genuine_demand.bad": 0.1, "strain_cut": 0.4})``. Unknown keys and
        non-finite values are an error listing the valid names.
        """
        base = base or cls()
        bands = {f.name for f in fields(cls) if f.type in ("Band", Band)}
        scalars = {f.name for f in fields(cls) if f.type in ("float", float)}
        weight_names = {f.name for f in fields(Weights)}
        changes: dict[str, object] = {}
        band_parts: dict[str, dict[str, float]] = {}
        weight_changes: dict[str, float] = {}
        problems: list[InputProblem] = []
        for key, raw in values.items():
            try:
                v = float(raw)
            except (TypeError, ValueError):
                problems.append(InputProblem(f"threshold {key!r} must be a number, got {raw!r}", field=key))
                continue
            if not math.isfinite(v):
                problems.append(InputProblem(f"threshold {key!r} must be finite, got {raw!r}", field=key))
                continue
            head, _, tail = key.partition(".")
            if head in bands and tail in ("good", "bad"):
                band_parts.setdefault(head, {})[tail] = v
            elif head == "weights" and tail in weight_names:
                if v < 0:
                    problems.append(InputProblem(f"weight {key!r} must not be negative, got {v}", field=key))
                weight_changes[tail] = v
            elif not tail and head in scalars:
                changes[head] = v
            else:
                valid = sorted([f"{b}.good" for b in bands] + [f"{b}.bad" for b in bands] + sorted(scalars))
                valid += [f"weights.{w}" for w in sorted(weight_names)]
                problems.append(
                    InputProblem(f"unknown threshold {key!r}; expected one of {', '.join(valid)}", field=key)
                )
        if problems:
            raise JunkanInputError(problems)
        for name, parts in band_parts.items():
            old: Band = getattr(base, name)
            changes[name] = Band(parts.get("good", old.good), parts.get("bad", old.bad))
        if weight_changes:
            changes["weights"] = replace(base.weights, **weight_changes)
        return replace(base, **changes)  # type: ignore[arg-type]


#: Reasoning and references for every default (also in docs/scorecard.md).
THRESHOLD_NOTES: dict[str, str] = {
    "round_trip_share": (
        "0.10 / 0.50: 10% is the significance level of SEC Regulation S-X Rule 1-02(w) (below it a part is not "
        "significant to the whole); at 50% most of what the vendor receives from the case is its own payment coming "
        "back, which ASC 606-10-32-25/26 treats in substance as a reduction of the transaction price, not revenue, "
        "unless the vendor gets a distinct good for it. For comparison (not the basis): Orts's SP scheme returned "
        "about ¥13.7B of ¥15.4B paid out (committee report, 2025-07-28); Qwest's swap pairs return in full."
    ),
    "genuine_demand": (
        "0.6 / 0.2 (downward): US industry as a whole has run below about two thirds of capacity only in the deepest "
        "recessions (total-industry utilisation troughs of about 64-67% in 2009 and April 2020; long-run average "
        "about 79%: Federal Reserve statistical release G.17), so 60% of a product genuinely used is within "
        "ordinary business; a fifth is less than a third of those troughs, the point where the product is mostly "
        "unused. For comparison (not the basis): 2.6% of US long-haul fibre lit in 2001, Orts's genuine FY2024 "
        "sales ~18% of reported revenue."
    ),
    "overstated_revenue": (
        "0.05 / 0.25: SEC Staff Accounting Bulletin No. 99 (1999) cites 5% as the common rule of thumb below which a "
        "misstatement is often presumed immaterial (while rejecting reliance on it alone); a quarter of revenue "
        "fictitious is five times that, beyond any materiality reading."
    ),
    "cash_conversion": (
        "1.0 / 0.5 (downward): operating cash flow below net income means earnings run ahead of cash; Sloan (1996) "
        "finds high-accrual earnings less persistent. Half of earnings in cash is a strong accrual signal."
    ),
    "dsri": ("1.031 / 1.465: the mean DSRI of non-manipulators and of manipulators in Beneish (1999), Table 2."),
    "vendor_funding_ocf": (
        "0.25 / 1.0: financing committed to customers equal to a full year of the vendor's operating cash flow "
        "cannot be funded from operations; a quarter of a year's cash is absorbable. A negative operating cash "
        "flow scores 1."
    ),
    "vendor_funding_revenue": (
        "0.05 / 0.20 (used only without an operating cash flow figure): 5% is SAB 99's materiality rule of thumb; "
        "20% is the significance level at which SEC Regulation S-X Rule 3-05 requires audited statements of an "
        "acquired business, i.e. what the SEC treats as significant to a registrant. For comparison (not the basis): "
        "Lucent's ~$8.1B committed at FY2000 was about 20% of its revenue."
    ),
    "commitment_years": (
        "1 / 3 years: purchase commitments are debt-like fixed obligations (rating agencies add lease and similar "
        "commitments to debt: S&P and Moody's lease adjustments); a customer whose commitments exceed three years of "
        "its current revenue must grow several-fold or raise outside money to pay, one within a year of revenue "
        "can pay from operations. For comparison: OpenAI's ~$1.4T of commitments against a ~$20B run-rate (2025)."
    ),
    "runway_years": (
        "3 / 1 years (downward): S&P Global Ratings' liquidity descriptors (2014) call liquidity 'weak' when sources "
        "cover less than 1.0x the uses of the next 12 months, which caps the rating at 'b-'; cash below one year of "
        "burn is that case. Three years of runway is the comfortable end of venture practice."
    ),
    "failed_customers": (
        "0 / 0.10: any financed customer recorded as bankrupt or insolvent is evidence that customers could not "
        "pay; a tenth of the financing lent to failed customers is a default rate that speculative-grade issuers "
        "reach only in crisis years (Moody's annual default studies: global speculative-grade default rates of "
        "about 10% in 2001 and 13% in 2009, long-run average about 4%)."
    ),
    "credit_losses": (
        "0.05 / 0.20: 5% is above the highest allowance for loan and lease losses of the US banking system (about "
        "3.5% of loans in 2010, FDIC Quarterly Banking Profile), so reserves beyond it are not ordinary credit "
        "risk; 20% is about the average five-year cumulative default rate of single-B issuers (S&P Global Ratings, "
        "Annual Global Corporate Default and Rating Transition Study), a portfolio reserved like junk credit. "
        "For comparison (not the basis): Lucent 25% (FY2000), Nortel 74% (2002)."
    ),
    "end_demand": (
        "0.6 / 0.2 (downward): the genuine-demand reading for the customer's own revenue: under a fifth from outside "
        "the network means its ability to pay rests on the network's money; 60% or more is a customer with its own "
        "market."
    ),
    "round_trip_cut": "0.5: the middle of the axis.",
    "strain_cut": "0.5: the middle of the axis.",
    "evidence_cut": "0.5: a sub-score past the middle of its band.",
    "min_coverage": "0.3: at least three of the seven indicators must have evidence for a 'market creation' reading.",
    "beneish": "-1.78: Beneish (1999) eight-variable cut-off, used by Beneish, Lee & Nichols (2013).",
}


#: The thresholds of the first release (2026-04), several of which were set at the reference cases' own values
#: (round_trip_share at Qwest and Orts, vendor_funding_revenue at Lucent, credit_losses at Lucent and Nortel). Kept
#: only for the leave-one-case-out comparison (:func:`junkan.assess.loo.leave_one_out`), never as a default.
CASE_FITTED_2026_04 = Thresholds(round_trip_share=Band(0.25, 0.75))

#: Which reference cases each band of :data:`CASE_FITTED_2026_04` was set from (the release notes of 2026-04).
CASE_FITTED_FROM: dict[str, tuple[str, ...]] = {
    "round_trip_share": ("global-crossing-qwest-2001", "orts-2024"),
    "genuine_demand": ("global-crossing-qwest-2001", "orts-2024"),
    "vendor_funding_revenue": ("lucent-2000",),
    "failed_customers": ("lucent-2000", "nortel-2001"),
    "credit_losses": ("lucent-2000", "nortel-2001"),
}
