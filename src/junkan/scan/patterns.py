"""Scatter-gather, gather-scatter, fan-out and fan-in patterns (the AMLSim typologies).

The heavy part of each detector is a SQL query over a table ``tx(row, src, dst, t, amount, cur)`` of eligible
transactions that DuckDB (local engine) and Spark SQL (Spark engine) run unchanged; a deterministic sweep in Python
then turns the candidates into pattern instances, so both engines return the same alerts.

Definitions (``W`` the window, ``tol`` the tolerance, ``k`` = ``min_fan``; also in ``docs/scan.md``):

- **scatter-gather** ``o -> {m_1..m_j} -> b``: two-hop paths ``o -> m`` at ``t1`` then ``m -> b`` at ``t2``,
  ``t1 < t2``, amounts within ``tol`` of each other, same currency; per pair ``(o, b)`` (``b = o`` allowed: the money
  comes back through parallel intermediaries) the paths are swept in time order: from the earliest unused path at
  ``T0``, all unused paths with ``t1 >= T0`` and ``t2 <= T0 + W`` form an instance if they pass through at least
  ``k`` distinct intermediaries (and are then used up); otherwise the earliest path is dropped and the sweep goes on.
- **gather-scatter** around hub ``h``: in ``h``'s payments (in and out) in time order, take each maximal run of
  incoming payments followed by a maximal run of outgoing ones (one currency); the instance is the latest part of the
  in-run (from the earliest start that works) and the out-payments within ``W`` of that start, if they come from at
  least ``k`` distinct senders, go to ``k`` distinct receivers and, with a tolerance, ``|out - in| <= tol * in``
  (the hub passes the money on, in a burst, and keeps about nothing).
- **fan-out** (**fan-in**): from an unused payment of account ``a`` at ``T0`` (made or, for fan-in, received), the
  payments of ``a`` in the same direction in ``[T0, T0 + W]`` with amounts within ``tol`` of the first one, if they
  reach at least ``k`` distinct counterparties.

AMLSim: Altman et al., "Realistic synthetic financial transactions for anti-money laundering models", NeurIPS 2023
Datasets and Benchmarks (arXiv 2306.16424), and IBM/AMLSim's typology definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junkan.scan.params import ScanParams


@dataclass(frozen=True)
class PatternHit:
    """One pattern instance: ledger rows (time order) and the accounts involved (origin first)."""

    pattern: str
    rows: tuple[int, ...]
    accounts: tuple[int, ...]
    returned_share: float | None


def _tol_clause(params: ScanParams, a: str, b: str) -> str:
    if params.tolerance is None:
        return ""
    return f" AND abs({b}.amount - {a}.amount) <= {params.tolerance!r} * {a}.amount"


def scatter_gather_sql(params: ScanParams, table: str = "tx") -> str:
    """Candidate two-hop paths of scatter-gather instances (pairs ``(o, b)`` with at least ``k`` intermediaries)."""
    w = int(params.window_ns)
    return f"""
WITH p AS (
  SELECT e1.src AS o, e1.dst AS m, e2.dst AS b, e1.row AS r1, e2.row AS r2, e1.t AS t1, e2.t AS t2
  FROM {table} e1 JOIN {table} e2 ON e1.dst = e2.src
  WHERE e2.t > e1.t AND e2.t - e1.t <= {w} AND e2.cur = e1.cur AND e2.dst <> e1.dst{_tol_clause(params, "e1", "e2")}
),
ok AS (SELECT o, b FROM p GROUP BY o, b HAVING count(DISTINCT m) >= {int(params.min_fan)})
SELECT p.o, p.m, p.b, p.r1, p.r2, p.t1, p.t2 FROM p JOIN ok ON p.o = ok.o AND p.b = ok.b
"""


def hub_events_sql(params: ScanParams, table: str = "tx") -> str:
    """Transactions of accounts with at least ``k`` distinct payees or payers (fan and gather-scatter candidates)."""
    k = int(params.min_fan)
    return f"""
