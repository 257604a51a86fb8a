"""Write a ledger to CSV, JSON, Parquet or GraphML, atomically (a file is written whole or not at all).

Formats
-------
``csv``
    One row per deal. The first columns are the quick CSV format (:data:`CSV_COLUMNS`), so the file loads back with
    ``junkan.load``; then ``up_to``, ``estimate``, ``source_urls`` (``;``-separated), ``primary_source``,
    ``payer_name`` and ``payee_name``. ``amount`` is the headline figure; money is in currency units, written with
    Python's shortest round-trip float repr. Text that a spreadsheet would read as a formula (``=...``, ``+``,
    ``-``, ``@``, tab, CR) gets a leading apostrophe (:mod:`junkan.csvsafe`); the CSV reader removes it again.
``json``
    The whole ledger, lossless: ``{"format": "junkan-ledger", "version": 1, "dataset": {...}, "entities": [...],
    "deals": [...], "financials": [...], "fx": [...]}``; each record is the schema model's JSON dump.
``parquet``
    One row per deal with the columns of :data:`junkan.ledger.model.DEAL_COLUMNS` (``date`` as a date,
    ``source_urls`` and ``legs`` as lists of strings, absent ``low``/``high`` as nulls).
``graphml``
    A directed multigraph (networkx ``MultiDiGraph``): parties are nodes (id; name, kind, country, ...), deals are
    edges payer -> payee keyed by deal id, with scalar attributes only (lists joined with ``"; "``; absent values
    left out) and ``amount_usd`` where a rate is known.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junkan.csvsafe import safe_row
from junkan.errors import JunkanInputError
from junkan.fileio import write_text_atomic, write_with_atomic
from junkan.ledger.model import DEAL_COLUMNS, Ledger, deal_row
from junkan.ledger.schema import Deal

if TYPE_CHECKING:
    import networkx as nx

EXPORT_FORMATS = ("csv", "json", "parquet", "graphml")
_SUFFIXES = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".pq": "parquet", ".graphml": "graphml"}

#: The quick-format columns written first, in this order (see ``junkan/datasets/FORMAT.md``).
CSV_COLUMNS = (
    "id",
    "date",
    "kind",
    "payer",
    "payee",
    "amount",
    "currency",
    "status",
    "confidence",
    "source_url",
    "title",
    "committed",
    "drawn",
    "low",
    "high",
    "legs",
    "notes",
)
CSV_EXTRA_COLUMNS = ("up_to", "estimate", "source_urls", "primary_source", "payer_name", "payee_name")


def export_format(target: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else from ``target``'s extension; a clear error otherwise."""
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise JunkanInputError.single(
                f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}", field="--as"
            )
        return fmt
    suffix = Path(target).suffix.lower()
    if suffix not in _SUFFIXES:
        raise JunkanInputError.single(
            f"cannot tell the format from the extension {suffix or '(none)'!r}; use .csv, .json, .parquet or "
            ".graphml, or say --as csv|json|parquet|graphml",
            file=os.fspath(target),
        )
    return _SUFFIXES[suffix]


