"""Forensic accounting metrics: Beneish M-score, Dechow et al. F-score, accruals, DSO and cash conversion.

Every metric works on :class:`Statement` objects: one period of one entity's statement items. Conventions:

* Money is in **units of the statement's currency** (the same unit for every item and both years; ratios are
  unit-free, so thousands or millions work as well as long as they are not mixed).
* Flow items (``revenue``, ``cogs``, ``sga``, ``depreciation``, ``net_income``, ``income_continuing_ops``,
  ``operating_cash_flow``, ``stock_issued``, ``debt_issued``) cover the period, which is ``days`` long (365 unless
  stated). Stock items (``receivables``, ``total_assets``, ...) are balances at ``period_end``.
* Expenses are positive numbers (``cogs=600`` is a cost of 600); income items carry their sign (a loss is negative).
* A **required** item that is missing raises :class:`~junkan.errors.JunkanInputError` naming every missing item
  with its entity and period (all at once). A few items that many companies simply do not have (inventory,
  preferred stock, short- and long-term investments, ...) are *assumed zero* when missing; every result lists them
  in ``assumed_zero``.
* A ratio whose denominator is zero is ``nan``, never an exception; the result's ``undefined`` maps the ratio to the
  reason. A score that needs an undefined ratio is ``nan`` and its flag is ``None``.

References
----------
* Beneish, M. D. (1999). The Detection of Earnings Manipulation. *Financial Analysts Journal* 55(5), 24-36.
* Beneish, M. D., Lee, C. M. C., Nichols, D. C. (2013). Earnings Manipulation and Expected Returns. *Financial
  Analysts Journal* 69(2), 57-82 (adds ``securities`` to the asset-quality index; -1.78 cut-off).
* Dechow, P. M., Ge, W., Larson, C. R., Sloan, R. G. (2011). Predicting Material Accounting Misstatements.
  *Contemporary Accounting Research* 28(1), 17-82 (F-score, model 1).
* Richardson, S. A., Sloan, R. G., Soliman, M. T., Tuna, I. (2005). Accrual reliability, earnings persistence and
  stock prices. *Journal of Accounting and Economics* 39(3), 437-485 (RSST accruals).
* Sloan, R. G. (1996). Do Stock Prices Fully Reflect Information in Accruals and Cash Flows about Future Earnings?
  *The Accounting Review* 71(3), 289-315 (balance-sheet accruals).
* Hribar, P., Collins, D. W. (2002). Errors in Estimating Accruals: Implications for Empirical Research.
  *Journal of Accounting Research* 40(1), 105-134 (cash-flow-statement accruals).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from junkan.errors import InputProblem, JunkanInputError

if TYPE_CHECKING:
    import pandas as pd

    from junkan.ledger.model import Ledger

NAN = float("nan")

# --------------------------------------------------------------------------------------------------------------
# Published constants
# --------------------------------------------------------------------------------------------------------------

#: Beneish (1999) eight-variable (unweighted probit) model, as restated in Beneish, Lee & Nichols (2013).
BENEISH_8_COEFFICIENTS: dict[str, float] = {
    "intercept": -4.84,
    "dsri": 0.920,
    "gmi": 0.528,
    "aqi": 0.404,
    "sgi": 0.892,
    "depi": 0.115,
    "sgai": -0.172,
    "tata": 4.679,
    "lvgi": -0.327,
}
#: Beneish (1999) five-variable model (DSRI, GMI, AQI, SGI, DEPI), used where accruals data are unavailable.
BENEISH_5_COEFFICIENTS: dict[str, float] = {
    "intercept": -6.065,
    "dsri": 0.823,
    "gmi": 0.906,
    "aqi": 0.593,
    "sgi": 0.717,
    "depi": 0.107,
}
#: Cut-off of the eight-variable model (Beneish 1999's cut-off for a 20:1 relative cost of missing a manipulator;
#: the one Beneish, Lee & Nichols 2013 use). A score *above* it flags a likely manipulator.
BENEISH_THRESHOLD = -1.78
#: Cut-off widely quoted for the five-variable model (documented alternative, e.g. the MScore.XLS worksheet).
BENEISH_5_THRESHOLD = -2.22

#: Dechow, Ge, Larson & Sloan (2011), prediction model 1 (logistic regression on SEC AAER misstatement firm-years).
DECHOW_MODEL1_COEFFICIENTS: dict[str, float] = {
    "intercept": -7.893,
    "rsst_acc": 0.790,
    "ch_rec": 2.518,
    "ch_inv": 1.191,
    "soft_assets": 1.979,
    "ch_cs": 0.171,
    "ch_roa": -0.932,
    "issue": 1.029,
}
#: Unconditional probability of misstatement in Dechow et al.'s estimation sample: the F-score divides the
#: predicted probability by it, so F = 1 is the base rate.
DECHOW_UNCONDITIONAL_PROBABILITY = 0.0037
#: Dechow et al.: "values greater than one suggest a greater likelihood of a misstatement".
DECHOW_THRESHOLD = 1.0


# --------------------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------------------

#: Statement items and what each one means (money in currency units; flows over the period, stocks at its end).
STATEMENT_ITEMS: dict[str, str] = {
    "revenue": "flow: net sales / total revenue",
    "cogs": "flow: cost of goods sold / cost of revenue (positive)",
    "sga": "flow: selling, general and administrative expense (positive)",
    "depreciation": "flow: depreciation and amortisation expense (positive)",
    "net_income": "flow: net income (loss negative)",
    "income_continuing_ops": "flow: income from continuing operations before extraordinary items (optional)",
    "operating_cash_flow": "flow: net cash from operating activities",
    "stock_issued": "flow: proceeds from issuing common and preferred stock",
    "debt_issued": "flow: proceeds from issuing long-term debt",
    "receivables": "stock: accounts receivable, net",
    "inventory": "stock: inventories",
    "current_assets": "stock: total current assets",
    "cash": "stock: cash and cash equivalents",
    "short_term_investments": "stock: short-term investments / current marketable securities",
    "securities": "stock: long-term (non-current) investments and securities (Beneish AQI)",
    "long_term_investments": "stock: long-term investments and advances (RSST FIN)",
    "ppe_net": "stock: property, plant and equipment, net",
    "total_assets": "stock: total assets",
    "current_liabilities": "stock: total current liabilities",
    "debt_current": "stock: debt in current liabilities (short-term debt and current portion of long-term debt)",
    "long_term_debt": "stock: long-term debt, non-current",
    "total_liabilities": "stock: total liabilities",
    "preferred_stock": "stock: preferred stock (carrying value)",
    "income_taxes_payable": "stock: income taxes payable",
}


@dataclass(frozen=True)
class Statement:
    """One period of one entity's financial statement items (see the module docstring for conventions).

    Parameters
    ----------
    entity, period
        Who and which period (e.g. ``"nvidia"``, ``"FY2024"``); used in error messages and results.
    period_end
        Last day of the period, if known; consecutive statements are checked to be in order.
    days
        Length of the period in days (365 for a year; 364 or 371 for 52/53-week years; 91 for a quarter).
    currency
        ISO currency of every money item.
    """

    entity: str = "<entity>"
    period: str = "<period>"
    period_end: dt.date | None = None
    days: int = 365
    currency: str = "USD"
    revenue: float | None = None
    cogs: float | None = None
    sga: float | None = None
    depreciation: float | None = None
    net_income: float | None = None
    income_continuing_ops: float | None = None
    operating_cash_flow: float | None = None
    stock_issued: float | None = None
    debt_issued: float | None = None
    receivables: float | None = None
    inventory: float | None = None
    current_assets: float | None = None
    cash: float | None = None
    short_term_investments: float | None = None
    securities: float | None = None
    long_term_investments: float | None = None
    ppe_net: float | None = None
    total_assets: float | None = None
    current_liabilities: float | None = None
    debt_current: float | None = None
    long_term_debt: float | None = None
    total_liabilities: float | None = None
    preferred_stock: float | None = None
    income_taxes_payable: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.days, int) or isinstance(self.days, bool) or self.days <= 0:
            problems.append(
                self._problem("days", f"period length must be a positive number of days, got {self.days!r}")
            )
        for name in STATEMENT_ITEMS:
            v = getattr(self, name)
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, int | float):
                problems.append(self._problem(name, f"must be a number, got {type(v).__name__}"))
            elif not math.isfinite(v):
                problems.append(self._problem(name, f"must be a finite number, got {v!r}"))
            else:
                object.__setattr__(self, name, float(v))
        if problems:
            raise JunkanInputError(problems)

    def _problem(self, item: str, message: str) -> InputProblem:
        return InputProblem(f"{self.entity} {self.period}: {message}", field=item)

    def items(self) -> dict[str, float | None]:
        """The statement items (money figures) as a dict, ``None`` where not given."""
        return {name: getattr(self, name) for name in STATEMENT_ITEMS}

    @property
    def earnings(self) -> float | None:
        """Income from continuing operations if given, else net income (the basis of TATA and ROA)."""
        return self.income_continuing_ops if self.income_continuing_ops is not None else self.net_income

    @classmethod
    def from_mapping(
        cls,
        items: Mapping[str, Any],
        *,
        entity: str = "<entity>",
        period: str = "<period>",
        period_end: dt.date | None = None,
        days: int = 365,
        currency: str = "USD",
    ) -> Statement:
        """Build a statement from ``{item: value}``; unknown keys are an error (with the list of known items)."""
        unknown = sorted(set(items) - set(STATEMENT_ITEMS))
        if unknown:
            raise JunkanInputError(
                [
                    InputProblem(
                        f"{entity} {period}: unknown statement item; expected one of {', '.join(STATEMENT_ITEMS)}",
                        field=k,
                    )
                    for k in unknown
                ]
            )
        return cls(entity=entity, period=period, period_end=period_end, days=days, currency=currency, **dict(items))

    @classmethod
    def from_ledger(cls, ledger: Ledger, entity: str, period: str, *, days: int = 365) -> Statement:
        """Collect the statement items a ledger holds for ``entity`` and ``period``.

        Ledger metrics map one-to-one where names agree (``revenue``, ``cogs``, ``receivables``, ...). The ledger's
        ``cash`` metric includes marketable securities, so it fills ``cash`` here (``short_term_investments`` stays
        empty). The ledger's ``securities`` metric is not read: it may hold current securities, which Beneish's AQI
        already counts in current assets. Items the ledger lacks stay ``None``; the metric functions report what
        they need.
        """
        mapping = {
            "revenue": "revenue",
            "cogs": "cogs",
            "sga": "sga",
            "depreciation": "depreciation",
            "net_income": "net_income",
            "operating_cash_flow": "operating_cash_flow",
            "receivables": "receivables",
            "current_assets": "current_assets",
            "cash": "cash",
            "ppe_net": "ppe_net",
            "total_assets": "total_assets",
            "current_liabilities": "current_liabilities",
            "long_term_debt": "long_term_debt",
            "total_liabilities": "total_liabilities",
        }
        values: dict[str, float] = {}
        currencies: set[str] = set()
        end: dt.date | None = None
        for item, metric in mapping.items():
            rec = ledger.financial(entity, metric, period)
            if rec is None:
                continue
            values[item] = rec.value
            currencies.add(rec.currency)
            end = rec.period_end if end is None else max(end, rec.period_end)
        if len(currencies) > 1:
            raise JunkanInputError.single(
                f"{entity} {period}: financials mix currencies ({', '.join(sorted(currencies))}); convert first",
                file=ledger.origin,
            )
        return cls(
            entity=entity,
            period=period,
            period_end=end,
            days=days,
            currency=currencies.pop() if currencies else "USD",
            **values,
        )


def _require(model: str, needs: Mapping[str, Iterable[str]], statements: Mapping[str, Statement]) -> None:
    """Raise one JunkanInputError listing every required item missing from the named statements."""
    problems = []
    for role, names in needs.items():
        s = statements[role]
        for name in names:
            if getattr(s, name) is None and not (name == "earnings" and s.earnings is not None):
                what = "net_income (or income_continuing_ops)" if name == "earnings" else name
                problems.append(
                    InputProblem(f"{model} needs {what} for {s.entity} {s.period} ({role} period)", field=what)
                )
    if problems:
        raise JunkanInputError(problems)


def _check_order(*statements: Statement) -> None:
    """Statements must be of one entity (when named) and in time order (when dated), earliest last."""
    for later, earlier in itertools.pairwise(statements):
        if later.period_end and earlier.period_end and earlier.period_end >= later.period_end:
            raise JunkanInputError.single(
                f"{earlier.entity} {earlier.period} (ending {earlier.period_end}) must end before "
                f"{later.entity} {later.period} (ending {later.period_end}); pass the current period first",
                field="period_end",
            )
        if later.currency != earlier.currency:
            raise JunkanInputError.single(
                f"{later.entity}: {later.period} is in {later.currency} but {earlier.period} in {earlier.currency}",
                field="currency",
            )


class _Zeroes:
    """Reads optional items as zero and remembers which it had to assume."""

    def __init__(self) -> None:
        self.assumed: list[str] = []

    def get(self, s: Statement, name: str, role: str) -> float:
        v = getattr(s, name)
        if v is None:
            label = f"{name} ({role} {s.period})"
            if label not in self.assumed:
                self.assumed.append(label)
            return 0.0
        return float(v)


def _div(num: float, den: float, name: str, undefined: dict[str, str], what: str) -> float:
    """``num / den``, or ``nan`` with the reason recorded under ``name`` when ``den`` is zero."""
    if den == 0:
        undefined.setdefault(name, f"{what} is zero")
        return NAN
    return num / den


# --------------------------------------------------------------------------------------------------------------
# Beneish M-score
# --------------------------------------------------------------------------------------------------------------

BENEISH_RATIOS = ("dsri", "gmi", "aqi", "sgi", "depi", "sgai", "lvgi", "tata")


def m_score(ratios: Mapping[str, float], model: Literal["8", "5"] = "8") -> float:
    """Combine Beneish index values into an M-score.

    ``model="8"``: M = -4.84 + 0.920 DSRI + 0.528 GMI + 0.404 AQI + 0.892 SGI + 0.115 DEPI - 0.172 SGAI
    + 4.679 TATA - 0.327 LVGI (Beneish 1999, eight-variable model). ``model="5"``: M = -6.065 + 0.823 DSRI
    + 0.906 GMI + 0.593 AQI + 0.717 SGI + 0.107 DEPI (Beneish 1999, five-variable model). Keys are lower case
    (``dsri``...); a missing key is a :class:`JunkanInputError`. ``nan`` inputs give ``nan``.
    """
    coefs = BENEISH_8_COEFFICIENTS if model == "8" else BENEISH_5_COEFFICIENTS
    missing = [k for k in coefs if k != "intercept" and k not in ratios]
    if missing:
        raise JunkanInputError(
            [InputProblem(f"the {model}-variable M-score needs {k.upper()}", field=k) for k in missing]
        )
    return coefs["intercept"] + sum(c * float(ratios[k]) for k, c in coefs.items() if k != "intercept")


@dataclass(frozen=True)
class BeneishResult:
    """A Beneish M-score with its eight indices, flags and the inputs used.

    ``m_score`` is the eight-variable model, flagged when above ``threshold`` (-1.78). ``m_score_5`` is the
    five-variable model, flagged when above -2.22. ``undefined`` names indices that are ``nan`` and why;
    ``assumed_zero`` lists optional items read as zero; ``earnings_basis`` says which income TATA used.
    """

    entity: str
    period: str
    prior_period: str
    dsri: float
    gmi: float
    aqi: float
    sgi: float
    depi: float
    sgai: float
    lvgi: float
    tata: float
    m_score: float
    m_score_5: float
    threshold: float
    flagged: bool | None
    flagged_5: bool | None
    earnings_basis: str
    undefined: dict[str, str] = field(default_factory=dict)
    assumed_zero: tuple[str, ...] = ()
    inputs: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def ratios(self) -> dict[str, float]:
        """The eight indices, lower-case keys."""
        return {k: getattr(self, k) for k in BENEISH_RATIOS}

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain Python (JSON-ready except ``nan``)."""
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per index with its value, coefficient and contribution to the eight-variable M-score."""
        import pandas as pd

        rows = [
            {
                "ratio": k.upper(),
                "value": getattr(self, k),
                "coefficient": BENEISH_8_COEFFICIENTS[k],
                "contribution": BENEISH_8_COEFFICIENTS[k] * getattr(self, k),
                "undefined": self.undefined.get(k),
            }
            for k in BENEISH_RATIOS
        ]
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """One line for a report."""
        if self.flagged is None:
            return f"{self.entity} {self.period}: M-score undefined ({'; '.join(self.undefined.values())})"
        verdict = "above" if self.flagged else "below"
        return (
            f"{self.entity} {self.period}: M-score {self.m_score:.2f} ({verdict} the {self.threshold:g} cut-off; "
            f"five-variable {self.m_score_5:.2f})"
        )


def beneish_mscore(current: Statement, prior: Statement, *, threshold: float = BENEISH_THRESHOLD) -> BeneishResult:
    """Beneish (1999) eight-variable M-score of ``current`` against the ``prior`` year.

    Indices (t = current, t-1 = prior; Beneish 1999; ``securities`` as in Beneish, Lee & Nichols 2013)::

        DSRI = (receivables_t / revenue_t) / (receivables_t-1 / revenue_t-1)
        GMI  = gross margin_t-1 / gross margin_t,   gross margin = (revenue - cogs) / revenue
        AQI  = [1 - (current_assets_t + ppe_net_t + securities_t) / total_assets_t] / [same at t-1]
        SGI  = revenue_t / revenue_t-1
        DEPI = [dep_t-1 / (dep_t-1 + ppe_net_t-1)] / [dep_t / (dep_t + ppe_net_t)]
        SGAI = (sga_t / revenue_t) / (sga_t-1 / revenue_t-1)
        LVGI = [(current_liabilities_t + long_term_debt_t) / total_assets_t] / [same at t-1]
        TATA = (income from continuing operations_t - operating_cash_flow_t) / total_assets_t

    M = -4.84 + 0.920 DSRI + 0.528 GMI + 0.404 AQI + 0.892 SGI + 0.115 DEPI - 0.172 SGAI + 4.679 TATA - 0.327 LVGI,
    flagged when M > ``threshold`` (-1.78). The five-variable model (-6.065 + 0.823 DSRI + 0.906 GMI + 0.593 AQI
    + 0.717 SGI + 0.107 DEPI, cut-off -2.22) is reported beside it. TATA uses ``income_continuing_ops`` when given,
    else ``net_income`` (``earnings_basis`` says which). ``securities`` is assumed zero when missing (that is
    Beneish's 1999 AQI).

    Raises
    ------
    JunkanInputError
        Listing every missing required item (with entity and period), or if the statements are out of order.
    """
    _check_order(current, prior)
    required = (
        "revenue",
        "cogs",
        "receivables",
        "current_assets",
        "ppe_net",
        "total_assets",
        "depreciation",
        "sga",
        "current_liabilities",
        "long_term_debt",
    )
    _require(
        "Beneish M-score",
        {"current": (*required, "earnings", "operating_cash_flow"), "prior": required},
        {"current": current, "prior": prior},
    )
    z = _Zeroes()
    c, p = current, prior
    u: dict[str, str] = {}
    f = _floats
    rev, rev0 = f(c.revenue), f(p.revenue)
    dsri = _div(
        _div(f(c.receivables), rev, "dsri", u, f"revenue of {c.period}"),
        _div(f(p.receivables), rev0, "dsri", u, f"revenue of {p.period}"),
        "dsri",
        u,
        f"receivables of {p.period}",
    )
    gm = _div(rev - f(c.cogs), rev, "gmi", u, f"revenue of {c.period}")
    gm0 = _div(rev0 - f(p.cogs), rev0, "gmi", u, f"revenue of {p.period}")
    gmi = _div(gm0, gm, "gmi", u, f"gross margin of {c.period}")
    soft = 1 - _div(
        f(c.current_assets) + f(c.ppe_net) + z.get(c, "securities", "current"),
        f(c.total_assets),
        "aqi",
        u,
        f"total assets of {c.period}",
    )
    soft0 = 1 - _div(
        f(p.current_assets) + f(p.ppe_net) + z.get(p, "securities", "prior"),
        f(p.total_assets),
        "aqi",
        u,
        f"total assets of {p.period}",
    )
    aqi = _div(soft, soft0, "aqi", u, f"share of soft assets in {p.period}")
    sgi = _div(rev, rev0, "sgi", u, f"revenue of {p.period}")
    dep_rate = _div(
        f(c.depreciation), f(c.depreciation) + f(c.ppe_net), "depi", u, f"depreciation + PP&E of {c.period}"
    )
    dep_rate0 = _div(
        f(p.depreciation), f(p.depreciation) + f(p.ppe_net), "depi", u, f"depreciation + PP&E of {p.period}"
    )
    depi = _div(dep_rate0, dep_rate, "depi", u, f"depreciation rate of {c.period}")
    sgai = _div(
        _div(f(c.sga), rev, "sgai", u, f"revenue of {c.period}"),
        _div(f(p.sga), rev0, "sgai", u, f"revenue of {p.period}"),
        "sgai",
        u,
        f"SG&A of {p.period}",
    )
    lev = _div(
        f(c.current_liabilities) + f(c.long_term_debt), f(c.total_assets), "lvgi", u, f"total assets of {c.period}"
    )
    lev0 = _div(
        f(p.current_liabilities) + f(p.long_term_debt), f(p.total_assets), "lvgi", u, f"total assets of {p.period}"
    )
    lvgi = _div(lev, lev0, "lvgi", u, f"leverage of {p.period}")
    tata = _div(f(c.earnings) - f(c.operating_cash_flow), f(c.total_assets), "tata", u, f"total assets of {c.period}")
    ratios = {"dsri": dsri, "gmi": gmi, "aqi": aqi, "sgi": sgi, "depi": depi, "sgai": sgai, "lvgi": lvgi, "tata": tata}
    m8 = m_score(ratios, "8")
    m5 = m_score(ratios, "5")
    return BeneishResult(
        entity=c.entity,
        period=c.period,
        prior_period=p.period,
        **ratios,
        m_score=m8,
        m_score_5=m5,
        threshold=threshold,
        flagged=None if math.isnan(m8) else m8 > threshold,
        flagged_5=None if math.isnan(m5) else m5 > BENEISH_5_THRESHOLD,
        earnings_basis="income_continuing_ops" if c.income_continuing_ops is not None else "net_income",
        undefined=u,
        assumed_zero=tuple(z.assumed),
        inputs={"current": c.items(), "prior": p.items()},
    )


def _floats(v: float | None) -> float:
    # Only called after _require has checked presence.
    assert v is not None
    return float(v)


# --------------------------------------------------------------------------------------------------------------
# Dechow et al. (2011) F-score
# --------------------------------------------------------------------------------------------------------------

DECHOW_VARIABLES = ("rsst_acc", "ch_rec", "ch_inv", "soft_assets", "ch_cs", "ch_roa", "issue")


@dataclass(frozen=True)
class DechowResult:
    """A Dechow et al. (2011) model-1 F-score with its seven variables and the inputs used.

    ``predicted`` is the linear predictor, ``probability`` = e^v / (1 + e^v), ``f_score`` = probability / 0.0037,
    flagged when above 1 (above the unconditional misstatement rate). ``approximations`` lists any stand-ins used
    because the year t-2 was not given (only with ``allow_approximation=True``).
    """

    entity: str
    period: str
    prior_period: str
    rsst_acc: float
    ch_rec: float
    ch_inv: float
    soft_assets: float
    ch_cs: float
    ch_roa: float
    issue: int
    predicted: float
    probability: float
    f_score: float
    threshold: float
    flagged: bool | None
    earnings_basis: str
    components: dict[str, float] = field(default_factory=dict)
    undefined: dict[str, str] = field(default_factory=dict)
    assumed_zero: tuple[str, ...] = ()
    approximations: tuple[str, ...] = ()
    inputs: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def variables(self) -> dict[str, float]:
        """The seven model variables."""
        return {k: float(getattr(self, k)) for k in DECHOW_VARIABLES}

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain Python (JSON-ready except ``nan``)."""
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per variable with its value, coefficient and contribution to the predicted value."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "variable": k,
                    "value": float(getattr(self, k)),
                    "coefficient": DECHOW_MODEL1_COEFFICIENTS[k],
                    "contribution": DECHOW_MODEL1_COEFFICIENTS[k] * float(getattr(self, k)),
                    "undefined": self.undefined.get(k),
                }
                for k in DECHOW_VARIABLES
            ]
        )

    def summary(self) -> str:
        """One line for a report."""
        if self.flagged is None:
            return f"{self.entity} {self.period}: F-score undefined ({'; '.join(self.undefined.values())})"
        return (
            f"{self.entity} {self.period}: F-score {self.f_score:.2f} (misstatement probability "
            f"{self.probability:.2%}, {self.f_score:.2f}x the base rate)"
        )


