"""The three answers: numbers equal to the API's (hand ledger with exact values, bundled data), sentences built from
them, and sensible sentences without a stress model, a scorecard or vendor financing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from report_helpers import SHARE_OF_RECEIPTS_V, SHARE_V, small_ledger

import junkan
from junkan.assess import scorecard
from junkan.flows import circularity, exposure, provenance
from junkan.ledger import Amount, Deal, Ledger, Source
from junkan.report import build_report
from junkan.report.answers import QUESTIONS, build_answers

SRC = [Source(url="https://example.org/filing", title="A filing", kind="filing")]


def _results(led: Ledger) -> dict[str, object]:
    return {"provenance": provenance(led), "exposure": exposure(led), "circularity": circularity(led)}


# ---------------------------------------------------------------------------------------------------- hand ledger
@pytest.fixture(scope="module")
def small():
    led = small_ledger()
    return led, build_answers(led, **_results(led), scorecard=scorecard(led), seed=5)  # type: ignore[arg-type]


def test_hand_ledger_own_money_exact(small):
    """v finances c (100) and c buys from v (150): every dollar v sends comes back (module docstring of
    report_helpers): own-money share 1, 2/3 of receipts, 50 of v's 150 receipts unfunded."""
    _, ans = small
    assert [v.entity for v in ans.vendors] == ["v"]
    v = ans.vendors[0]
    assert v.financing == 100.0
    assert v.own_money_share == pytest.approx(SHARE_V)
    assert v.own_money_share_of_receipts == pytest.approx(SHARE_OF_RECEIPTS_V)
    assert v.unfunded == pytest.approx(50.0)
    assert v.returned == pytest.approx(100.0)
    assert v.network_receipts == pytest.approx(150.0)


def test_hand_ledger_circularity_exact(small):
    """Edges v->c 100, c->v 150, l->c 30 (the cancelled deal left out): the largest circulation is 100 round
    v->c->v, so 200 of the 280 is circular, index 5/7."""
    _, ans = small
    assert ans.circular_flow == pytest.approx(200.0)
    assert ans.total_flow == pytest.approx(280.0)
    assert ans.circularity_index == pytest.approx(5 / 7)
    text = ans.answer("circular").text
    assert "The circularity index is 71.4%: of the $280 committed across the web, $200 can go round" in text
    assert "v 100.0% (66.7% of all it is promised; $50 unfunded)" in text
    assert "For v most of the money received is its own money returning." in text


def test_hand_ledger_scorecard_equals_the_api(small):
    led, ans = small
    sc = scorecard(led)
    arr = [c for c in sc.cases if c.level == "arrangement"]
    whole = next(c for c in sc.cases if c.level == "dataset")
    assert ans.arrangements == len(arr) == 2  # v's financing of c (linked legs) and l's loan to c
    want: dict[str, int] = {}
    for c in arr:
        want[c.region] = want.get(c.region, 0) + 1
    assert ans.region_counts == want
    assert ans.dataset_region == whole.region
    assert ans.dataset_round_trip == whole.round_trip and ans.dataset_strain == whole.strain
    text = ans.answer("nature").text
    assert text.startswith("Of the 2 arrangements scored, ")
    for region, n in want.items():
        assert f"{n} in “{region}”" in text
    assert f"The dataset as a whole sits in “{whole.region}”" in text
    rt = "n/a" if whole.round_trip is None else f"{whole.round_trip:.2f}"
    assert f"round-trip intensity {rt} against the cut of {sc.thresholds.round_trip_cut:g}" in text


def test_hand_ledger_caveats_and_no_stress(small):
    _, ans = small
    assert ans.deals == 4
    assert ans.estimate_share == 0.0
    assert ans.no_primary_share == pytest.approx(0.25)  # the loan has a news story only
    assert "Of the 4 deals, 0% have an estimated amount and 25% have no primary source." in ans.caveats
    assert any("seed 5" in c for c in ans.caveats)
    rev = ans.answer("reverse")
    assert ans.weakest == () and ans.focal_revenue_at_risk is None
    assert rev.sentences[0] == "The stress model is not run for this report."
    assert rev.href == "#watch"  # no stress section to link to
    assert [a.key for a in ans.answers] == [k for k, _, _ in QUESTIONS]
    assert [a.href for a in ans.answers[:2]] == ["#own-money", "#scorecard"]


