"""The deal-ledger schema: entities, deals, sources, amounts, schedules, financials and FX rates (pydantic v2).

Units and conventions
---------------------
* Every money figure is in **units of its currency** (dollars, not billions): ``100e9`` is $100B. YAML files may
  write ``"100B"``, ``"1.3bn"``, ``"750M"``, ``"12k"`` or ``"¥11.9B"``-free plain numbers; see :func:`parse_money`.
* ``payer`` is the party money (or value) leaves; ``payee`` the party it reaches. :data:`DEAL_KINDS` documents, for
  every kind, which way money moves, its nature (cash, in-kind, equity, credit, contingent) and what comes back.
* An :class:`Amount` keeps the headline (``value``) apart from what is ``committed`` and what has been ``drawn``
  (paid, funded or delivered). Ranges are ``low``/``high``; "up to $100B" is ``high=100e9, up_to=true``.
* Dates are ISO dates (``2025-09-22``). A deal's ``date`` is its announcement date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

# --------------------------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------------------------


class DealKind(StrEnum):
    """What kind of arrangement a deal is. See :data:`DEAL_KINDS` for direction and nature."""

    equity_investment = "equity_investment"
    warrant_grant = "warrant_grant"
    loan = "loan"
    credit_facility = "credit_facility"
    gpu_backed_debt = "gpu_backed_debt"
    purchase_commitment = "purchase_commitment"
    hardware_purchase = "hardware_purchase"
    licence_purchase = "licence_purchase"
    cloud_credits = "cloud_credits"
    lease = "lease"
    capacity_backstop = "capacity_backstop"
    loan_guarantee = "loan_guarantee"
    joint_venture = "joint_venture"
    revenue_share = "revenue_share"
    service_fee = "service_fee"
    capacity_swap = "capacity_swap"


class FlowNature(StrEnum):
    """The nature of the value a deal moves from payer to payee."""

    cash = "cash"
    in_kind = "in_kind"
    equity = "equity"
    credit = "credit"
    contingent = "contingent"


class Status(StrEnum):
    """Where a deal stands.

    The progress statuses ``rumoured < announced < signed < closed < drawn`` only move forward. ``on_hold`` can
    interrupt any of them and be resumed. ``cancelled`` (called off), ``lapsed`` (a letter of intent or option that
    expired without a definitive agreement) and ``superseded`` (replaced by another deal, named in the status event's
    ``superseded_by``) are final: nothing follows them.
    """

    rumoured = "rumoured"
    announced = "announced"
    signed = "signed"
    closed = "closed"
    drawn = "drawn"
    on_hold = "on_hold"
    cancelled = "cancelled"
    lapsed = "lapsed"
    superseded = "superseded"


#: Progress statuses in order; a deal's history may skip steps but never go back.
PROGRESS_ORDER: dict[Status, int] = {
    Status.rumoured: 0,
    Status.announced: 1,
    Status.signed: 2,
    Status.closed: 3,
    Status.drawn: 4,
}
#: Statuses after which a deal moves no money and no further status may follow.
ENDED_STATUSES: frozenset[Status] = frozenset({Status.cancelled, Status.lapsed, Status.superseded})


class Confidence(StrEnum):
    """How well a figure is sourced: ``high`` = primary source (filing, press release) states it;
    ``medium`` = reputable secondary reporting; ``low`` = estimate, range or single weak source."""

    high = "high"
    medium = "medium"
    low = "low"


class SourceKind(StrEnum):
    """What a source is. ``filing`` and ``press_release`` (and ``court``/``regulator`` documents) are primary."""

    filing = "filing"
    press_release = "press_release"
    regulator = "regulator"
    court = "court"
    news = "news"
    analysis = "analysis"
    other = "other"


PRIMARY_SOURCE_KINDS = frozenset({SourceKind.filing, SourceKind.press_release, SourceKind.regulator, SourceKind.court})


class EntityKind(StrEnum):
    """What a party is."""

    company = "company"
    investor = "investor"
    lender = "lender"
    spv = "spv"
    joint_venture = "joint_venture"
    government = "government"
    agency = "agency"
    customers = "customers"
    other = "other"


#: ISO 4217 currencies junkan accepts. Conversion needs a rate in the dataset's ``fx.yaml`` (USD needs none).
CURRENCIES = frozenset(
    {"USD", "EUR", "JPY", "GBP", "CNY", "KRW", "TWD", "CAD", "AUD", "CHF", "INR", "SGD", "HKD", "SAR", "AED", "QAR"}
)


class KindInfo(BaseModel):
    """How a deal kind moves value: the documented direction and what comes back."""

    model_config = ConfigDict(frozen=True)

    nature: FlowNature
    direction: str
    returns: str


#: For each kind: the nature of the payer -> payee flow, in words which way money moves, and what comes back.
DEAL_KINDS: dict[DealKind, KindInfo] = {
    DealKind.equity_investment: KindInfo(
        nature=FlowNature.equity,
        direction="investor (payer) pays cash to the investee (payee)",
        returns="shares in the investee; often the investee's purchases from the investor (see legs)",
    ),
    DealKind.warrant_grant: KindInfo(
        nature=FlowNature.equity,
        direction="issuer (payer) gives shares or warrants to a customer (payee) for nothing or a nominal price",
        returns="the customer's purchases from the issuer (the vesting conditions)",
    ),
    DealKind.loan: KindInfo(
        nature=FlowNature.credit,
        direction="lender (payer) lends cash to the borrower (payee)",
        returns="interest and principal",
    ),
    DealKind.credit_facility: KindInfo(
        nature=FlowNature.credit,
        direction="lender (payer) commits credit to the borrower (payee); only the drawn part moves",
        returns="interest, fees and principal on what is drawn",
    ),
    DealKind.gpu_backed_debt: KindInfo(
        nature=FlowNature.credit,
        direction="lender (payer) lends cash to the borrower (payee) against GPUs as collateral",
        returns="interest and principal; the GPUs if the borrower defaults",
    ),
    DealKind.purchase_commitment: KindInfo(
        nature=FlowNature.contingent,
        direction="buyer (payer) commits to pay the seller (payee) over the schedule",
        returns="goods or services (compute capacity) as delivered",
    ),
    DealKind.hardware_purchase: KindInfo(
        nature=FlowNature.cash,
        direction="buyer (payer) pays the seller (payee) for hardware",
        returns="the hardware",
    ),
    DealKind.licence_purchase: KindInfo(
        nature=FlowNature.cash,
        direction="buyer (payer) pays the seller (payee) for software licences or subscriptions",
        returns="the licences; in round trips (Orts), licences nobody uses",
    ),
    DealKind.cloud_credits: KindInfo(
        nature=FlowNature.in_kind,
        direction="investor (payer) gives cloud credits (compute in kind) to the investee (payee)",
        returns="shares in the investee; the credits are spent on the investor's own cloud",
    ),
    DealKind.lease: KindInfo(
        nature=FlowNature.cash,
        direction="lessee (payer) pays rent to the lessor (payee)",
        returns="use of the asset (GPUs, data centre) for the term",
    ),
    DealKind.capacity_backstop: KindInfo(
        nature=FlowNature.contingent,
        direction="backstopper (payer) promises to buy the provider's (payee's) unsold capacity",
        returns="the capacity, if called",
    ),
    DealKind.loan_guarantee: KindInfo(
        nature=FlowNature.contingent,
        direction="guarantor (payer) guarantees a loan to the beneficiary (payee); pays only on default",
        returns="nothing unless called; usually the beneficiary's purchases from the guarantor",
    ),
    DealKind.joint_venture: KindInfo(
        nature=FlowNature.equity,
        direction="partner (payer) contributes capital to the joint venture (payee)",
        returns="a share of the joint venture",
    ),
    DealKind.revenue_share: KindInfo(
        nature=FlowNature.cash,
        direction="payer pays the payee a share of its revenue",
        returns="the licence or distribution the share pays for",
    ),
    DealKind.service_fee: KindInfo(
        nature=FlowNature.cash,
        direction="client (payer) pays a fee (advertising, R&D, consulting) to the provider (payee)",
        returns="the service, if any; in round trips, the money itself",
    ),
    DealKind.capacity_swap: KindInfo(
        nature=FlowNature.cash,
        direction="payer buys capacity (e.g. fibre IRUs) from the payee, usually while selling it capacity back",
        returns="the capacity; in swaps, the matching purchase by the counterparty (see legs)",
    ),
}


FINANCIAL_METRICS: dict[str, str] = {
    # metric: unit and meaning. 'money' means units of the record's currency.
    "revenue": "money: total revenue for the period",
    "operating_income": "money: GAAP operating income (loss negative)",
    "net_income": "money: net income (loss negative)",
    "operating_cash_flow": "money: cash flow from operations",
    "free_cash_flow": "money: operating cash flow less capex",
    "capex": "money: capital expenditure (positive number)",
    "cash": "money: cash, equivalents and marketable securities at period end",
    "debt": "money: total debt principal at period end",
    "long_term_debt": "money: long-term debt at period end",
    "receivables": "money: accounts receivable, net, at period end",
    "total_assets": "money: total assets at period end",
    "total_liabilities": "money: total liabilities at period end",
    "current_assets": "money: current assets at period end",
    "current_liabilities": "money: current liabilities at period end",
    "ppe_net": "money: property, plant and equipment, net, at period end",
    "depreciation": "money: depreciation and amortisation for the period",
    "sga": "money: selling, general and administrative expense",
    "cogs": "money: cost of revenue",
    "securities": "money: marketable securities at period end",
    "equity": "money: shareholders' equity at period end",
    "bad_debt_reserve": "money: allowance for doubtful accounts / customer-financing provisions",
    "customer_financing_committed": "money: vendor financing committed to customers at period end",
    "customer_financing_drawn": "money: vendor financing drawn by customers at period end",
    "backlog": "money: remaining performance obligations / contracted backlog",
    "commitments": "money: announced purchase commitments outstanding",
    "valuation": "money: market capitalisation or last private post-money valuation",
    "end_customer_revenue": "money: revenue from parties outside the ledger's network (third-party demand)",
    "users": "count: weekly or monthly active users of the product",
    "paying_users": "count: paying users or subscribers",
    "utilisation": "ratio: share (0-1) of the financed or sold capacity that is actually used",
    "top_customer_share": "ratio: share (0-1) of revenue from the largest customer",
    "top2_customer_share": "ratio: share (0-1) of revenue from the two largest customers",
    "overstated_revenue": "money: revenue later found fictitious (restatement, investigation)",
    "segment_revenue": "money: revenue of the segment named in notes (e.g. NVIDIA Data Center)",
    "revenue_run_rate": "money: annualised revenue run-rate as reported at period end",
    "lease_commitments": "money: future lease payments committed, including leases not yet commenced",
    "purchase_obligations": "money: outstanding purchase obligations (e.g. supply and capacity agreements)",
    "cloud_service_agreements": "money: multi-year cloud capacity the party has agreed to buy back from others",
    "customer_revenue_share": "ratio: share (0-1) of revenue from the customer named in `counterparty`",
    "backlog_share": "ratio: share (0-1) of backlog / RPO from the customer named in `counterparty`",
    "cds_spread_5y": "ratio: 5-year CDS spread as a decimal (643bp = 0.0643) on the period_end date",
    "bond_spread": "ratio: bond spread over Treasuries as a decimal on the period_end date",
    "gpu_rental_price": "money: GPU rental price per GPU-hour (GPU model and contract term in notes)",
    "gpu_fleet": "count: GPUs installed or contracted (model in notes)",
    "occupancy": "ratio: share (0-1) of built capacity (data-centre space, power) that is leased or taken, 1 - vacancy",
    "inference_share": "ratio: share (0-1) of AI compute or AI revenue serving inference (basis in notes)",
}

#: Metrics that describe the party's relation to one counterparty, which the record must name.
COUNTERPARTY_METRICS: frozenset[str] = frozenset({"customer_revenue_share", "backlog_share"})


def metric_unit(metric: str) -> Literal["money", "count", "ratio"]:
    """Return the unit class of a financial metric (``money``, ``count`` or ``ratio``)."""
    return FINANCIAL_METRICS[metric].split(":", 1)[0]  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------------------------
# Money parsing
# --------------------------------------------------------------------------------------------------------------

_SCALE = {
    "": 0,
    "k": 3,
    "thousand": 3,
    "m": 6,
    "mn": 6,
    "mm": 6,
    "million": 6,
    "b": 9,
    "bn": 9,
    "billion": 9,
    "t": 12,
    "tn": 12,
    "trillion": 12,
}
_MONEY_RE = re.compile(r"^\s*\$?\s*(-?[0-9][0-9_,]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]*)\s*$")


def parse_money(value: Any) -> float:
    """Parse a money figure: a number, or a string such as ``"100B"``, ``"$1.3bn"``, ``"750M"``, ``"12,500"``.

    Returns the value in currency units (``"100B"`` -> ``1e11``). The decimal figure is scaled exactly before it is
    rounded to a float once, so ``"0.067B"`` is ``67000000.0`` (not ``0.067 * 1e9 = 67000000.00000001``).
    Raises ``ValueError`` for anything else, for NaN and for infinity.
    """
    if isinstance(value, bool):
        raise ValueError("expected an amount, got a boolean")
    if isinstance(value, int | float):
        try:
            out = float(value)
        except OverflowError:  # an int beyond the float range
            raise ValueError("amount must be a finite number") from None
    elif isinstance(value, str):
        m = _MONEY_RE.match(value)
        if not m:
            raise ValueError(f"cannot read {value!r} as an amount (write e.g. 100e9, '100B' or '750M')")
        number, suffix = m.groups()
        exponent = _SCALE.get(suffix.lower())
        if exponent is None:
            raise ValueError(f"unknown scale {suffix!r} in {value!r} (use k, M, B or T)")
        try:
            out = float(Decimal(number.replace(",", "").replace("_", "")).scaleb(exponent))
        except ArithmeticError:  # decimal.InvalidOperation / Overflow, OverflowError
            raise ValueError(f"cannot read {value!r} as an amount") from None
    else:
        raise ValueError(f"expected an amount, got {type(value).__name__}")
    if math.isnan(out) or math.isinf(out):
        raise ValueError("amount must be a finite number")
    return out


def _money_or_none(value: Any) -> float | None:
    return None if value is None else parse_money(value)


# --------------------------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------------------------

_ID_RE = r"^[a-z0-9][a-z0-9._-]*$"
Identifier = Annotated[str, Field(pattern=_ID_RE, min_length=1, max_length=120)]


def _known_currency(code: str) -> str:
    if code not in CURRENCIES:
        raise ValueError(f"unknown currency {code!r}; expected one of {', '.join(sorted(CURRENCIES))}")
    return code


#: A currency code of :data:`CURRENCIES`; any other is a validation error that lists the accepted codes.
CurrencyCode = Annotated[str, AfterValidator(_known_currency)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def located(message: str, *path: str | int) -> PydanticCustomError:
    """A validation error of a whole record that belongs to one of its fields (``path``, e.g. ``"status_history",
    2, "date"``): readers report it at that field's line (see :mod:`junkan.ledger.validation`)."""
    return PydanticCustomError("located", "{message}", {"message": message, "at": path})


