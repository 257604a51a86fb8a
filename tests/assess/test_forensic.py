"""Tests of the forensic metrics against a published worked example and hand calculations.

Published example (Beneish): "M-score for Jean Phillippe Fragrances Inc.", MScore.XLS from ShookRun.com, archived
at http://www.docstoc.com/docs/100752066/MScoreXLS---ShookRuncom---ShookRuncom. It lists the twelve inputs for 1996
and 1995 (in thousands of dollars), the derived indices DSRI 1.164, GMI 1.068, AQI 0.753, SGI 0.996, DEPI 0.838,
SGAI 0.987, total accruals / TA -0.027, LVGI 0.977, and the five-variable M-score -2.89.

No worked example of the Dechow et al. (2011) F-score with statement figures was found; it is checked by hand
calculation (below) and by properties of the published formula.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junkan.assess import (
    Statement,
    accruals_ratio,
    beneish_mscore,
    cash_conversion,
    days_sales_outstanding,
    dechow_fscore,
    dso_trend,
)
from junkan.assess.forensic import (
    BENEISH_8_COEFFICIENTS,
    DECHOW_MODEL1_COEFFICIENTS,
    STATEMENT_ITEMS,
    f_score,
    m_score,
)
from junkan.errors import JunkanInputError

# --------------------------------------------------------------------------------------------------------------
# Published example: Jean Philippe Fragrances, 1996 vs 1995 ($ thousands)
# --------------------------------------------------------------------------------------------------------------

JPF_1996 = Statement(
    entity="jean-philippe-fragrances",
    period="FY1996",
    revenue=93281,
    cogs=51355,
    receivables=1124,
    current_assets=72726,
    ppe_net=1734,
    depreciation=1597,
    total_assets=85585,
    sga=32416,
    income_continuing_ops=5658,  # "Net Income (before Xitems)"
    operating_cash_flow=7975,
    current_liabilities=26158,
    long_term_debt=485,
)
JPF_1995 = Statement(
    entity="jean-philippe-fragrances",
    period="FY1995",
    revenue=93669,
    cogs=48703,
    receivables=970,
    current_assets=67539,
    ppe_net=1970,
    depreciation=1322,
    total_assets=84001,
    sga=32990,
    income_continuing_ops=9038,
    operating_cash_flow=2836,
    current_liabilities=26176,
    long_term_debt=596,
)


def test_beneish_matches_published_jean_philippe_example() -> None:
    r = beneish_mscore(JPF_1996, JPF_1995)
    published = {
        "dsri": 1.164,
        "gmi": 1.068,
        "aqi": 0.753,
        "sgi": 0.996,
        "depi": 0.838,
        "sgai": 0.987,
        "tata": -0.027,
        "lvgi": 0.977,
    }
    for k, v in published.items():
        assert round(getattr(r, k), 3) == v, k
    assert round(r.m_score_5, 2) == -2.89  # published five-variable M-score
    assert r.flagged_5 is False  # -2.89 < -2.22
    # The worksheet's eight-variable score is not in the archived excerpt; by hand from the rounded indices:
    # -4.84 + .92*1.164 + .528*1.068 + .404*.753 + .892*.996 + .115*.838 - .172*.987 + 4.679*-.027 - .327*.977
    # = -2.5318 (unrounded indices: -2.53232)
    assert r.m_score == pytest.approx(-2.53232, abs=5e-5)
    assert r.flagged is False
    assert r.earnings_basis == "income_continuing_ops"
    assert r.assumed_zero == ("securities (current FY1996)", "securities (prior FY1995)")


def test_m_score_combination_is_the_published_formula() -> None:
    ones = dict.fromkeys(("dsri", "gmi", "aqi", "sgi", "depi", "sgai", "lvgi"), 1.0)
    # at all indices 1 and TATA 0: -4.84 + .920 + .528 + .404 + .892 + .115 - .172 - .327 = -2.480
    assert m_score({**ones, "tata": 0.0}) == pytest.approx(-2.480, abs=1e-12)
    # five-variable: -6.065 + .823 + .906 + .593 + .717 + .107 = -2.919
    assert m_score({**ones, "tata": 0.0}, model="5") == pytest.approx(-2.919, abs=1e-12)
    # TATA carries 4.679 per unit
    assert m_score({**ones, "tata": 0.1}) - m_score({**ones, "tata": 0.0}) == pytest.approx(0.4679)
    with pytest.raises(JunkanInputError, match="TATA"):
        m_score(ones)


# --------------------------------------------------------------------------------------------------------------
# Hand calculation: a company in $M, FY2024 (t), FY2023 (t-1), FY2022 (t-2). Same figures as the XBRL fixture.
# --------------------------------------------------------------------------------------------------------------

FY2024 = Statement(
    entity="acme",
    period="FY2024",
    period_end=dt.date(2024, 12, 31),
    days=366,
    revenue=1500,
    cogs=900,
    sga=190,
    depreciation=64,
    net_income=160,
    operating_cash_flow=70,
    debt_issued=160,
    receivables=300,
    inventory=180,
    current_assets=900,
    cash=120,
    short_term_investments=30,
    securities=60,
    long_term_investments=60,
    ppe_net=420,
    total_assets=1700,
    current_liabilities=420,
    debt_current=50,
    long_term_debt=400,
    total_liabilities=880,
)
FY2023 = Statement(
    entity="acme",
    period="FY2023",
    period_end=dt.date(2023, 12, 31),
    revenue=1180,
    cogs=700,
    sga=170,
    depreciation=60,
    net_income=110,
    operating_cash_flow=95,
    debt_issued=50,
    receivables=180,
    inventory=120,
    current_assets=700,
    cash=150,
    short_term_investments=40,
    securities=50,
    long_term_investments=50,
    ppe_net=400,
    total_assets=1400,
    current_liabilities=340,
    debt_current=30,
    long_term_debt=260,
    total_liabilities=650,
)
FY2022 = Statement(
    entity="acme",
    period="FY2022",
    period_end=dt.date(2022, 12, 31),
    revenue=1000,
    net_income=80,
    receivables=130,
    total_assets=1200,
)


def test_beneish_hand_calculation() -> None:
    r = beneish_mscore(FY2024, FY2023)
    assert r.dsri == pytest.approx((300 / 1500) / (180 / 1180))  # 1.311111
    assert r.gmi == pytest.approx(((1180 - 700) / 1180) / ((1500 - 900) / 1500))  # 1.016949
    assert r.aqi == pytest.approx((1 - (900 + 420 + 60) / 1700) / (1 - (700 + 400 + 50) / 1400))  # 1.054118
    assert r.sgi == pytest.approx(1500 / 1180)  # 1.271186
    assert r.depi == pytest.approx((60 / (60 + 400)) / (64 / (64 + 420)))  # 0.986413
    assert r.sgai == pytest.approx((190 / 1500) / (170 / 1180))  # 0.879216
    assert r.lvgi == pytest.approx(((420 + 400) / 1700) / ((340 + 260) / 1400))  # 1.125490
    assert r.tata == pytest.approx((160 - 70) / 1700)  # 0.052941
    assert r.m_score == pytest.approx(-1.695178, abs=1e-6)
    assert r.m_score_5 == pytest.approx(-2.422521, abs=1e-6)
    assert r.flagged is True  # -1.695 > -1.78
    assert r.flagged_5 is False  # -2.42 < -2.22
    assert r.earnings_basis == "net_income"
    assert r.assumed_zero == ()
    assert r.inputs["current"]["revenue"] == 1500.0 and r.inputs["prior"]["revenue"] == 1180.0
    frame = r.to_frame()
    assert frame["contribution"].sum() + BENEISH_8_COEFFICIENTS["intercept"] == pytest.approx(r.m_score)
    assert "-1.70" in r.summary() and "above" in r.summary()


def test_dechow_hand_calculation() -> None:
    r = dechow_fscore(FY2024, FY2023, FY2022)
    # WC = (CA - cash - STI) - (CL - STD): 2024 (900-120-30)-(420-50) = 380; 2023 (700-150-40)-(340-30) = 200
    # NCO = (TA - CA - LTI) - (TL - CL - LTD): 2024 740-60 = 680; 2023 650-50 = 600
    # FIN = (STI + LTI) - (LTD + STD + PSTK): 2024 90-450 = -360; 2023 90-290 = -200
    assert r.components["wc"] == 380 and r.components["wc_prior"] == 200
    assert r.components["nco"] == 680 and r.components["nco_prior"] == 600
    assert r.components["fin"] == -360 and r.components["fin_prior"] == -200
    ata = (1700 + 1400) / 2  # 1550
    assert r.rsst_acc == pytest.approx((180 + 80 - 160) / ata)  # 0.064516
    assert r.ch_rec == pytest.approx(120 / ata)  # 0.077419
    assert r.ch_inv == pytest.approx(60 / ata)  # 0.038710
    assert r.soft_assets == pytest.approx((1700 - 420 - 120 - 30) / 1700)  # 0.664706
    # cash sales: 2024 1500 - 120 = 1380; 2023 1180 - (180 - 130) = 1130
    assert r.ch_cs == pytest.approx((1380 - 1130) / 1130)  # 0.221239
    assert r.ch_roa == pytest.approx(160 / 1550 - 110 / ((1400 + 1200) / 2))  # 0.018610
    assert r.issue == 1
    assert r.predicted == pytest.approx(-5.236047, abs=1e-6)
    assert r.probability == pytest.approx(0.00529308, abs=1e-8)  # e^v / (1 + e^v)
    assert r.f_score == pytest.approx(1.430563, abs=1e-6)  # probability / 0.0037
    assert r.flagged is True
    assert r.approximations == ()
    assert r.assumed_zero == (
        "preferred_stock (current FY2024)",
        "preferred_stock (prior FY2023)",
        "stock_issued (current FY2024)",
    )
    frame = r.to_frame()
    assert frame["contribution"].sum() + DECHOW_MODEL1_COEFFICIENTS["intercept"] == pytest.approx(r.predicted)


def test_dechow_needs_t_minus_2_unless_approximation_allowed() -> None:
    with pytest.raises(JunkanInputError, match="t-2") as exc:
        dechow_fscore(FY2024, FY2023)
    assert exc.value.problems[0].field == "prior2"
    r = dechow_fscore(FY2024, FY2023, allow_approximation=True)
    assert len(r.approximations) == 2
    # stand-ins: ATA_t-1 = TA_t-1 = 1400, CS_t-1 = revenue_t-1 = 1180
    assert r.ch_cs == pytest.approx((1380 - 1180) / 1180)
    assert r.ch_roa == pytest.approx(160 / 1550 - 110 / 1400)
    assert r.f_score == pytest.approx(1.410103, abs=1e-6)


def test_f_score_properties() -> None:
    base = {"rsst_acc": 0.0, "ch_rec": 0.0, "ch_inv": 0.0, "soft_assets": 0.0, "ch_cs": 0.0, "ch_roa": 0.0}
    v0, p0, f0 = f_score({**base, "issue": 0})
    assert v0 == pytest.approx(-7.893)
    assert p0 == pytest.approx(math.exp(-7.893) / (1 + math.exp(-7.893)))
    assert f0 == pytest.approx(p0 / 0.0037)
    assert f0 == pytest.approx(0.100867, abs=1e-6)
    v1, _, _ = f_score({**base, "issue": 1})
    assert v1 - v0 == pytest.approx(1.029)
    assert f_score({**base, "soft_assets": 1.0, "issue": 0})[0] - v0 == pytest.approx(1.979)
    assert f_score({**base, "ch_roa": 1.0, "issue": 0})[0] - v0 == pytest.approx(-0.932)
    # very large predictors stay finite (stable logistic)
    _, p_big, _ = f_score({**base, "rsst_acc": 1e4, "issue": 1})
    assert p_big == 1.0


def test_accruals_dso_and_cash_conversion_hand_calculation() -> None:
    bs = accruals_ratio(FY2024, FY2023)
    # (dCA - dCash) - (dCL - dSTD - dTP) - Dep = (200 - (-40)) - (80 - 20 - 0) - 64 = 116; / 1550
    assert bs.inputs["accruals"] == 116
    assert bs.value == pytest.approx(116 / 1550)  # 0.074839
    assert bs.note is not None and "income_taxes_payable" in bs.note
    cf = accruals_ratio(FY2024, FY2023, method="cash_flow")
    assert cf.value == pytest.approx((160 - 70) / 1550)  # 0.058065
    dso = days_sales_outstanding(FY2024)
    assert dso.value == pytest.approx(300 / 1500 * 366)  # 73.2 days over a 366-day year
    assert dso.unit == "days" and "366" in dso.method
    assert days_sales_outstanding(dataclasses.replace(FY2024, days=365)).value == pytest.approx(73.0)
    cc = cash_conversion(FY2024)
    assert cc.value == pytest.approx(70 / 160)  # 0.4375
    assert cc.note is None


def test_dso_trend() -> None:
    a = Statement(entity="x", period="FY1", period_end=dt.date(2021, 12, 31), receivables=100, revenue=800)
    b = Statement(entity="x", period="FY2", period_end=dt.date(2022, 12, 31), receivables=130, revenue=1000)
    c = Statement(entity="x", period="FY3", period_end=dt.date(2023, 12, 31), receivables=180, revenue=1180)
    t = dso_trend([c, a, b])  # sorted by period end
    assert t.periods == ("FY1", "FY2", "FY3")
    assert t.dso == pytest.approx((45.625, 47.45, 180 / 1180 * 365))
    assert t.change_days == pytest.approx((1.825, 180 / 1180 * 365 - 47.45))
    assert t.growth[1] == pytest.approx((180 / 1180) / (130 / 1000))  # equals DSRI for equal-length years
    assert t.rising is True
    falling = dso_trend([a, dataclasses.replace(b, receivables=90)])
    assert falling.rising is False
    assert len(t.to_frame()) == 3
    with pytest.raises(JunkanInputError, match="at least two"):
        dso_trend([a])
    with pytest.raises(JunkanInputError, match="one entity"):
        dso_trend([a, dataclasses.replace(b, entity="y")])


# --------------------------------------------------------------------------------------------------------------
# Bad input and undefined ratios
# --------------------------------------------------------------------------------------------------------------


def test_missing_inputs_are_named_with_entity_and_period() -> None:
    bad = dataclasses.replace(FY2024, cogs=None, sga=None)
    with pytest.raises(JunkanInputError) as exc:
        beneish_mscore(bad, FY2023)
    fields = [p.field for p in exc.value.problems]
    assert fields == ["cogs", "sga"]
    assert "acme FY2024" in str(exc.value) and "Beneish" in str(exc.value)
    no_income = dataclasses.replace(FY2023, net_income=None)
    with pytest.raises(JunkanInputError, match=r"net_income \(or income_continuing_ops\) for acme FY2023"):
        dechow_fscore(FY2024, no_income, FY2022)
    with pytest.raises(JunkanInputError, match="receivables for acme FY2024"):
        days_sales_outstanding(dataclasses.replace(FY2024, receivables=None))
    with pytest.raises(JunkanInputError, match="operating_cash_flow"):
        cash_conversion(dataclasses.replace(FY2024, operating_cash_flow=None))


def test_division_by_zero_gives_nan_with_reason() -> None:
    r = beneish_mscore(FY2024, dataclasses.replace(FY2023, receivables=0))
    assert math.isnan(r.dsri) and math.isnan(r.m_score) and math.isnan(r.m_score_5)
    assert r.flagged is None and r.flagged_5 is None
    assert r.undefined == {"dsri": "receivables of FY2023 is zero"}
    assert r.gmi == pytest.approx(1.016949, abs=1e-6)  # the other indices are still computed
    assert "undefined" in r.summary()
    zero_ni = cash_conversion(dataclasses.replace(FY2024, net_income=0))
    assert math.isnan(zero_ni.value) and not zero_ni.defined
    assert zero_ni.reason == "net income of FY2024 is zero"
    loss = cash_conversion(dataclasses.replace(FY2024, net_income=-20))
    assert loss.value == pytest.approx(-3.5) and loss.note is not None and "negative" in loss.note
    dso = days_sales_outstanding(dataclasses.replace(FY2024, revenue=0))
    assert math.isnan(dso.value) and dso.reason == "revenue of FY2024 is zero"
    d = dechow_fscore(FY2024, dataclasses.replace(FY2023, revenue=50), FY2022)  # cash sales 50 - 50 = 0
    assert math.isnan(d.ch_cs) and math.isnan(d.f_score) and d.flagged is None
    assert d.undefined == {"ch_cs": "cash sales of FY2023 is zero"}


def test_statement_validation_and_order() -> None:
    with pytest.raises(JunkanInputError, match="finite"):
        Statement(entity="x", period="FY1", revenue=float("inf"))
    with pytest.raises(JunkanInputError, match="positive number of days"):
        Statement(entity="x", period="FY1", days=0)
    with pytest.raises(JunkanInputError, match="must be a number"):
        Statement(entity="x", period="FY1", revenue="100")  # type: ignore[arg-type]
    with pytest.raises(JunkanInputError, match="must end before"):
        beneish_mscore(FY2023, FY2024)
    with pytest.raises(JunkanInputError, match="USD"):
        beneish_mscore(FY2024, dataclasses.replace(FY2023, currency="EUR"))
    with pytest.raises(JunkanInputError) as exc:
        Statement.from_mapping({"revenue": 1, "sales": 2, "turnover": 3}, entity="x", period="FY1")
    assert [p.field for p in exc.value.problems] == ["sales", "turnover"]
    s = Statement.from_mapping({"revenue": 1, "receivables": 2}, entity="x", period="FY1", days=91)
    assert s.revenue == 1.0 and s.days == 91
    assert set(s.items()) == set(STATEMENT_ITEMS)
    with pytest.raises(JunkanInputError, match="unknown accruals method"):
        accruals_ratio(FY2024, FY2023, method="magic")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------------------

MONEY = list(STATEMENT_ITEMS)


def _scaled(s: Statement, k: float) -> Statement:
    return dataclasses.replace(s, **{m: (None if getattr(s, m) is None else getattr(s, m) * k) for m in MONEY})


@settings(max_examples=40, deadline=None)
@given(k=st.floats(min_value=1e-3, max_value=1e6))
def test_scores_are_unit_free(k: float) -> None:
    """Thousands, millions or dollars give the same indices and scores (every ratio is unit-free)."""
    b0, b1 = beneish_mscore(FY2024, FY2023), beneish_mscore(_scaled(FY2024, k), _scaled(FY2023, k))
    assert b1.m_score == pytest.approx(b0.m_score, rel=1e-9, abs=1e-9)
    d0 = dechow_fscore(FY2024, FY2023, FY2022)
    d1 = dechow_fscore(_scaled(FY2024, k), _scaled(FY2023, k), _scaled(FY2022, k))
    assert d1.f_score == pytest.approx(d0.f_score, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    revenue=st.floats(min_value=10, max_value=1e6),
    margin=st.floats(min_value=0.05, max_value=0.9),
    growth=st.floats(min_value=0.5, max_value=3.0),
)
def test_steady_ratios_give_unit_indices(revenue: float, margin: float, growth: float) -> None:
    """A company that only grows (every item x growth) has DSRI = GMI = AQI = DEPI = SGAI = LVGI = 1, SGI = growth."""
    prior = Statement(
        entity="g",
        period="FY1",
        revenue=revenue,
        cogs=revenue * (1 - margin),
        receivables=revenue * 0.2,
        current_assets=revenue * 0.5,
        ppe_net=revenue * 0.3,
        total_assets=revenue,
        depreciation=revenue * 0.05,
        sga=revenue * 0.1,
        net_income=revenue * 0.08,
        operating_cash_flow=revenue * 0.08,
        current_liabilities=revenue * 0.25,
        long_term_debt=revenue * 0.2,
    )
    r = beneish_mscore(_scaled(prior, growth), prior)
    for k in ("dsri", "gmi", "aqi", "depi", "sgai", "lvgi"):
        assert getattr(r, k) == pytest.approx(1.0, rel=1e-9), k
    assert r.sgi == pytest.approx(growth, rel=1e-9)
    assert r.tata == pytest.approx(0.0, abs=1e-12)
    assert r.m_score == pytest.approx(-2.480 - 0.892 + 0.892 * growth, abs=1e-9)
