"""The watch list on hand-made ledgers: each indicator's value by hand, each status, overrides and the exit code."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from _helpers import SRC, deal, ledger, run_cli
from junkan.assess.watch import RULES, Rule, rules_with, watch
from junkan.errors import JunkanInputError
from junkan.flows import own_money_share
from junkan.ledger import Financial

AS_OF = dt.date(2026, 6, 30)


def f(entity: str, metric: str, value: float, end: str, **kw: object) -> Financial:
    return Financial(
        entity=entity,
        period=end[:7],
        period_end=dt.date.fromisoformat(end),
        metric=metric,
        value=value,
        confidence="high",
        sources=SRC,
        **kw,  # type: ignore[arg-type]
    )


def web(*extra: Financial) -> object:
    """V invests 100 in C, C commits 300 to buy from V (the issue's example); C's revenue is 50; G lends C 40."""
    deals = [
        deal("inv", "v", "c", 100, "2025-01-10", "equity_investment"),
        deal("buy", "c", "v", 300, "2025-02-01", "purchase_commitment"),
        deal("gpu", "g", "n", 90, "2025-03-01", "gpu_backed_debt", drawn=72),
        deal("loan", "g", "c", 40, "2025-09-01", "loan"),
    ]
    fins = [
        Financial(
            entity="c",
            period="FY2025",
            period_end=dt.date(2025, 12, 31),
            metric="revenue",
            value=50,
            confidence="high",
            sources=SRC,
        ),
        f("n", "ppe_net", 100, "2026-03-31"),
        *extra,
    ]
    return ledger(*deals, financials=fins)


def by(res: object, name: str, subject: str) -> object:
    (hit,) = [i for i in res.indicators if i.name == name and i.subject == subject]  # type: ignore[attr-defined]
    return hit


def test_rule_status_both_directions() -> None:
    up = Rule("x", "above", 1.0, 2.0, "u", "b")
    assert [up.status(v) for v in (0.99, 1.0, 1.99, 2.0)] == ["ok", "watch", "watch", "alert"]
    down = Rule("y", "below", -1.0, -2.0, "u", "b")
    assert [down.status(v) for v in (0.0, -1.0, -2.0)] == ["ok", "watch", "alert"]


def test_indicators_by_hand() -> None:
    res = watch(web(), as_of=AS_OF, history=False)
    # commitments 300 against revenue 50: 6 years -> alert (band 1 / 3 years)
    cy = by(res, "commitment_years", "c")
    assert cy.value == pytest.approx(6.0) and cy.status == "alert"
    # C closed 40 of debt in the year to 2026-06-30 (the equity was 2025-01-10, more than a year before);
    # a year of commitments is 300 / 5 = 60: cover 40 / 60
    fc = by(res, "funding_cover", "c")
    assert fc.value == pytest.approx(40 / 60) and fc.status == "watch"
    # GPU-backed debt drawn 72 against net PP&E 100
    ltv = by(res, "collateral_ltv", "n")
    assert ltv.value == pytest.approx(0.72) and ltv.status == "watch" and ltv.as_of == dt.date(2026, 3, 31)
    # the vendor's own-money share is the flows API's, judged on the scorecard's band (0.25 / 0.75)
    om = by(res, "own_money_share", "v")
    assert om.value == pytest.approx(own_money_share(web(), "v").own_money_share)
    assert om.status == RULES["own_money_share"].status(om.value)


def test_own_money_of_the_issue_example_is_an_alert() -> None:
    # V invests 100 in C; C commits 300 to buy from V; nothing else: all of V's funded receipts are its own money
    led = ledger(
        deal("inv", "v", "c", 100, "2025-01-10", "equity_investment"),
        deal("buy", "c", "v", 300, "2025-02-01", "purchase_commitment"),
    )
    om = by(watch(led, as_of=AS_OF, history=False), "own_money_share", "v")
    assert om.value == pytest.approx(1.0) and om.status == "alert"


def test_market_indicators_and_history() -> None:
    extra = (
        f("g", "gpu_rental_price", 2.00, "2025-06-30", notes="H100 1-year reserved"),
        f("g", "gpu_rental_price", 1.40, "2026-06-30", notes="H100 1-year reserved"),
        f("n", "cds_spread_5y", 0.0128, "2025-12-05"),
        f("n", "cds_spread_5y", 0.0643, "2026-06-01"),
        f("v", "backlog_share", 0.66, "2026-03-31", counterparty="c"),
    )
    res = watch(web(*extra), as_of=AS_OF, history=False)
    gpu = by(res, "gpu_rental_price_trend", "g/H100")
    # two readings: the OLS log slope is ln(1.4 / 2) / (365 / 365.25 years), so exp(b) - 1 is the annualised change
    assert gpu.value == pytest.approx((1.40 / 2.00) ** (365.25 / 365) - 1, rel=1e-12)
    assert gpu.status == "watch"
    assert [r.value for r in gpu.history] == [2.0, 1.4]
    cds = by(res, "cds_spread_5y", "n")
    assert cds.value == pytest.approx(0.0643) and cds.status == "watch"
    assert cds.trend == pytest.approx(0.0643 - 0.0128)
    assert f"{1 - math.exp(-5 * 0.0643 / 0.6):.1%}" in cds.detail  # 41.5% risk-neutral 5-year PD
    bl = by(res, "backlog_concentration", "v/c")
    assert bl.status == "alert" and bl.threshold == RULES["backlog_concentration"].alert


def test_as_of_leaves_out_later_figures() -> None:
    extra = (f("n", "cds_spread_5y", 0.0128, "2025-12-05"), f("n", "cds_spread_5y", 0.20, "2026-06-01"))
    early = watch(web(*extra), as_of=dt.date(2026, 1, 31), history=False)
    assert by(early, "cds_spread_5y", "n").value == pytest.approx(0.0128)
    assert by(watch(web(*extra), as_of=AS_OF, history=False), "cds_spread_5y", "n").status == "alert"


def test_overrides_move_status_and_bad_keys_fail() -> None:
    res = watch(web(), as_of=AS_OF, thresholds={"collateral_ltv.alert": 0.7}, history=False)
    assert by(res, "collateral_ltv", "n").status == "alert"
    assert rules_with({"cds_spread_5y": 0.05})["cds_spread_5y"].alert == 0.05
    with pytest.raises(JunkanInputError, match=r"unknown watch threshold 'nope\.watch'"):
        rules_with({"nope.watch": 1})


def test_cli_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "d.csv"
    csv.write_text(
        "id,date,kind,payer,payee,amount,currency,status,confidence,source_url\n"
        "inv,2025-01-10,equity_investment,V,C,100,USD,closed,high,https://example.org/a\n"
    )
    code, out, _ = run_cli(capsys, "watch", "--data", str(csv), "--format", "json", "--as-of", "2025-06-30")
    assert code == 0
    doc = json.loads(out)
    assert doc["as_of"] == "2025-06-30" and all(i["status"] != "alert" for i in doc["indicators"])
    code, out, _ = run_cli(capsys, "watch", "--format", "json")  # bundled data: OpenAI's commitments alert
    doc = json.loads(out)
    assert code == 1 and any(i["status"] == "alert" for i in doc["indicators"])
    assert {"name", "value", "threshold", "status", "as_of", "source"} <= set(doc["indicators"][0])
    code, _, err = run_cli(capsys, "watch", "--threshold", "cds_spread_5y.alert=abc")
    assert code == 2 and "--threshold" in err
    code, _, err = run_cli(capsys, "watch", "--as-of", "2018-01-01")
    assert code == 2


def test_gpu_trend_is_the_ols_log_slope_per_model_and_gaps_are_listed() -> None:
    # H100 at 4, 2, 2 on 2024-01-01, 2025-01-01 (366 days: a leap year), 2026-01-01 (+365 days)
    # t = 0, 366/365.25, 731/365.25 = 0, 1.002053, 2.001369; y = ln 4, ln 2, ln 2
    # b = sum (t - tm)(y - ym) / sum (t - tm)^2, by hand below; B200 has one reading: listed as missing, no trend
    extra = (
        f("g", "gpu_rental_price", 4.0, "2024-01-01", notes="NVIDIA H100 on-demand"),
        f("g", "gpu_rental_price", 2.0, "2025-01-01", notes="H100/H200 on-demand across providers"),
        f("g", "gpu_rental_price", 2.0, "2026-01-01", notes="Silicon Data H100 index (SDH100RT)"),
        f("g", "gpu_rental_price", 5.3, "2026-01-01", notes="NVIDIA B200, as for the H100 index"),
    )
    res = watch(web(*extra), as_of=AS_OF, history=False)
    t = [0.0, 366 / 365.25, 731 / 365.25]
    y = [math.log(4), math.log(2), math.log(2)]
    tm, ym = sum(t) / 3, sum(y) / 3
    sxx = sum((a - tm) ** 2 for a in t)
    b = sum((a - tm) * (c - ym) for a, c in zip(t, y, strict=True)) / sxx
    se = math.sqrt(sum((c - ym - b * (a - tm)) ** 2 for a, c in zip(t, y, strict=True)) / 1 / sxx)
    assert b == pytest.approx(-math.log(2) / 2, rel=1e-2)  # halves over the first year, flat the second
    gpu = by(res, "gpu_rental_price_trend", "g/H100")
    assert gpu.value == pytest.approx(math.exp(b) - 1, rel=1e-12)
    assert gpu.status == RULES["gpu_rental_price_trend"].status(gpu.value) == "watch"  # -29%: watch at -16.7%
    assert f"standard error {se:.3f}" in gpu.detail and "over 3 readings" in gpu.detail
    assert {
        "name": "gpu_rental_price_trend",
        "subject": "g/B200",
        "reason": "one dated B200 price reading: no trend",
    } in res.missing
    assert "missing" in res.to_dict()


def test_collateral_without_ppe_is_listed_missing() -> None:
    led = ledger(deal("gpu", "g", "n", 90, "2025-03-01", "gpu_backed_debt", drawn=72))
    res = watch(led, as_of=AS_OF, history=False)
    assert not [i for i in res.indicators if i.name == "collateral_ltv"]
    (m,) = [m for m in res.missing if m["name"] == "collateral_ltv"]
    assert m["subject"] == "n" and "drawn 0.00B (gpu)" in m["reason"] and "no ppe_net" in m["reason"]


def test_circularity_index_and_its_history() -> None:
    # web(): v -> c 100 and c -> v 300 form the only loop; 100 goes round on each of its two edges: circular 200.
    # All flow on the committed basis: 100 + 300 + 90 (the GPU loan's commitment) + 40 = 530; index 200 / 530.
    res = watch(web(), as_of=AS_OF, history=True)
    ci = by(res, "circularity_index", "memory")
    assert ci.value == pytest.approx(200 / 530, rel=1e-9)
    assert ci.status == "watch"  # watch at 10%, alert at 50%
    # the 2025 period of flows.circularity ends at the last deal (2025-09-01): the same web, so the trend is 0
    assert [(r.date, round(r.value, 12)) for r in ci.history][-2:] == [
        (dt.date(2025, 9, 1), round(200 / 530, 12)),
        (AS_OF, round(200 / 530, 12)),
    ]
    assert ci.trend == pytest.approx(0.0, abs=1e-12)
