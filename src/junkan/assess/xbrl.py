"""Import SEC XBRL "companyfacts" JSON into statement inputs and junkan ``Financial`` records.

SEC publishes every XBRL fact a company has filed at ``https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json``
(SEC, "EDGAR Application Programming Interfaces", https://www.sec.gov/search-filings/edgar-application-programming-interfaces).
The document is::

    {"cik": 1045810, "entityName": "NVIDIA CORP",
     "facts": {"us-gaap": {"Assets": {"label": ..., "description": ...,
                                      "units": {"USD": [{"end": "2024-01-28", "val": 65728000000,
                                                         "accn": "0001045810-24-000029", "fy": 2024, "fp": "FY",
                                                         "form": "10-K", "filed": "2024-02-21", "frame": "CY2023Q4I"},
                                                        ...]}}}}}

Duration facts (income and cash-flow items) also carry ``start``. How this importer reads it:

* **Annual facts only**: ``form`` 10-K (or 10-K/A, 10-KT) and ``fp`` "FY". A 10-K repeats prior years as
  comparatives under the *filing's* ``fy``, so a fact's fiscal year is taken from its period ``end``, never from its
  ``fy`` field. Flow items must span a full year (350 to 380 days, which admits 52/53-week years); quarterly
  facts inside a 10-K (a fourth quarter shown alone) are dropped. Stock items are read at fiscal-year ends (the ends
  of the annual flow facts).
* **Fiscal-year label**: the ``fy`` of the 10-K whose own (latest) annual period ends on that date; ends only seen
  as comparatives are labelled by their distance in years from a labelled end.
* **Restatements**: the same period is often reported by several filings, sometimes with a restated value.
  ``restated="latest"`` (default) keeps the value of the latest ``filed`` filing (ties broken by accession number):
  figures as last reported, the right basis for comparing years. ``restated="original"`` keeps the earliest filing
  instead: figures as first reported, the basis of point-in-time forensic work (what investors saw).
* **Concepts**: :data:`CONCEPTS` maps each statement item to us-gaap concepts in priority order; for each year the
  first concept with an annual fact wins (companies switch tags, e.g. ``SalesRevenueNet`` before ASC 606 and
  ``RevenueFromContractWithCustomerExcludingAssessedTax`` after). The chosen concept and filing are kept in
  ``provenance``.
* Only facts in the requested unit (``USD`` by default) are read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from junkan.assess.forensic import STATEMENT_ITEMS, Statement
from junkan.errors import InputProblem, JunkanInputError, ProblemCollector
from junkan.fileio import write_text_atomic
from junkan.ledger.schema import CURRENCIES, Confidence, Financial, Source, SourceKind

COMPANYFACTS_URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK{cik:010d}.json"
ARCHIVE_URL = "https://www.sec.gov/Archives/edgar/data/{cik}/{accn}/"
ANNUAL_FORMS = frozenset({"10-K", "10-K/A", "10-KT", "10-KT/A"})
#: A flow fact counts as annual if its period spans this many days (inclusive): 52/53-week years are 364/371 days.
ANNUAL_DAYS = (350, 380)

#: Statement item -> us-gaap concepts, highest priority first.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "revenue": (
        "Revenues",
        "RevenueFromContractWithCustomerExcludingAssessedTax",
        "SalesRevenueNet",
        "RevenueFromContractWithCustomerIncludingAssessedTax",
        "SalesRevenueGoodsNet",
    ),
    "cogs": ("CostOfRevenue", "CostOfGoodsAndServicesSold", "CostOfGoodsSold"),
    "sga": ("SellingGeneralAndAdministrativeExpense",),
    "depreciation": (
        "DepreciationDepletionAndAmortization",
        "DepreciationAndAmortization",
        "DepreciationAmortizationAndAccretionNet",
    ),
    "net_income": ("NetIncomeLoss", "ProfitLoss"),
    "income_continuing_ops": ("IncomeLossFromContinuingOperations",),
    "operating_cash_flow": (
        "NetCashProvidedByUsedInOperatingActivities",
        "NetCashProvidedByUsedInOperatingActivitiesContinuingOperations",
    ),
    "stock_issued": ("ProceedsFromIssuanceOfCommonStock", "ProceedsFromIssuanceOrSaleOfEquity"),
    "debt_issued": ("ProceedsFromIssuanceOfLongTermDebt", "ProceedsFromIssuanceOfDebt"),
    "receivables": ("AccountsReceivableNetCurrent", "ReceivablesNetCurrent"),
    "inventory": ("InventoryNet",),
    "current_assets": ("AssetsCurrent",),
    "cash": ("CashAndCashEquivalentsAtCarryingValue",),
    "short_term_investments": ("ShortTermInvestments", "MarketableSecuritiesCurrent"),
    "securities": ("LongTermInvestments", "MarketableSecuritiesNoncurrent"),
    "long_term_investments": ("LongTermInvestments", "MarketableSecuritiesNoncurrent"),
    "ppe_net": ("PropertyPlantAndEquipmentNet",),
    "total_assets": ("Assets",),
    "current_liabilities": ("LiabilitiesCurrent",),
    "debt_current": ("DebtCurrent", "LongTermDebtCurrent"),
    "long_term_debt": ("LongTermDebtNoncurrent", "LongTermDebtAndCapitalLeaseObligations"),
    "total_liabilities": ("Liabilities",),
    "preferred_stock": ("PreferredStockValue",),
    "income_taxes_payable": ("AccruedIncomeTaxesCurrent", "TaxesPayableCurrent"),
}
#: Items that only feed ``Financial`` records (not statement inputs of the forensic models).
EXTRA_CONCEPTS: dict[str, tuple[str, ...]] = {
    "operating_income": ("OperatingIncomeLoss",),
    "capex": ("PaymentsToAcquirePropertyPlantAndEquipment",),
    "equity": (
        "StockholdersEquity",
        "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",
    ),
}
#: Items that are flows over the fiscal year (everything else is a balance at its end).
FLOW_ITEMS = frozenset(
    {
        "revenue",
        "cogs",
        "sga",
        "depreciation",
        "net_income",
        "income_continuing_ops",
        "operating_cash_flow",
        "stock_issued",
        "debt_issued",
        "operating_income",
        "capex",
    }
)
#: Statement/extra items written as junkan ``Financial`` metrics (item -> metric of ``FINANCIAL_METRICS``).
FINANCIAL_METRIC_OF: dict[str, str] = {
    "revenue": "revenue",
    "cogs": "cogs",
    "sga": "sga",
    "depreciation": "depreciation",
    "net_income": "net_income",
    "operating_cash_flow": "operating_cash_flow",
    "operating_income": "operating_income",
    "capex": "capex",
    "receivables": "receivables",
    "current_assets": "current_assets",
    "ppe_net": "ppe_net",
    "total_assets": "total_assets",
    "current_liabilities": "current_liabilities",
    "long_term_debt": "long_term_debt",
    "total_liabilities": "total_liabilities",
    "equity": "equity",
}
# Not written: the ledger metric ``securities`` ("marketable securities") is ambiguous between current and
# non-current holdings, while the statement item ``securities`` is non-current investments (Beneish's AQI).


@dataclass(frozen=True)
class XbrlFact:
    """One annual fact as SEC reports it, with the us-gaap concept it came from."""

    concept: str
    value: float
    end: dt.date
    start: dt.date | None
    accn: str
    fy: int | None
    fp: str | None
    form: str
    filed: dt.date
    frame: str | None = None

    @property
    def days(self) -> int | None:
        """Length of a duration fact in days (inclusive of both ends); ``None`` for an instant."""
        return None if self.start is None else (self.end - self.start).days + 1


@dataclass(frozen=True)
class CompanyFacts:
    """What the importer read: statement inputs per fiscal year, the fact behind each figure, and the source.

    ``statements[fy]`` is a :class:`~junkan.assess.forensic.Statement` for fiscal year ``fy`` (period ``"FY2024"``,
    ``period_end`` the fiscal-year end, ``days`` the length of the year's revenue period). ``provenance[fy][item]``
    is the :class:`XbrlFact` each item came from. ``extras[fy]`` holds operating income, capex and equity.
    ``warnings`` notes oddities that did not stop the import (e.g. a changed fiscal-year end).
    """

    cik: int
    entity_name: str
    entity: str
    source: str
    currency: str
    statements: dict[int, Statement]
    provenance: dict[int, dict[str, XbrlFact]]
    extras: dict[int, dict[str, float]] = field(default_factory=dict)
    restated: str = "latest"
    warnings: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """The companyfacts URL of this company."""
        return COMPANYFACTS_URL.format(cik=self.cik)

    @property
    def years(self) -> list[int]:
        """Fiscal years with a statement, oldest first."""
        return sorted(self.statements)

    def statement(self, fy: int) -> Statement:
        """The statement inputs of fiscal year ``fy`` (a :class:`JunkanInputError` if there is none)."""
        if fy not in self.statements:
            raise JunkanInputError.single(
                f"{self.entity_name} (CIK {self.cik}) has no annual 10-K facts for FY{fy}; years on file: "
                f"{', '.join(str(y) for y in self.years) or 'none'}",
                file=self.source,
                field="fy",
            )
        return self.statements[fy]

    def filing_url(self, fact: XbrlFact) -> str:
        """EDGAR archive folder of the filing that reported ``fact``."""
        return ARCHIVE_URL.format(cik=self.cik, accn=fact.accn.replace("-", ""))

    def financials(self, entity: str | None = None) -> list[Financial]:
        """junkan ``Financial`` records (confidence high, the 10-K as source) for every mapped figure.

        Items are those of :data:`FINANCIAL_METRIC_OF`. The ledger metric ``cash`` means cash *and marketable
        securities*, so it is written as cash and cash equivalents plus short-term investments, with both facts
        named in ``notes``.
        """
        ent = entity or self.entity
        out: list[Financial] = []
        for fy in self.years:
            st = self.statements[fy]
            assert st.period_end is not None
            facts = self.provenance[fy]
            values: dict[str, float | None] = {**st.items(), **self.extras.get(fy, {})}
            for item, metric in FINANCIAL_METRIC_OF.items():
                fact = facts.get(item)
                v = values.get(item)
                if fact is None or v is None:
                    continue
                out.append(self._financial(ent, fy, st.period_end, metric, v, [fact]))
            if "cash" in facts and st.cash is not None:
                parts = [facts["cash"]]
                total = st.cash
                if "short_term_investments" in facts and st.short_term_investments is not None:
                    parts.append(facts["short_term_investments"])
                    total += st.short_term_investments
                out.append(self._financial(ent, fy, st.period_end, "cash", total, parts))
        return out

    def _financial(
        self, entity: str, fy: int, end: dt.date, metric: str, value: float, facts: list[XbrlFact]
    ) -> Financial:
        sources = []
        for f in facts:
            sources.append(
                Source(
                    url=self.filing_url(f),
                    title=f"{self.entity_name} {f.form} filed {f.filed.isoformat()} (accession {f.accn})",
                    publisher="U.S. Securities and Exchange Commission (EDGAR)",
                    date=f.filed,
                    kind=SourceKind.filing,
                    quote=f"us-gaap:{f.concept} = {f.value:.0f} {self.currency} for period ending {f.end.isoformat()}",
                )
            )
        concepts = " + ".join(f"us-gaap:{f.concept}" for f in facts)
        return Financial(
            entity=entity,
            period=f"FY{fy}",
            period_end=end,
            metric=metric,
            value=value,
            currency=self.currency,
            confidence=Confidence.high,
            sources=sources,
            notes=f"{concepts} from SEC XBRL companyfacts {self.url} ({self.restated} filing of the period)",
        )


# --------------------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------------------


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s[:120] or "company"


def _date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string, got {type(value).__name__}")
    return dt.date.fromisoformat(value)


def _read_facts(
    concept: str,
    entries: Any,
    unit: str,
    where: str,
    problems: ProblemCollector,
    source: str,
) -> list[XbrlFact]:
    """Validate one concept's fact list in ``unit``; keep annual 10-K facts. Problems are collected, not raised."""
    if not isinstance(entries, list):
        problems.add(f"expected a list of facts, got {type(entries).__name__}", file=source, field=where)
        return []
    out = []
    for i, e in enumerate(entries):
        here = f"{where}[{i}]"
        if not isinstance(e, Mapping):
            problems.add(f"expected an object, got {type(e).__name__}", file=source, field=here)
            continue
        missing = [k for k in ("end", "val", "accn", "form", "filed") if k not in e]
        for k in missing:
            problems.add("missing key", file=source, field=f"{here}.{k}")
        if missing:
            continue
        try:
            end = _date(e["end"])
            start = _date(e["start"]) if e.get("start") is not None else None
            filed = _date(e["filed"])
        except ValueError as exc:
            problems.add(f"bad date: {exc}", file=source, field=here)
            continue
        val = e["val"]
        if isinstance(val, bool) or not isinstance(val, int | float):
            problems.add(f"expected a number, got {val!r}", file=source, field=f"{here}.val")
            continue
        if str(e["form"]) not in ANNUAL_FORMS or e.get("fp") != "FY":
            continue
        fy = e.get("fy")
        out.append(
            XbrlFact(
                concept=concept,
                value=float(val),
                end=end,
                start=start,
                accn=str(e["accn"]),
                fy=fy if isinstance(fy, int) and not isinstance(fy, bool) else None,
                fp=e.get("fp"),
                form=str(e["form"]),
                filed=filed,
                frame=e.get("frame"),
            )
        )
    return out


def _is_annual(f: XbrlFact) -> bool:
    d = f.days
    return d is not None and ANNUAL_DAYS[0] <= d <= ANNUAL_DAYS[1]


def _fiscal_year_labels(ends: set[dt.date], facts: list[XbrlFact]) -> dict[dt.date, int]:
    """Label each fiscal-year end with the ``fy`` of the 10-K whose own period ends there."""
    own_end: dict[str, dt.date] = {}
    fy_of_accn: dict[str, int] = {}
    for f in facts:
        if f.end in ends:
            own_end[f.accn] = max(own_end.get(f.accn, f.end), f.end)
            if f.fy is not None:
                fy_of_accn[f.accn] = f.fy
    known: dict[dt.date, int] = {}
    for accn, end in own_end.items():
        if accn in fy_of_accn:
            known.setdefault(end, fy_of_accn[accn])
    labels: dict[dt.date, int] = {}
    for end in sorted(ends):
        if end in known:
            labels[end] = known[end]
        elif known:
            ref = min(known, key=lambda k: abs((k - end).days))
            labels[end] = known[ref] + round((end - ref).days / 365.25)
        else:
            labels[end] = end.year
    return labels


def parse_companyfacts(
    data: Any,
    *,
    source: str = "<companyfacts>",
    entity: str | None = None,
    restated: Literal["latest", "original"] = "latest",
    unit: str = "USD",
) -> CompanyFacts:
    """Read a parsed companyfacts document (see the module docstring for every rule).

    Parameters
    ----------
    data
        The JSON document as Python objects.
    source
        File name or URL, used in error messages and recorded in the result.
    entity
        junkan entity id for the statements and ``Financial`` records; default: a slug of ``entityName``.
    restated
        ``"latest"``: the latest-filed value of each period wins; ``"original"``: the first-filed value wins.
    unit
        XBRL unit to read (``"USD"``); it becomes the currency of the statements.

    Raises
    ------
    JunkanInputError
        For a document that does not follow the schema, naming the file and the dotted key of every problem.
    """
    if restated not in ("latest", "original"):
        raise JunkanInputError.single(f"restated must be 'latest' or 'original', got {restated!r}", field="restated")
    if unit not in CURRENCIES:
        raise JunkanInputError.single(f"unit {unit!r} is not a currency junkan knows", field="unit")
    problems = ProblemCollector()
    if not isinstance(data, Mapping):
        raise JunkanInputError.single(
            f"expected a JSON object at the top level, got {type(data).__name__}", file=source
        )
    for key in ("cik", "entityName", "facts"):
        if key not in data:
            problems.add("missing key", file=source, field=key)
    problems.raise_if_any()
    cik_raw = data["cik"]
    try:
        cik = int(cik_raw)
        if isinstance(cik_raw, bool) or cik < 0:
            raise ValueError
    except (TypeError, ValueError):
        raise JunkanInputError.single(f"expected a CIK number, got {cik_raw!r}", file=source, field="cik") from None
    name = data["entityName"]
    if not isinstance(name, str) or not name.strip():
        raise JunkanInputError.single("expected the company name", file=source, field="entityName")
    facts = data["facts"]
    if not isinstance(facts, Mapping):
        raise JunkanInputError.single(f"expected an object, got {type(facts).__name__}", file=source, field="facts")
    gaap = facts.get("us-gaap")
    if gaap is None:
        raise JunkanInputError.single(
            "missing key (no us-gaap facts: the importer reads US GAAP filers only)", file=source, field="facts.us-gaap"
        )
    if not isinstance(gaap, Mapping):
        raise JunkanInputError.single(
            f"expected an object, got {type(gaap).__name__}", file=source, field="facts.us-gaap"
        )

    wanted = {**CONCEPTS, **EXTRA_CONCEPTS}
    by_concept: dict[str, list[XbrlFact]] = {}
    for concept in sorted({c for cs in wanted.values() for c in cs}):
        if concept not in gaap:
            continue
        body = gaap[concept]
        where = f"facts.us-gaap.{concept}"
        if not isinstance(body, Mapping):
            problems.add(f"expected an object, got {type(body).__name__}", file=source, field=where)
            continue
        units = body.get("units")
        if not isinstance(units, Mapping):
            problems.add("missing key" if units is None else "expected an object", file=source, field=f"{where}.units")
            continue
        if unit not in units:
            continue
        by_concept[concept] = _read_facts(concept, units[unit], unit, f"{where}.units.{unit}", problems, source)
    problems.raise_if_any()

    all_facts = [f for fs in by_concept.values() for f in fs]
    annual_flows = [f for f in all_facts if _is_annual(f)]
    year_ends = {f.end for f in annual_flows}
    if not year_ends:  # a document with balance-sheet items only: every 10-K instant is a year end
        year_ends = {f.end for f in all_facts if f.start is None}
    labels = _fiscal_year_labels(year_ends, annual_flows or all_facts)

    def pick(candidates: list[XbrlFact]) -> XbrlFact:
        key = lambda f: (f.filed, f.accn)  # noqa: E731
        return max(candidates, key=key) if restated == "latest" else min(candidates, key=key)

    # (item, end) -> chosen fact, by concept priority
    chosen: dict[tuple[str, dt.date], XbrlFact] = {}
    for item, concepts in wanted.items():
        for end in year_ends:
            for concept in concepts:
                cands = [
                    f
                    for f in by_concept.get(concept, [])
                    if f.end == end and (_is_annual(f) if item in FLOW_ITEMS else f.start is None)
                ]
                if cands:
                    chosen[(item, end)] = pick(cands)
                    break

    statements: dict[int, Statement] = {}
    provenance: dict[int, dict[str, XbrlFact]] = {}
    extras: dict[int, dict[str, float]] = {}
    warnings: list[str] = []
    ent = entity or _slug(name)
    for end in sorted(year_ends):
        fy = labels[end]
        items = {item: f for (item, e), f in chosen.items() if e == end}
        if not items:
            continue
        if fy in statements:  # two ends labelled alike (a changed fiscal year end): keep the later end
            warnings.append(
                f"two fiscal-year ends ({statements[fy].period_end} and {end}) are both labelled FY{fy}; "
                "the later one is used"
            )
        rev = items.get("revenue")
        days = rev.days if rev is not None and rev.days else 365
        statements[fy] = Statement(
            entity=ent,
            period=f"FY{fy}",
            period_end=end,
            days=days,
            currency=unit,
            **{k: f.value for k, f in items.items() if k in STATEMENT_ITEMS},
        )
        provenance[fy] = items
        extras[fy] = {k: f.value for k, f in items.items() if k in EXTRA_CONCEPTS}
    return CompanyFacts(
        cik=cik,
        entity_name=name.strip(),
        entity=ent,
        source=source,
        currency=unit,
        statements=statements,
        provenance=provenance,
        extras=extras,
        restated=restated,
        warnings=tuple(warnings),
    )


def load_companyfacts(
    path: str | Path,
    *,
    entity: str | None = None,
    restated: Literal["latest", "original"] = "latest",
    unit: str = "USD",
) -> CompanyFacts:
    """Read a companyfacts JSON file (see :func:`parse_companyfacts`).

    Raises
    ------
    JunkanInputError
        If the file cannot be read, is not valid JSON (with the line of the error) or does not follow the schema.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise JunkanInputError.single(f"cannot read file: {exc.strerror or exc}", file=str(p)) from None
    except UnicodeDecodeError as exc:
        raise JunkanInputError.single(f"not UTF-8 text: {exc.reason}", file=str(p)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JunkanInputError(
            [InputProblem(f"malformed JSON: {exc.msg} (column {exc.colno})", file=str(p), line=exc.lineno)]
        ) from None
    return parse_companyfacts(data, source=str(p), entity=entity, restated=restated, unit=unit)


def fetch_companyfacts(
    cik: int | str,
    *,
    user_agent: str,
    save_to: str | Path | None = None,
    timeout: float = 30.0,
) -> dict[str, Any]:
    """Download a company's facts from ``data.sec.gov`` (network; never used by the tests).

    SEC requires a descriptive ``User-Agent`` with contact details (e.g. ``"Jane Doe jane@example.com"``) and allows
    at most 10 requests per second (SEC, "Accessing EDGAR Data"). With ``save_to`` the JSON is also written there
    atomically. Returns the parsed document; pass it to :func:`parse_companyfacts`.

    Raises
    ------
    JunkanInputError
        For a bad CIK, an empty user agent, or a CIK SEC does not know (HTTP 404).
    """
    if not user_agent or not user_agent.strip():
        raise JunkanInputError.single("SEC requires a User-Agent naming you and an email address", field="user_agent")
    try:
        n = int(str(cik).strip())
        if n < 0:
            raise ValueError
    except ValueError:
        raise JunkanInputError.single(f"not a CIK number: {cik!r}", field="cik") from None
    url = COMPANYFACTS_URL.format(cik=n)
    req = urllib.request.Request(url, headers={"User-Agent": user_agent.strip(), "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise JunkanInputError.single(f"SEC has no companyfacts for CIK {n} ({url})", field="cik") from None
        raise
    data = json.loads(body)
    if save_to is not None:
        write_text_atomic(save_to, body)
    return data


__all__ = [
    "ANNUAL_FORMS",
    "COMPANYFACTS_URL",
    "CONCEPTS",
    "EXTRA_CONCEPTS",
    "CompanyFacts",
    "XbrlFact",
    "fetch_companyfacts",
    "load_companyfacts",
    "parse_companyfacts",
]