def f_score(variables: Mapping[str, float]) -> tuple[float, float, float]:
    """Dechow et al. (2011) model 1 from its seven variables: ``(predicted value, probability, F-score)``.

    predicted = -7.893 + 0.790 rsst_acc + 2.518 ch_rec + 1.191 ch_inv + 1.979 soft_assets + 0.171 ch_cs
    - 0.932 ch_roa + 1.029 issue; probability = e^v / (1 + e^v); F-score = probability / 0.0037.
    """
    missing = [k for k in DECHOW_VARIABLES if k not in variables]
    if missing:
        raise JunkanInputError([InputProblem(f"the F-score needs {k}", field=k) for k in missing])
    v = DECHOW_MODEL1_COEFFICIENTS["intercept"] + sum(
        DECHOW_MODEL1_COEFFICIENTS[k] * float(variables[k]) for k in DECHOW_VARIABLES
    )
    if math.isnan(v):
        return NAN, NAN, NAN
    # numerically stable logistic
    prob = 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))
    return v, prob, prob / DECHOW_UNCONDITIONAL_PROBABILITY


def _rsst_parts(s: Statement, role: str, z: _Zeroes) -> tuple[float, float, float]:
    """Richardson et al. (2005) WC, NCO and FIN of one balance sheet (Dechow et al. 2011 definitions)."""
    cash_sti = _floats(s.cash) + z.get(s, "short_term_investments", role)
    std = z.get(s, "debt_current", role)
    ltd = z.get(s, "long_term_debt", role)
    lti = z.get(s, "long_term_investments", role)
    ca, cl = _floats(s.current_assets), _floats(s.current_liabilities)
    ta, tl = _floats(s.total_assets), _floats(s.total_liabilities)
    wc = (ca - cash_sti) - (cl - std)
    nco = (ta - ca - lti) - (tl - cl - ltd)
    fin = (z.get(s, "short_term_investments", role) + lti) - (ltd + std + z.get(s, "preferred_stock", role))
    return wc, nco, fin