WITH outs AS (SELECT src AS a FROM {table} GROUP BY src HAVING count(DISTINCT dst) >= {k}),
ins AS (SELECT dst AS a FROM {table} GROUP BY dst HAVING count(DISTINCT src) >= {k})
SELECT x.row, x.src, x.dst, x.t, x.amount, x.cur, (o.a IS NOT NULL) AS fan_out_src, (i.a IS NOT NULL) AS fan_in_dst
FROM {table} x LEFT JOIN outs o ON x.src = o.a LEFT JOIN ins i ON x.dst = i.a
WHERE o.a IS NOT NULL OR i.a IS NOT NULL
"""


def scatter_gather(paths: pd.DataFrame, amount: np.ndarray, params: ScanParams) -> list[PatternHit]:
    """Sweep candidate paths (columns ``o, m, b, r1, r2, t1, t2``) into scatter-gather instances."""
    hits: list[PatternHit] = []
    if paths.empty:
        return hits
    w = params.window_ns
    df = paths.astype({"o": np.int64, "m": np.int64, "b": np.int64, "r1": np.int64, "r2": np.int64})
    df = df.sort_values(["o", "b", "t1", "t2", "r1", "r2"], kind="stable").reset_index(drop=True)
    for _, g in df.groupby(["o", "b"], sort=True):
        o, b = int(g["o"].to_numpy()[0]), int(g["b"].to_numpy()[0])
        t1 = g["t1"].to_numpy()
        t2 = g["t2"].to_numpy()
        m = g["m"].to_numpy()
        r1 = g["r1"].to_numpy()
        r2 = g["r2"].to_numpy()
        used = np.zeros(len(g), dtype=bool)
        for i in range(len(g)):
            if used[i]:
                continue
            t0 = t1[i]
            sel = ~used & (t1 >= t0) & (t2 <= t0 + w)
            if len(np.unique(m[sel])) >= params.min_fan:
                used |= sel
                out_rows = np.unique(r1[sel])
                in_rows = np.unique(r2[sel])
                rows = np.concatenate([out_rows, in_rows])
                times = np.concatenate([t1[sel], t2[sel]])
                rr = np.concatenate([r1[sel], r2[sel]])
                first_t = {int(r): int(tt) for r, tt in zip(rr, times, strict=True)}
                rows = np.array(sorted(set(rows.tolist()), key=lambda r: (first_t[r], r)), dtype=np.int64)
                mids = tuple(int(x) for x in sorted(set(m[sel].tolist())))
                accounts = (int(o), *mids) if o == b else (int(o), *mids, int(b))
                share = float(amount[in_rows].sum() / amount[out_rows].sum())
                hits.append(PatternHit("scatter-gather", tuple(int(r) for r in rows), accounts, share))
            else:
                used[i] = True
    return hits


def gather_scatter(events: pd.DataFrame, params: ScanParams) -> list[PatternHit]:
    """Sweep hub events (columns ``row, src, dst, t, amount``) into gather-scatter instances."""
    hits: list[PatternHit] = []
    if events.empty:
        return hits
    w, k, tol = params.window_ns, params.min_fan, params.tolerance
    inc = events[events["fan_in_dst"]].rename(columns={"dst": "hub", "src": "other"}).assign(incoming=True)
    out = events[events["fan_out_src"]].rename(columns={"src": "hub", "dst": "other"}).assign(incoming=False)
    hubs = np.intersect1d(inc["hub"].unique(), out["hub"].unique())
    both = pd.concat([inc[inc["hub"].isin(hubs)], out[out["hub"].isin(hubs)]], ignore_index=True)
    both = both.sort_values(["hub", "t", "row"], kind="stable")
    for _, g in both.groupby("hub", sort=True):
        h = int(g["hub"].to_numpy()[0])
        t = g["t"].to_numpy()
        rows = g["row"].to_numpy()
        other = g["other"].to_numpy()
        amt = g["amount"].to_numpy()
        cur = g["cur"].to_numpy()
        is_in = g["incoming"].to_numpy()
        # runs: a maximal run of incoming payments followed by a maximal run of outgoing ones (same currency)
        i = 0
        n_ev = len(g)
        while i < n_ev:
            if not is_in[i]:
                i += 1
                continue
            j = i
            while j < n_ev and is_in[j] and cur[j] == cur[i]:
                j += 1
            e = j
            while e < n_ev and not is_in[e] and cur[e] == cur[i]:
                e += 1
            for g0 in range(i, j):  # the earliest start of the in-run that makes an instance
                if j - g0 < k:
                    break
                s_end = j + int(np.searchsorted(t[j:e], t[g0] + w, side="right"))
                gather = np.arange(g0, j)
                scatter = np.arange(j, s_end)
                if len(np.unique(other[gather])) < k or len(np.unique(other[scatter])) < k:
                    continue
                in_sum = amt[gather].sum()
                out_sum = amt[scatter].sum()
                if tol is not None and abs(out_sum - in_sum) > tol * in_sum:
                    continue
                senders = sorted(set(other[gather].tolist()))
                receivers = sorted(set(other[scatter].tolist()))
                hits.append(
                    PatternHit(
                        "gather-scatter",
                        tuple(int(r) for r in rows[g0:s_end]),
                        (int(h), *senders, *receivers),
                        float(out_sum / in_sum),
                    )
                )
                break
            i = max(e, i + 1)
    return hits


def fans(events: pd.DataFrame, params: ScanParams, direction: str) -> list[PatternHit]:
    """Sweep hub events into fan-out (``direction="out"``) or fan-in (``"in"``) instances."""
    hits: list[PatternHit] = []
    if events.empty:
        return hits
    if direction == "out":
        df = events[events["fan_out_src"]].rename(columns={"src": "hub", "dst": "other"})
    else:
        df = events[events["fan_in_dst"]].rename(columns={"dst": "hub", "src": "other"})
    df = df.sort_values(["hub", "t", "row"], kind="stable")
    w, tol = params.window_ns, params.tolerance
    for _, g in df.groupby("hub", sort=True):
        h = int(g["hub"].to_numpy()[0])
        t = g["t"].to_numpy()
        rows = g["row"].to_numpy()
        other = g["other"].to_numpy()
        amt = g["amount"].to_numpy()
        cur = g["cur"].to_numpy()
        used = np.zeros(len(g), dtype=bool)
        for i in range(len(g)):
            if used[i]:
                continue
            sel = ~used & (t >= t[i]) & (t <= t[i] + w) & (cur == cur[i])
            if tol is not None:
                sel &= np.abs(amt - amt[i]) <= tol * amt[i]
            if len(np.unique(other[sel])) >= params.min_fan:
                used |= sel
                parties = tuple(sorted(set(other[sel].tolist())))
                hits.append(PatternHit(f"fan-{direction}", tuple(int(r) for r in rows[sel]), (int(h), *parties), None))
            else:
                used[i] = True
    return hits
