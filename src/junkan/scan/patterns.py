"""Scatter-gather, gather-scatter, fan-out and fan-in patterns (the AMLSim typologies), with forensic evidence.

Definitions (``W`` the window, ``tol`` the tolerance, ``k`` = ``min_fan``, ``q`` = ``min_share``; also in
``docs/scan.md``). Payments in different currencies are never added or compared: every definition runs per
(account, currency), and self-payments and payments below ``min_amount`` are left out first.

- **scatter-gather** ``o -> {m_1..m_j} -> b``: two-hop paths ``o -> m`` at ``t1`` then ``m -> b`` at ``t2`` with
  ``t1 < t2 <= t1 + W`` and the second amount within ``tol`` of the first (each intermediary passes the money on).
  Per ``(o, b)`` (``b = o`` allowed: the money comes back through parallel intermediaries) the paths are swept by
  start time: at the earliest start ``T0`` that still has an unused path, the unused paths with ``t1 >= T0`` and
  ``t2 <= T0 + W`` form an instance if they pass through at least ``k`` distinct intermediaries **and** the amounts
  gathered (the distinct ``m -> b`` payments) are within ``tol`` of the amounts scattered (the distinct ``o -> m``
  payments): ``|gathered - scattered| <= tol * scattered``. An instance uses its paths up; otherwise the paths
  starting at ``T0`` are dropped. The whole pattern lies within ``W`` of ``T0``. **Little else** (``q_sg`` =
  ``min_share_sg``): scattered plus gathered is at least ``q_sg`` of the turnover of ``o`` and ``b`` together (of
  ``o`` alone when ``b = o``) from ``W`` before the pattern's first payment to ``W`` after its last.
- **gather-scatter** around a pass-through hub ``h``: the hub's payments in and out in time order, and its running
  balance from an incoming payment at ``s`` (money in adds, money out subtracts; the peak is the highest balance so
  far). Only **material** payments are walked: those of at least ``materiality`` times the starting payment's amount
  (smaller ones are unrelated traffic, left out of the walk and of the instance). The instance ends at the first
  outgoing payment that brings the balance down to ``tol * peak`` or less, within ``s + W`` (the money has gone on),
  and covers every material payment of the hub from ``s`` to that end. It counts if (1)
  **conservation**: the hub passes on what it gathered, within ``tol`` (a fee, or unrelated payments mixed in),
  ``|out - in| <= tol * in``; (2) **gather, then scatter**: the peak balance is at least ``(1 - tol) * in``
  (the money was collected before it left, not turned over continuously); (3) at least ``k`` distinct senders and
  ``k`` distinct receivers, and the money **spread** over them: on each side the effective number of counterparties
  ``1 / HHI`` (the Herfindahl-Hirschman index of the per-counterparty totals; Laakso & Taagepera 1979) is at least
  ``k - 1``, so one big payer plus small change is not a gather; (4) senders and receivers **disjoint** (money
  returned to its payers is a refund or a round trip, not a pass-through); (5) **little else**:
  the pattern's payments are at least ``q`` of the hub's turnover (in and out, material or not) from ``s - W`` to
  ``end + W``; (6) **large for the account** (``b`` = ``min_baseline``): against the hub's ``n`` other payments in the
  ledger (same currency; at least ``BASELINE_MIN_PAYMENTS``, otherwise the check passes), the pattern's ``m``
  payments win ``U`` of the ``m n`` pairs (ties count half) with ``U >= b m n`` (Mann & Whitney, Ann. Math. Statist.
  18(1), 1947). The sweep then goes on after the end; when a start fails, from the next incoming payment.
  ``tolerance=None`` uses :data:`~junkan.scan.params.FLOW_TOLERANCE` here (conservation is the definition of a
  pass-through).
- **fan-out** (**fan-in**): from the earliest unused payment of ``a`` at ``T0`` (made or, for fan-in, received), the
  unused payments of ``a`` in the same direction in ``[T0, T0 + W]`` with amounts within ``tol`` of the first one, if
  they reach at least ``k`` distinct counterparties and are at least ``q`` of ``a``'s turnover from ``T0 - W`` to
  ``last + W``; the payments are then used up, otherwise the first one is dropped.

Where they come from: AMLSim (Altman et al., "Realistic synthetic financial transactions for anti-money laundering
models", NeurIPS 2023 Datasets and Benchmarks, arXiv 2306.16424, and IBM/AMLSim's typology definitions); FATF,
"Money Laundering and Terrorist Financing Red Flag Indicators" and FinCEN's "funnel account" advisory (FIN-2014-A005):
funds received from several sources and quickly moved on in similar totals, through accounts with little other
activity. Engines: the compiled kernels of :mod:`junkan.scan.pattern_kernels` (local) and, for Spark, SQL that keeps
only the candidate payments (:func:`candidate_rows_sql`), then the same kernels; the literal version is
:mod:`junkan.scan.pattern_reference`.
"""