def dechow_fscore(
    current: Statement,
    prior: Statement,
    prior2: Statement | None = None,
    *,
    allow_approximation: bool = False,
) -> DechowResult:
    """Dechow, Ge, Larson & Sloan (2011) F-score (model 1) of ``current`` (t) given ``prior`` (t-1), ``prior2`` (t-2).

    Variables (definitions of Dechow et al. 2011; average total assets ATA_t = (TA_t + TA_t-1) / 2)::

        WC  = (current_assets - cash - short_term_investments) - (current_liabilities - debt_current)
        NCO = (total_assets - current_assets - long_term_investments)
              - (total_liabilities - current_liabilities - long_term_debt)
        FIN = (short_term_investments + long_term_investments) - (long_term_debt + debt_current + preferred_stock)
        rsst_acc    = (dWC + dNCO + dFIN) / ATA_t                       (Richardson et al. 2005)
        ch_rec      = d receivables / ATA_t
        ch_inv      = d inventory / ATA_t
        soft_assets = (total_assets - ppe_net - cash - short_term_investments) / total_assets   (t)
        ch_cs       = (CS_t - CS_t-1) / CS_t-1, cash sales CS = revenue - d receivables
        ch_roa      = earnings_t / ATA_t - earnings_t-1 / ATA_t-1
        issue       = 1 if stock_issued > 0 or debt_issued > 0 in year t, else 0

    ``cash`` + ``short_term_investments`` stands for Compustat CHE (cash and short-term investments). Earnings are
    income before extraordinary items (``income_continuing_ops`` when given, else ``net_income``). CS_t-1 and
    ATA_t-1 need year t-2 (receivables and total assets); without ``prior2`` this raises unless
    ``allow_approximation=True``, which then uses ATA_t-1 = TA_t-1 and CS_t-1 = revenue_t-1 and records both in
    ``approximations``. Optional items (inventory, investments, current debt, long-term debt, preferred stock,
    issuance proceeds) are assumed zero when missing and listed in ``assumed_zero``.

    Returns the predicted value v = -7.893 + 0.790 rsst_acc + 2.518 ch_rec + 1.191 ch_inv + 1.979 soft_assets
    + 0.171 ch_cs - 0.932 ch_roa + 1.029 issue, the probability e^v / (1 + e^v) and F = probability / 0.0037.
    """
    if prior2 is not None:
        _check_order(current, prior, prior2)
    else:
        _check_order(current, prior)
    bs = ("total_assets", "current_assets", "current_liabilities", "total_liabilities", "cash", "receivables")
    needs: dict[str, tuple[str, ...]] = {
        "current": (*bs, "ppe_net", "revenue", "earnings"),
        "prior": (*bs, "revenue", "earnings"),
    }
    statements = {"current": current, "prior": prior}
    if prior2 is not None:
        needs["prior2"] = ("total_assets", "receivables")
        statements["prior2"] = prior2
    elif not allow_approximation:
        raise JunkanInputError.single(
            f"the F-score needs year t-2 (total_assets and receivables before {prior.entity} {prior.period}) for "
            "ch_cs and ch_roa; pass prior2, or allow_approximation=True to use stand-ins",
            field="prior2",
        )
    _require("Dechow F-score", needs, statements)

    z = _Zeroes()
    u: dict[str, str] = {}
    approx: list[str] = []
    c, p = current, prior
    f = _floats
    ata = (f(c.total_assets) + f(p.total_assets)) / 2
    if prior2 is not None:
        ata0 = (f(p.total_assets) + f(prior2.total_assets)) / 2
        d_rec0 = f(p.receivables) - f(prior2.receivables)
    else:
        ata0 = f(p.total_assets)
        d_rec0 = 0.0
        approx.append(f"average total assets of {p.period} taken as its year-end total assets (no t-2 given)")
        approx.append(f"cash sales of {p.period} taken as its revenue (no t-2 receivables given)")

    wc, nco, fin = _rsst_parts(c, "current", z)
    wc0, nco0, fin0 = _rsst_parts(p, "prior", z)
    d_wc, d_nco, d_fin = wc - wc0, nco - nco0, fin - fin0
    d_rec = f(c.receivables) - f(p.receivables)
    d_inv = z.get(c, "inventory", "current") - z.get(p, "inventory", "prior")
    cs = f(c.revenue) - d_rec
    cs0 = f(p.revenue) - d_rec0
    issue = int(z.get(c, "stock_issued", "current") > 0 or z.get(c, "debt_issued", "current") > 0)
    variables = {
        "rsst_acc": _div(d_wc + d_nco + d_fin, ata, "rsst_acc", u, f"average total assets of {c.period}"),
        "ch_rec": _div(d_rec, ata, "ch_rec", u, f"average total assets of {c.period}"),
        "ch_inv": _div(d_inv, ata, "ch_inv", u, f"average total assets of {c.period}"),
        "soft_assets": _div(
            f(c.total_assets) - f(c.ppe_net) - f(c.cash) - z.get(c, "short_term_investments", "current"),
            f(c.total_assets),
            "soft_assets",
            u,
            f"total assets of {c.period}",
        ),
        "ch_cs": _div(cs - cs0, cs0, "ch_cs", u, f"cash sales of {p.period}"),
        "ch_roa": _div(f(c.earnings), ata, "ch_roa", u, f"average total assets of {c.period}")
        - _div(f(p.earnings), ata0, "ch_roa", u, f"average total assets of {p.period}"),
        "issue": float(issue),
    }
    v, prob, fs = f_score(variables)
    return DechowResult(
        entity=c.entity,
        period=c.period,
        prior_period=p.period,
        rsst_acc=variables["rsst_acc"],
        ch_rec=variables["ch_rec"],
        ch_inv=variables["ch_inv"],
        soft_assets=variables["soft_assets"],
        ch_cs=variables["ch_cs"],
        ch_roa=variables["ch_roa"],
        issue=issue,
        predicted=v,
        probability=prob,
        f_score=fs,
        threshold=DECHOW_THRESHOLD,
        flagged=None if math.isnan(fs) else fs > DECHOW_THRESHOLD,
        earnings_basis="income_continuing_ops" if c.income_continuing_ops is not None else "net_income",
        components={
            "wc": wc,
            "wc_prior": wc0,
            "nco": nco,
            "nco_prior": nco0,
            "fin": fin,
            "fin_prior": fin0,
            "avg_total_assets": ata,
            "avg_total_assets_prior": ata0,
            "cash_sales": cs,
            "cash_sales_prior": cs0,
        },
        undefined=u,
        assumed_zero=tuple(z.assumed),
        approximations=tuple(approx),
        inputs={
            "current": c.items(),
            "prior": p.items(),
            **({"prior2": prior2.items()} if prior2 is not None else {}),
        },
    )


