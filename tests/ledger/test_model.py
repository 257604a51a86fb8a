"""The Ledger container: integrity, filters, as_of, party resolution with suggestions, FX conversion, tables."""

from __future__ import annotations

import datetime as dt

import pytest

from junkan.errors import JunkanInputError
from junkan.ledger.model import DEAL_COLUMNS, Ledger, deal_row, integrity_problems
from junkan.ledger.schema import Deal, Entity, Financial, FxRate

SRC = [{"url": "https://example.com/x"}]


def deal(did: str, date: str, payer: str, payee: str, value: str = "1B", **over: object) -> Deal:
    base: dict[str, object] = {
        "id": did,
        "date": date,
        "kind": "loan",
        "payer": payer,
        "payee": payee,
        "amount": {"value": value},
        "status": "signed",
        "confidence": "high",
        "sources": SRC,
    }
    base.update(over)
    return Deal.model_validate(base)


ENTITIES = [
    Entity(id="nvidia", name="NVIDIA", aliases=["NVDA"]),
    Entity(id="openai", name="OpenAI"),
    Entity(id="softbank", name="SoftBank Group", country="JP"),
]
DEALS = [
    deal("d3", "2025-09-22", "nvidia", "openai", "100B", kind="equity_investment", confidence="medium", legs=["d1"]),
    deal("d1", "2024-01-01", "openai", "nvidia", "10B", kind="purchase_commitment", status="announced"),
    deal(
        "d2",
        "2025-03-31",
        "softbank",
        "openai",
        "4.5T",
        amount={"value": "4.5T", "currency": "JPY"},
        kind="equity_investment",
        confidence="low",
    ),
]
FX = [
    FxRate(currency="JPY", year=2024, usd_per_unit=0.0066, confidence="high", sources=SRC),
    FxRate(currency="JPY", year=2025, usd_per_unit=0.0065, confidence="high", sources=SRC),
]


@pytest.fixture
def ledger() -> Ledger:
    return Ledger.build(DEALS, ENTITIES, fx=FX)


def test_sorted_and_lookup(ledger: Ledger) -> None:
    assert [d.id for d in ledger.deals] == ["d1", "d2", "d3"]
    assert len(ledger) == 3
    assert ledger.deal("d3").amount.headline == 1e11
    with pytest.raises(JunkanInputError, match=r"no deal 'd4' in <memory> \(did you mean 'd3', 'd2', 'd1'\?\)"):
        ledger.deal("d4")


def test_legs_are_symmetric(ledger: Ledger) -> None:
    assert [d.id for d in ledger.legs_of("d1")] == ["d3"]
    assert [d.id for d in ledger.legs_of("d3")] == ["d1"]
    assert ledger.legs_of("d2") == []


def test_filter(ledger: Ledger) -> None:
    assert [d.id for d in ledger.filter(start=dt.date(2025, 1, 1)).deals] == ["d2", "d3"]
    assert [d.id for d in ledger.filter(end=dt.date(2025, 3, 31)).deals] == ["d1", "d2"]  # dates inclusive
    assert [d.id for d in ledger.filter(kinds=["equity_investment"]).deals] == ["d2", "d3"]
    assert [d.id for d in ledger.filter(statuses=["announced"]).deals] == ["d1"]
    assert [d.id for d in ledger.filter(exclude_statuses=["announced"]).deals] == ["d2", "d3"]
    assert [d.id for d in ledger.filter(min_confidence="medium").deals] == ["d1", "d3"]
    assert [d.id for d in ledger.filter(party="SoftBank Group").deals] == ["d2"]
    assert [d.id for d in ledger.filter(party="nvda").deals] == ["d1", "d3"]  # alias, case-insensitive
    # a leg pointing outside the filtered set is dropped so the result stays consistent
    assert ledger.filter(kinds=["equity_investment"]).deal("d3").legs == []


