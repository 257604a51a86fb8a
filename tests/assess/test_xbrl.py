"""Tests of the SEC companyfacts importer on a synthetic fixture that follows SEC's published schema.

The fixture (tests/data/xbrl/companyfacts_fixture.json, written by make_fixture.py) is invented data for a made-up
company; see make_fixture.py for what it contains and why.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from junkan.assess import beneish_mscore, dechow_fscore, fetch_companyfacts, load_companyfacts, parse_companyfacts
from junkan.assess.forensic import Statement
from junkan.errors import JunkanInputError
from junkan.ledger import Entity, Ledger

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "xbrl" / "companyfacts_fixture.json"
M = 1_000_000


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_years_labels_and_values() -> None:
    cf = load_companyfacts(FIXTURE)
    assert cf.cik == 9999999 and cf.entity_name == "Junkan Fixture Corp" and cf.entity == "junkan-fixture-corp"
    assert cf.url == "https://data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json"
    assert cf.years == [2021, 2022, 2023, 2024]
    s = cf.statement(2024)
    assert s.period == "FY2024" and s.period_end == dt.date(2024, 12, 31)
    assert s.days == 366  # 2024-01-01..2024-12-31 inclusive
    assert cf.statement(2023).days == 365
    assert s.revenue == 1500 * M and s.cogs == 900 * M and s.receivables == 300 * M  # not the 10-Q's 210M
    assert s.short_term_investments == 30 * M  # MarketableSecuritiesCurrent
    assert s.securities == 60 * M and s.long_term_investments == 60 * M  # LongTermInvestments
    assert s.debt_current == 50 * M and s.long_term_debt == 400 * M and s.debt_issued == 160 * M
    assert s.stock_issued is None and s.preferred_stock is None
    assert cf.extras[2024] == {"operating_income": 220 * M, "capex": 80 * M}
    assert cf.warnings == ()


def test_restatements_latest_or_original() -> None:
    latest = load_companyfacts(FIXTURE)
    assert latest.statement(2023).revenue == 1180 * M  # restated in the FY2024 10-K
    fact = latest.provenance[2023]["revenue"]
    assert fact.accn == "0009999999-25-000004" and fact.filed == dt.date(2025, 2, 19)
    assert fact.concept == "RevenueFromContractWithCustomerExcludingAssessedTax"
    original = load_companyfacts(FIXTURE, restated="original")
    assert original.statement(2023).revenue == 1200 * M  # as first reported in the FY2023 10-K
    assert original.provenance[2023]["revenue"].accn == "0009999999-24-000007"
    # an unrestated comparative: same value from either filing; latest filing is the FY2023 10-K
    assert latest.provenance[2022]["cogs"].accn == "0009999999-24-000007"
    assert original.provenance[2022]["cogs"].accn == "0009999999-23-000005"


def test_quarterly_facts_ignored_and_concept_fallback() -> None:
    cf = load_companyfacts(FIXTURE)
    # the 3-month Q4 fact (350M) inside the FY2023 10-K and the Q1 10-Q fact (340M) are not annual
    assert cf.statement(2023).revenue != 350 * M
    assert all(s.period_end is not None and s.period_end.month == 12 for s in cf.statements.values())
    # FY2021 revenue exists only under the pre-ASC 606 tag
    assert cf.statement(2021).revenue == 800 * M
    assert cf.provenance[2021]["revenue"].concept == "SalesRevenueNet"
    assert cf.provenance[2022]["revenue"].concept == "RevenueFromContractWithCustomerExcludingAssessedTax"


def test_imported_statements_feed_the_models() -> None:
    cf = load_companyfacts(FIXTURE)
    b = beneish_mscore(cf.statement(2024), cf.statement(2023))
    assert b.dsri == pytest.approx((300 / 1500) / (180 / 1180))
    assert b.m_score == pytest.approx(-1.695178, abs=1e-6)  # hand calculation in test_forensic.py
    d = dechow_fscore(cf.statement(2024), cf.statement(2023), cf.statement(2022))
    assert d.f_score == pytest.approx(1.430563, abs=1e-6)


def test_financial_records(doc: dict[str, Any]) -> None:
    cf = parse_companyfacts(doc, source="fixture.json", entity="fixture-corp")
    fins = cf.financials()
    assert {f.entity for f in fins} == {"fixture-corp"}
    assert all(f.confidence.value == "high" and f.sources[0].is_primary for f in fins)
    by = {(f.period, f.metric): f for f in fins}
    rev23 = by[("FY2023", "revenue")]
    assert rev23.value == 1180 * M and rev23.period_end == dt.date(2023, 12, 31)
    assert rev23.sources[0].url == "https://www.sec.gov/Archives/edgar/data/9999999/000999999925000004/"
    assert rev23.sources[0].date == dt.date(2025, 2, 19)
    assert "CIK0009999999.json" in (rev23.notes or "")
    assert "RevenueFromContractWithCustomerExcludingAssessedTax" in (rev23.notes or "")
    # ledger 'cash' is cash and marketable securities: 120M + 30M, sourced to both facts
    cash24 = by[("FY2024", "cash")]
    assert cash24.value == 150 * M and len(cash24.sources) == 2
    assert by[("FY2024", "capex")].value == 80 * M
    assert by[("FY2024", "operating_income")].value == 220 * M
    # per year: the 15 mapped metrics the fixture has (all of FINANCIAL_METRIC_OF but equity) + cash
    assert len(fins) == 4 * 16
    assert not any(f.metric in ("equity", "securities") for f in fins)
    # the records round-trip through a Ledger back into statements the models accept
    ledger = Ledger.build([], entities=[Entity(id="fixture-corp", name="Fixture Corp")], financials=fins)
    s24 = Statement.from_ledger(ledger, "fixture-corp", "FY2024")
    s23 = Statement.from_ledger(ledger, "fixture-corp", "FY2023")
    assert s24.period_end == dt.date(2024, 12, 31) and s24.cash == 150 * M
    via_ledger = beneish_mscore(s24, s23)
    # the ledger carries no non-current securities, so AQI is Beneish's 1999 form (securities read as zero)
    direct = beneish_mscore(
        dataclasses.replace(cf.statement(2024), securities=None, entity="fixture-corp"),
        dataclasses.replace(cf.statement(2023), securities=None, entity="fixture-corp"),
    )
    assert via_ledger.m_score == pytest.approx(direct.m_score, abs=1e-12)
    assert via_ledger.aqi == pytest.approx((1 - (900 + 420) / 1700) / (1 - (700 + 400) / 1400))
    assert via_ledger.assumed_zero == ("securities (current FY2024)", "securities (prior FY2023)")


def test_fiscal_year_label_follows_the_filing_not_the_calendar() -> None:
    """A retailer whose FY2024 ends on 2025-02-01: the 10-K says fy 2024; its comparative ends 2024-02-03."""

    def fact(start: str | None, end: str, val: float) -> dict[str, Any]:
        f: dict[str, Any] = {
            "end": end,
            "val": val,
            "accn": "0000000001-25-000010",
            "fy": 2024,
            "fp": "FY",
            "form": "10-K",
            "filed": "2025-03-20",
        }
        if start:
            f["start"] = start
        return f

    doc = {
        "cik": 1,
        "entityName": "Retail Example Inc.",
        "facts": {
            "us-gaap": {
                "Revenues": {
                    "units": {"USD": [fact("2024-02-04", "2025-02-01", 100.0), fact("2023-01-29", "2024-02-03", 90.0)]}
                },
                "Assets": {"units": {"USD": [fact(None, "2025-02-01", 50.0), fact(None, "2024-02-03", 45.0)]}},
            }
        },
    }
    cf = parse_companyfacts(doc)
    assert cf.years == [2023, 2024]
    assert cf.statement(2024).period_end == dt.date(2025, 2, 1) and cf.statement(2024).revenue == 100.0
    assert cf.statement(2023).total_assets == 45.0
    assert cf.statement(2023).days == 371  # a 53-week year
    with pytest.raises(JunkanInputError, match="no annual 10-K facts for FY2019"):
        cf.statement(2019)


# --------------------------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------------------------


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "CIK0000000001.json"
    p.write_text('{"cik": 1,\n "entityName": "X",\n "facts": {,}}', encoding="utf-8")
    with pytest.raises(JunkanInputError) as exc:
        load_companyfacts(p)
    prob = exc.value.problems[0]
    assert prob.file == str(p) and prob.line == 3 and "malformed JSON" in prob.message
    with pytest.raises(JunkanInputError, match="cannot read file"):
        load_companyfacts(tmp_path / "missing.json")


def test_missing_keys_are_named(doc: dict[str, Any]) -> None:
    with pytest.raises(JunkanInputError) as exc:
        parse_companyfacts({"cik": 1}, source="f.json")
    assert [(p.file, p.field) for p in exc.value.problems] == [("f.json", "entityName"), ("f.json", "facts")]
    with pytest.raises(JunkanInputError) as exc:
        parse_companyfacts({"cik": 1, "entityName": "X", "facts": {"dei": {}}}, source="f.json")
    assert exc.value.problems[0].field == "facts.us-gaap"
    broken = copy.deepcopy(doc)
    del broken["facts"]["us-gaap"]["Assets"]["units"]["USD"][0]["val"]
    broken["facts"]["us-gaap"]["AssetsCurrent"]["units"]["USD"][1]["end"] = "31/12/2022"
    with pytest.raises(JunkanInputError) as exc:
        parse_companyfacts(broken, source="f.json")
    fields = {p.field for p in exc.value.problems}
    assert fields == {"facts.us-gaap.Assets.units.USD[0].val", "facts.us-gaap.AssetsCurrent.units.USD[1]"}
    with pytest.raises(JunkanInputError, match="CIK number"):
        parse_companyfacts({"cik": "abc", "entityName": "X", "facts": {"us-gaap": {}}})
    with pytest.raises(JunkanInputError, match="restated"):
        parse_companyfacts(doc, restated="newest")  # type: ignore[arg-type]


def test_fetch_validates_before_any_network_call() -> None:
    with pytest.raises(JunkanInputError, match="User-Agent"):
        fetch_companyfacts(1045810, user_agent=" ")
    with pytest.raises(JunkanInputError, match="not a CIK"):
        fetch_companyfacts("nvda", user_agent="Jane Doe jane@example.com")