# --------------------------------------------------------------------------------------------------------------
# Simple ratios: accruals, DSO, cash conversion
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One computed ratio: ``value`` (``nan`` when undefined, with ``reason``), an optional ``note`` on how to read
    it, the ``method`` and the ``inputs`` it used."""

    name: str
    entity: str
    period: str
    value: float
    unit: str
    method: str
    reason: str | None = None
    note: str | None = None
    inputs: dict[str, float | None] = field(default_factory=dict)

    @property
    def defined(self) -> bool:
        """False when the value is ``nan``."""
        return not math.isnan(self.value)

    def to_dict(self) -> dict[str, Any]:
        """Plain Python."""
        return asdict(self)


def accruals_ratio(
    current: Statement,
    prior: Statement,
    *,
    method: Literal["balance_sheet", "cash_flow"] = "balance_sheet",
) -> Metric:
    """Total accruals scaled by average total assets (Sloan 1996).

    ``method="balance_sheet"`` (Sloan 1996, eq. 1)::

        accruals = (dCA - dCash) - (dCL - dSTD - dTP) - Dep

    with CA current assets, Cash cash and short-term investments, CL current liabilities, STD debt in current
    liabilities, TP income taxes payable, Dep depreciation and amortisation (STD and TP assumed zero when missing).
    ``method="cash_flow"`` (Hribar & Collins 2002): accruals = earnings - operating cash flow, with earnings the
    income before extraordinary items (else net income). Both are divided by (TA_t + TA_t-1) / 2. High positive
    values mean earnings run ahead of cash; Sloan (1996) finds that firms in the highest accrual decile have lower
    future earnings persistence and stock returns.
    """
    _check_order(current, prior)
    c, p = current, prior
    f = _floats
    z = _Zeroes()
    if method == "balance_sheet":
        needs = ("current_assets", "cash", "current_liabilities", "total_assets")
        _require(
            "Sloan accruals (balance sheet)",
            {"current": (*needs, "depreciation"), "prior": needs},
            {"current": c, "prior": p},
        )
        d_ca = f(c.current_assets) - f(p.current_assets)
        d_cash = (f(c.cash) + z.get(c, "short_term_investments", "current")) - (
            f(p.cash) + z.get(p, "short_term_investments", "prior")
        )
        d_cl = f(c.current_liabilities) - f(p.current_liabilities)
        d_std = z.get(c, "debt_current", "current") - z.get(p, "debt_current", "prior")
        d_tp = z.get(c, "income_taxes_payable", "current") - z.get(p, "income_taxes_payable", "prior")
        accruals = (d_ca - d_cash) - (d_cl - d_std - d_tp) - f(c.depreciation)
        formula = "((dCA - dCash) - (dCL - dSTD - dTP) - Dep) / average total assets (Sloan 1996)"
    elif method == "cash_flow":
        _require(
            "Sloan accruals (cash flow)",
            {"current": ("earnings", "operating_cash_flow", "total_assets"), "prior": ("total_assets",)},
            {"current": c, "prior": p},
        )
        accruals = f(c.earnings) - f(c.operating_cash_flow)
        formula = "(earnings - operating cash flow) / average total assets (Hribar & Collins 2002)"
    else:
        raise JunkanInputError.single(
            f"unknown accruals method {method!r}; use balance_sheet or cash_flow", field="method"
        )
    avg = (f(c.total_assets) + f(p.total_assets)) / 2
    u: dict[str, str] = {}
    value = _div(accruals, avg, "accruals", u, f"average total assets of {c.period}")
    note = f"assumed zero: {', '.join(z.assumed)}" if z.assumed else None
    return Metric(
        name="accruals_ratio",
        entity=c.entity,
        period=c.period,
        value=value,
        unit="ratio",
        method=formula,
        reason=u.get("accruals"),
        note=note,
        inputs={"accruals": accruals, "average_total_assets": avg},
    )


def days_sales_outstanding(statement: Statement) -> Metric:
    """Days sales outstanding: receivables / revenue x period length in days.

    The period length is ``statement.days`` (365 for a year; pass 91 or 92 for a quarter, 364/371 for 52/53-week
    years) and is recorded in the result. Receivables are period-end (not average) balances, the convention of
    Beneish's DSRI, so DSO_t / DSO_t-1 equals DSRI when both periods have the same length.
    """
    s = statement
    _require("days sales outstanding", {"current": ("receivables", "revenue")}, {"current": s})
    u: dict[str, str] = {}
    value = _div(_floats(s.receivables), _floats(s.revenue), "dso", u, f"revenue of {s.period}") * s.days
    return Metric(
        name="dso",
        entity=s.entity,
        period=s.period,
        value=value,
        unit="days",
        method=f"receivables / revenue x {s.days} days",
        reason=u.get("dso"),
        inputs={"receivables": s.receivables, "revenue": s.revenue, "days": float(s.days)},
    )


@dataclass(frozen=True)
class DsoTrend:
    """DSO across periods, oldest first: values, changes in days, growth (DSO_t / DSO_t-1) and whether it rose
    in every step."""

    entity: str
    periods: tuple[str, ...]
    dso: tuple[float, ...]
    change_days: tuple[float, ...]
    growth: tuple[float, ...]
    rising: bool | None
    reasons: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per period."""
        import pandas as pd

        return pd.DataFrame(
            {
                "period": self.periods,
                "dso": self.dso,
                "change_days": (NAN, *self.change_days),
                "growth": (NAN, *self.growth),
            }
        )