def test_as_of(ledger: Ledger) -> None:
    assert [d.id for d in ledger.as_of(dt.date(2025, 9, 21)).deals] == ["d1", "d2"]
    assert [d.id for d in ledger.as_of(dt.date(2025, 9, 22)).deals] == ["d1", "d2", "d3"]
    assert len(ledger.as_of(dt.date(2023, 12, 31))) == 0


def test_resolve_entity_with_suggestion(ledger: Ledger) -> None:
    assert ledger.resolve_entity(" openai ").id == "openai"
    assert ledger.resolve_entity("NVDA").id == "nvidia"
    with pytest.raises(
        JunkanInputError, match=r"unknown party 'Nvidea' in <memory> \(did you mean 'nvidia'\?\)"
    ) as exc:
        ledger.resolve_entity("Nvidea")
    assert len(exc.value.problems) == 1


def test_fx_conversion(ledger: Ledger) -> None:
    assert ledger.fx_rate("USD", 2025) == 1.0
    assert ledger.fx_rate("JPY", 2025) == 0.0065
    assert ledger.fx_rate("JPY", 2030) == 0.0065  # nearest year on file
    assert ledger.fx_rate("JPY", 2020) == 0.0066
    d2 = ledger.deal("d2")
    assert ledger.to_usd(d2.amount.headline, "JPY", d2.date) == pytest.approx(4.5e12 * 0.0065, rel=1e-15)
    assert ledger.to_usd(4.5e12, "JPY", d2.date) == 29_250_000_000.0
    with pytest.raises(JunkanInputError, match="no exchange rate for EUR"):
        ledger.fx_rate("EUR", 2025)


def test_integrity_checked_on_build() -> None:
    with pytest.raises(JunkanInputError) as exc:
        Ledger.build(
            [deal("x", "2025-01-01", "nvidai", "openai", legs=["nope"]), deal("x", "2025-01-02", "a", "b")], ENTITIES
        )
    msgs = [str(p) for p in exc.value.problems]
    assert "<memory>, field 'id': duplicate deal id 'x'" in msgs
    assert any(
        m.startswith("<memory>, field 'payer': deal 'x' names unknown entity 'nvidai' (did you mean 'nvidia'")
        for m in msgs
    )
    assert "<memory>, field 'legs[0]': deal 'x' lists leg 'nope', which names no deal" in msgs
    built = Ledger.build([deal("y", "2025-01-01", "a", "b")], create_missing_entities=True)
    assert sorted(built.entities) == ["a", "b"]


def test_integrity_problems_with_locator() -> None:
    e1, e2 = Entity(id="a", name="A"), Entity(id="a", name="A again", parent="zz")
    d = deal("d", "2025-01-01", "a", "q")
    f = Financial(
        entity="b", period="FY", period_end="2025-01-01", metric="revenue", value=1, confidence="high", sources=SRC
    )
    lines = {id(e1): 1, id(e2): 3, id(d): 7, id(f): 9}
    got = integrity_problems([e1, e2], [d], [f], locate=lambda rec, fld: ("f.yaml", lines[id(rec)]))
    assert [(p.line, p.field, p.message) for p in got] == [
        (3, "id", "duplicate entity id 'a'"),
        (7, "payee", "deal 'd' names unknown entity 'q'"),
        (9, "entity", "financial figure names unknown entity 'b'"),
        (3, "parent", "entity 'a' names unknown parent 'zz'"),
    ]
    # references to records that failed validation are not reported again
    assert integrity_problems([e1], [d], invalid_entity_ids={"q"}) == []


def test_tables_and_summary(ledger: Ledger) -> None:
    frame = ledger.deals_frame()
    assert list(frame.columns) == list(DEAL_COLUMNS)
    assert frame["amount"].tolist() == [1e10, 4.5e12, 1e11]
    row = deal_row(ledger.deal("d3"))
    assert (row["committed"], row["drawn"], row["legs"], row["source_urls"]) == (1e11, 0.0, ["d1"], [SRC[0]["url"]])
    s = ledger.summary()
    assert (s["deals"], s["parties"], s["first_year"], s["last_year"], s["primary_source_share"]) == (
        3,
        3,
        2024,
        2025,
        0.0,
    )