def export_ledger(ledger: Ledger, target: str | os.PathLike[str], fmt: str | None = None) -> str:
    """Write ``ledger`` to ``target`` in ``fmt`` (default: from the extension); return the format written."""
    fmt = export_format(target, fmt)
    if fmt == "csv":
        write_text_atomic(target, ledger_csv(ledger))
    elif fmt == "json":
        write_text_atomic(target, json.dumps(ledger_json(ledger), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        table = deals_table(ledger)
        write_with_atomic(target, lambda tmp: pq.write_table(table, tmp))
    else:
        import networkx as nx

        graph = ledger_graph(ledger)
        write_with_atomic(target, lambda tmp: nx.write_graphml(graph, tmp))
    return fmt


def _num(v: float | None) -> str:
    return "" if v is None else repr(float(v))


def csv_row(ledger: Ledger, d: Deal) -> dict[str, str]:
    """One deal as the cells of an exported CSV row."""
    a = d.amount
    return {
        "id": d.id,
        "date": d.date.isoformat(),
        "kind": d.kind.value,
        "payer": d.payer,
        "payee": d.payee,
        "amount": _num(a.headline),
        "currency": a.currency,
        "status": d.status.value,
        "confidence": d.confidence.value,
        "source_url": d.sources[0].url,
        "title": d.title or "",
        "committed": _num(a.committed_value),
        "drawn": _num(a.drawn_value),
        "low": _num(a.low),
        "high": _num(a.high),
        "legs": ";".join(d.legs),
        "notes": d.notes or "",
        "up_to": str(a.up_to).lower(),
        "estimate": str(a.estimate).lower(),
        "source_urls": ";".join(s.url for s in d.sources),
        "primary_source": str(d.has_primary_source).lower(),
        "payer_name": ledger.entities[d.payer].name,
        "payee_name": ledger.entities[d.payee].name,
    }


def ledger_csv(ledger: Ledger) -> str:
    """The CSV text of the ledger's deals (quick-format columns first)."""
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=[*CSV_COLUMNS, *CSV_EXTRA_COLUMNS], lineterminator="\n")
    w.writeheader()
    for d in ledger.deals:
        w.writerow(safe_row(csv_row(ledger, d)))
    return buf.getvalue()


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    """The whole ledger as a JSON-ready dict (lossless; records as the schema's JSON dumps)."""
    return {
        "format": "junkan-ledger",
        "version": 1,
        "dataset": ledger.info.model_dump(mode="json"),
        "entities": [e.model_dump(mode="json") for e in ledger.entities.values()],
        "deals": [d.model_dump(mode="json") for d in ledger.deals],
        "financials": [f.model_dump(mode="json") for f in ledger.financials],
        "fx": [r.model_dump(mode="json") for r in ledger.fx],
    }


def deals_table(ledger: Ledger) -> Any:
    """The deals as a ``pyarrow.Table`` with the columns of ``DEAL_COLUMNS`` and explicit types."""
    import datetime as dt

    import pyarrow as pa

    types = {
        "id": pa.string(),
        "date": pa.date32(),
        "kind": pa.string(),
        "payer": pa.string(),
        "payee": pa.string(),
        "amount": pa.float64(),
        "currency": pa.string(),
        "low": pa.float64(),
        "high": pa.float64(),
        "up_to": pa.bool_(),
        "committed": pa.float64(),
        "drawn": pa.float64(),
        "estimate": pa.bool_(),
        "status": pa.string(),
        "confidence": pa.string(),
        "source_url": pa.string(),
        "source_urls": pa.list_(pa.string()),
        "primary_source": pa.bool_(),
        "legs": pa.list_(pa.string()),
        "title": pa.string(),
    }
    assert tuple(types) == DEAL_COLUMNS, "keep the Parquet schema in step with DEAL_COLUMNS"
    rows = []
    for d in ledger.deals:
        row = deal_row(d)
        row["date"] = dt.date.fromisoformat(str(row["date"]))
        rows.append(row)
    schema = pa.schema([pa.field(name, t) for name, t in types.items()])
    meta = {b"junkan.dataset": ledger.info.name.encode(), b"junkan.units": b"money in units of its currency"}
    return pa.Table.from_pylist(rows, schema=schema).replace_schema_metadata(meta)


def ledger_graph(ledger: Ledger) -> nx.MultiDiGraph:
    """Parties as nodes and deals as edges (payer -> payee, key = deal id), every attribute a scalar."""
    import networkx as nx

    g = nx.MultiDiGraph(name=ledger.info.name, title=ledger.info.title)
    if ledger.info.as_of is not None:
        g.graph["as_of"] = ledger.info.as_of.isoformat()
    for e in ledger.entities.values():
        attrs: dict[str, Any] = {"name": e.name, "kind": e.kind.value}
        for key in ("country", "ticker", "parent", "fate"):
            if getattr(e, key) is not None:
                attrs[key] = getattr(e, key)
        if e.aliases:
            attrs["aliases"] = "; ".join(e.aliases)
        g.add_node(e.id, **attrs)
    for d in ledger.deals:
        a = d.amount
        edge: dict[str, Any] = {
            "date": d.date.isoformat(),
            "kind": d.kind.value,
            "nature": d.nature.value,
            "amount": a.headline,
            "currency": a.currency,
            "up_to": a.up_to,
            "committed": a.committed_value,
            "drawn": a.drawn_value,
            "estimate": a.estimate,
            "status": d.status.value,
            "confidence": d.confidence.value,
            "source_url": d.sources[0].url,
            "source_urls": "; ".join(s.url for s in d.sources),
            "primary_source": d.has_primary_source,
        }
        if a.low is not None:
            edge["low"] = a.low
        if a.high is not None:
            edge["high"] = a.high
        if d.legs:
            edge["legs"] = "; ".join(d.legs)
        if d.title:
            edge["title"] = d.title
        if d.end_date is not None:
            edge["end_date"] = d.end_date.isoformat()
        with contextlib.suppress(JunkanInputError):  # no rate on file (possible for CSV): leave it out
            edge["amount_usd"] = ledger.to_usd(a.headline, a.currency, d.date)
        g.add_edge(d.payer, d.payee, key=d.id, **edge)
    return g
