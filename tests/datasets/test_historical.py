"""Checks on the bundled historical reference datasets: lucent-2000, nortel-2001, global-crossing-qwest-2001, orts-2024.

Each dataset is loaded through :func:`junkan.load` (so the loader's schema and integrity checks apply), then the key
figures are compared exactly with the values printed in the cited sources (converted to currency units): Lucent's
FY2000 credit commitments $6.7B ($1.3B drawn) and loan guarantees $1.4B ($770M drawn) from the WSJ / Lucent 10-K;
Nortel's drawn customer financing $1,120M with $824M provisions (2002) and $401M / $281M (2003) from its FY2003 10-K;
Qwest's $67.2M purchase of Global Crossing capacity (Q3 2001); Orts's overstatement (¥11,909M committee, ~¥11.1B
prosecutors, 82% of FY2024's ¥6.06B) and the alleged ¥120M -> ¥110M -> ¥100M chain.

The source policy shared with ai-compute is checked too: a primary document seen off its origin is labelled a copy,
``high`` needs a primary document at its origin (sec.gov, an official wire), and the primary-source share of the deals
after the provenance pass is pinned (Lucent 4/6, the others 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

import junkan
from junkan.ledger import Ledger
from junkan.ledger.schema import PRIMARY_SOURCE_KINDS, Confidence, DealKind, Source

DATASETS = ("lucent-2000", "nortel-2001", "global-crossing-qwest-2001", "orts-2024")
ROOT = Path(__file__).resolve().parents[2] / "src" / "junkan" / "datasets"

# Pages seen only over plain http (no https copy found); each record citing one says so in its notes.
HTTP_ONLY = {
    "http://www.robhyndman.com/2005/05/12/majority-of-us-fiber-still-dark/",
    "http://www.yourlawyer.com/articles/title/sec-orders-global-to-restate-swaps",
    "http://www.taipeitimes.com/News/bizfocus/archives/2002/03/30/0000129868/3",
}


# Where a primary document counts as seen at its origin (the SEC, the Federal Reserve, an official wire); anything
# else is a copy.
ORIGIN_HOSTS = {"www.sec.gov", "sec.gov", "www.prnewswire.com", "federalreserve.gov", "www.federalreserve.gov"}
COPY_WORDS = ("copy", "verbatim", "repost", "excerpt")


def _host(url: str) -> str:
    return url.split("/")[2].lower()


@pytest.fixture(scope="module", params=DATASETS)
def ledger(request: pytest.FixtureRequest) -> Ledger:
    return junkan.load(request.param)


@pytest.fixture(scope="module")
def ledgers() -> dict[str, Ledger]:
    return {name: junkan.load(name) for name in DATASETS}


def _sources(led: Ledger) -> Iterator[tuple[str, Source, str | None]]:
    """Every source in a ledger with a label and the notes of the record that cites it."""
    for d in led.deals:
        for s in d.sources:
            yield f"deal {d.id}", s, d.notes
        for c in d.claims:
            for s in c.sources:
                yield f"claim on {d.id}", s, c.note
    for f in led.financials:
        for s in f.sources:
            yield f"{f.entity} {f.period} {f.metric}", s, f.notes
        for c in f.claims:
            for s in c.sources:
                yield f"claim on {f.entity} {f.metric}", s, c.note
    for e in led.entities.values():
        for s in e.sources:
            yield f"entity {e.id}", s, e.notes
    for r in led.fx:
        for s in r.sources:
            yield f"fx {r.currency} {r.year}", s, None


def _fin(led: Ledger, entity: str, metric: str, period: str) -> float:
    f = led.financial(entity, metric, period)
    assert f is not None, f"no {metric} for {entity} in {period}"
    return f.value


# ---------------------------------------------------------------------------------------------------------- all four
def test_loads_with_matching_name_and_content(ledger: Ledger) -> None:
    assert ledger.info.name in DATASETS
    assert ledger.origin == ledger.info.name
    assert len(ledger.deals) >= 2
    assert len(ledger.financials) >= 9
    assert (ROOT / ledger.info.name / "README.md").read_text(encoding="utf-8").count("## Known gaps") == 1


def test_every_source_is_a_full_https_url(ledger: Ledger) -> None:
    seen_http = set()
    for label, src, notes in _sources(ledger):
        if src.url in HTTP_ONLY:
            seen_http.add(src.url)
            assert notes and "http" in notes, f"{label} cites an http-only page without saying so"
            continue
        assert src.url.startswith("https://"), f"{label}: {src.url}"
        assert "." in src.url.split("/")[2], f"{label}: not a full URL {src.url}"
    if ledger.info.name != "global-crossing-qwest-2001":
        assert not seen_http


def test_http_only_pages_are_used_where_declared(ledgers: dict[str, Ledger]) -> None:
    used = {s.url for _, s, _ in _sources(ledgers["global-crossing-qwest-2001"])}
    assert used >= HTTP_ONLY


def test_every_record_is_sourced_and_estimates_say_how(ledger: Ledger) -> None:
    for d in ledger.deals:
        assert d.sources, d.id
        if d.amount.estimate:
            assert d.amount.basis, f"estimate without basis: {d.id}"
            assert d.confidence is Confidence.low, d.id
    for f in ledger.financials:
        assert f.sources
        if f.estimate:
            assert f.notes


def test_legs_are_symmetric_and_counter_directional(ledger: Ledger) -> None:
    """A leg is listed on both deals, and money in a two-leg arrangement goes one way and comes back the other."""
    for d in ledger.deals:
        for leg_id in d.legs:
            other = ledger.deal(leg_id)
            assert d.id in other.legs, f"{d.id} -> {leg_id} is not listed back"
        if d.kind is DealKind.capacity_swap:
            (leg,) = ledger.legs_of(d.id)
            assert (leg.payer, leg.payee) == (d.payee, d.payer)


def test_primary_documents_off_their_origin_are_labelled_copies(ledger: Ledger) -> None:
    """Source policy (ai-compute README): a copy keeps the document's kind and says it is a copy."""
    for label, src, _ in _sources(ledger):
        if src.kind in PRIMARY_SOURCE_KINDS and _host(src.url) not in ORIGIN_HOSTS:
            text = f"{src.title or ''} {src.publisher or ''}".lower()
            assert any(w in text for w in COPY_WORDS), f"{label}: {src.url} is primary but not labelled a copy"


