"""``Ledger.as_of``: statuses, amounts, sources, financials and parties as known on a date (hand-made history).

The ledger: an LOI announced 2025-01-10 (up to $100B, nothing committed), signed 2025-03-01 with $10B committed,
$4B drawn from 2025-06-01, superseded 2025-09-01 by a later deal; a loan announced 2025-02-01 with no history; a
deal whose history starts later than its date; and party ``m`` merged into ``big`` on 2025-07-01.
"""

from __future__ import annotations

import datetime as dt

import pytest

import junkan.ledger.asof as asof_mod
from junkan.errors import JunkanInputError
from junkan.flows.graph import flow_graph
from junkan.ledger import Ledger
from junkan.ledger.asof import Attribution, check_as_of
from junkan.ledger.schema import Amount, Deal, Entity, Financial, Source, StatusEvent

D = dt.date


def src(url: str, when: str | None = None, kind: str = "news") -> Source:
    return Source(url=f"https://example.com/{url}", date=D.fromisoformat(when) if when else None, kind=kind)


def ev(when: str, status: str, **kw: object) -> StatusEvent:
    return StatusEvent(date=D.fromisoformat(when), status=status, sources=[src(f"ev-{when}", when)], **kw)


LOI = Deal(
    id="v-a-loi-2025",
    date=D(2025, 1, 10),
    kind="equity_investment",
    payer="v",
    payee="a",
    amount=Amount(high=100e9, up_to=True, committed=0, drawn=0),
    status_history=[
        ev("2025-01-10", "announced"),
        ev("2025-03-01", "signed", committed="10B"),
        ev("2025-06-01", "drawn", drawn="4B"),
        ev("2025-09-01", "superseded", superseded_by="v-a-equity-2025"),
    ],
    confidence="high",
    sources=[src("pr", "2025-01-10", "press_release"), src("later", "2025-08-01"), src("undated")],
)
SUCCESSOR = Deal(
    id="v-a-equity-2025",
    date=D(2025, 9, 1),
    kind="equity_investment",
    payer="v",
    payee="a",
    amount=Amount(value=30e9),
    status="closed",
    confidence="medium",
    sources=[src("round", "2025-09-02")],
)
LOAN = Deal(
    id="bank-m-loan-2025",
    date=D(2025, 2, 1),
    kind="loan",
    payer="bank",
    payee="m",
    amount=Amount(value=5e9, drawn=5e9),
    status="drawn",
    confidence="high",
    sources=[src("loan", "2025-02-01", "filing")],
)
LATE_HISTORY = Deal(
    id="m-v-purchase-2025",
    date=D(2025, 4, 1),
    kind="purchase_commitment",
    payer="m",
    payee="v",
    amount=Amount(value=2e9),
    status_history=[ev("2025-05-01", "signed"), ev("2025-10-01", "cancelled")],
    confidence="low",
    sources=[src("rumour", "2025-04-15"), src("confirm", "2025-05-01")],
)
INTERNAL = Deal(
    id="big-m-equity-2025",
    date=D(2025, 3, 1),
    kind="equity_investment",
    payer="big",
    payee="m",
    amount=Amount(value=1e9),
    status="closed",
    confidence="high",
    sources=[src("internal", "2025-03-01")],
)
MERGER = {
    "date": D(2025, 7, 1),
    "kind": "merger",
    "successor": "big",
    "sources": [src("merger", "2025-07-01")],
}
ENTITIES = [
    Entity(id="v", name="Vendor"),
    Entity(id="a", name="Lab"),
    Entity(id="bank", name="Bank", kind="lender"),
    Entity(id="m", name="Merged Co", events=[MERGER]),
    Entity(
        id="big",
        name="Big Co (renamed)",
        ticker="BIG",
        events=[
            {"date": D(2025, 2, 15), "kind": "listing", "ticker": "BIG", "sources": [src("ipo", "2025-02-15")]},
            {"date": D(2025, 8, 1), "kind": "rename", "name": "Big Co (renamed)", "sources": [src("rn")]},
        ],
    ),
]
FINANCIALS = [
    Financial(
        entity="v",
        period="FY2024",
        period_end=D(2024, 12, 31),
        metric="revenue",
        value=10e9,
        confidence="high",
        sources=[src("10k-2024", "2025-02-20", "filing")],
    ),
    Financial(
        entity="v",
        period="Q1FY2025",
        period_end=D(2025, 3, 31),
        metric="revenue",
        value=3e9,
        confidence="high",
        sources=[src("10q", "2025-05-01", "filing"), src("restated", "2025-11-01")],
    ),
]