class Source(_Record):
    """Where a figure comes from. ``url`` is mandatory; ``kind`` says whether it is primary."""

    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    title: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    kind: SourceKind = SourceKind.news
    quote: str | None = None

    @property
    def is_primary(self) -> bool:
        """True for filings, press releases, regulator and court documents."""
        return self.kind in PRIMARY_SOURCE_KINDS


class Claim(_Record):
    """A widely repeated claim about a deal or figure, kept beside the sourced value with a verdict."""

    text: str
    verdict: Literal["unsupported", "wrong", "disputed", "confirmed"]
    note: str | None = None
    sources: list[Source] = Field(default_factory=list)


class EntityEvent(_Record):
    """A dated corporate event of a party: a merger or acquisition into ``successor``, a rename, a listing.

    From a ``merger`` or ``acquisition`` on, flows to or from the party are attributed to ``successor`` (an entity
    id of the same dataset); views as of an earlier date show the party as it was.
    """

    date: dt.date
    kind: Literal["merger", "acquisition", "rename", "listing", "delisting", "spin_off", "bankruptcy"]
    successor: Identifier | None = None
    name: str | None = None
    ticker: str | None = None
    terms: str | None = None
    sources: list[Source] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EntityEvent:
        if self.kind in ("merger", "acquisition") and self.successor is None:
            raise located(f"a {self.kind} event needs a successor (the id of the absorbing party)", "successor")
        if self.kind == "rename" and not self.name:
            raise located("a rename event needs the new name", "name")
        return self