def test_high_confidence_needs_a_primary_document_at_its_origin(ledger: Ledger) -> None:
    records = [(f"deal {d.id}", d.confidence, d.sources) for d in ledger.deals]
    records += [(f"{f.entity} {f.period} {f.metric}", f.confidence, f.sources) for f in ledger.financials]
    for label, confidence, sources in records:
        if confidence is Confidence.high:
            assert any(s.is_primary and _host(s.url) in ORIGIN_HOSTS for s in sources), label


def test_primary_source_share_after_the_provenance_pass(ledgers: dict[str, Ledger]) -> None:
    share = {name: led.summary()["primary_source_share"] for name, led in ledgers.items()}
    assert share == {
        "lucent-2000": pytest.approx(4 / 6),
        "nortel-2001": 0.0,
        "global-crossing-qwest-2001": 0.0,
        "orts-2024": 0.0,
    }
    primary = {d.id for d in ledgers["lucent-2000"].deals if d.has_primary_source}
    assert primary == {
        "lucent-customer-loans-fy2000",
        "lucent-loan-guarantees-fy2000",
        "lucent-winstar-credit-1998",
        "winstar-lucent-supply-1998",
    }


# ---------------------------------------------------------------------------------------------------------- lucent
def test_lucent_fy2000_commitments_and_guarantees_are_stored_apart(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["lucent-2000"]
    loans = led.deal("lucent-customer-loans-fy2000")
    guarantees = led.deal("lucent-loan-guarantees-fy2000")
    assert loans.kind is DealKind.credit_facility
    assert guarantees.kind is DealKind.loan_guarantee
    assert (loans.amount.committed_value, loans.amount.drawn_value) == (6.7e9, 1.3e9)
    assert (guarantees.amount.committed_value, guarantees.amount.drawn_value) == (1.4e9, 0.77e9)
    # the "$8.1B" is the sum of the two, and the financial total says so
    total = _fin(led, "lucent", "customer_financing_committed", "FY2000")
    assert total == pytest.approx(loans.amount.committed_value + guarantees.amount.committed_value)
    assert total == 8.1e9
    assert _fin(led, "lucent", "customer_financing_drawn", "FY2000") == 2.0e9
    (claim,) = loans.claims
    assert claim.verdict == "wrong" and "8.1" in claim.text and "6.7" in (claim.note or "")


def test_lucent_reserves_restatement_and_revenue_collapse(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["lucent-2000"]
    assert _fin(led, "lucent", "bad_debt_reserve", "FY1999") == 318e6
    assert _fin(led, "lucent", "bad_debt_reserve", "FY2000") == 501e6
    assert _fin(led, "lucent", "overstated_revenue", "FY2000") == 679e6
    assert _fin(led, "lucent", "customer_financing_committed", "FY2001") == 5.3e9
    assert _fin(led, "lucent", "customer_financing_drawn", "FY2001") == 3.0e9
    revenue = {p: _fin(led, "lucent", "revenue", p) for p in ("FY1999", "FY2001", "FY2002", "FY2003")}
    assert revenue == {"FY1999": 38.3e9, "FY2001": 21.294e9, "FY2002": 12.321e9, "FY2003": 8.470e9}
    assert 1 - revenue["FY2002"] / revenue["FY1999"] == pytest.approx(0.678, abs=1e-3)
    # the annual reports were seen only as copies (pdfslide.net, vdocument.in): medium, not high
    fy2002 = led.financial("lucent", "revenue", "FY2002")
    assert fy2002 is not None and fy2002.confidence is Confidence.medium
    assert {f.confidence for f in led.financials} <= {Confidence.medium, Confidence.low}
    restated = led.financial("lucent", "overstated_revenue", "FY2000")
    assert restated is not None and any(s.kind.value == "filing" and "679" in (s.quote or "") for s in restated.sources)


def test_lucent_winstar_line_money_back_and_fate(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["lucent-2000"]
    line = led.deal("lucent-winstar-credit-1998")
    assert (line.amount.committed_value, line.amount.drawn_value) == (2e9, 0.7e9)
    assert line.end_date == dt.date(2001, 4, 16)
    (supply,) = led.legs_of(line.id)
    assert (supply.payer, supply.payee, supply.kind) == ("winstar", "lucent", DealKind.purchase_commitment)
    assert supply.amount.drawn is None  # bought amount unknown, not zero
    # WinStar's own 10-K note (seen as a verbatim excerpt): October 1998, up to $2.0B, tied to the supply agreement
    (filing,) = [s for s in line.sources if s.kind.value == "filing"]
    assert "October 1998" in (filing.quote or "") and "$2.0 billion" in (filing.quote or "")
    assert "copy" in (filing.publisher or "") and line.confidence is Confidence.medium
    assert supply.has_primary_source and supply.confidence is Confidence.low
    fate = led.entities["winstar"].fate or ""
    assert "bankrupt 2001-04" in fate
    for customer in ("icg-communications", "one-tel"):
        assert led.entities[customer].fate


# ---------------------------------------------------------------------------------------------------------- nortel
def test_nortel_drawn_customer_financing_and_provisions(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["nortel-2001"]
    drawn = {p: _fin(led, "nortel", "customer_financing_drawn", p) for p in ("FY2002", "FY2003")}
    reserve = {p: _fin(led, "nortel", "bad_debt_reserve", p) for p in ("FY2002", "FY2003")}
    assert drawn == {"FY2002": 1.120e9, "FY2003": 401e6}
    assert reserve == {"FY2002": 824e6, "FY2003": 281e6}
    assert reserve["FY2002"] / drawn["FY2002"] == pytest.approx(0.7357, abs=1e-4)
    assert _fin(led, "nortel", "revenue", "FY2001") == 17.5e9
    assert _fin(led, "nortel", "net_income", "FY2001") == -27.3e9
    # the FY2003 10-K table was read only in copies; the 2002-01-17 release is on sec.gov
    for p in ("FY2002", "FY2003"):
        rec = led.financial("nortel", "customer_financing_drawn", p)
        assert rec is not None and rec.confidence is Confidence.medium
    for p, value in (("Q4-2001", 3.46e9), ("Q4-2000", 8.2e9)):
        rec = led.financial("nortel", "revenue", p)
        assert rec is not None and rec.value == value and rec.confidence is Confidence.high
        assert any(_host(s.url) == "www.sec.gov" and "3.46" in (s.quote or "") for s in rec.sources)


def test_nortel_and_cisco_secondary_commitments(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["nortel-2001"]
    nortel = led.deal("nortel-customer-financing-2000")
    assert nortel.amount.headline == 3.1e9 and nortel.confidence is Confidence.low
    cisco = led.deal("cisco-customer-financing-2000")
    assert cisco.amount.committed_value == 2.4e9 and cisco.confidence is Confidence.medium


# ---------------------------------------------------------------------------------------------- global crossing / qwest
def test_qwest_bought_67_2m_of_global_crossing_capacity_with_a_linked_sale(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["global-crossing-qwest-2001"]
    buy = led.deal("qwest-gc-pac-capacity-2001q3")
    assert (buy.kind, buy.payer, buy.payee) == (DealKind.capacity_swap, "qwest", "global-crossing")
    assert buy.amount.headline == 67.2e6 and buy.amount.drawn_value == 67.2e6
    (sale,) = led.legs_of(buy.id)
    assert sale.id == "gc-qwest-capacity-2001q3"
    assert sale.amount.estimate and sale.confidence is Confidence.low
    swaps = [d for d in led.deals if d.kind is DealKind.capacity_swap]
    assert len(swaps) == 6 and all(len(led.legs_of(d.id)) == 1 for d in swaps)
    assert "bankrupt 2002-01-28" in (led.entities["global-crossing"].fate or "")
    assert _fin(led, "qwest", "overstated_revenue", "1999Q2-2002Q1") == 3.8e9
    spurious = led.financial("qwest", "overstated_revenue", "1999Q2-2002Q1")
    assert spurious is not None and spurious.confidence is Confidence.high
    assert "https://www.sec.gov/litigation/litreleases/lr18936.htm" in {s.url for s in spurious.sources}
    # the Enron purchase stays an estimate equal to the sale, flagged by the NYT's $112M + $83.5M
    enron_buy = led.deal("qwest-enron-capacity-2001q3")
    assert enron_buy.amount.headline == 85.5e6 and enron_buy.amount.estimate
    assert "$112M" in (enron_buy.notes or "") and not enron_buy.has_primary_source


def test_fibre_utilisation_evidence_and_the_unsupported_claim(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["global-crossing-qwest-2001"]
    util = {f.period: f.value for f in led.financials if f.metric == "utilisation"}
    assert util == {"2001-06": 0.026, "2002": 0.027, "2005-05": 0.05}
    first = led.financial("us-fibre-network", "utilisation", "2001-06")
    assert first is not None
    (claim,) = first.claims
    assert claim.verdict == "unsupported" and "0.002%" in claim.text
    assert min(util.values()) / 0.00002 > 1000  # the claim is three orders of magnitude below any sourced figure


# ---------------------------------------------------------------------------------------------------------- orts
def test_orts_overstatement_figures(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["orts-2024"]
    assert led.info.base_currency == "JPY"
    assert _fin(led, "orts", "overstated_revenue", "FY2021-FY2024") == 11.909e9
    assert _fin(led, "orts", "overstated_revenue", "FY2022-FY2024") == 11.1e9
    reported = _fin(led, "orts", "revenue", "FY2024")
    overstated = _fin(led, "orts", "overstated_revenue", "FY2024")
    assert (reported, overstated) == (6.05728e9, 4.9e9)
    # "82% of FY2024's ¥6.06B": the sources round the overstatement to "about ¥4.9B" (±¥0.05B), i.e. 80.1%-81.7%,
    # while the committee's own share is 82.3% of a ~¥6.1B consolidated figure
    assert 0.80 <= overstated / reported <= 0.823
    assert _fin(led, "orts", "end_customer_revenue", "FY2024") == 1.09e9
    assert _fin(led, "orts", "overstated_revenue", "FY2023") / _fin(led, "orts", "revenue", "FY2023") == pytest.approx(
        0.90, abs=0.01
    )
    users = led.financial("orts", "paying_users", "2025-07")
    assert users is not None and users.value == 5170
    assert users.claims[0].verdict == "wrong" and "28,699" in users.claims[0].text
    for f in led.financials:
        if f.metric in ("revenue", "overstated_revenue", "end_customer_revenue", "total_liabilities"):
            assert f.currency == "JPY", f


def test_orts_alleged_chain_is_linked_and_low_confidence(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["orts-2024"]
    chain = [led.deal(i) for i in ("sp-chain-orts-agency-a", "sp-chain-agency-a-partner-b", "sp-chain-partner-b-orts")]
    assert [d.amount.headline for d in chain] == [120e6, 110e6, 100e6]
    assert all(d.amount.currency == "JPY" for d in chain)
    # the money goes round: each step's payee pays the next, and the last step pays Orts back
    for a, b in zip(chain, chain[1:] + chain[:1], strict=True):
        assert a.payee == b.payer
    assert chain[0].payer == chain[-1].payee == "orts"
    for d in chain:
        assert d.confidence is Confidence.low and "allegation" in d.tags
        assert {x.id for x in led.legs_of(d.id)} == {c.id for c in chain} - {d.id}
    assert chain[-1].kind is DealKind.licence_purchase
    assert led.entities["ad-agency-a"].kind.value == "agency"


def test_orts_scheme_flows_form_a_cycle_and_convert_to_usd(ledgers: dict[str, Ledger]) -> None:
    led = ledgers["orts-2024"]
    out = led.deal("orts-ad-fees-sp-scheme")
    back = led.deal("super-partners-licence-purchases")
    assert (out.amount.drawn_value, back.amount.drawn_value) == (13.8e9, 13.7e9)
    assert back.id in {d.id for d in led.legs_of(out.id)}
    middle = led.deal("ad-agencies-to-super-partners")
    assert (out.payee, middle.payer, middle.payee, back.payer, back.payee) == (
        "ad-agencies",
        "ad-agencies",
        "super-partners",
        "super-partners",
        "orts",
    )
    assert middle.amount.estimate and middle.amount.up_to and middle.amount.high == 13.8e9
    assert "hardware_purchase" not in {d.kind.value for d in led.deals}
    # Federal Reserve G.5A: ¥140.5001 per dollar in 2023, the nearest year for a 2025 date
    assert led.fx_rate("JPY", 2023) == pytest.approx(1 / 140.5001, rel=1e-7)
    assert led.to_usd(11.909e9, "JPY", dt.date(2025, 7, 28)) == pytest.approx(11.909e9 / 140.5001, rel=1e-7)
    assert led.fx_rate("JPY", 2021) == pytest.approx(1 / 109.8429, rel=1e-7)