@pytest.fixture
def ledger() -> Ledger:
    return Ledger.build(
        [LOI, SUCCESSOR, LOAN, LATE_HISTORY, INTERNAL], ENTITIES, FINANCIALS, info=None, origin="hand-made"
    )


def test_current_deal_has_the_latest_status_and_restated_amounts(ledger: Ledger) -> None:
    d = ledger.deal("v-a-loi-2025")
    assert d.status.value == "superseded" and d.superseded_by == "v-a-equity-2025" and d.is_ended
    assert (d.amount.headline, d.amount.committed_value, d.amount.drawn_value) == (100e9, 10e9, 4e9)
    assert (d.base_amount.committed, d.base_amount.drawn) == (0, 0)


@pytest.mark.parametrize(
    ("when", "status", "committed", "drawn", "events"),
    [
        ("2025-01-10", "announced", 0.0, 0.0, 1),
        ("2025-02-28", "announced", 0.0, 0.0, 1),
        ("2025-03-01", "signed", 10e9, 0.0, 2),
        ("2025-05-31", "signed", 10e9, 0.0, 2),
        ("2025-06-01", "drawn", 10e9, 4e9, 3),
        ("2025-08-31", "drawn", 10e9, 4e9, 3),
        ("2025-09-01", "superseded", 10e9, 4e9, 4),
        ("2026-01-01", "superseded", 10e9, 4e9, 4),
    ],
)
def test_loi_as_of_each_event(
    ledger: Ledger, when: str, status: str, committed: float, drawn: float, events: int
) -> None:
    d = ledger.as_of(D.fromisoformat(when)).deal("v-a-loi-2025")
    assert d.status.value == status
    assert (d.amount.headline, d.amount.committed_value, d.amount.drawn_value) == (100e9, committed, drawn)
    assert len(d.status_history) == events


def test_deals_announced_later_are_left_out(ledger: Ledger) -> None:
    assert [d.id for d in ledger.as_of(D(2025, 1, 31)).deals] == ["v-a-loi-2025"]
    assert [d.id for d in ledger.as_of(D(2025, 3, 1)).deals] == [
        "v-a-loi-2025",
        "bank-m-loan-2025",
        "big-m-equity-2025",
    ]
    assert len(ledger.as_of(D(2025, 9, 1)).deals) == 5
    assert len(ledger.as_of(D(2025, 1, 9)).deals) == 0


def test_history_starting_after_the_deal_date_is_announced_before_it(ledger: Ledger) -> None:
    assert ledger.as_of(D(2025, 4, 30)).deal("m-v-purchase-2025").status.value == "announced"
    assert ledger.as_of(D(2025, 5, 1)).deal("m-v-purchase-2025").status.value == "signed"
    assert ledger.as_of(D(2025, 10, 1)).deal("m-v-purchase-2025").status.value == "cancelled"
    # a deal without a history keeps its status from its date on
    assert ledger.as_of(D(2025, 2, 1)).deal("bank-m-loan-2025").status.value == "drawn"


def test_later_sources_are_dropped_but_one_is_kept(ledger: Ledger) -> None:
    loi = ledger.as_of(D(2025, 7, 31)).deal("v-a-loi-2025")
    assert [s.url.rsplit("/", 1)[1] for s in loi.sources] == ["pr", "undated"]
    assert [s.url.rsplit("/", 1)[1] for s in ledger.as_of(D(2025, 8, 1)).deal("v-a-loi-2025").sources] == [
        "pr",
        "later",
        "undated",
    ]
    # every source of the purchase is later than 2025-04-10: its earliest one stays
    early = ledger.as_of(D(2025, 4, 10)).deal("m-v-purchase-2025")
    assert [s.url.rsplit("/", 1)[1] for s in early.sources] == ["rumour"]


def test_financials_of_later_periods_or_later_sources_are_left_out(ledger: Ledger) -> None:
    assert [f.period for f in ledger.as_of(D(2025, 2, 19)).financials] == []
    assert [f.period for f in ledger.as_of(D(2025, 4, 30)).financials] == ["FY2024"]
    [fy, q1] = ledger.as_of(D(2025, 5, 1)).financials
    assert (fy.period, q1.period, len(q1.sources)) == ("FY2024", "Q1FY2025", 1)
    assert len(ledger.as_of(D(2025, 11, 1)).financials[1].sources) == 2


