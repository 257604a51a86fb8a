"""The negative controls and the failure of another kind, placed on their sourced figures.

Each expected value is hand-computed from the dataset's own figures (the YAML quoted in each comment), so a change
of data or of an indicator's formula shows up here. The controls (``CONTROLS``) must land outside both warning
regions; Luckin (fabricated sales, no sourced money loop) is caught only by its accounting red flag.
"""

from __future__ import annotations

import datetime as dt

import pytest

from junkan.assess import QUALIFIED, CaseScore, Indicator, Scorecard, scorecard
from junkan.assess.scorecard import CANNOT_PAY, CONTROLS, ROUND_TRIP
from junkan.ledger.load import load


def _ind(case: CaseScore, name: str) -> Indicator:
    return {i.name: i for i in case.indicators}[name]


@pytest.fixture(scope="module")
def boeing() -> Scorecard:
    return scorecard("boeing-capital-2002")


@pytest.fixture(scope="module")
def paccar() -> Scorecard:
    return scorecard("paccar-2009")


@pytest.fixture(scope="module")
def luckin() -> Scorecard:
    return scorecard("luckin-2019")


def test_controls_are_the_two_bundled_datasets_with_known_at_dates() -> None:
    assert CONTROLS == ("boeing-capital-2002", "paccar-2009")
    assert load("boeing-capital-2002").info.known_at == dt.date(2003, 8, 14)
    assert load("paccar-2009").info.known_at == dt.date(2010, 3, 31)
    assert load("luckin-2019").info.known_at == dt.date(2020, 3, 31)


@pytest.mark.parametrize("name", CONTROLS)
def test_no_control_case_lands_in_a_warning_region(name: str) -> None:
    sc = scorecard(name)
    assert sc.cases
    for case in sc.cases:
        assert case.region not in (ROUND_TRIP, CANNOT_PAY), (case.id, case.region)


def test_boeing_dataset_case(boeing: Scorecard) -> None:
    c = boeing.case("boeing-capital-2002")
    assert c.vendor == "boeing"
    # United's $1.3B and Hawaiian's $466M come back in full as the aircraft they paid for (linked legs)
    assert _ind(c, "round_trip_share").value == pytest.approx(1.0)
    # the lowest of the markets' load factors: world airlines 2002 (ICAO) 0.71 < US carriers 2003Q3 (DOT OIG) 0.78;
    # both above the healthy end 0.6
    gd = _ind(c, "genuine_demand")
    assert gd.value == pytest.approx(0.71)
    assert gd.score == pytest.approx(0.0)
    # financing $1.766B / FY2002 revenue $54.1B (no operating cash flow on file: the revenue band 0.05 -> 0.20)
    vf = _ind(c, "vendor_funding")
    assert vf.value == pytest.approx(1.766e9 / 54.1e9, rel=1e-12)
    assert vf.score == pytest.approx(0.0)
    # United and Hawaiian (every dollar of the financing) in Chapter 11
    assert _ind(c, "customer_ability").score == pytest.approx(1.0)
    # BCC allowance $393M / receivables $7,536M at 30 Jun 2003: (0.052150 - 0.05) / 0.15
    cl = _ind(c, "credit_losses")
    assert cl.value == pytest.approx(393 / 7536, rel=1e-12)
    assert cl.score == pytest.approx((393 / 7536 - 0.05) / 0.15, rel=1e-9)
    assert c.round_trip == pytest.approx(0.5)
    assert c.strain == pytest.approx((0.0 + 1.0 + (393 / 7536 - 0.05) / 0.15) / 3, rel=1e-9)
    assert c.region == QUALIFIED["customer_ability"]


def test_boeing_united_line_reads_the_year_end_2002_reserve(boeing: Scorecard) -> None:
    c = boeing.case("boeing-capital-2002/boeing-united-financing-2002")
    assert _ind(c, "vendor_funding").value == pytest.approx(1.3 / 54.1, rel=1e-12)
    # the deal (2002-12-06) falls in FY2002: allowance $260M / receivables $7,428M
    assert _ind(c, "credit_losses").value == pytest.approx(260 / 7428, rel=1e-12)
    assert _ind(c, "credit_losses").score == pytest.approx(0.0)
    assert c.strain == pytest.approx(1 / 3, rel=1e-12)
    assert c.region == QUALIFIED["customer_ability"]


