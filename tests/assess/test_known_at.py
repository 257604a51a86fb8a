"""Known-at scoring: each indicator uses only the deals and figures published by the date (``as_of``, ``known_at``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from _helpers import run_cli
from junkan.assess import scorecard
from junkan.assess.scorecard import known_on
from junkan.ledger import Amount, Deal, Entity, Financial, Ledger, Source

_N = iter(range(10**6))


def src(day: str | None, kind: str = "filing", url: str | None = None) -> Source:
    """A source with its own URL (an undated source takes the date its URL carries elsewhere in the ledger)."""
    where = url or f"https://example.org/{next(_N)}"
    return Source(url=where, kind=kind, date=None if day is None else dt.date.fromisoformat(day))


def fig(entity: str, metric: str, value: float, end: str, published: str | None, period: str = "FY") -> Financial:
    return Financial(
        entity=entity,
        period=period + end[:4],
        period_end=dt.date.fromisoformat(end),
        metric=metric,
        value=value,
        confidence="high",
        sources=[src(published)],
    )


def loan(did: str, day: str, published: str | None, amount: float = 100.0) -> Deal:
    return Deal(
        id=did,
        date=dt.date.fromisoformat(day),
        kind="loan",
        payer="v",
        payee="c",
        amount=Amount(value=amount),
        status="closed",
        confidence="high",
        sources=[src(published, "news")],
    )


def ledger(financials: list[Financial]) -> Ledger:
    deals = [loan("early", "2020-01-10", "2020-01-10"), loan("secret", "2020-02-01", "2021-06-01", 50.0)]
    ents = [Entity(id=x, name=x.upper()) for x in ("v", "c")]
    return Ledger.build(deals, ents, financials)


def test_known_on_keeps_only_what_was_published() -> None:
    figs = [
        fig("v", "operating_cash_flow", 400, "2019-12-31", None),  # undated, filed 90 days after the year end
        fig("v", "bad_debt_reserve", 20, "2019-12-31", "2020-09-01"),  # published after the date
        fig("v", "overstated_revenue", 30, "2019-12-31", None),  # a later finding: needs a dated source
        fig("c", "users", 1000, "2020-05-01", None, period="P"),  # observed and reported on the day
        fig("v", "revenue", 900, "2020-03-31", None, period="Q"),  # undated, its period ended 61 days before
    ]
    k = known_on(ledger(figs), dt.date(2020, 5, 31))
    assert [d.id for d in k.deals] == ["early"]  # 'secret' happened in Feb 2020 but was first reported in 2021
    assert sorted((f.metric, f.value) for f in k.financials) == [("operating_cash_flow", 400.0), ("users", 1000.0)]
    later = known_on(ledger(figs), dt.date(2020, 9, 1))
    assert {f.metric for f in later.financials} == {"operating_cash_flow", "bad_debt_reserve", "users", "revenue"}


def test_an_undated_source_takes_the_date_of_its_url_elsewhere() -> None:
    # the cash-flow figure's source is undated, but the same URL is dated 2021-06-01 on the 'secret' deal's source
    deals = [loan("early", "2020-01-10", "2020-01-10")]
    late = Deal(
        **{**deals[0].model_dump(), "id": "late", "sources": [src("2021-06-01", "news", "https://example.org/s")]}
    )
    fin = fig("v", "operating_cash_flow", 400, "2019-12-31", None)
    fin = fin.model_copy(update={"sources": [src(None, url="https://example.org/s")]})
    led = Ledger.build([*deals, late], [Entity(id="v", name="V"), Entity(id="c", name="C")], [fin])
    assert known_on(led, dt.date(2020, 6, 30)).financials == ()
    assert len(known_on(led, dt.date(2021, 6, 30)).financials) == 1


def test_a_figure_published_after_the_date_is_not_used() -> None:
    # v lends 100 (published) against an operating cash flow of 400 on file since 2020-02-15, and 50 reported only
    # in 2021: as known on 2020-06-30 vendor funding is 100 / 400 = 0.25; now it is 150 / 400
    figs = [fig("v", "operating_cash_flow", 400, "2019-12-31", "2020-02-15")]
    then = scorecard(ledger(figs), levels=("dataset",), as_of=dt.date(2020, 6, 30)).cases[0]
    now = scorecard(ledger(figs), levels=("dataset",)).cases[0]
    assert then.as_of == dt.date(2020, 6, 30) and now.as_of is None
    assert then.indicator("vendor_funding").value == pytest.approx(100 / 400)
    assert now.indicator("vendor_funding").value == pytest.approx(150 / 400)
    assert [e["id"] for e in then.indicator("vendor_funding").evidence if e["type"] == "deal"] == ["early"]
    # before its sources, the cash-flow figure is not known at all: the indicator falls back to revenue or is missing
    early = scorecard(ledger(figs), levels=("dataset",), as_of=dt.date(2020, 2, 1)).cases[0]
    assert early.indicator("vendor_funding").value != pytest.approx(100 / 400)


def test_known_at_scores_each_case_on_its_own_date() -> None:
    sc = scorecard(["lucent-2000", "global-crossing-qwest-2001"], levels=("dataset",), known_at=True)
    assert sc.inputs["as_of"] == {"lucent-2000": "2000-06-30", "global-crossing-qwest-2001": "2001-06-30"}
    lucent, gcq = sc.cases
    # mid-2000 the record had Lucent's financing commitments but not its reserves, its FY2000 cash flow or
    # WinStar's failure (all published from December 2000): no warning region yet
    assert lucent.indicator("credit_losses").missing and lucent.indicator("customer_ability").missing
    assert lucent.region == "insufficient evidence"
    # the Q1 2001 Cable & Wireless swap pair and the June 2001 fibre-utilisation estimate were public by mid-2001
    assert gcq.indicator("round_trip_share").score == 1.0
    assert gcq.region == "round trip without real demand"
    # at the end of 2000 Lucent's FY2000 10-K (filed 29 Dec 2000) shows reserves of 25% of drawn financing
    dec = scorecard("lucent-2000", levels=("dataset",), as_of=dt.date(2000, 12, 31)).cases[0]
    assert dec.indicator("credit_losses").value == pytest.approx(501e6 / 2.0e9)
    assert dec.region == "vendor financing of customers that cannot pay"


def test_cli_as_of_and_known_at(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "assess", "nortel-2001", "--no-history", "--known-at", "--format", "json")
    assert code == 0 and json.loads(out)["cases"] == []
    assert "nortel-2001 left out: no deal published by 2000-12-31" in err
    args = ("assess", "lucent-2000", "--no-history", "--level", "dataset", "--as-of", "2000-12-31", "-f", "json")
    code, out, _ = run_cli(capsys, *args)
    doc = json.loads(out)
    assert code == 0 and doc["inputs"]["as_of"] == {"lucent-2000": "2000-12-31"}
    assert doc["cases"][0]["as_of"] == "2000-12-31"
    code, _, err = run_cli(capsys, "assess", "lucent-2000", "--as-of", "2000-13-01")
    assert code == 2 and "--as-of" in err


def test_cli_uncertainty_adds_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("assess", "orts-2024", "--no-history", "--level", "dataset", "--uncertainty", "20", "-f", "json")
    code, out, _ = run_cli(capsys, *args)
    doc = json.loads(out)
    assert code == 0 and doc["uncertainty"]["draws"] == 20 and doc["uncertainty"]["seed"] == 42
    (iv,) = doc["uncertainty"]["intervals"]
    assert iv["case"] == "orts-2024" and len(iv["round_trip_interval"]) == 2
    assert abs(sum(iv["regions"].values()) - 1.0) < 1e-9