def dso_trend(statements: Sequence[Statement]) -> DsoTrend:
    """Days sales outstanding per period and its trend (Beneish 1999 reads a jump in DSO as a red flag).

    ``statements`` are of one entity; they are sorted oldest first by ``period_end`` when every one is dated,
    else taken in the order given (oldest first). At least two are needed.
    """
    if len(statements) < 2:
        raise JunkanInputError.single("a DSO trend needs at least two periods", field="statements")
    entities = {s.entity for s in statements}
    if len(entities) > 1:
        raise JunkanInputError.single(
            f"a DSO trend is for one entity, got {', '.join(sorted(entities))}", field="entity"
        )
    ordered = list(statements)
    if all(s.period_end is not None for s in ordered):
        ordered.sort(key=lambda s: s.period_end)  # type: ignore[arg-type, return-value]
    metrics = [days_sales_outstanding(s) for s in ordered]
    values = tuple(m.value for m in metrics)
    reasons = {m.period: m.reason for m in metrics if m.reason}
    changes = tuple(b - a for a, b in itertools.pairwise(values))
    growth = []
    for (a, b), s in zip(itertools.pairwise(values), ordered[1:], strict=True):
        if a == 0:
            reasons.setdefault(s.period, f"DSO of the period before {s.period} is zero; growth undefined")
            growth.append(NAN)
        else:
            growth.append(b / a)
    rising = None if any(math.isnan(x) for x in changes) else all(x > 0 for x in changes)
    return DsoTrend(
        entity=ordered[0].entity,
        periods=tuple(s.period for s in ordered),
        dso=values,
        change_days=changes,
        growth=tuple(growth),
        rising=rising,
        reasons=reasons,
    )