def test_paccar_dataset_case(paccar: Scorecard) -> None:
    c = paccar.case("paccar-2009")
    assert c.vendor == "paccar"
    # PFS's 2008 loans come back as the trucks they bought
    assert _ind(c, "round_trip_share").value == pytest.approx(1.0)
    # 2008 revenue not paid with PFS money: (14,972.5 - 3,350) / 14,972.5
    gd = _ind(c, "genuine_demand")
    assert gd.value == pytest.approx(11622.5 / 14972.5, rel=1e-12)
    assert gd.score == pytest.approx(0.0)
    # all financing ($3,350M + $1,015.2M) / FY2009 revenue $8,086.5M: far past the revenue band's alarming end
    vf = _ind(c, "vendor_funding")
    assert vf.value == pytest.approx(4365.2 / 8086.5, rel=1e-12)
    assert vf.score == pytest.approx(1.0)
    # allowance $167.6M / receivables $6,728.5M at the end of 2009
    cl = _ind(c, "credit_losses")
    assert cl.value == pytest.approx(167.6 / 6728.5, rel=1e-12)
    assert cl.score == pytest.approx(0.0)
    assert c.round_trip == pytest.approx(0.5)
    assert c.strain == pytest.approx(0.5)
    assert c.region == QUALIFIED["vendor_funding"]


def test_paccar_retail_line_and_dealer_line(paccar: Scorecard) -> None:
    retail = paccar.case("paccar-2009/paccar-pfs-retail-2008")
    assert _ind(retail, "vendor_funding").value == pytest.approx(3350 / 14972.5, rel=1e-12)
    assert retail.region == QUALIFIED["vendor_funding"]
    dealer = paccar.case("paccar-2009/paccar-dealer-wholesale-2009")
    vf = _ind(dealer, "vendor_funding")
    assert vf.value == pytest.approx(1015.2 / 8086.5, rel=1e-12)
    assert vf.score == pytest.approx((1015.2 / 8086.5 - 0.05) / 0.15, rel=1e-9)
    assert _ind(dealer, "round_trip_share").missing
    assert dealer.round_trip == pytest.approx(0.0)


def test_luckin_is_caught_only_by_its_accounting_red_flag(luckin: Scorecard) -> None:
    c = luckin.case("luckin-2019")
    assert c.vendor == "luckin"
    # no loop of Luckin's own money is sourced
    assert _ind(c, "round_trip_share").value == pytest.approx(0.0)
    # RMB 1.98B of the RMB 2.93B reported for 9M 2019 was real coffee: 67.6%
    assert _ind(c, "genuine_demand").value == pytest.approx(1.98 / 2.93, rel=1e-12)
    # fabricated RMB 0.95B / reported RMB 2.93B = 32.4% > 25%: the overstated-revenue component at its worst
    rf = _ind(c, "accounting_red_flags")
    assert rf.score == pytest.approx(1.0)
    comp = {x["name"]: x for x in rf.components}["overstated_revenue_share"]
    assert comp["value"] == pytest.approx(0.95 / 2.93, rel=1e-12)
    assert c.round_trip == pytest.approx(1 / 3, rel=1e-12)
    assert c.region == QUALIFIED["accounting_red_flags"]


def test_controls_as_known_at_their_dates() -> None:
    known = scorecard(["boeing-capital-2002", "paccar-2009"], known_at=True, levels=("dataset",))
    boeing = known.case("boeing-capital-2002")
    # on 2003-08-14 the 10-Q of 4 Aug 2003 and ICAO's 2002 load factor are public, the DOT OIG's 2003Q3 is not
    assert _ind(boeing, "genuine_demand").value == pytest.approx(0.71)
    assert _ind(boeing, "credit_losses").value == pytest.approx(393 / 7536, rel=1e-12)
    assert boeing.region == QUALIFIED["customer_ability"]
    assert known.case("paccar-2009").region == QUALIFIED["vendor_funding"]


def test_luckin_as_known_before_its_admission_has_nothing_to_score() -> None:
    # every deal source is dated after 2020-03-31 (the admission came on 2020-04-02): the case is left out
    known = scorecard("luckin-2019", known_at=True)
    assert [c.id for c in known.cases] == []