class Entity(_Record):
    """A party to deals: a company, investor, lender, SPV, joint venture or the outside world."""

    id: Identifier
    name: str = Field(min_length=1)
    kind: EntityKind = EntityKind.company
    country: str | None = None
    ticker: str | None = None
    aliases: list[str] = Field(default_factory=list)
    parent: Identifier | None = None
    fate: str | None = None
    notes: str | None = None
    sources: list[Source] = Field(default_factory=list)
    events: list[EntityEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _events_in_order(self) -> Entity:
        for i, (a, b) in enumerate(itertools.pairwise(self.events)):
            if b.date < a.date:
                raise located(f"events must be in date order: {b.date} comes after {a.date}", "events", i + 1, "date")
        for i, ev in enumerate(self.events):
            if ev.successor == self.id:
                raise located(f"entity {self.id!r} cannot be its own successor", "events", i, "successor")
        return self

    def event_on(self, kinds: tuple[str, ...], when: dt.date) -> EntityEvent | None:
        """The first event of one of ``kinds`` dated on or before ``when``, or ``None``."""
        return next((ev for ev in self.events if ev.kind in kinds and ev.date <= when), None)


class Amount(_Record):
    """A money amount with its uncertainty.

    ``value`` is the headline or point estimate. ``low``/``high`` give a range ("tens of billions" is
    ``low=10e9, high=99e9``); ``up_to`` marks a ceiling ("up to $100B": ``high=100e9, up_to=true``).
    ``committed`` is what the payer is bound to (defaults to the headline), ``drawn`` what has actually moved.
    ``estimate`` marks a figure junkan's authors derived rather than read in a source.
    """

    value: float | None = None
    currency: CurrencyCode = "USD"
    low: float | None = None
    high: float | None = None
    up_to: bool = False
    committed: float | None = None
    drawn: float | None = None
    estimate: bool = False
    basis: str | None = None

    @field_validator("value", "low", "high", "committed", "drawn", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> float | None:
        return _money_or_none(v)

    @field_validator("value", "low", "high", "committed", "drawn")
    @classmethod
    def _non_negative(cls, v: float | None) -> float | None:
        if v is not None and v < 0:
            raise ValueError("amount must not be negative")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Amount:
        if self.value is None and self.low is None and self.high is None:
            raise ValueError("amount needs a value, or a low/high range")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is greater than high ({self.high:g})")
        if self.value is not None:
            if self.low is not None and self.value < self.low:
                raise ValueError(f"value ({self.value:g}) is below low ({self.low:g})")
            if self.high is not None and self.value > self.high:
                raise ValueError(f"value ({self.value:g}) is above high ({self.high:g})")
        if self.committed is not None and self.drawn is not None and self.drawn > self.committed * (1 + 1e-9):
            raise ValueError(f"drawn ({self.drawn:g}) exceeds committed ({self.committed:g})")
        return self

    @property
    def headline(self) -> float:
        """The point figure: ``value``, else the midpoint of ``low``/``high``, else whichever bound is given."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return float(self.high if self.high is not None else self.low)  # type: ignore[arg-type]

    @property
    def committed_value(self) -> float:
        """What the payer is bound to: ``committed`` if given, else the headline."""
        return self.committed if self.committed is not None else self.headline

    @property
    def drawn_value(self) -> float:
        """What has moved: ``drawn`` if given, else 0."""
        return self.drawn if self.drawn is not None else 0.0


class Tranche(_Record):
    """One step of a schedule: an amount due on a date, or on a condition (e.g. "each GW deployed")."""

    amount: float
    date: dt.date | None = None
    condition: str | None = None
    status: Status | None = None

    @field_validator("amount", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> float:
        return parse_money(v)

    @field_validator("amount")
    @classmethod
    def _non_negative(cls, v: float) -> float:
        if v < 0:
            raise ValueError("amount must not be negative")
        return v


class Schedule(_Record):
    """When the money of a deal moves.

    Either explicit ``tranches``; or ``per_unit`` steps (``unit_amount`` for each of ``units`` ``unit``s, e.g.
    $10B per GW for 10 GW); or an even spread from ``start`` to ``end``. ``capacity_gw`` records power capacity.
    """

    tranches: list[Tranche] = Field(default_factory=list)
    unit: str | None = None
    unit_amount: float | None = None
    units: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    capacity_gw: float | None = None
    notes: str | None = None

    @field_validator("unit_amount", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> float | None:
        return _money_or_none(v)

    @model_validator(mode="after")
    def _consistent(self) -> Schedule:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"schedule starts ({self.start}) after it ends ({self.end})")
        if (self.unit_amount is None) != (self.units is None):
            raise ValueError("per-unit schedules need both unit_amount and units")
        for name in ("unit_amount", "units", "capacity_gw"):
            v = getattr(self, name)
            if v is not None and not (0 <= v < math.inf):  # also rejects NaN
                raise ValueError(f"{name} must be a finite, non-negative number")
        return self


class StatusEvent(_Record):
    """A dated change of a deal's status, with its source.

    ``value``, ``committed`` and ``drawn`` (optional) restate the deal's amounts as known from this date on, so an
    as-of view shows the amounts of that date (e.g. ``drawn`` rising as tranches are paid). ``superseded_by`` names
    the successor deal of a ``superseded`` event.
    """

    date: dt.date
    status: Status
    sources: list[Source] = Field(min_length=1)
    value: float | None = None
    committed: float | None = None
    drawn: float | None = None
    superseded_by: Identifier | None = None
    note: str | None = None

    @field_validator("value", "committed", "drawn", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> float | None:
        return _money_or_none(v)

    @field_validator("value", "committed", "drawn")
    @classmethod
    def _non_negative(cls, v: float | None) -> float | None:
        if v is not None and v < 0:
            raise ValueError("amount must not be negative")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> StatusEvent:
        if self.status == Status.superseded and self.superseded_by is None:
            raise located("a superseded event needs superseded_by (the id of the successor deal)", "superseded_by")
        if self.superseded_by is not None and self.status != Status.superseded:
            raise located(f"superseded_by is only for a superseded event, not {self.status.value!r}", "superseded_by")
        return self


def restate(amount: Amount, event: StatusEvent, at: tuple[str | int, ...] = ()) -> Amount:
    """``amount`` with ``event``'s restated figures: ``value`` replaces the headline (and any low/high range),
    ``committed`` and ``drawn`` replace theirs; figures the event leaves out are kept."""
    changes: dict[str, Any] = {}
    if event.value is not None:
        changes.update(value=event.value, low=None, high=None, up_to=False)
    if event.committed is not None:
        changes["committed"] = event.committed
    if event.drawn is not None:
        changes["drawn"] = event.drawn
    if not changes:
        return amount
    new = amount.model_copy(update=changes)
    if new.committed is not None and new.drawn is not None and new.drawn > new.committed * (1 + 1e-9):
        raise located(
            f"status event on {event.date}: drawn ({new.drawn:g}) exceeds committed ({new.committed:g})",
            *at,
            "drawn" if event.drawn is not None else "committed",
        )
    return new


def check_transition(before: Status, after: Status) -> str | None:
    """Why ``before -> after`` is not an allowed status change, or ``None`` if it is (rules in :class:`Status`)."""
    if before in ENDED_STATUSES:
        return f"{after.value!r} cannot follow {before.value!r}: a {before.value} deal is final"
    if before in PROGRESS_ORDER and after in PROGRESS_ORDER and PROGRESS_ORDER[after] < PROGRESS_ORDER[before]:
        return f"{after.value!r} cannot follow {before.value!r}: progress statuses only move forward"
    return None


class Deal(_Record):
    """One announced arrangement between two parties. See :data:`DEAL_KINDS` for direction by kind.

    ``status_history`` (optional) holds the dated status events; the current ``status`` is the latest event's,
    and may then be left out. Without a history, ``status`` is required and dated to the deal's date.
    """

    id: Identifier
    date: dt.date
    kind: DealKind
    payer: Identifier
    payee: Identifier
    amount: Amount
    status: Status = None  # type: ignore[assignment]  # filled from status_history by the validator
    status_history: list[StatusEvent] = Field(default_factory=list)
    confidence: Confidence
    sources: list[Source] = Field(min_length=1)
    schedule: Schedule | None = None
    legs: list[Identifier] = Field(default_factory=list)
    end_date: dt.date | None = None
    title: str | None = None
    notes: str | None = None
    claims: list[Claim] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    _base_amount: Amount | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Deal:
        if self.payer == self.payee:
            raise ValueError(f"payer and payee are the same party ({self.payer})")
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError(f"end_date ({self.end_date}) is before the deal's date ({self.date})")
        if self.id in self.legs:
            raise ValueError("a deal cannot list itself among its legs")
        self._check_history()
        return self

    def _check_history(self) -> None:
        events = self.status_history
        self._base_amount = self.amount
        if not events:
            if self.status is None:
                raise ValueError("status is required (or give status_history)")
            return
        for i, ev in enumerate(events):
            if ev.date < self.date:
                raise located(
                    f"status event {ev.status.value!r} on {ev.date} is dated before the deal ({self.date})",
                    "status_history",
                    i,
                    "date",
                )
            if ev.superseded_by == self.id:
                raise located("a deal cannot be superseded by itself", "status_history", i, "superseded_by")
        for i, (a, b) in enumerate(itertools.pairwise(events), start=1):
            if b.date < a.date:
                raise located(
                    f"status events must be in date order: {b.date} comes after {a.date}", "status_history", i, "date"
                )
            why = check_transition(a.status, b.status)
            if why:
                raise located(f"status event on {b.date}: {why}", "status_history", i, "status")
        latest = events[-1].status
        if self.status is None:
            object.__setattr__(self, "status", latest)
        elif self.status != latest:
            raise located(
                f"status {self.status.value!r} differs from the latest status event ({latest.value!r} on "
                f"{events[-1].date}); leave status out or make them agree",
                "status",
            )
        amount = self.amount
        for i, ev in enumerate(events):
            amount = restate(amount, ev, ("status_history", i))
        # ``amount`` is the amount as known now; the amount as announced stays in ``base_amount``
        object.__setattr__(self, "amount", amount)

    @property
    def base_amount(self) -> Amount:
        """The amount as recorded in the deal's ``amount`` (as known on its date, before any status event's
        restatement); ``amount`` is this with every event's ``value``/``committed``/``drawn`` applied in order."""
        return self._base_amount if self._base_amount is not None else self.amount

    def status_on(self, when: dt.date) -> Status:
        """The status as known on ``when`` (on or after the deal's date).

        The latest status event on or before ``when``; without a history, ``status``; with a history whose first
        event is later than ``when``, ``announced`` (a deal's date is its announcement date).
        """
        events = [ev for ev in self.status_history if ev.date <= when]
        if events:
            return events[-1].status
        return self.status if not self.status_history else Status.announced

    def amount_on(self, when: dt.date) -> Amount:
        """The amount as known on ``when``: :attr:`base_amount` with the restatements of the events to that date."""
        amount = self.base_amount
        for i, ev in enumerate(self.status_history):
            if ev.date <= when:
                amount = restate(amount, ev, ("status_history", i))
        return amount

    @property
    def is_ended(self) -> bool:
        """True if the deal is cancelled, lapsed or superseded (it moves no money)."""
        return self.status in ENDED_STATUSES

    @property
    def superseded_by(self) -> str | None:
        """The successor deal's id if the deal is superseded, else ``None``."""
        if self.status_history and self.status_history[-1].superseded_by:
            return self.status_history[-1].superseded_by
        return None

    @property
    def nature(self) -> FlowNature:
        """The nature of this deal's payer -> payee flow (from :data:`DEAL_KINDS`)."""
        return DEAL_KINDS[self.kind].nature

    @property
    def has_primary_source(self) -> bool:
        """True if at least one source is a filing, press release, regulator or court document."""
        return any(s.is_primary for s in self.sources)


class Financial(_Record):
    """One sourced figure: ``entity`` x ``period`` x ``metric``. See :data:`FINANCIAL_METRICS` for units."""

    entity: Identifier
    period: str = Field(min_length=1, description="fiscal period label, e.g. 'FY2025' or 'Q2FY2026' or '2025-06'")
    period_end: dt.date
    metric: str
    value: float
    currency: CurrencyCode = "USD"
    confidence: Confidence
    sources: list[Source] = Field(min_length=1)
    estimate: bool = False
    counterparty: Identifier | None = None
    notes: str | None = None
    claims: list[Claim] = Field(default_factory=list)

    @field_validator("value", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> float:
        return parse_money(v)

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        if v not in FINANCIAL_METRICS:
            raise ValueError(f"unknown metric {v!r}; expected one of {', '.join(FINANCIAL_METRICS)}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Financial:
        unit = metric_unit(self.metric)
        if unit == "ratio" and not 0 <= self.value <= 1:
            raise ValueError(f"{self.metric} is a share and must lie between 0 and 1, got {self.value:g}")
        if unit == "count" and self.value < 0:
            raise ValueError(f"{self.metric} is a count and must not be negative")
        if self.metric in COUNTERPARTY_METRICS and self.counterparty is None:
            raise ValueError(f"{self.metric} needs a counterparty (the entity id of the customer)")
        return self


class FxRate(_Record):
    """An exchange rate: ``usd_per_unit`` US dollars for one unit of ``currency``, for ``year`` (annual average)."""

    currency: CurrencyCode
    year: int = Field(ge=1900, le=2100)
    usd_per_unit: float = Field(gt=0, allow_inf_nan=False)
    confidence: Confidence
    sources: list[Source] = Field(min_length=1)


class DatasetInfo(_Record):
    """Dataset metadata (``dataset.yaml``)."""

    name: Identifier
    title: str
    description: str | None = None
    as_of: dt.date | None = None
    scope: str | None = None
    base_currency: CurrencyCode = "USD"
    known_at: dt.date | None = Field(
        default=None,
        description="for a historical case: the date it is scored as known before the outcome (junkan assess "
        "--known-at), e.g. Lucent on 2000-06-30, before its customers failed",
    )
    known_at_basis: str | None = None
    focal_vendor: Identifier | None = Field(
        default=None,
        description="the vendor whose money the dataset follows (the party the stress summary and the report's "
        "answers quote revenue at risk for when no --focal is given), e.g. nvidia for ai-compute; must name an entity",
    )
    focal_vendor_basis: str | None = None
