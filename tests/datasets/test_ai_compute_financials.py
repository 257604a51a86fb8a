"""Checks on the bundled ``ai-compute`` financials (src/junkan/datasets/ai-compute/financials.yaml).

The file is read with plain YAML and validated record by record with :class:`junkan.ledger.schema.Financial`, so
these tests do not depend on the rest of the dataset (entities, deals) being complete. Exact values are the figures
as printed in the cited sources (filings, press releases, reputable reporting), converted to dollars.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml

from junkan.ledger.schema import Financial, metric_unit

FINANCIALS = Path(__file__).resolve().parents[2] / "src" / "junkan" / "datasets" / "ai-compute" / "financials.yaml"

PUBLIC = ("nvidia", "microsoft", "oracle", "amd", "alphabet", "amazon", "meta", "coreweave")
PRIVATE = ("openai", "anthropic", "xai")


@pytest.fixture(scope="module")
def records() -> list[Financial]:
    raw = yaml.safe_load(FINANCIALS.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and raw, "financials.yaml must be a non-empty list"
    return [Financial.model_validate(item) for item in raw]


def _index(records: list[Financial]) -> dict[tuple[str, str, str], Financial]:
    return {(r.entity, r.period, r.metric): r for r in records}


def _latest_annual(records: list[Financial], entity: str, metric: str) -> Financial | None:
    annual = [r for r in records if r.entity == entity and r.metric == metric and r.period.startswith("FY")]
    return max(annual, key=lambda r: r.period_end, default=None)


def test_no_duplicate_entity_period_metric(records: list[Financial]) -> None:
    counts = Counter((r.entity, r.period, r.metric) for r in records)
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_figure_has_an_https_source(records: list[Financial]) -> None:
    for r in records:
        assert r.sources, (r.entity, r.period, r.metric)
        assert any(s.url.startswith("https://") for s in r.sources), (r.entity, r.period, r.metric)
        for s in r.sources:
            assert s.url.startswith(("https://", "http://")), s.url


def test_only_known_entities(records: list[Financial]) -> None:
    assert {r.entity for r in records} == set(PUBLIC) | set(PRIVATE)


@pytest.mark.parametrize("entity", PUBLIC)
def test_public_companies_have_two_years_of_revenue_and_latest_ocf(records: list[Financial], entity: str) -> None:
    years = {r.period for r in records if r.entity == entity and r.metric == "revenue" and r.period.startswith("FY")}
    assert len(years) >= 2, (entity, years)
    latest_rev = _latest_annual(records, entity, "revenue")
    latest_ocf = _latest_annual(records, entity, "operating_cash_flow")
    assert latest_rev is not None and latest_ocf is not None
    assert latest_ocf.period == latest_rev.period, (entity, latest_rev.period, latest_ocf.period)
    for metric in ("operating_income", "capex", "net_income"):
        assert _latest_annual(records, entity, metric) is not None, (entity, metric)


@pytest.mark.parametrize("entity", PRIVATE)
def test_private_companies_have_revenue_and_valuation(records: list[Financial], entity: str) -> None:
    mine = [r for r in records if r.entity == entity]
    assert any(r.metric == "revenue" for r in mine)
    assert any(r.metric == "valuation" for r in mine)


def test_run_rates_and_projections_are_marked_estimates(records: list[Financial]) -> None:
    for r in records:
        text = (r.notes or "").lower()
        if "run-rate" in text or "projection" in text or "target" in text:
            assert r.estimate, (r.entity, r.period, r.metric)
    # Private companies publish no audited accounts: nothing about them may claim high confidence.
    assert all(r.confidence.value != "high" for r in records if r.entity in PRIVATE)


def test_high_confidence_requires_a_primary_source(records: list[Financial]) -> None:
    for r in records:
        if r.confidence.value == "high":
            assert any(s.is_primary for s in r.sources), (r.entity, r.period, r.metric)


def test_units_and_signs(records: list[Financial]) -> None:
    for r in records:
        unit = metric_unit(r.metric)
        if r.metric in {
            "revenue",
            "capex",
            "cash",
            "debt",
            "long_term_debt",
            "receivables",
            "backlog",
            "valuation",
            "commitments",
            "depreciation",
        }:
            assert r.value > 0, (r.entity, r.period, r.metric)
        if unit == "money" and r.metric in {"revenue", "valuation"}:
            # money is in dollars, not billions: every revenue or valuation here is above $100M
            assert r.value > 1e8, (r.entity, r.period, r.metric, r.value)


def test_exact_sourced_values(records: list[Financial]) -> None:
    idx = _index(records)
    expected = {
        ("nvidia", "FY2025", "revenue"): 130_497e6,  # 10-K income statement
        ("nvidia", "FY2025", "operating_cash_flow"): 64_089e6,  # 10-K cash flow statement
        ("nvidia", "Q2FY2026", "revenue"): 46_743e6,  # 10-Q filed 2025-08-27
        ("nvidia", "Q2FY2026", "operating_income"): 28_440e6,  # GAAP, same 10-Q
        ("nvidia", "Q2FY2026", "operating_cash_flow"): 15.37e9,
        ("nvidia", "Q2FY2026", "top2_customer_share"): 0.39,
        ("microsoft", "FY2025", "operating_cash_flow"): 136_162e6,
        ("microsoft", "FY2025", "revenue"): 281_724e6,
        ("oracle", "Q1FY2026", "backlog"): 455e9,  # RPO, press release 2025-09-09
        ("oracle", "FY2025", "backlog"): 138e9,
        ("oracle", "FY2024", "operating_income"): 15.4e9,  # 8-K exhibit 99.1
        ("amd", "FY2024", "revenue"): 25_785e6,
        ("meta", "FY2024", "operating_income"): 69_380e6,
        ("coreweave", "Q3FY2025", "backlog"): 55.6e9,
        ("coreweave", "FY2024", "top_customer_share"): 0.62,  # Microsoft, per the S-1
        ("coreweave", "Q2FY2025", "debt"): 11_171_485e3,  # 10-Q note 10, total principal
        ("openai", "H1FY2025", "net_income"): -13.5e9,
        ("openai", "2025-10", "valuation"): 500e9,
    }
    for key, value in expected.items():
        assert key in idx, key
        assert idx[key].value == pytest.approx(value, rel=1e-12), key


def test_fy2025_hyperscaler_figures(records: list[Financial]) -> None:
    """Alphabet's and Meta's FY2025 (calendar 2025) figures and Amazon's cash, as printed in the sources.

    Alphabet: 10-K segment table (revenue $402,836M, operating income $129,039M) and the Q1 2026 10-Q's comparative
    fair-value table ($126,843M of cash, equivalents and marketable securities at 31 Dec 2025), both seen as copies, so
    medium; operating cash flow $164,713M, capex $91,447M and free cash flow $73.3B (rounded in the sources; 164,713 -
    91,447 = 73,266) from secondary sources. Meta: the Q4 2025 release on PR Newswire (high) and secondary sources for
    the cash flow, capex incl. finance-lease principal (as for FY2024) and cash. Amazon: the FY2023 10-K on sec.gov.
    """
    idx = _index(records)
    expected = {
        ("alphabet", "FY2025", "revenue"): (402_836e6, "medium"),
        ("alphabet", "FY2025", "operating_income"): (129_039e6, "medium"),
        ("alphabet", "FY2025", "operating_cash_flow"): (164_713e6, "medium"),
        ("alphabet", "FY2025", "capex"): (91_447e6, "medium"),
        ("alphabet", "FY2025", "free_cash_flow"): (73.3e9, "medium"),
        ("alphabet", "FY2025", "cash"): (126_843e6, "medium"),
        ("meta", "FY2025", "revenue"): (200_966e6, "high"),
        ("meta", "FY2025", "operating_income"): (83_276e6, "high"),
        ("meta", "FY2025", "net_income"): (60_458e6, "high"),
        ("meta", "FY2025", "operating_cash_flow"): (115_800e6, "medium"),
        ("meta", "FY2025", "capex"): (72_215e6, "medium"),
        ("meta", "FY2025", "free_cash_flow"): (43_585e6, "medium"),
        ("meta", "FY2025", "cash"): (81_592e6, "medium"),
        ("amazon", "FY2023", "cash"): (86_780e6, "high"),
        ("amazon", "FY2024", "cash"): (101.2e9, "low"),
        ("amazon", "Q3FY2025", "cash"): (94.2e9, "medium"),
    }
    for key, (value, confidence) in expected.items():
        assert key in idx, key
        rec = idx[key]
        assert rec.value == pytest.approx(value, rel=1e-12), key
        assert (rec.confidence.value, rec.estimate) == (confidence, False), key
    for entity in ("alphabet", "meta"):
        for metric in ("revenue", "operating_cash_flow", "capex", "cash"):
            assert idx[(entity, "FY2025", metric)].period_end == dt.date(2025, 12, 31)
    assert idx[("amazon", "Q3FY2025", "cash")].period_end == dt.date(2025, 9, 30)
    # Meta's free cash flow is its operating cash flow less capex incl. finance-lease principal, to the dollar.
    meta = {m: idx[("meta", "FY2025", m)].value for m in ("operating_cash_flow", "capex", "free_cash_flow")}
    assert meta["operating_cash_flow"] - meta["capex"] == pytest.approx(meta["free_cash_flow"], rel=1e-12)
    # Alphabet's rounded $73.3B agrees with operating cash flow less capex ($73,266M) to the $0.1B shown.
    goog = {m: idx[("alphabet", "FY2025", m)].value for m in ("operating_cash_flow", "capex", "free_cash_flow")}
    assert abs(goog["operating_cash_flow"] - goog["capex"] - goog["free_cash_flow"]) < 0.05e9
    # High confidence only on the issuer's wire (PR Newswire) or sec.gov, never on a copy.
    for key in (("meta", "FY2025", "revenue"), ("amazon", "FY2023", "cash")):
        assert any(s.is_primary and ("prnewswire.com" in s.url or "sec.gov" in s.url) for s in idx[key].sources), key
    # Amazon's $82,312M (cash, equivalents and restricted cash, no marketable securities) is a different measure.
    assert all(r.value != pytest.approx(82_312e6) for r in records if r.entity == "amazon")


def test_quarter_and_fiscal_period_ends(records: list[Financial]) -> None:
    idx = _index(records)
    assert idx[("nvidia", "FY2025", "revenue")].period_end == dt.date(2025, 1, 26)
    assert idx[("nvidia", "Q2FY2026", "revenue")].period_end == dt.date(2025, 7, 27)
    assert idx[("microsoft", "FY2025", "revenue")].period_end == dt.date(2025, 6, 30)
    assert idx[("oracle", "FY2025", "revenue")].period_end == dt.date(2025, 5, 31)


def test_nvidia_operating_income_claim_is_flagged(records: list[Financial]) -> None:
    rec = _index(records)[("nvidia", "Q2FY2026", "operating_income")]
    assert rec.value == pytest.approx(28.44e9)
    assert [c.verdict for c in rec.claims] == ["wrong"]  # GAAP $28,440M, non-GAAP $30,165M: neither is $30.6B
    assert "30.6" in rec.claims[0].text
    assert any(s.is_primary for s in rec.sources)


def test_derived_figures_add_up(records: list[Financial]) -> None:
    """Figures junkan derived from sourced line items are marked estimates and equal the sum in their notes."""
    idx = _index(records)
    msft = idx[("microsoft", "FY2025", "debt")]
    assert msft.estimate and msft.value == pytest.approx(2_999e6 + 40_152e6)
    orcl = idx[("oracle", "FY2024", "debt")]
    assert orcl.estimate and orcl.value == pytest.approx(10_605e6 + 76_264e6)
    amd = idx[("amd", "FY2024", "operating_cash_flow")]
    fcf, capex = idx[("amd", "FY2024", "free_cash_flow")], idx[("amd", "FY2024", "capex")]
    assert amd.estimate and amd.value == pytest.approx(fcf.value + capex.value)


def test_share_of_primary_sources_is_reported_not_assumed(records: list[Financial]) -> None:
    """At least a third of the figures rest on a primary document; the rest are labelled secondary."""
    primary = sum(any(s.is_primary for s in r.sources) for r in records)
    assert primary / len(records) >= 1 / 3
