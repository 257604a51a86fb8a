"""Exports read back with exact values: CSV (and re-import), JSON (lossless), Parquet, GraphML; atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pyarrow.parquet as pq
import pytest

from junkan.errors import JunkanInputError
from junkan.ledger.export import CSV_COLUMNS, CSV_EXTRA_COLUMNS, export_format, export_ledger, ledger_graph
from junkan.ledger.load import load
from junkan.ledger.model import DEAL_COLUMNS, Ledger
from junkan.ledger.schema import DatasetInfo, Deal, Entity, Financial, FxRate

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


@pytest.fixture(scope="module")
def mini() -> Ledger:
    return load(MINI)


def test_csv_round_trip(mini: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "deals.csv"
    assert export_ledger(mini, out) == "csv"
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [*CSV_COLUMNS, *CSV_EXTRA_COLUMNS]
    by_id = {r["id"]: r for r in rows}
    eq = by_id["acme-modelworks-equity-2024"]
    assert (eq["amount"], eq["high"], eq["low"], eq["committed"], eq["drawn"], eq["up_to"]) == (
        "10000000000.0",
        "10000000000.0",
        "",
        "2000000000.0",
        "1000000000.0",
        "true",
    )
    assert eq["source_urls"] == "https://example.com/acme-pr;https://example.com/news-1"
    assert (eq["payer_name"], eq["payee_name"], eq["primary_source"]) == ("Acme Chips", "ModelWorks", "true")
    # the export is itself a valid quick-format CSV: it loads back with the same deals and figures
    back = load(out)
    assert [d.id for d in back.deals] == [d.id for d in mini.deals]
    for d in mini.deals:
        b = back.deal(d.id)
        assert (b.date, b.kind, b.payer, b.payee, b.status, b.confidence, b.legs, b.title) == (
            d.date, d.kind, d.payer, d.payee, d.status, d.confidence, d.legs, d.title,
        )  # fmt: skip
        assert (b.amount.headline, b.amount.committed_value, b.amount.drawn_value, b.amount.currency) == (
            d.amount.headline, d.amount.committed_value, d.amount.drawn_value, d.amount.currency,
        )  # fmt: skip
        assert (b.amount.low, b.amount.high) == (d.amount.low, d.amount.high)


def test_json_round_trip_is_lossless(mini: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "ledger.json"
    export_ledger(mini, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"]) == ("junkan-ledger", 1)
    rebuilt = Ledger.build(
        [Deal.model_validate(x) for x in doc["deals"]],
        [Entity.model_validate(x) for x in doc["entities"]],
        [Financial.model_validate(x) for x in doc["financials"]],
        [FxRate.model_validate(x) for x in doc["fx"]],
        info=DatasetInfo.model_validate(doc["dataset"]),
    )
    assert rebuilt.deals == mini.deals
    assert rebuilt.entities == mini.entities
    assert rebuilt.financials == mini.financials and rebuilt.fx == mini.fx and rebuilt.info == mini.info
    jpy = next(x for x in doc["deals"] if x["id"] == "kabushiki-modelworks-2025")
    assert jpy["amount"]["value"] == 150e9 and jpy["amount"]["currency"] == "JPY"


def test_parquet_round_trip(mini: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "deals.parquet"
    export_ledger(mini, out)
    table = pq.read_table(out)
    assert table.column_names == list(DEAL_COLUMNS)
    assert table.schema.metadata[b"junkan.dataset"] == b"mini"
    rows = {r["id"]: r for r in table.to_pylist()}
    pur = rows["modelworks-acme-purchase-2024"]
    assert (pur["date"], pur["amount"], pur["low"], pur["high"], pur["committed"], pur["drawn"]) == (
        dt.date(2024, 3, 1), 6.5e9, 5e9, 8e9, 6.5e9, 0.0,
    )  # fmt: skip
    assert pur["legs"] == ["acme-modelworks-equity-2024"] and pur["source_urls"] == ["https://example.com/news-2"]
    eq = rows["acme-modelworks-equity-2024"]
    assert eq["low"] is None and eq["up_to"] is True and eq["primary_source"] is True
    assert rows["kabushiki-modelworks-2025"]["currency"] == "JPY"


def test_graphml_round_trip(mini: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "deals.graphml"
    export_ledger(mini, out)
    g = nx.read_graphml(out, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    assert sorted(g.nodes) == sorted(mini.entities)
    assert g.nodes["acme-chips"] == {"name": "Acme Chips", "kind": "company", "country": "US", "ticker": "ACME",
                                      "aliases": "Acme; ACME Corp"}  # fmt: skip
    assert g.number_of_edges() == 6
    e = g.edges["acme-chips", "modelworks", "acme-modelworks-equity-2024"]
    assert (e["amount"], e["high"], e["committed"], e["drawn"], e["up_to"], e["kind"], e["nature"]) == (
        1e10, 1e10, 2e9, 1e9, True, "equity_investment", "equity",
    )  # fmt: skip
    assert e["legs"] == "modelworks-acme-purchase-2024" and e["date"] == "2024-03-01" and "low" not in e
    jpy = g.edges["kabushiki", "modelworks", "kabushiki-modelworks-2025"]
    assert (jpy["amount"], jpy["currency"], jpy["amount_usd"]) == (150e9, "JPY", 975_000_000.0)
    assert g.graph["name"] == "mini" and g.graph["as_of"] == "2025-06-30"
    # the in-memory graph and the file agree
    assert ledger_graph(mini).number_of_edges() == g.number_of_edges()


def test_format_from_extension_or_explicit(tmp_path: Path) -> None:
    assert export_format("x.PARQUET") == "parquet" and export_format("x.pq") == "parquet"
    assert export_format("x.dat", "json") == "json"
    with pytest.raises(JunkanInputError, match=r"cannot tell the format from the extension '\.dat'"):
        export_format("x.dat")
    with pytest.raises(JunkanInputError, match="unknown export format 'xlsx'"):
        export_format("x.csv", "xlsx")


def test_failed_write_leaves_target_untouched(mini: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "deals.graphml"
    out.write_text("old content")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(nx, "write_graphml", boom)
    with pytest.raises(RuntimeError):
        export_ledger(mini, out)
    assert out.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["deals.graphml"]  # no temporary file left behind
