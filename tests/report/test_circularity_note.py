"""The circularity section says in words when the point figure lies outside its 90% interval.

Hand case: ``v`` invests 100 in ``c`` (disclosed), ``c`` buys "up to" 100 from ``v`` (a ceiling). The point figure
takes the ceiling: the web is one cycle of 100 each way, circular flow 200 of 200, index 100%. A draw puts the
purchase at ``x`` uniform on [1, 100] (every lower bound is at least 1% of the ceiling,
:mod:`junkan.flows.uncertainty`): circular flow 2x of 100 + x, index 2x / (100 + x) < 1 for every x < 100, so the
whole interval lies below the point and the section must say so. With every amount disclosed (the small ledger of
``report_helpers``: index 5/7 in every draw) the point is its interval and no such sentence is printed.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from report_helpers import SRC, small_ledger

from junkan.flows import circularity
from junkan.ledger import Amount, Deal, Ledger
from junkan.report import build_report
from junkan.report.build import DEFAULT_UNCERTAINTY_DRAWS

SEED = 7


def ceiling_ledger() -> Ledger:
    """The hand case of the module docstring."""

    def deal(did: str, payer: str, payee: str, amount: Amount, kind: str) -> Deal:
        return Deal.model_validate(
            {
                "id": did,
                "date": dt.date(2025, 1, 1) if did == "inv" else dt.date(2025, 3, 1),
                "kind": kind,
                "payer": payer,
                "payee": payee,
                "amount": amount,
                "status": "signed",
                "confidence": "high",
                "sources": SRC,
                "title": f"deal {did}",
            }
        )

    deals = [
        deal("inv", "v", "c", Amount(value=100), "equity_investment"),
        deal("buy", "c", "v", Amount(high=100, up_to=True), "hardware_purchase"),
    ]
    return Ledger.build(deals, create_missing_entities=True)


def note(page: str) -> str:
    m = re.search(r'<p class="muted" id="circularity-interval-note">(.*?)</p>', page, re.S)
    assert m is not None
    return re.sub(r"\s+", " ", htmllib.unescape(m[1])).strip()


@pytest.fixture(scope="module")
def ceiling_reports():
    led = ceiling_ledger()
    return {lang: build_report(led, seed=SEED, scenario=None, scorecard=False, lang=lang) for lang in ("en", "ja")}


def test_point_above_its_interval_is_said_in_words(ceiling_reports):
    circ = circularity(ceiling_ledger(), by="year", uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=SEED)
    assert circ.index == 1.0  # 200 / 200 at the ceiling
    lo, hi = circ.index_interval
    assert 0.0 < lo <= hi < 1.0  # 2x / (100 + x) < 1 in every draw
    en = note(ceiling_reports["en"].html)
    assert "The point figure is the index of the amounts as recorded" in en
    assert f"Here the point figure, 100.0%, lies above its interval ({lo:.1%}–{hi:.1%})" in en
    assert "lies below its interval" not in en
    ja = note(ceiling_reports["ja"].html)
    assert f"ここでは点推定値100.0%が区間（{lo:.1%}〜{hi:.1%}）より上にあります。" in ja
    assert "Here" not in ja
    card = re.search(r'data-circularity="interval">(.*?)</div>', ceiling_reports["en"].html, re.S)
    assert card is not None and card[1] == f"{lo:.1%}–{hi:.1%}"


def test_no_sentence_when_the_point_is_inside():
    page = build_report(small_ledger(), seed=SEED, scenario=None, scorecard=False).html
    text = note(page)
    assert "The point figure is the index of the amounts as recorded" in text
    assert "Here the point figure" not in text
    card = re.search(r'data-circularity="interval">(.*?)</div>', page, re.S)
    assert card is not None and card[1] == "71.4%–71.4%"  # 5/7 in every draw


def test_no_sentence_without_draws():
    page = build_report(ceiling_ledger(), seed=SEED, scenario=None, scorecard=False, uncertainty=0).html
    assert "Here the point figure" not in note(page)
    card = re.search(r'data-circularity="interval">(.*?)</div>', page, re.S)
    assert card is not None and card[1] == "n/a"