def test_merged_party_is_attributed_to_its_successor_from_the_merger_on(ledger: Ledger) -> None:
    before = ledger.as_of(D(2025, 6, 30))
    assert before.deal("bank-m-loan-2025").payee == "m"
    assert before.attributions == ()
    assert [e.date for e in before.entities["m"].events] == []
    after = ledger.as_of(D(2025, 7, 1))
    assert after.as_of_date == D(2025, 7, 1) and after.info.as_of == D(2025, 7, 1) and ledger.as_of_date is None
    assert after.deal("bank-m-loan-2025").payee == "big"
    assert after.deal("m-v-purchase-2025").payer == "big"
    # the investment of the successor in the merged party keeps its parties (money moved between two companies)
    assert (after.deal("big-m-equity-2025").payer, after.deal("big-m-equity-2025").payee) == ("big", "m")
    assert after.attributions == (
        Attribution(deal_id="bank-m-loan-2025", role="payee", original="m", successor="big"),
        Attribution(deal_id="m-v-purchase-2025", role="payer", original="m", successor="big"),
    )
    # the recorded ledger is untouched
    assert ledger.deal("bank-m-loan-2025").payee == "m"


def test_flow_graph_as_of_uses_the_as_of_ledger(ledger: Ledger) -> None:
    g = flow_graph(ledger, as_of=D(2025, 7, 1), basis="drawn")
    flows = {f.deal_id: (f.payer, f.payee, f.status.value, f.amount) for f in g.flows}
    assert flows == {
        "v-a-loi-2025": ("v", "a", "drawn", 4e9),
        "bank-m-loan-2025": ("bank", "big", "drawn", 5e9),
        "m-v-purchase-2025": ("big", "v", "signed", 0.0),
        "big-m-equity-2025": ("big", "m", "closed", 0.0),
    }
    g = flow_graph(ledger, as_of=D(2025, 9, 1), basis="committed")
    # the superseded LOI has left the graph; its successor is in
    assert sorted(f.deal_id for f in g.flows) == [
        "bank-m-loan-2025",
        "big-m-equity-2025",
        "m-v-purchase-2025",
        "v-a-equity-2025",
    ]


def test_entity_ticker_and_name_as_of(ledger: Ledger) -> None:
    assert ledger.as_of(D(2025, 2, 14)).entities["big"].ticker is None
    assert ledger.as_of(D(2025, 2, 15)).entities["big"].ticker == "BIG"
    assert ledger.as_of(D(2025, 8, 1)).entities["big"].name == "Big Co (renamed)"


def test_as_of_twice_is_as_of_the_earlier_date(ledger: Ledger) -> None:
    twice = ledger.as_of(D(2025, 9, 1)).as_of(D(2025, 3, 1))
    once = ledger.as_of(D(2025, 3, 1))
    assert [(d.id, d.status, d.amount) for d in twice.deals] == [(d.id, d.status, d.amount) for d in once.deals]


def test_as_of_date_range(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asof_mod, "today", lambda: D(2026, 12, 2))
    with pytest.raises(JunkanInputError) as exc:
        ledger.as_of(D(2018, 12, 31))
    [p] = exc.value.problems
    assert (p.field, p.message) == (
        "as_of",
        "as-of date 2018-12-31 is before 2019-01-01, the earliest date of this ledger",
    )
    with pytest.raises(JunkanInputError) as exc:
        ledger.as_of(D(2026, 12, 3))
    [p] = exc.value.problems
    assert p.message == "as-of date 2026-12-03 is after today (2026-12-02): nothing is known about it yet"
    assert check_as_of(D(2019, 1, 1)) == D(2019, 1, 1) and check_as_of(D(2026, 12, 2)) == D(2026, 12, 2)
    # a ledger starting in 1999 may be viewed from 1 January 1999
    assert check_as_of(D(1999, 1, 1), first_deal=D(1999, 6, 1)) == D(1999, 1, 1)
    with pytest.raises(JunkanInputError):
        check_as_of(D(1998, 12, 31), first_deal=D(1999, 6, 1))


def test_filter_drops_a_superseded_deal_whose_successor_it_leaves_out() -> None:
    import junkan

    led = junkan.load("ai-compute")
    assert led.deal("nvda-openai-loi-2025").superseded_by == "nvda-openai-equity-2026"
    high = led.filter(min_confidence="high")  # the medium-confidence successor is filtered out
    ids = {d.id for d in high.deals}
    assert "nvda-openai-equity-2026" not in ids and "nvda-openai-loi-2025" not in ids
    assert all(d.superseded_by is None or d.superseded_by in ids for d in high.deals)
