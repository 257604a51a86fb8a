"""The assumptions of the AI ecosystem stress model: one YAML file per dataset, every number sourced or flagged.

A figure is written as a mapping with its provenance, in one of three forms::

    cash: {value: 17.5B, source: https://..., confidence: medium}      # read in a source
    cash: {ledger: cash}                                              # the dataset's own sourced financial
    revenue: {ledger: revenue, period: FY2025}                        # ... of a given period
    opex_ratio: {value: 0.55, estimate: true, basis: "1 - OCF/revenue, FY2025 figures of the ledger"}

A ``ledger`` figure is resolved against the ledger when the model is built (:meth:`Figure.resolve`): the figure of
``period`` (``FY2025``) if given, else the latest period of that metric for that party, with the financial's own
source; ``scale`` multiplies it (``4`` turns a quarter into a year). A flow metric (revenue, costs, capex, cash flow)
that resolves to a quarter or half-year (``Q1FY2026``, ``H1FY2025``) with ``scale`` 1 is rejected: it would be read
as a year's flow (the model's flows are annual), which is how a quarter of Oracle's revenue once became its year.
Nothing is accepted without a source URL and a confidence, or ``estimate: true`` with
a ``basis`` sentence. Unknown keys, impossible values (negative money, a probability above 1, a depreciation life of
zero) and parties the ledger does not know are rejected with the file, line and key.

Units: money in US dollars (``"17.5B"`` = 1.75e10); growth rates and interest rates are annual fractions
(``0.05`` = 5% a year); every flow figure (revenue, costs, capex) is annual, the model divides by 4 per quarter.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.schema import FINANCIAL_METRICS, Confidence, Status, parse_money
from junkan.stress.ecosystem._yamlio import model_hash, read_model, read_model_file

__all__ = [
    "FLOW_METRICS",
    "REGIMES",
    "Assumptions",
    "Cancellation",
    "DealTerms",
    "DealWindow",
    "Dist",
    "Figure",
    "FundingRegime",
    "GpuMarket",
    "LiquidityLine",
    "PartyAssumptions",
    "Rating",
    "RealisationRange",
    "RentalSeries",
    "assumptions_hash",
    "load_assumptions",
]


#: Ledger metrics that are flows over their period (the model reads them as annual).
FLOW_METRICS = frozenset(
    {"revenue", "operating_income", "net_income", "operating_cash_flow", "free_cash_flow", "capex", "depreciation"}
)
_SUB_ANNUAL = re.compile(r"^[QH]\d", re.IGNORECASE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    """Provenance shared by figures: a source URL with confidence, an estimate with its basis, or a ledger metric."""

    source: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    confidence: Confidence | None = None
    estimate: bool = False
    basis: str | None = None

    def _check_provenance(self, from_ledger: bool) -> None:
        if from_ledger:
            return
        if self.estimate:
            if not self.basis:
                raise ValueError("an estimate needs a 'basis' sentence saying how it was derived")
            return
        if self.source is None or self.confidence is None:
            raise ValueError("a figure needs 'source' (URL) and 'confidence', or 'estimate: true' with a 'basis'")


class Figure(_Sourced):
    """One number with its provenance: ``value`` (money strings like ``"17.5B"`` accepted) or ``ledger: METRIC``."""

    value: float | None = None
    ledger: str | None = None
    period: str | None = None
    scale: float = 1.0
    as_of: dt.date | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> float | None:
        return None if v is None else parse_money(v)

    @field_validator("ledger")
    @classmethod
    def _metric(cls, v: str | None) -> str | None:
        if v is not None and v not in FINANCIAL_METRICS:
            raise ValueError(f"unknown ledger metric {v!r}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Figure:
        if (self.value is None) == (self.ledger is None):
            raise ValueError("give exactly one of 'value' or 'ledger'")
        if self.period is not None and self.ledger is None:
            raise ValueError("'period' goes with 'ledger'")
        if not math.isfinite(self.scale) or self.scale < 0:
            raise ValueError("scale must be a finite, non-negative number")
        self._check_provenance(self.ledger is not None)
        return self

    def resolve(self, ledger: Any, party: str) -> tuple[float, str]:
        """The number and where it comes from (``ledger`` is a :class:`~junkan.ledger.Ledger`).

        Raises ``LookupError`` when the ledger has no such financial for ``party`` (of ``period``, if given), or when a
        flow metric resolves to a sub-annual period while ``scale`` is 1 (see the module docstring).
        """
        if self.ledger is None:
            assert self.value is not None
            where = self.source if self.source else f"estimate: {self.basis}"
            return self.value * self.scale, where
        fin = ledger.financial(party, self.ledger, self.period)
        if fin is None:
            of = f" for period {self.period!r}" if self.period else ""
            raise LookupError(f"the ledger has no {self.ledger!r} figure for {party!r}{of}")
        if self.ledger in FLOW_METRICS and _SUB_ANNUAL.match(fin.period) and self.scale == 1.0:
            raise LookupError(
                f"the ledger's latest {self.ledger!r} figure for {party!r} is for {fin.period}, not a year; "
                "name an annual 'period' (e.g. FY2025) or give 'scale' to annualise it"
            )
        value = ledger.to_usd(fin.value, fin.currency, fin.period_end)
        return value * self.scale, f"ledger {party}.{self.ledger} {fin.period}: {fin.sources[0].url}"


class Dist(_Sourced):
    """A normal distribution ``N(mean, sd)`` of an uncertain input, drawn once per run (annual units)."""

    mean: float
    sd: float = Field(ge=0, allow_inf_nan=False)

    @field_validator("mean")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("mean must be finite")
        return v

    @model_validator(mode="after")
    def _provenance(self) -> Dist:
        self._check_provenance(False)
        return self


class RealisationRange(_Sourced):
    """Probability that a deal of a given status is carried out: per run, ``U(low, high)``, shared by the status."""

    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _order(self) -> RealisationRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        self._check_provenance(False)
        return self


def _non_negative(f: Figure) -> Figure:
    if f.value is not None and f.value < 0:
        raise ValueError(f"must not be negative, got {f.value:g}")
    return f


def _probability(f: Figure) -> Figure:
    if f.value is not None and not 0 <= f.value * f.scale <= 1:
        raise ValueError(f"is a probability and must lie between 0 and 1, got {f.value:g}")
    return f


def _positive(f: Figure) -> Figure:
    if f.value is not None and not f.value > 0:
        raise ValueError(f"must be positive, got {f.value:g}")
    return f


def _rate(f: Figure) -> Figure:
    if f.value is not None and not -0.99 < f.value < 10:
        raise ValueError(f"is an annual rate (fraction) and must lie between -0.99 and 10, got {f.value:g}")
    return f


Money = Annotated[Figure, AfterValidator(_non_negative)]
Prob = Annotated[Figure, AfterValidator(_probability)]
Positive = Annotated[Figure, AfterValidator(_positive)]
Rate = Annotated[Figure, AfterValidator(_rate)]


class LiquidityLine(_Strict):
    """A committed or market liquidity line of a party: a revolving credit facility or a commercial-paper programme.

    ``kind``: ``revolver`` (a committed bank facility: the lenders must fund a draw until ``maturity``, whatever the
    market) or ``commercial_paper`` (a programme of notes up to 270 days sold to money-market investors: issuance
    needs an open market; the US CP market froze for lower-rated and asset-backed issuers in August 2007 and for
    financial issuers after Lehman in September 2008, when issuers fell back on their backup lines: Kacperczyk, M.
    and Schnabl, P. (2010), When safe proved risky: commercial paper during the financial crisis of 2007-2009,
    Journal of Economic Perspectives 24(1), 29-50). ``amount``: the capacity left undrawn at the figure's date
    (programme or commitment less what is outstanding), sourced like every figure. ``maturity``: the last day a
    revolver can be drawn (its termination date); a programme has none. In the model (:mod:`.model`, step 3) a
    line is drawn after the ledger's credit deals and before capex is deferred; a revolver in quarters that start
    before its maturity, a programme in quarters whose funding regime is not ``closed``; what is drawn becomes debt
    of the party (interest at its ``rate``, repaid and refinanced like the rest of its debt).
    """

    kind: Literal["revolver", "commercial_paper"]
    amount: Money
    maturity: dt.date | None = None

    @model_validator(mode="after")
    def _maturity(self) -> LiquidityLine:
        if self.kind == "revolver" and self.maturity is None:
            raise ValueError("a revolver needs its 'maturity' (the last day it can be drawn)")
        return self


class PartyAssumptions(_Strict):
    """One modelled party. Flows are annual (divided by 4 per quarter); money in US dollars.

    Attributes
    ----------
    cash
        Cash and marketable securities at the start.
    revenue
        End-customer revenue (from outside the modelled parties) over the first year.
    growth
        Annual growth of end-customer revenue, ``N(mean, sd)`` drawn per run.
    cost_ratio
        Cash operating costs (including taxes, excluding capex and interest) as a share of all revenue.
    fixed_costs
        Cash costs that do not scale with revenue (e.g. an AI lab's research payroll and compute outside the ledger).
    capex
        Planned capital expenditure in the first year; ``capex_growth`` its annual growth.
    capex_flex
        Share of capex that can be deferred when cash runs short (cut before raising money).
    capex_suppliers
        Share of capex paid to modelled parties (``{nvidia: 0.3}``); the rest leaves the network.
    gpu_share
        Share of capex that buys GPUs (adds to the fleet, valued at the GPU price index).
    gpu_fleet
        Market value of the GPU fleet at the start.
    debt, rate, maturity_years, refinance
        Debt principal, its annual rate, average maturity (principal falls due evenly over it), and the share of
        maturing principal that is refinanced in normal sentiment.
    gpu_debt, ltv_max
        GPU-backed debt (part of ``debt``) and its loan-to-value covenant: when ``gpu_debt > ltv_max * fleet value``
        the excess is due at once.
    new_debt_gpu_share
        Share of new debt (debt raised in funding rounds and drawn credit lines) that is GPU-backed: it adds to
        ``gpu_debt`` and to the loan-to-value test (calibration pass 4; default 0). A GPU cloud borrows against its
        GPUs; without this, new money counted as unsecured and could cure an LTV breach without limit.
    facilities
        Undrawn committed credit lines beyond those in the ledger's deals.
    liquidity
        Revolving credit facilities and commercial-paper programmes (:class:`LiquidityLine`), each with its undrawn
        amount, source and (revolvers) maturity (issue 11).
    valuation
        Market value of equity (market capitalisation or last private round).
    funding_access
        Most new money (equity or new debt) raisable over any four consecutive quarters, as a share of the current
        valuation (which moves with end demand, scenario resets, sentiment and stakes). Annual, not per quarter.
    funding_success
        Probability that a funding attempt in a quarter succeeds in normal sentiment (times sentiment).
    funding_debt_share
        Share of new money raised that is debt (it then bears ``rate`` and amortises over ``maturity_years``);
        the rest is equity.
    contract_capex
        Capex per dollar of contract value sold to modelled parties: a vendor that rents out compute (Oracle,
        CoreWeave) builds the capacity ahead of delivery. Spent as the contract's delivery rate steps up,
        ``build_lead_quarters`` ahead (see :mod:`.model`); scales with what the customer still takes.
    contract_cost_ratio
        Cash operating costs as a share of receipts from modelled parties' deals (default: ``cost_ratio``): renting
        GPUs has other cash costs than the party's legacy business.
    rental_exposure
        Elasticity of end-customer revenue to the GPU price / rental index (1 for a GPU landlord, 0 for none).
        A party with rental exposure is valued on its price-adjusted revenue (pass 4).
    contract_price_exposure
        Share of the party's contracted compute receipts (purchase commitments and hardware purchases it sells to
        modelled parties) that is repriced when the GPU index falls below its expected path
        ``exp(drift.mean * t)``: receipts are scaled by ``1 - e * max(0, 1 - P / expected)`` (customers renegotiate
        or fail to renew when market prices fall below what the contract priced in; pass 4, default 0). The customer
        pays the repriced amount.
    funding_sensitivity
        How much the shared funding regime moves this party's funding odds and refinancing: in regime ``s`` both are
        multiplied by ``1 - funding_sensitivity * (1 - access[s])`` (default 1: fully exposed; an investment-grade
        issuer that keeps market access in a closed high-yield market has a small one). See :class:`FundingRegime`.
    lease_payments
        Annual payments on the party's lease commitments (data centres it rents to serve its contracts): a fixed
        cost that stays when customers cancel (e.g. ``{ledger: lease_commitments, scale: 0.0625}``: the commitments
        spread over 16 years). Leases commence as the capacity is delivered: the payments ramp linearly to full over
        ``delivery_ramp_years`` (quarter ``t`` pays ``min(1, (t + 1/2) / (4 * ramp))`` of the annual rate / 4).

    Debt figures may carry ``as_of`` (the balance-sheet date of a ``value``; a ``ledger:`` figure uses its period
    end): drawn or closed debt deals of the ledger dated after it are added to ``debt`` (and GPU-backed ones to
    ``gpu_debt``); see :mod:`.obligations`.
    """

    cash: Money
    revenue: Money
    growth: Dist
    cost_ratio: Prob
    fixed_costs: Money | None = None
    capex: Money | None = None
    capex_growth: Rate | None = None
    capex_flex: Prob | None = None
    capex_suppliers: dict[str, Prob] = Field(default_factory=dict)
    gpu_share: Prob | None = None
    gpu_fleet: Money | None = None
    debt: Money | None = None
    rate: Rate | None = None
    maturity_years: Positive | None = None
    refinance: Prob | None = None
    gpu_debt: Money | None = None
    ltv_max: Prob | None = None
    new_debt_gpu_share: Prob | None = None
    facilities: Money | None = None
    valuation: Money
    funding_access: Prob | None = None
    funding_success: Prob | None = None
    funding_debt_share: Prob | None = None
    contract_capex: Money | None = None
    contract_cost_ratio: Prob | None = None
    rental_exposure: Figure | None = None
    contract_price_exposure: Prob | None = None
    funding_sensitivity: Prob | None = None
    lease_payments: Money | None = None
    liquidity: list[LiquidityLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _suppliers(self) -> PartyAssumptions:
        total = sum((f.value or 0.0) * f.scale for f in self.capex_suppliers.values())
        if total > 1 + 1e-9:
            raise ValueError(f"capex_suppliers shares add up to {total:g}, more than 1")
        return self


class RentalSeries(_Sourced):
    """A ledger rental-price series: ``entity``/``metric`` (``gpu-rental-market``/``gpu_rental_price``) and the
    ``product`` its observations must name in their notes (e.g. ``H100``); ``exclude`` drops observations whose
    period or notes name any of these words (other products, e.g. ``B200``)."""

    entity: str
    metric: str = "gpu_rental_price"
    product: str = "H100"
    exclude: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _provenance(self) -> RentalSeries:
        return self


REGIMES = ("open", "tight", "closed")


class FundingRegime(_Sourced):
    """A persistent funding-market state shared by every party: a Markov chain on ``open / tight / closed``.

    ``transition[a][b]`` is the quarterly probability of moving from state ``a`` to ``b`` (each row sums to 1);
    ``initial`` is the state at the start (the market as of the as-of date); ``access[s]`` multiplies funding odds
    and refinancing of a fully exposed party in state ``s`` (a party with ``funding_sensitivity`` ``k`` gets
    ``1 - k * (1 - access[s])``). The chain is the same for all parties of a run (correlation), the funding
    attempts' uniforms are the party's own (the idiosyncratic part). Expected stay in a state ``a`` is
    ``1 / (1 - transition[a][a])`` quarters (Hamilton 1989 regime switching).
    """

    initial: str = "open"
    transition: dict[str, dict[str, float]]
    access: dict[str, float]

    @model_validator(mode="after")
    def _check(self) -> FundingRegime:
        if self.initial not in REGIMES:
            raise ValueError(f"initial must be one of {', '.join(REGIMES)}, got {self.initial!r}")
        if set(self.transition) != set(REGIMES):
            raise ValueError(f"transition needs exactly the rows {', '.join(REGIMES)}")
        for a, row in self.transition.items():
            if set(row) != set(REGIMES):
                raise ValueError(f"transition.{a} needs exactly the columns {', '.join(REGIMES)}")
            if any(not 0 <= v <= 1 for v in row.values()) or abs(sum(row.values()) - 1) > 1e-9:
                raise ValueError(f"transition.{a}: probabilities in [0, 1] summing to 1, got {row}")
        if set(self.access) != set(REGIMES) or any(not 0 <= v <= 1 for v in self.access.values()):
            raise ValueError(f"access needs {', '.join(REGIMES)}, each in [0, 1]")
        self._check_provenance(False)
        return self


class DealTerms(_Sourced):
    """Cancellation terms of one deal: ``take_or_pay`` is the share of each cancelled payment still owed to the
    vendor (termination damages, on the contract's schedule)."""

    take_or_pay: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _provenance(self) -> DealTerms:
        self._check_provenance(False)
        return self


class Cancellation(_Sourced):
    """Cancellation is a credit event: a customer that cancels contracted compute because it cannot pay still owes
    ``take_or_pay`` of each cancelled payment (the default; ``deals`` overrides it where a contract or filing states
    its termination terms). The cancellation is counted as a distressed restructuring of the customer."""

    take_or_pay: float = Field(ge=0, le=1)
    deals: dict[str, DealTerms] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _provenance(self) -> Cancellation:
        self._check_provenance(False)
        return self


class Rating(_Sourced):
    """A party's issuer rating (``Baa2``, ``BB-``...) with its source: picks the ratio of risk-neutral to physical
    default intensity in :mod:`.calibration`."""

    rating: str

    @model_validator(mode="after")
    def _provenance(self) -> Rating:
        self._check_provenance(False)
        return self


class GpuMarket(_Strict):
    """The GPU price / rental index (1.0 at the start) and fire-sale price impact.

    ``drift`` is the annual log drift ``N(mean, sd)`` drawn per run, ``volatility`` the annual volatility of quarterly
    log shocks. Sales move the index linearly (Cifuentes, Ferrucci & Shin 2005, linear inverse demand): selling value
    ``x`` (at the index price) lowers the index by the factor ``1 - impact * x / market_depth``.
    ``depreciation_years`` is the GPU useful life (3 to 6 years is the live debate): the fleet's units wear out at
    ``(1 - residual_value) / (4 * life)`` a quarter (``residual_value``: the share of a GPU's value left at the end
    of its useful life, resold or redeployed; default 0).

    ``rental_series``: when given, the drift's mean and sd are replaced by the log-linear trend of the ledger's
    sourced rental-price series (:func:`~.obligations.rental_trend`: ordinary least squares of ``ln price`` on time
    in years over the observations of the named product known at the start, its slope and standard error), so the
    index follows the sourced prices rather than an assumed drift.
    """

    drift: Dist
    volatility: Figure
    impact: Figure
    market_depth: Positive
    depreciation_years: Positive
    residual_value: Prob | None = None
    rental_series: RentalSeries | None = None

    @field_validator("volatility", "impact")
    @classmethod
    def _nonneg(cls, f: Figure) -> Figure:
        return _non_negative(f)


class Recovery(_Sourced):
    """Rogers-Veraart recovery rates: a defaulter realises ``alpha`` of its outside assets, ``beta`` of receipts."""

    alpha: float = Field(ge=0, le=1)
    beta: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _provenance(self) -> Recovery:
        self._check_provenance(False)
        return self


class Sentiment(_Sourced):
    """Funding sentiment (1 = normal). Endogenous part: ``1 - sensitivity * (share of system valuation defaulted)``."""

    sensitivity: float = Field(ge=0, le=10)

    @model_validator(mode="after")
    def _provenance(self) -> Sentiment:
        self._check_provenance(False)
        return self


class DealWindow(_Sourced):
    """A published delivery window for a ledger deal whose record has none (``start``/``end`` dates), sourced."""

    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _check(self) -> DealWindow:
        if self.start is None and self.end is None:
            raise ValueError("give 'start', 'end' or both")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        self._check_provenance(False)
        return self


class Assumptions(_Strict):
    """The whole assumptions file of one dataset.

    ``delivery_ramp_years``: compute commitments without dated tranches are paid as capacity is delivered, the
    delivery rate ramping linearly from the window's start to full over this many years (0 or absent: spread
    evenly). ``build_lead_quarters``: how far ahead of delivery a vendor spends its ``contract_capex``.
    ``funding_buffer_quarters``: runway management; a party whose cash would not cover this quarter's burn
    plus this many quarters more tries to raise up to that cover (rounds are sized to last, and raised before the
    cash runs out), within ``funding_access``. ``deal_schedules``: published windows for deals whose ledger
    record has no dates (deal id -> start/end with a source or a basis). ``start`` is used only when the ledger has
    no as-of date: a run starts at the quarter of the ledger's as-of date (``run_stress(as_of=...)``, else the
    dataset's ``as_of``). ``funding_regime``: the shared funding-market state (:class:`FundingRegime`; absent: always
    open). ``cancellation``: termination terms (:class:`Cancellation`; absent: cancelling costs nothing).
    ``ratings``: issuer ratings for the calibration to market spreads.
    """

    dataset: str
    start: Annotated[str, Field(pattern=r"^\d{4}Q[1-4]$")] = "2026Q1"
    funding_regime: FundingRegime | None = None
    cancellation: Cancellation | None = None
    ratings: dict[str, Rating] = Field(default_factory=dict)
    quarters: int = Field(default=20, ge=1, le=200)
    default_tenor_years: Positive
    equity_tenor_years: Positive
    delivery_ramp_years: Money | None = None
    build_lead_quarters: Money | None = None
    funding_buffer_quarters: Money | None = None
    deal_schedules: dict[str, DealWindow] = Field(default_factory=dict)
    demand_correlation: Prob
    recovery: Recovery
    sentiment: Sentiment
    gpu: GpuMarket
    realisation: dict[Status, RealisationRange]
    parties: dict[str, PartyAssumptions]

    @model_validator(mode="after")
    def _refs(self) -> Assumptions:
        missing = [s.value for s in Status if s not in self.realisation]
        if missing:
            raise ValueError(f"realisation needs every deal status; missing {', '.join(missing)}")
        if not self.parties:
            raise ValueError("at least one party is needed")
        for pid, p in self.parties.items():
            for sup in p.capex_suppliers:
                if sup not in self.parties:
                    raise ValueError(f"parties.{pid}.capex_suppliers names {sup!r}, which is not a modelled party")
                if sup == pid:
                    raise ValueError(f"parties.{pid}.capex_suppliers names the party itself")
        return self

    _file: str = PrivateAttr(default="<memory>")

    @property
    def file(self) -> str:
        """The file the assumptions were read from (for messages)."""
        return self._file


def assumptions_hash(a: Assumptions) -> str:
    """A short SHA-256 of the assumptions' content (recorded in every result)."""
    return model_hash(a)


def _bundled_path(name: str) -> Any:
    return resources.files("junkan.stress").joinpath("assumptions", f"{name}.yaml")


def load_assumptions(source: str | Path, ledger: Any | None = None) -> Assumptions:
    """Load an assumptions file by dataset name (bundled ``stress/assumptions/NAME.yaml``) or path.

    With ``ledger``, checks that every party exists in it and that every ``ledger:`` figure can be resolved; all
    problems are reported at once with the file and key.

    Raises
    ------
    JunkanInputError
        Unknown key, impossible value, missing provenance, unknown party, or a ledger figure the ledger lacks.
    """
    text = str(source)
    if text.endswith((".yaml", ".yml")) or "/" in text or Path(text).exists():
        a = read_model_file(text, Assumptions)
        file = text
    else:
        trav = _bundled_path(text)
        if not trav.is_file():
            raise JunkanInputError.single(
                f"no bundled assumptions for dataset {text!r}; write one (see docs/stress-model.md) and pass its path",
                field="assumptions",
            )
        file = f"stress/assumptions/{text}.yaml"
        a = read_model(trav.read_bytes(), file, Assumptions)
    a._file = file
    if ledger is not None:
        check_against_ledger(a, ledger)
    return a


def check_against_ledger(a: Assumptions, ledger: Any) -> None:
    """Every party must be a ledger entity, and every ``ledger:`` figure must exist. Raises JunkanInputError."""
    problems: list[InputProblem] = []
    for pid, p in a.parties.items():
        if pid not in ledger.entities:
            problems.append(
                InputProblem(f"party {pid!r} is not in the ledger {ledger.origin}", file=a.file, field=f"parties.{pid}")
            )
            continue
        for name in PartyAssumptions.model_fields:
            f = getattr(p, name)
            if isinstance(f, Figure) and f.ledger is not None:
                try:
                    f.resolve(ledger, pid)
                except LookupError as exc:
                    problems.append(InputProblem(str(exc), file=a.file, field=f"parties.{pid}.{name}"))
    known = {d.id for d in ledger.deals}
    # an as-of ledger lacks the deals announced after its date: terms of those deals are not errors there (the full
    # ledger, which load_assumptions checks, still catches a misspelt id)
    as_of = getattr(ledger, "as_of_date", None) is not None
    for did in a.deal_schedules:
        if did not in known and not as_of:
            problems.append(InputProblem(f"no deal {did!r} in the ledger", file=a.file, field=f"deal_schedules.{did}"))
    for did in a.cancellation.deals if a.cancellation is not None else {}:
        if did not in known and not as_of:
            problems.append(
                InputProblem(f"no deal {did!r} in the ledger", file=a.file, field=f"cancellation.deals.{did}")
            )
    for pid in a.ratings:
        if pid not in a.parties:
            problems.append(InputProblem(f"{pid!r} is not a modelled party", file=a.file, field=f"ratings.{pid}"))
    if problems:
        raise JunkanInputError(problems)
