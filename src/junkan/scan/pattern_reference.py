"""Pure-Python reference of scatter-gather, gather-scatter, fan-out and fan-in: slow, literal, the tests' oracle.

Each function implements the definition in :mod:`junkan.scan.patterns` with plain lists and dicts, no layout tricks
and no early stops; the compiled kernels (:mod:`junkan.scan.pattern_kernels`) must return exactly the same hits
(same rows, accounts and shares, bit for bit: sums are taken in the same order). Sums: the amounts of a set of rows
are added in ascending row order (scatter-gather) or in a hub's time order (gather-scatter, fans, turnover).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from junkan.scan.graph import eligible_mask
from junkan.scan.hits import PatternHit
from junkan.scan.params import BASELINE_MIN_PAYMENTS, ScanParams
from junkan.scan.reader import TxnLedger


class _Rows:
    """Eligible rows as Python lists, grouped per (account, currency)."""

    def __init__(self, ledger: TxnLedger, params: ScanParams, rows: np.ndarray | None) -> None:
        keep = eligible_mask(ledger, params)
        if rows is not None:
            sub = np.zeros(len(ledger), dtype=bool)
            sub[np.asarray(rows, dtype=np.int64)] = True
            keep &= sub
        self.rows = [int(r) for r in np.flatnonzero(keep)]
        self.src = [int(x) for x in ledger.src]
        self.dst = [int(x) for x in ledger.dst]
        self.t = [int(x) for x in ledger.t]
        self.amt = [float(x) for x in ledger.amount]
        self.cur = [int(x) for x in ledger.currency]
        self.paid: dict[tuple[int, int], list[int]] = defaultdict(list)  # (account, currency) -> rows paid
        self.events: dict[tuple[int, int], list[tuple[int, int, bool, int]]] = defaultdict(list)
        for r in self.rows:  # events: (t, row, incoming, counterparty)
            c = self.cur[r]
            self.paid[(self.src[r], c)].append(r)
            self.events[(self.src[r], c)].append((self.t[r], r, False, self.dst[r]))
            self.events[(self.dst[r], c)].append((self.t[r], r, True, self.src[r]))
        for v in self.paid.values():
            v.sort(key=lambda r: (self.t[r], r))
        for e in self.events.values():
            e.sort()

    def turnover(self, key: tuple[int, int], lo: int, hi: int) -> float:
        """Amounts paid and received by ``key`` at times in ``[lo, hi]``, added in time order."""
        total = 0.0
        for t, r, _, _ in self.events.get(key, []):
            if lo <= t <= hi:
                total += self.amt[r]
        return total


def reference_scatter_gather(ledger: TxnLedger, params: ScanParams, rows: np.ndarray | None = None) -> list[PatternHit]:
    """Scatter-gather instances by the definition (see :mod:`junkan.scan.patterns`)."""
    d = _Rows(ledger, params, rows)
    w, k, tol, share = params.window_ns, params.min_fan, params.tolerance, params.min_share_sg
    groups: dict[tuple[int, int, int], list[tuple[int, int, int, int, int]]] = defaultdict(list)
    for (o, c), mine in sorted(d.paid.items()):
        for r1 in mine:
            m = d.dst[r1]
            for r2 in d.paid.get((m, c), []):
                if not d.t[r1] < d.t[r2] <= d.t[r1] + w:
                    continue
                if tol is not None and abs(d.amt[r2] - d.amt[r1]) > tol * d.amt[r1]:
                    continue
                groups[(o, c, d.dst[r2])].append((d.t[r1], d.t[r2], m, r1, r2))
    hits: list[PatternHit] = []
    for (o, c, b), paths in sorted(groups.items()):
        paths.sort(key=lambda p: p[0])
        used = [False] * len(paths)
        for t0 in sorted({p[0] for p in paths}):
            if all(used[i] for i, p in enumerate(paths) if p[0] == t0):
                continue
            sel = [i for i, p in enumerate(paths) if not used[i] and p[0] >= t0 and p[1] <= t0 + w]
            mids = sorted({paths[i][2] for i in sel})
            outs = sorted({paths[i][3] for i in sel})
            ins = sorted({paths[i][4] for i in sel})
            out_sum = sum_in_order(d.amt, outs)
            in_sum = sum_in_order(d.amt, ins)
            ok = len(mids) >= k and (tol is None or abs(in_sum - out_sum) <= tol * out_sum)
            if ok and share > 0:
                lo = min(paths[i][0] for i in sel) - w
                hi = max(paths[i][1] for i in sel) + w
                ends = d.turnover((o, c), lo, hi) + (d.turnover((b, c), lo, hi) if b != o else 0.0)
                ok = out_sum + in_sum >= share * ends
            if ok:
                for i in sel:
                    used[i] = True
                rws = sorted(set(outs) | set(ins), key=lambda r: (d.t[r], r))
                accounts = (o, *mids) if b == o else (o, *mids, b)
                hits.append(PatternHit("scatter-gather", tuple(rws), accounts, in_sum / out_sum))
            else:
                for i, p in enumerate(paths):
                    if p[0] == t0:
                        used[i] = True
    return hits


def sum_in_order(amt: list[float], rows: list[int]) -> float:
    """``amt[r]`` added for ``r`` in the order given, left to right."""
    total = 0.0
    for r in rows:
        total += amt[r]
    return total


def reference_gather_scatter(ledger: TxnLedger, params: ScanParams, rows: np.ndarray | None = None) -> list[PatternHit]:
    """Gather-scatter instances by the definition (see :mod:`junkan.scan.patterns`)."""
    d = _Rows(ledger, params, rows)
    w, k, tol, share = params.window_ns, params.min_fan, params.flow_tolerance, params.min_share
    hits: list[PatternHit] = []
    for key, ev in sorted(d.events.items()):
        n = len(ev)
        i = 0
        while i < n:
            if not ev[i][2]:
                i += 1
                continue
            s = ev[i][0]
            floor = params.materiality * d.amt[ev[i][1]]  # smaller payments are immaterial to this walk
            bal = peak = 0.0
            end = -1
            part: list[tuple[int, int, bool, int]] = []
            for j in range(i, n):
                tj, rj, inc, _ = ev[j]
                if tj > s + w:
                    break
                if d.amt[rj] < floor:
                    continue
                part.append(ev[j])
                if inc:
                    bal += d.amt[rj]
                    peak = max(peak, bal)
                else:
                    bal -= d.amt[rj]
                    if bal <= tol * peak:
                        end = j
                        break
            if end < 0:
                i += 1
                continue
            gathered = sum_in_order(d.amt, [e[1] for e in part if e[2]])
            scattered = sum_in_order(d.amt, [e[1] for e in part if not e[2]])
            senders = sorted({e[3] for e in part if e[2]})
            receivers = sorted({e[3] for e in part if not e[2]})
            ok = (
                abs(scattered - gathered) <= tol * gathered
                and peak >= (1.0 - tol) * gathered
                and len(senders) >= k
                and len(receivers) >= k
                and spread([(e[3], d.amt[e[1]]) for e in part if e[2]], k)
                and spread([(e[3], d.amt[e[1]]) for e in part if not e[2]], k)
                and not set(senders) & set(receivers)
            )
            if ok and share > 0:
                ok = gathered + scattered >= share * d.turnover(key, s - w, ev[end][0] + w)
            if ok and params.min_baseline > 0:
                mine = {e[1] for e in part}
                others = [d.amt[e[1]] for e in ev if e[1] not in mine]
                ok = large_for_account([d.amt[e[1]] for e in part], others, params.min_baseline)
            if ok:
                accounts = (key[0], *senders, *receivers)
                hits.append(PatternHit("gather-scatter", tuple(e[1] for e in part), accounts, scattered / gathered))
                i = end + 1
            else:
                i += 1
    return hits


def large_for_account(pattern: list[float], others: list[float], threshold: float) -> bool:
    """The pattern's payments are large against the account's other payments (Mann-Whitney, 1947).

    With ``m`` pattern and ``n`` other amounts, ``U`` counts the pairs (pattern, other) where the pattern's amount is
    larger, ties counting half; the test passes when ``2U >= 2 * threshold * m * n`` (``U / (m n) >= threshold``), or
    when the account has fewer than :data:`~junkan.scan.params.BASELINE_MIN_PAYMENTS` other payments (no baseline).
    """
    if len(others) < BASELINE_MIN_PAYMENTS:
        return True
    u2 = 0
    for a in pattern:
        for b in others:
            u2 += 2 if a > b else (1 if a == b else 0)
    return float(u2) >= 2.0 * threshold * float(len(pattern)) * float(len(others))


def spread(payments: list[tuple[int, float]], k: int) -> bool:
    """No counterparty dominates: the effective number of counterparties ``1 / HHI`` is at least ``k - 1``.

    ``payments`` are ``(counterparty, amount)`` in time order; per-counterparty totals ``x`` are added in that order,
    then ``(sum x)^2 >= (k - 1) * sum x^2`` with the sums over counterparties in ascending order.
    """
    totals: dict[int, float] = {}
    for who, a in payments:
        totals[who] = totals.get(who, 0.0) + a
    tot = tot2 = 0.0
    for who in sorted(totals):
        tot += totals[who]
        tot2 += totals[who] * totals[who]
    return bool(payments) and tot * tot >= (k - 1) * tot2


def reference_fans(
    ledger: TxnLedger, params: ScanParams, direction: str, rows: np.ndarray | None = None
) -> list[PatternHit]:
    """Fan-out (``direction="out"``) or fan-in (``"in"``) instances by the definition."""
    d = _Rows(ledger, params, rows)
    w, k, tol, share = params.window_ns, params.min_fan, params.tolerance, params.min_share
    want_in = direction == "in"
    hits: list[PatternHit] = []
    for key, ev in sorted(d.events.items()):
        mine = [e for e in ev if e[2] == want_in]
        used = [False] * len(mine)
        for i, (t0, r0, _, _) in enumerate(mine):
            if used[i]:
                continue
            a0 = d.amt[r0]
            sel = [
                j
                for j in range(i, len(mine))
                if not used[j] and mine[j][0] <= t0 + w and (tol is None or abs(d.amt[mine[j][1]] - a0) <= tol * a0)
            ]
            others = sorted({mine[j][3] for j in sel})
            ok = len(others) >= k
            if ok and share > 0:
                fan_sum = sum_in_order(d.amt, [mine[j][1] for j in sel])
                ok = fan_sum >= share * d.turnover(key, t0 - w, mine[sel[-1]][0] + w)
            if ok:
                for j in sel:
                    used[j] = True
                hits.append(PatternHit(f"fan-{direction}", tuple(mine[j][1] for j in sel), (key[0], *others), None))
            else:
                used[i] = True
    return hits


def reference_patterns(ledger: TxnLedger, params: ScanParams, rows: np.ndarray | None = None) -> list[PatternHit]:
    """All the non-cycle patterns ``params.patterns`` asks for, in pattern order then as each function returns them."""
    hits: list[PatternHit] = []
    if "scatter-gather" in params.patterns:
        hits += reference_scatter_gather(ledger, params, rows)
    if "gather-scatter" in params.patterns:
        hits += reference_gather_scatter(ledger, params, rows)
    if "fan-out" in params.patterns:
        hits += reference_fans(ledger, params, "out", rows)
    if "fan-in" in params.patterns:
        hits += reference_fans(ledger, params, "in", rows)
    return hits