from __future__ import annotations

import numpy as np

from junkan.scan.hits import PatternHit
from junkan.scan.params import ScanParams
from junkan.scan.reader import TxnLedger


def _tol_clause(params: ScanParams, a: str, b: str) -> str:
    if params.tolerance is None:
        return ""
    return f" AND abs({b}.amount - {a}.amount) <= {params.tolerance!r} * {a}.amount"


def scatter_gather_sql(params: ScanParams, table: str = "tx") -> str:
    """Scatter-gather candidates: rows on two-hop paths of pairs ``(o, b)`` with at least ``k`` intermediaries, and
    every row of those ``o`` and ``b`` (their turnover around a pattern).

    Every path of such a pair is kept, and any other pair has fewer than ``k`` intermediaries even in the full
    ledger, so the kernels find the same scatter-gather instances in these rows as in all of them.
    """
    w = int(params.window_ns)
    return f"""
WITH p AS (
  SELECT e1.src AS o, e1.dst AS m, e2.dst AS b, e1.row AS r1, e2.row AS r2
  FROM {table} e1 JOIN {table} e2 ON e1.dst = e2.src
  WHERE e2.t > e1.t AND e2.t - e1.t <= {w} AND e2.cur = e1.cur{_tol_clause(params, "e1", "e2")}
),
ok AS (SELECT o, b FROM p GROUP BY o, b HAVING count(DISTINCT m) >= {int(params.min_fan)}),
ends AS (SELECT o AS a FROM ok UNION SELECT b AS a FROM ok)
SELECT p.r1 AS row FROM p JOIN ok ON p.o = ok.o AND p.b = ok.b
UNION SELECT p.r2 AS row FROM p JOIN ok ON p.o = ok.o AND p.b = ok.b
UNION SELECT x.row FROM {table} x WHERE x.src IN (SELECT a FROM ends) OR x.dst IN (SELECT a FROM ends)
"""


def hub_rows_sql(params: ScanParams, table: str = "tx") -> str:
    """Every row of the accounts with at least ``k`` distinct payees or payers (gather-scatter and fan candidates).

    A hub needs ``k`` distinct counterparties in the ledger to make any instance, and a candidate keeps all its
    payments (in and out: the balance walk and the turnover need them), so the kernels find the same instances in
    these rows as in all of them.
    """
    k = int(params.min_fan)
    return f"""
WITH hubs AS (
  SELECT src AS a FROM {table} GROUP BY src HAVING count(DISTINCT dst) >= {k}
  UNION SELECT dst AS a FROM {table} GROUP BY dst HAVING count(DISTINCT src) >= {k}
)
SELECT x.row FROM {table} x WHERE x.src IN (SELECT a FROM hubs) OR x.dst IN (SELECT a FROM hubs)
"""


def find_patterns(
    ledger: TxnLedger, params: ScanParams, rows: np.ndarray | None = None, *, n_threads: int | None = None
) -> list[PatternHit]:
    """Scatter-gather, gather-scatter and fans (those ``params.patterns`` asks for) with the compiled kernels.

    Parameters
    ----------
    ledger
        The transactions.
    params
        Settings.
    rows
        Optional candidate rows (from :func:`scatter_gather_sql` / :func:`hub_rows_sql`); default all rows.
    n_threads
        numba threads (default: all numba offers).
    """
    want = [p for p in ("scatter-gather", "gather-scatter", "fan-out", "fan-in") if p in params.patterns]
    if not want:
        return []
    # imported here so that numba loads only when patterns are searched (not on ``import junkan.scan``)
    from junkan.scan.flowgraph import build_flow_graph
    from junkan.scan.pattern_kernels import run_pattern, set_threads

    graph = build_flow_graph(ledger, params, rows, events=want != ["scatter-gather"] or params.min_share_sg > 0)
    prev = set_threads(n_threads)
    try:
        hits: list[PatternHit] = []
        for p in want:
            hits += run_pattern(p, graph, params)
    finally:
        set_threads(prev)
    return hits