def cash_conversion(statement: Statement) -> Metric:
    """Cash conversion: operating cash flow / net income.

    Values near or above 1 mean earnings are backed by cash; persistently below 1 is the accruals red flag of
    Sloan (1996). With zero net income the ratio is ``nan`` (``reason`` says so); with a loss it is computed but
    ``note`` warns that its sign is not interpretable.
    """
    s = statement
    _require("cash conversion", {"current": ("operating_cash_flow", "net_income")}, {"current": s})
    u: dict[str, str] = {}
    ni = _floats(s.net_income)
    value = _div(_floats(s.operating_cash_flow), ni, "cash_conversion", u, f"net income of {s.period}")
    note = "net income is negative: the ratio's sign is not interpretable" if ni < 0 else None
    return Metric(
        name="cash_conversion",
        entity=s.entity,
        period=s.period,
        value=value,
        unit="ratio",
        method="operating cash flow / net income",
        reason=u.get("cash_conversion"),
        note=note,
        inputs={"operating_cash_flow": s.operating_cash_flow, "net_income": s.net_income},
    )


__all__ = [
    "BENEISH_5_COEFFICIENTS",
    "BENEISH_5_THRESHOLD",
    "BENEISH_8_COEFFICIENTS",
    "BENEISH_THRESHOLD",
    "DECHOW_MODEL1_COEFFICIENTS",
    "DECHOW_THRESHOLD",
    "DECHOW_UNCONDITIONAL_PROBABILITY",
    "STATEMENT_ITEMS",
    "BeneishResult",
    "DechowResult",
    "DsoTrend",
    "Metric",
    "Statement",
    "accruals_ratio",
    "beneish_mscore",
    "cash_conversion",
    "days_sales_outstanding",
    "dechow_fscore",
    "dso_trend",
    "f_score",
    "m_score",
]
