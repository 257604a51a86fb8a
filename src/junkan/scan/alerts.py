"""Alerts: the evidence for each pattern found, its score, and groups of alerts that share transactions.

Score (a ranking heuristic in [0, 1], not a probability): ``0.5 * R + 0.25 * S + 0.25 * B`` where

- ``R`` = share of the first payment that came back to the origin, clipped to [0, 1] (0 when the pattern does not
  return to its origin: fans, gather-scatter, scatter-gather to a third party); the Orts "SP scheme" returned most of
  each advertising fee as licence revenue, so a high return share is the core signal;
- ``S`` = ``1 - duration / window``: quicker round trips are less likely to be ordinary business;
- ``B`` = booking evidence: 1 if the money left the origin booked as anything other than revenue (an expense, a
  loan, an investment) and came back booked as revenue (``src_kind`` of the first payment, ``dst_kind`` of the last),
  0.5 when the ledger carries no such labels, 0 otherwise. Revenue recognised on money that is one's own returning is
  the accounting problem round-tripping creates (SEC Accounting and Auditing Enforcement actions against round-trip
  revenue, e.g. Homestore 2001, AOL/PurchasePro; IAS 18 / ASC 606 on consideration payable to a customer).

Grouping: two alerts are in the same group when they share a transaction; groups are the connected components of
that relation (union-find), numbered in the order of their first alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from junkan.scan.hits import PatternHit
from junkan.scan.params import ScanParams
from junkan.scan.reader import TxnLedger

REVENUE_WORDS = ("revenue", "income", "sales", "turnover")
PATTERN_ORDER = {"cycle": 0, "scatter-gather": 1, "gather-scatter": 2, "fan-out": 3, "fan-in": 4}


@dataclass(frozen=True)
class Alert:
    """One pattern instance with its evidence.

    ``accounts`` starts with the origin (for cycles, in path order: ``accounts[i]`` pays ``accounts[i+1]`` and the
    last pays the first). ``transactions``, ``amounts``, ``timestamps`` and ``labels`` are in path / time order.
    """

    alert: int
    group: int
    pattern: str
    score: float
    length: int
    accounts: list[str]
    transactions: list[str]
    amounts: list[float]
    timestamps: list[str]
    start: str
    end: str
    duration_days: float
    returned_share: float | None
    labels: list[str]
    booked_out: str
    booked_in: str
    rows: list[int]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return asdict(self)


def _is_revenue(label: str) -> bool:
    low = label.lower()
    return any(w in low for w in REVENUE_WORDS)


def booking_evidence(booked_out: str, booked_in: str) -> float:
    """``B`` of the score: 1 expense-out / revenue-in, 0.5 unknown, 0 otherwise."""
    if not booked_out and not booked_in:
        return 0.5
    return 1.0 if _is_revenue(booked_in) and not _is_revenue(booked_out) else 0.0


def score(returned_share: float | None, duration_ns: int, window_ns: int, evidence: float) -> float:
    """The alert score (see the module docstring), rounded to 6 decimals."""
    r = 0.0 if returned_share is None else min(max(returned_share, 0.0), 1.0)
    s = min(max(1.0 - duration_ns / window_ns, 0.0), 1.0)
    return round(0.5 * r + 0.25 * s + 0.25 * evidence, 6)


def _iso(ns: int) -> str:
    return str(np.datetime64(int(ns), "ns").astype("datetime64[s]")) + "Z"


def _labels(arr: pa.Array | None, rows: np.ndarray) -> list[str]:
    if arr is None:
        return [""] * len(rows)
    return [str(x) for x in arr.take(pa.array(rows, pa.int64())).to_pylist()]


def build_alerts(ledger: TxnLedger, cycles: np.ndarray, hits: Sequence[PatternHit], params: ScanParams) -> list[Alert]:
    """Turn cycles (ledger rows, -1 padded) and pattern hits into sorted, numbered, grouped alerts."""
    items: list[tuple[str, np.ndarray, list[int], float | None]] = []
    for c in cycles:
        rows = c[c >= 0]
        accounts = [int(ledger.src[r]) for r in rows]
        ret = float(ledger.amount[rows[-1]] / ledger.amount[rows[0]])
        items.append(("cycle", rows, accounts, ret))
    for h in hits:
        items.append((h.pattern, np.asarray(h.rows, dtype=np.int64), list(h.accounts), h.returned_share))

    drafts: list[dict[str, Any]] = []
    names = ledger.accounts
    for pattern, rows, accounts, share in items:
        ts = ledger.t[rows]
        duration = int(ts.max() - ts.min())
        src_kind = _labels(ledger.src_kind, rows[:1])[0]
        if pattern == "cycle":
            dst_kind = _labels(ledger.dst_kind, rows[-1:])[0]
        elif pattern == "scatter-gather" and share is not None:
            origin = accounts[0]
            back = [r for r in rows if int(ledger.dst[r]) == origin]
            dst_kind = _labels(ledger.dst_kind, np.asarray(back[-1:], dtype=np.int64))[0] if back else ""
        else:
            dst_kind = ""
        evidence = booking_evidence(src_kind, dst_kind)
        drafts.append(
            {
                "pattern": pattern,
                "score": score(share, duration, params.window_ns, evidence),
                "length": len(rows),
                "accounts": [str(x) for x in names.take(pa.array(accounts, pa.int64())).to_pylist()],
                "transactions": [str(x) for x in ledger.ids.take(pa.array(rows, pa.int64())).to_pylist()],
                "amounts": [float(a) for a in ledger.amount[rows]],
                "timestamps": [_iso(x) for x in ts],
                "start": _iso(int(ts.min())),
                "end": _iso(int(ts.max())),
                "duration_days": round(duration / (86_400 * 1e9), 6),
                "returned_share": None if share is None else round(share, 6),
                "labels": _labels(ledger.kind, rows),
                "booked_out": src_kind,
                "booked_in": dst_kind,
                "rows": [int(r) for r in rows],
                "_t0": int(ts.min()),
            }
        )
    drafts.sort(key=lambda d: (-d["score"], d["_t0"], PATTERN_ORDER[d["pattern"]], d["rows"]))
    groups = _group([d["rows"] for d in drafts])
    out = []
    for i, (d, g) in enumerate(zip(drafts, groups, strict=True)):
        d.pop("_t0")
        out.append(Alert(alert=i + 1, group=g, **d))
    return out


def _group(row_lists: Sequence[Sequence[int]]) -> list[int]:
    """Connected components of alerts over shared transactions, numbered by first appearance."""
    parent = list(range(len(row_lists)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[int, int] = {}
    for i, rows in enumerate(row_lists):
        for r in rows:
            j = owner.setdefault(r, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    numbering: dict[int, int] = {}
    out = []
    for i in range(len(row_lists)):
        root = find(i)
        out.append(numbering.setdefault(root, len(numbering) + 1))
    return out