def test_no_vendor_financing_no_scorecard():
    """Two parties buying from each other (no financing): nobody is a vendor financier; the answer names the largest
    own-money share instead; without a scorecard or a stress model the sentences say so."""
    deals = [
        Deal.model_validate(
            {
                "id": i,
                "date": dt.date(2025, m, 1),
                "kind": "service_fee",
                "payer": a,
                "payee": b,
                "amount": Amount(value=v),
                "status": "signed",
                "confidence": "high",
                "sources": SRC,
            }
        )
        for i, a, b, v, m in (("ab", "a", "b", 40.0, 1), ("ba", "b", "a", 10.0, 2))
    ]
    led = Ledger.build(deals, create_missing_entities=True)
    ans = build_answers(led, **_results(led), stress_reason="no stress model for this dataset")  # type: ignore[arg-type]
    assert ans.vendors == ()
    assert ans.top_own_money is not None
    prov = provenance(led)
    best = max((r for r in prov.rows if r.own_money_share), key=lambda r: r.own_money_share or 0.0)
    assert ans.top_own_money.entity == best.entity
    assert ans.top_own_money.own_money_share == best.own_money_share
    text = ans.answer("circular").text
    assert "No party in this dataset finances its own customers; the largest own-money share is" in text
    # index: 10 of each direction goes round (20 of the 50)
    assert ans.circularity_index == pytest.approx(20 / 50)
    assert ans.answer("nature").sentences == ("The scorecard is not computed for this report.",)
    assert ans.answer("nature").href == "#watch"
    assert ans.answer("reverse").sentences[0] == (
        "The stress model is not run for this report (no stress model for this dataset)."
    )
    assert "seed" not in " ".join(ans.caveats)  # no seed given, none claimed


def test_circularity_not_computed():
    led = small_ledger()
    res = _results(led)
    res["circularity"] = None
    ans = build_answers(led, **res)  # type: ignore[arg-type]
    assert ans.circularity_index is None
    assert ans.answer("circular").sentences[0] == (
        "The circularity index of the whole web is not computed for this report."
    )


def test_report_opens_with_the_answers():
    rep = build_report(small_ledger(), seed=5, scenario=None)
    html = rep.html
    assert html.index('<section id="answers">') < html.index('<section id="headline">')
    assert html.index("</header>") < html.index('<section id="answers">')
    assert rep.answers is not None and rep.sections[0] == "answers"
    sec = html[html.index('<section id="answers">') : html.index("</section>", html.index('<section id="answers">'))]
    assert len(re.findall(r'<div class="answer" data-answer="', sec)) == 3
    for a in rep.answers.answers:
        assert f"<h3>{a.question}</h3>" in sec
        assert f'href="{a.href}"' in sec
    assert "Caveats." in sec and "seed 5" in sec


# ---------------------------------------------------------------------------------------------------- bundled data
@pytest.fixture(scope="module")
def bundled():
    from junkan.stress.ecosystem import run_stress

    led = junkan.load("ai-compute")
    res = _results(led)
    sc = scorecard(led)
    st = run_stress(led, "baseline", runs=40, seed=3)
    return led, res, sc, st, build_answers(led, **res, scorecard=sc, stress=st, seed=3)  # type: ignore[arg-type]


def test_bundled_numbers_equal_the_api(bundled):
    led, res, sc, _st, ans = bundled
    expo, prov, circ = res["exposure"], res["provenance"], res["circularity"]
    top = sorted(expo.vendors, key=lambda v: (-v.financing, v.vendor))[:3]  # type: ignore[attr-defined]
    assert [v.entity for v in ans.vendors] == [v.vendor for v in top]
    rows = {r.entity: r for r in prov.rows}  # type: ignore[attr-defined]
    for v in ans.vendors:
        r = rows[v.entity]
        assert (v.own_money_share, v.own_money_share_of_receipts, v.unfunded) == (
            r.own_money_share,
            r.own_money_share_of_receipts,
            r.unfunded,
        )
        assert f"{r.name} {r.own_money_share:.1%}" in ans.answer("circular").text
    assert ans.circularity_index == circ.index  # type: ignore[attr-defined]
    assert f"The circularity index is {circ.index:.1%}" in ans.answer("circular").text  # type: ignore[attr-defined]
    mine = [c for c in sc.cases if c.dataset == led.name and c.level == "arrangement"]
    assert ans.arrangements == len(mine)
    assert sum(ans.region_counts.values()) == len(mine)
    for region, n in ans.region_counts.items():
        assert n == sum(c.region == region for c in mine)
        assert f"{n} in “{region}”" in ans.answer("nature").text
    whole = next(c for c in sc.cases if c.dataset == led.name and c.level == "dataset")
    assert ans.dataset_region == whole.region


def test_bundled_stress_equals_the_api(bundled):
    _, _, _, st, ans = bundled
    summ = st.summary()
    probs = getattr(st, "p_default_or_restructuring", None) or st.default_probability
    want = sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    assert [(w.party, w.probability) for w in ans.weakest] == [(p, v) for p, v in want if v > 0]
    assert ans.any_default_probability == summ["any_default_probability"]
    assert ans.focal == summ["focal"]
    assert ans.focal_revenue_at_risk == summ["focal_revenue_at_risk"]
    text = ans.answer("reverse").text
    assert f"in {summ['any_default_probability']:.0%} of runs at least one party defaults" in text
    assert "(40 runs)" in text
    assert ans.as_of == "2026-11-24" or ans.as_of is not None
