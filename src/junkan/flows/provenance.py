"""Where a party's receipts come from, and how much of them is its own money coming back (proportional tracing).

Proportional tracing
--------------------
Every party spends the money it has in proportion to where that money came from: the proportional-sharing
principle of power-flow tracing (Bialek 1996, "Tracing the flow of electricity", IEE Proc. Gener. Transm. Distrib.
143(4):313; Kirschen, Allan & Strbac 1997, IEEE Trans. Power Syst. 12(1):52), which is also the supply-side
(Ghosh 1958) reading of an input-output table, and the "well-mixed" money-tracing heuristic of Mattsson & Takes
(2021, "Trajectories through temporal networks", Applied Network Science 6:35). With ``W[j, i]`` the money ``j``
sends ``i`` in the flow graph (rows pay, US dollars, on the graph's basis):

* a party's **receipts** are ``R_i = sum_j W[j, i] + E_i``, where ``E_i`` is its **outside inflow** (money from
  outside the network: end-customer revenue, outside investors; see :func:`outside_inflows`). Each dollar is
  counted once: a vendor's aggregated receipts of a reported period (NVIDIA's customers by fiscal year) are netted of
  the named purchases they contain before tracing (the double-count rule of :mod:`junkan.flows.graph`), so its
  receipts in that period are its reported revenue;
* it pays out ``O_i = sum_k W[i, k]``. Where it has committed more than everything that can reach it, the excess
  ``U_i = max(0, O_i - R_i)`` is **unfunded**: money promised that no recorded money backs (yet). It is *not* the
  party's own money (a customer that over-commits does not thereby dilute its vendor's circularity);
* its pool is ``T_i = R_i + U_i = max(R_i, O_i)``; a fraction ``W[i, k] / T_i`` of every dollar in it goes to ``k``
  and ``1 - O_i / T_i`` stays with ``i``. So each payment is funded in the share ``R_i / T_i`` and unfunded in the
  share ``U_i / T_i``.

**Returned money.** Money that leaves ``V`` and reaches ``V`` again along any path is ``V``'s returned money; a dollar
counts once, at its first return (``V`` absorbs it). ``V``'s payments are ``V``'s own money only as far as they are
funded (the share ``R_V / T_V``); the rest is ``V``'s own unfunded promise. Let ``A`` be the parties other than ``V``
that have a path to ``V``. The share ``h_k`` of a dollar entering ``k`` that eventually reaches ``V`` solves the
sparse linear system

    ``(I - P_AA) h = p``,  ``P[j, k] = W[j, k] / T_j``,  ``p_j = W[j, V] / T_j``,

(``scipy.sparse.linalg.spsolve``; the system is non-singular because money leaks out of ``A`` into ``V``). With
``G = sum_k W[V, k] h_k`` (everything ``V`` sent that comes back):

* ``returned = G x R_V / T_V``;
* ``V``'s receipts from the network decompose exactly by **origin**: ``returned``, ``E_k h_k`` (outside money that
  entered at ``k``), ``U_k h_k`` (unfunded at ``k``) for every ``k`` in ``A``, and ``G x U_V / T_V`` (``V``'s own
  unfunded payments coming back);
* ``unfunded`` = the unfunded rows: the part of ``V``'s receipts that no money backs yet; ``funded receipts`` =
  network receipts - unfunded;
* **own-money share** ``= returned / funded receipts`` (the share of the money ``V`` actually gets that is its own);
  **own-money share of receipts** ``= returned / network receipts`` (the same against everything promised to ``V``).
  Both are reported; the first answers "how much of the money is round-trip", the second "how much of the order book".
  The share is also reported against ``V``'s revenue from the ledger's financials (:func:`latest_financial`).

Worked examples (the tests check them): V invests 100 in C; C commits 300 to buy from V; nothing else. ``T_C = 300``,
``h_C = 1``: all 100 of V's money comes back, the other 200 of V's receipts are unfunded: ``returned = 100``,
``unfunded = 200``, own-money share 1.0, of receipts 1/3. With 100 of outside money at C and a purchase of 150:
``T_C = 200``, ``h_C = 150/200``, returned ``= 100 x 0.75 = 75``: 50% of V's receipts of 150, nothing unfunded.

**Paths.** Returned money splits over walks ``V -> k1 -> ... -> km -> V``; a walk carries
``R_V / T_V x W[V, k1] x prod W[k_i, k_i+1] / T_k_i x W[km, V] / T_km``. The simple cycles through ``V`` up to
``max_len`` parties are listed one by one; walks that go round an inner loop (a cycle inside a cycle) or are longer
make up ``other_paths``, so the rows always add up to the returned money.

**Time** (``respect_time=True``; default ``False``, the static view above). Money can only return along paths whose
dates do not run backwards: deals are replayed in date order and every party holds a balance that remembers where its
money came from (the well-mixed rule of Mattsson & Takes 2021). A party's outside inflow is in its balance from the
start; deals on the same date are simultaneous (that day's payments are traced proportionally, as above, with pools
``T_i = max(balance_i + receipts_i, payments_i)``); what a party pays beyond its balance plus that day's receipts is
unfunded; what it does not pay stays in its balance for later days. With every deal on one date the two views agree
exactly. The path breakdown is given for the static view only.

**Earmarked view.** When a deal's ``legs`` tie ``V``'s payment to ``C`` (``V -> C``) to ``C``'s payment to ``V``
(``C -> V``), e.g. an investment that pays for a purchase, the earmarked part ``min`` of the two (allocated deal by
deal in date order) returns in full; the rest of both flows is traced proportionally (in the same view). Earmarked
returned money is the earmarked part plus the proportional return on the residual network; its unfunded part is the
residual network's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np

from junkan.errors import JunkanInputError
from junkan.flows.cycles import OPERATING_KINDS
from junkan.flows.graph import FlowGraph, flow_graph
from junkan.ledger.schema import EntityKind, FlowNature, metric_unit
from junkan.periods import is_annual

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

    from junkan.flows.uncertainty import ShareDraws
    from junkan.ledger.model import Ledger

#: Entity kinds that are outside sources of money: under the ``financials`` policy what they pay beyond their network
#: receipts is outside money (investors' funds, lenders' balance sheets, end customers' revenue), never unfunded.
OUTSIDE_SOURCE_KINDS = frozenset(
    {EntityKind.investor, EntityKind.lender, EntityKind.customers, EntityKind.government, EntityKind.agency}
)
OutsidePolicy = Literal["financials", "none"]
OUTSIDE_POLICIES = ("financials", "none")


# ---------------------------------------------------------------------------------------------------- financials
def latest_financial(
    ledger: Ledger, entity: str, metric: str, as_of: date | None = None, ref: date | None = None
) -> tuple[float, str] | None:
    """The figure of ``metric`` for ``entity`` that describes the network's time, preferring annual periods.

    Annual periods (``FY2025``, ``CY2025``, ``2025``) are used when the ledger has any for this entity and metric.
    With ``as_of``: the latest period ending on or before it (no look-ahead). Without it but with ``ref`` (the date
    of the network's latest deal): the first period ending on or after ``ref`` (the fiscal year that contains it),
    else the latest. Without either: the latest period. Money metrics are converted to US dollars at the rate for the
    period's end; counts and ratios are returned as they are. Returns ``(value, period)`` or ``None``.
    """
    rows = [f for f in ledger.financials if f.entity == entity and f.metric == metric]
    annual = [f for f in rows if is_annual(f.period)]
    rows = annual or rows
    if as_of is not None:
        rows = [f for f in rows if f.period_end <= as_of]
    if not rows:
        return None
    after = [f for f in rows if ref is not None and as_of is None and f.period_end >= ref]
    f = min(after, key=lambda r: r.period_end) if after else max(rows, key=lambda r: r.period_end)
    if metric_unit(metric) != "money":
        return f.value, f.period
    return ledger.to_usd(f.value, f.currency, f.period_end), f.period


def outside_inflows(
    ledger: Ledger,
    graph: FlowGraph,
    *,
    policy: str = "financials",
    external: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Each party's inflow from outside the network (US dollars), used as a source in proportional tracing.

    Policies
    --------
    ``financials`` (default)
        ``end_customer_revenue`` from the ledger's financials if on file (latest period on or before the graph's
        ``as_of``); otherwise ``revenue`` minus the party's operating receipts in the graph (purchases, commitments,
        leases, fees, revenue shares paid to it), floored at 0; otherwise 0. These are annual figures set against
        deal totals: a rough guide, stated as such. The period is chosen by :func:`latest_financial`.
        A party whose entity kind is an outside source of money (:data:`OUTSIDE_SOURCE_KINDS`: investors, lenders,
        aggregated end customers, governments, agencies) brings from outside whatever it pays beyond its network
        receipts: a bond investor's money is outside money, not an unfunded promise.
    ``none``
        No outside inflow: whatever a party pays beyond its network receipts is unfunded.

    ``external`` adds explicit amounts per party id (e.g. outside investors' money) on top of either policy.
    """
    if policy not in OUTSIDE_POLICIES:
        raise JunkanInputError.single(f"unknown outside-inflow policy {policy!r}; choose one of financials, none")
    out = {p: 0.0 for p in graph.parties}
    if policy == "financials":
        op_in: dict[str, float] = {}
        for f in graph.money_flows:
            if f.kind in OPERATING_KINDS:
                op_in[f.payee] = op_in.get(f.payee, 0.0) + f.amount
        for p in graph.parties:
            ecr = latest_financial(ledger, p, "end_customer_revenue", graph.as_of, graph.last_date)
            if ecr is not None:
                out[p] = max(0.0, ecr[0])
                continue
            rev = latest_financial(ledger, p, "revenue", graph.as_of, graph.last_date)
            if rev is not None:
                out[p] = max(0.0, rev[0] - op_in.get(p, 0.0))
        paid, got = graph.out_strength(), graph.in_strength()
        for p in graph.parties:
            ent = ledger.entities.get(p)
            if ent is not None and ent.kind in OUTSIDE_SOURCE_KINDS:
                out[p] = max(out[p], paid[p] - got[p])
    for p, v in (external or {}).items():
        if v < 0 or not np.isfinite(v):
            raise JunkanInputError.single(f"outside inflow for {p!r} must be a non-negative number, got {v!r}")
        if p not in out:
            continue  # a party outside the graph receives nothing from it; its outside money reaches no one here
        out[p] += float(v)
    return out


# ---------------------------------------------------------------------------------------------------- the algebra
@dataclass(frozen=True)
class Pools:
    """Receipts, payments, unfunded amounts and pools per party (arrays aligned with the graph's parties)."""

    network_in: np.ndarray
    outside: np.ndarray
    out: np.ndarray
    unfunded: np.ndarray
    pool: np.ndarray

    @property
    def funded_fraction(self) -> np.ndarray:
        """Share of each party's payments that is funded, ``R / T`` (1 for a party that pays nothing)."""
        receipts = self.network_in + self.outside
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.pool > 0, np.minimum(1.0, receipts / np.where(self.pool > 0, self.pool, 1.0)), 1.0)


def _excess(out: np.ndarray, avail: np.ndarray) -> np.ndarray:
    """``max(0, out - avail)``, with differences below rounding (1e-12 of the amounts) set to 0."""
    diff = out - avail
    return np.where(diff > 1e-12 * np.maximum(out, avail), diff, 0.0)


def pools(w: sparse.csr_matrix, outside: np.ndarray) -> Pools:
    """Compute ``R``, ``O``, ``U = max(0, O - R)`` and ``T = R + U`` from ``W`` (rows pay) and outside inflows."""
    net_in = np.asarray(w.sum(axis=0)).ravel()
    out = np.asarray(w.sum(axis=1)).ravel()
    receipts = net_in + outside
    unfunded = _excess(out, receipts)
    return Pools(network_in=net_in, outside=outside, out=out, unfunded=unfunded, pool=receipts + unfunded)


def ancestors(w: sparse.csr_matrix, v: int) -> np.ndarray:
    """Indices of the parties other than ``v`` with a path to ``v`` (sorted)."""
    from scipy.sparse.csgraph import breadth_first_order

    order = breadth_first_order(w.T.tocsr(), v, directed=True, return_predecessors=False)
    return np.sort(np.asarray([i for i in order if i != v], dtype=int))


def hitting_shares(w: sparse.csr_matrix, pool: np.ndarray, v: int) -> tuple[np.ndarray, np.ndarray]:
    """For every ancestor ``k`` of ``v``: the share of a dollar entering ``k`` that first reaches ``v``.

    Solves ``(I - P_AA) h = p`` with ``scipy.sparse.linalg.spsolve`` (see the module docstring).
    Returns ``(A, h)``: ancestor indices and their shares.
    """
    from scipy import sparse
    from scipy.sparse.linalg import spsolve

    a = ancestors(w, v)
    if a.size == 0:
        return a, np.zeros(0)
    inv = sparse.diags(1.0 / pool[a])
    p_aa = inv @ w[a][:, a]
    p_v = inv @ np.asarray(w[a][:, [v]].todense()).ravel()
    m = (sparse.identity(a.size, format="csc") - p_aa).tocsc()
    h = spsolve(m, p_v)
    h = np.atleast_1d(np.asarray(h, dtype=float))
    return a, np.clip(h, 0.0, 1.0)


def returned_by_payer(w: sparse.csr_matrix, pool: np.ndarray, funded: float, v: int) -> np.ndarray:
    """For every party ``j``: the part of ``v``'s returned money carried by ``j``'s payment to ``v`` (static view).

    The target's own money in ``k``'s pool, ``x_k``, solves ``x = b + Q_SS^T x`` on the parties ``S`` that lie on a
    path ``v -> ... -> k -> ... -> v`` (``Q = W / T``, ``b_k = funded x W[v, k]``, ``funded = R_v / T_v``); what
    ``j`` pays ``v`` carries ``x_j W[j, v] / T_j`` of it. The entries add up to the returned money.
    """
    from scipy import sparse
    from scipy.sparse.csgraph import breadth_first_order
    from scipy.sparse.linalg import spsolve

    n = w.shape[0]
    out = np.zeros(n)
    anc = set(ancestors(w, v).tolist())
    desc = set(breadth_first_order(w, v, directed=True, return_predecessors=False).tolist()) - {v}
    on = np.array(sorted(anc & desc), dtype=int)
    if on.size == 0:
        return out
    inv = sparse.diags(1.0 / pool[on])
    q = (inv @ w[on][:, on]).T.tocsc()
    b = funded * np.asarray(w[[v]][:, on].todense()).ravel()
    x = np.atleast_1d(spsolve((sparse.identity(on.size, format="csc") - q).tocsc(), b))
    out[on] = x * np.asarray(w[on][:, [v]].todense()).ravel() / pool[on]
    return np.clip(out, 0.0, None)


# ---------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class OriginRow:
    """A part of the target's receipts by where the money entered the network."""

    origin: str
    channel: str  # "returned" (target's own money), "outside" or "unfunded"
    amount: float


@dataclass(frozen=True)
class PathRow:
    """Returned money carried along one simple cycle through the target."""

    path: tuple[str, ...]
    amount: float


def _share(num: float, den: float) -> float | None:
    """``num / den``, or None when nothing is in the denominator (up to rounding)."""
    return num / den if den > 1e-12 * max(1.0, abs(num)) else None


@dataclass(frozen=True)
class EarmarkedView:
    """The own-money shares when ``legs`` tie an outgoing payment to a payment back (see the module docstring)."""

    earmarked: float
    returned: float
    unfunded: float
    own_money_share: float | None
    own_money_share_of_receipts: float | None
    pairs: tuple[tuple[str, str, float], ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "earmarked": self.earmarked,
            "returned": self.returned,
            "unfunded": self.unfunded,
            "own_money_share": self.own_money_share,
            "own_money_share_of_receipts": self.own_money_share_of_receipts,
            "pairs": [{"out_deal": a, "back_deal": b, "amount": x} for a, b, x in self.pairs],
        }


VIEW_STATIC = "static (dates ignored; the default)"
VIEW_TIME = "time-respecting (money returns only along paths whose dates do not run backwards)"


@dataclass(frozen=True)
class TraceResult:
    """Where one party's receipts come from and its own-money shares (all amounts in US dollars).

    ``own_money_share`` is ``returned / funded_receipts`` and ``own_money_share_of_receipts`` is
    ``returned / network_receipts`` (None when the denominator is 0); ``unfunded`` is the part of the receipts no
    money backs yet; ``share_of_revenue`` is ``returned / revenue`` (None without a revenue figure). ``view`` says
    whether dates were respected (``inputs["respect_time"]``). With uncertainty draws, ``intervals`` holds the 90%
    intervals ``[p5, p95]``: ``own_money_share_interval``, ``own_money_share_of_receipts_interval``,
    ``returned_interval``, ``unfunded_interval`` (:mod:`junkan.flows.uncertainty`). ``returned_by_payer`` splits
    the returned money by the payer whose payment carried it back (static view; :func:`returned_by_payer`).
    """

    entity: str
    name: str
    network_receipts: float
    outside_inflow: float
    payments: float
    returned: float
    unfunded: float
    own_money_share: float | None
    own_money_share_of_receipts: float | None
    revenue: float | None
    revenue_period: str | None
    share_of_revenue: float | None
    by_payer: tuple[tuple[str, float], ...]
    by_origin: tuple[OriginRow, ...]
    paths: tuple[PathRow, ...]
    other_paths: float
    earmarked: EarmarkedView
    inputs: dict[str, object]
    notes: tuple[str, ...] = field(default=())
    intervals: dict[str, list[float] | None] | None = None
    returned_by_payer: tuple[tuple[str, float], ...] = field(default=())

    @property
    def funded_receipts(self) -> float:
        """Network receipts less the unfunded part."""
        return max(0.0, self.network_receipts - self.unfunded)

    @property
    def view(self) -> str:
        """The tracing view in words (static, the default, or time-respecting)."""
        return VIEW_TIME if self.inputs.get("respect_time") else VIEW_STATIC

    def summary(self) -> dict[str, object]:
        """Headline figures and inputs."""
        return {
            "entity": self.entity,
            "name": self.name,
            **self.inputs,
            "view": self.view,
            "network_receipts": self.network_receipts,
            "funded_receipts": self.funded_receipts,
            "outside_inflow": self.outside_inflow,
            "payments": self.payments,
            "returned": self.returned,
            "unfunded": self.unfunded,
            "own_money_share": self.own_money_share,
            "own_money_share_of_receipts": self.own_money_share_of_receipts,
            "revenue": self.revenue,
            "revenue_period": self.revenue_period,
            "share_of_revenue": self.share_of_revenue,
            "earmarked_returned": self.earmarked.returned,
            "earmarked_unfunded": self.earmarked.unfunded,
            "earmarked_own_money_share": self.earmarked.own_money_share,
            "earmarked_own_money_share_of_receipts": self.earmarked.own_money_share_of_receipts,
            **(self.intervals or {}),
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """The receipts by origin: one row per (origin, channel), largest first."""
        import pandas as pd

        rows = [{"origin": r.origin, "channel": r.channel, "amount": r.amount} for r in self.by_origin]
        df = pd.DataFrame(rows, columns=["origin", "channel", "amount"])
        total = self.network_receipts
        df["share"] = df["amount"] / total if total > 0 else np.nan
        return df

    def to_dict(self) -> dict[str, object]:
        """The stable JSON document of ``junkan trace --format json``."""
        via = dict(self.returned_by_payer)
        return {
            "summary": self.summary(),
            "by_payer": [{"payer": p, "amount": a, "returned": via.get(p, 0.0)} for p, a in self.by_payer],
            "by_origin": [{"origin": r.origin, "channel": r.channel, "amount": r.amount} for r in self.by_origin],
            "paths": [{"path": list(r.path), "amount": r.amount} for r in self.paths],
            "other_paths": self.other_paths,
            "earmarked": self.earmarked.to_dict(),
        }


PROVENANCE_COLUMNS = (
    "entity",
    "network_receipts",
    "returned",
    "unfunded",
    "own_money_share",
    "own_money_share_of_receipts",
    "revenue",
    "share_of_revenue",
    "earmarked_own_money_share",
    "earmarked_own_money_share_of_receipts",
)


INTERVAL_COLUMNS = (
    "own_money_share_p5",
    "own_money_share_p95",
    "own_money_share_of_receipts_p5",
    "own_money_share_of_receipts_p95",
)


def _interval_columns(r: TraceResult) -> dict[str, float | None]:
    if not r.intervals:
        return {}
    out: dict[str, float | None] = {}
    for key in ("own_money_share", "own_money_share_of_receipts"):
        iv = r.intervals.get(f"{key}_interval")
        out[f"{key}_p5"], out[f"{key}_p95"] = (iv[0], iv[1]) if iv else (None, None)
    return out


@dataclass(frozen=True)
class ProvenanceResult:
    """Own-money shares of every party that receives money from the network."""

    rows: tuple[TraceResult, ...]
    inputs: dict[str, object]

    def to_frame(self) -> pd.DataFrame:
        """One row per party: receipts, returned and unfunded money, both own-money shares, revenue, earmarked."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "entity": r.entity,
                    "network_receipts": r.network_receipts,
                    "returned": r.returned,
                    "unfunded": r.unfunded,
                    "own_money_share": r.own_money_share,
                    "own_money_share_of_receipts": r.own_money_share_of_receipts,
                    "revenue": r.revenue,
                    "share_of_revenue": r.share_of_revenue,
                    "earmarked_own_money_share": r.earmarked.own_money_share,
                    "earmarked_own_money_share_of_receipts": r.earmarked.own_money_share_of_receipts,
                    **_interval_columns(r),
                }
                for r in self.rows
            ],
            columns=list(PROVENANCE_COLUMNS) + (list(INTERVAL_COLUMNS) if self.inputs.get("uncertainty") else []),
        )

    def summary(self) -> dict[str, object]:
        """Inputs, the view, totals and the party with the largest own-money share."""
        shares = [(r.own_money_share, r.entity) for r in self.rows if r.own_money_share is not None]
        top = max(shares) if shares else None
        return {
            **self.inputs,
            "view": VIEW_TIME if self.inputs.get("respect_time") else VIEW_STATIC,
            "parties": len(self.rows),
            "returned_total": float(sum(r.returned for r in self.rows)),
            "unfunded_total": float(sum(r.unfunded for r in self.rows)),
            "receipts_total": float(sum(r.network_receipts for r in self.rows)),
            "top_own_money_share": {"entity": top[1], "share": top[0]} if top else None,
        }


# ---------------------------------------------------------------------------------------------------- tracing
def _simple_paths(
    w: sparse.csr_matrix, pool: np.ndarray, v: int, allowed: set[int], max_len: int
) -> list[tuple[tuple[int, ...], float]]:
    """Simple cycles ``v -> ... -> v`` of at most ``max_len`` parties through ``allowed`` nodes, with their money."""
    out: list[tuple[tuple[int, ...], float]] = []
    indptr, indices, data = w.indptr, w.indices, w.data

    def walk(node: int, path: list[int], amount: float) -> None:
        for pos in range(indptr[node], indptr[node + 1]):
            nxt, wt = int(indices[pos]), float(data[pos])
            if wt <= 0:
                continue
            share = wt if node == v else amount * wt / pool[node]
            if nxt == v:
                if node != v:
                    out.append(((*path,), share))
                continue
            if nxt in allowed and nxt not in path and len(path) < max_len:
                path.append(nxt)
                walk(nxt, path, share)
                path.pop()

    walk(v, [v], 0.0)
    return out


@dataclass(frozen=True)
class _Core:
    """One trace: receipts by (origin party, channel), and the static solve when there is one."""

    origins: dict[tuple[str, str], float]
    returned: float
    unfunded: float
    receipts: float


def _origins_sum(origins: Mapping[tuple[str, str], float], target: str) -> tuple[float, float]:
    returned = float(origins.get((target, "returned"), 0.0))
    unfunded = float(sum(x for (_, ch), x in origins.items() if ch == "unfunded"))
    return returned, unfunded


def _static_core(
    parties: Sequence[str],
    index: Mapping[str, int],
    weights: Mapping[tuple[str, str], float],
    outside: Mapping[str, float],
    target: str,
) -> tuple[_Core, sparse.csr_matrix, Pools, np.ndarray, np.ndarray, float]:
    """The static trace of ``target`` (module docstring); also returns ``W``, pools, ancestors, ``h``, ``R_V/T_V``."""
    from scipy import sparse

    n = len(parties)
    keys = [k for k, x in weights.items() if x > 0]
    w = sparse.csr_matrix(
        ([weights[k] for k in keys], ([index[a] for a, _ in keys], [index[b] for _, b in keys])), shape=(n, n)
    )
    ext = np.array([outside.get(p, 0.0) for p in parties], dtype=float)
    pl = pools(w, ext)
    v = index[target]
    a, h = hitting_shares(w, pl.pool, v)
    out_v = np.asarray(w[[v]][:, a].todense()).ravel() if a.size else np.zeros(0)
    gross = float(out_v @ h) if a.size else 0.0
    fv = float(pl.funded_fraction[v])
    origins: dict[tuple[str, str], float] = {}
    if gross * fv > 0:
        origins[(target, "returned")] = gross * fv
    if gross * (1.0 - fv) > 0:
        origins[(target, "unfunded")] = gross * (1.0 - fv)
    for k, hk in zip(a, h, strict=True):
        for channel, arr in (("outside", pl.outside), ("unfunded", pl.unfunded)):
            amt = float(arr[k] * hk)
            if amt > 0:
                key = (parties[int(k)], channel)
                origins[key] = origins.get(key, 0.0) + amt
    returned, unfunded = _origins_sum(origins, target)
    core = _Core(origins=origins, returned=returned, unfunded=unfunded, receipts=float(pl.network_in[v]))
    return core, w, pl, a, h, fv


def _temporal_core(
    parties: Sequence[str],
    index: Mapping[str, int],
    dated: Sequence[tuple[date, str, str, float]],
    outside: Mapping[str, float],
    target: str,
) -> _Core:
    """The time-respecting trace of ``target``: deals replayed day by day with origin-tagged balances.

    Tags (columns): 0 = the target's own funded money, ``1 + k`` = outside money of party ``k``, ``1 + n + k`` =
    unfunded at party ``k``. Each day solves ``X_A = B_A + P_AA^T X_A + (inflow from the target)`` over the day's
    payers other than the target (least squares, so a closed same-day loop with no origin gets no tag).
    """
    n = len(parties)
    v = index[target]
    tags = 1 + 2 * n
    ext = np.array([outside.get(p, 0.0) for p in parties], dtype=float)
    comp = np.zeros((n, tags))
    comp[np.arange(n), 1 + np.arange(n)] = ext
    comp[v] = 0.0
    bal_v = float(ext[v])
    recv = np.zeros(tags)
    by_day: dict[date, dict[tuple[int, int], float]] = {}
    for d, a, b, x in dated:
        if x <= 0 or a == b:
            continue
        day = by_day.setdefault(d, {})
        key = (index[a], index[b])
        day[key] = day.get(key, 0.0) + x
    for d in sorted(by_day):
        edges = by_day[d]
        active = sorted({i for e in edges for i in e})
        pos = {p: i for i, p in enumerate(active)}
        m = len(active)
        dmat = np.zeros((m, m))
        for (i, j), x in edges.items():
            dmat[pos[i], pos[j]] += x
        inn = dmat.sum(axis=0)
        out = dmat.sum(axis=1)
        bal = np.array([bal_v if p == v else comp[p].sum() for p in active])
        avail = bal + inn
        unf = _excess(out, avail)
        t = avail + unf
        with np.errstate(divide="ignore", invalid="ignore"):
            p_mat = np.where(t[:, None] > 0, dmat / np.where(t > 0, t, 1.0)[:, None], 0.0)
        # the target's outflow per its pool: its own money as far as funded, the rest its own unfunded promise
        x_v = np.zeros(tags)
        iv = pos.get(v)
        if iv is not None:
            x_v[0] = min(avail[iv], t[iv])
            x_v[1 + n + v] = unf[iv]
        others = [i for i, p in enumerate(active) if p != v]
        rhs = np.zeros((len(others), tags))
        for r, i in enumerate(others):
            p = active[i]
            rhs[r] = comp[p]
            rhs[r, 1 + n + p] += unf[i]
            if iv is not None:
                rhs[r] += p_mat[iv, i] * x_v
        if others:
            sub = p_mat[np.ix_(others, others)]
            lhs = np.eye(len(others)) - sub.T
            x_a = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
            x_a = np.maximum(x_a, 0.0)
        else:
            x_a = np.zeros((0, tags))
        if iv is not None:
            recv += (p_mat[others, iv][:, None] * x_a).sum(axis=0) if others else 0.0
            bal_v = float(t[iv] - out[iv])
        for r, i in enumerate(others):
            keep = 1.0 - out[i] / t[i] if t[i] > 0 else 0.0
            comp[active[i]] = x_a[r] * keep
    origins: dict[tuple[str, str], float] = {}
    tiny = 1e-12 * float(recv.sum())
    if recv[0] > tiny:
        origins[(target, "returned")] = float(recv[0])
    for k in range(n):
        for channel, col in (("outside", 1 + k), ("unfunded", 1 + n + k)):
            if recv[col] > tiny:
                origins[(parties[k], channel)] = float(recv[col])
    returned, unfunded = _origins_sum(origins, target)
    receipts = float(sum(x for _, a, b, x in dated if b == target and a != target and x > 0))
    return _Core(origins=origins, returned=returned, unfunded=unfunded, receipts=receipts)


def _earmark(graph: FlowGraph, target: str) -> tuple[dict[str, float], tuple[tuple[str, str, float], ...]]:
    """Each deal's amount left after taking out leg-linked round trips through ``target`` (and the pairs)."""
    flows = {f.deal_id: f for f in graph.money_flows}
    remaining = {k: f.amount for k, f in flows.items()}
    pairs: list[tuple[str, str, float]] = []
    outgoing = sorted((f for f in flows.values() if f.payer == target), key=lambda f: (f.date, f.deal_id))
    for d in outgoing:
        linked = {e for e in d.legs if e in flows} | {f.deal_id for f in flows.values() if d.deal_id in f.legs}
        backs = sorted(
            (flows[e] for e in linked if flows[e].payer == d.payee and flows[e].payee == target),
            key=lambda f: (f.date, f.deal_id),
        )
        for e in backs:
            x = min(remaining[d.deal_id], remaining[e.deal_id])
            if x <= 0:
                continue
            remaining[d.deal_id] -= x
            remaining[e.deal_id] -= x
            pairs.append((d.deal_id, e.deal_id, x))
    return remaining, tuple(pairs)


def _core(
    graph: FlowGraph,
    amounts: Mapping[str, float],
    outside: Mapping[str, float],
    target: str,
    respect_time: bool,
) -> _Core:
    """Trace ``target`` with each deal's amount taken from ``amounts`` (deal id -> US dollars)."""
    flows = [f for f in graph.money_flows if amounts.get(f.deal_id, 0.0) > 0]
    if respect_time:
        dated = [(f.date, f.payer, f.payee, amounts[f.deal_id]) for f in flows]
        return _temporal_core(graph.parties, graph.index, dated, outside, target)
    weights: dict[tuple[str, str], float] = {}
    for f in flows:
        weights[(f.payer, f.payee)] = weights.get((f.payer, f.payee), 0.0) + amounts[f.deal_id]
    return _static_core(graph.parties, graph.index, weights, outside, target)[0]


def trace_in_graph(
    graph: FlowGraph,
    entity: str,
    *,
    outside: Mapping[str, float] | None = None,
    revenue: tuple[float, str] | None = None,
    max_len: int = 5,
    respect_time: bool = False,
    extra_inputs: Mapping[str, object] | None = None,
) -> TraceResult:
    """Trace one party's receipts in a flow graph (see the module docstring). ``entity`` is a party id.

    ``respect_time`` switches from the static view (default) to the time-respecting one.
    """
    outside = dict(outside or {})
    inputs = {**graph.inputs(), "max_len": max_len, "respect_time": respect_time, **(extra_inputs or {})}
    notes: list[str] = []
    rev_value, rev_period = revenue if revenue is not None else (None, None)
    if entity not in graph.index:
        notes.append(f"{entity} takes part in no flow with a positive amount under these filters")
        empty = EarmarkedView(
            earmarked=0.0, returned=0.0, unfunded=0.0, own_money_share=None, own_money_share_of_receipts=None, pairs=()
        )
        return TraceResult(
            entity=entity,
            name=graph.name(entity),
            network_receipts=0.0,
            outside_inflow=outside.get(entity, 0.0),
            payments=0.0,
            returned=0.0,
            unfunded=0.0,
            own_money_share=None,
            own_money_share_of_receipts=None,
            revenue=rev_value,
            revenue_period=rev_period,
            share_of_revenue=0.0 if rev_value else None,
            by_payer=(),
            by_origin=(),
            paths=(),
            other_paths=0.0,
            earmarked=empty,
            inputs=inputs,
            notes=tuple(notes),
        )
    weights = graph.edge_amounts()
    static, w, pl, a, _h, fv = _static_core(graph.parties, graph.index, weights, outside, entity)
    amounts = {f.deal_id: f.amount for f in graph.money_flows}
    core = _core(graph, amounts, outside, entity, True) if respect_time else static
    v = graph.index[entity]
    parties = graph.parties
    receipts = float(pl.network_in[v])
    returned, unfunded = core.returned, core.unfunded
    by_payer = sorted(
        ((parties[j], float(w[j, v])) for j in range(len(parties)) if w[j, v] > 0), key=lambda t: (-t[1], t[0])
    )
    origin_rows = sorted(
        (OriginRow(o, ch, x) for (o, ch), x in core.origins.items()), key=lambda r: (-r.amount, r.origin, r.channel)
    )
    via = returned_by_payer(w, pl.pool, fv, v) if not respect_time and returned > 0 else np.zeros(len(parties))
    ret_by_payer = tuple((parties[j], float(via[j])) for j in np.flatnonzero(via > 0))
    # paths (static view only)
    if respect_time:
        paths: list[PathRow] = []
        other = returned
        if returned > 0:
            notes.append("the path breakdown is given for the static view only (other_paths holds all returned money)")
    else:
        simple = _simple_paths(w, pl.pool, v, {int(x) for x in a}, max_len)
        paths = sorted(
            (PathRow(tuple(parties[i] for i in p), float(amt) * fv) for p, amt in simple),
            key=lambda r: (-r.amount, r.path),
        )
        other = max(0.0, returned - sum(p.amount for p in paths))
    # earmarked view
    remaining, pairs = _earmark(graph, entity)
    earmarked = float(sum(x for _, _, x in pairs))
    res = _core(graph, remaining, outside, entity, respect_time) if pairs else core
    em_returned = earmarked + res.returned
    if receipts <= 0:
        notes.append(f"{entity} receives nothing from the network under these filters: no own-money share")
    elif returned == 0:
        notes.append(f"none of {entity}'s payments come back to it")
    if unfunded > 0:
        notes.append(
            f"{unfunded / receipts:.0%} of {entity}'s receipts are unfunded (promised beyond any money that can reach "
            "the payers); own_money_share counts only funded receipts, own_money_share_of_receipts all of them"
        )
    ear = EarmarkedView(
        earmarked=earmarked,
        returned=em_returned,
        unfunded=res.unfunded,
        own_money_share=_share(em_returned, receipts - res.unfunded),
        own_money_share_of_receipts=_share(em_returned, receipts),
        pairs=pairs,
    )
    return TraceResult(
        entity=entity,
        name=graph.name(entity),
        network_receipts=receipts,
        outside_inflow=float(pl.outside[v]),
        payments=float(pl.out[v]),
        returned=returned,
        unfunded=unfunded,
        own_money_share=_share(returned, receipts - unfunded),
        own_money_share_of_receipts=_share(returned, receipts),
        revenue=rev_value,
        revenue_period=rev_period,
        share_of_revenue=returned / rev_value if rev_value else None,
        by_payer=tuple(by_payer),
        by_origin=tuple(origin_rows),
        paths=tuple(paths),
        other_paths=other,
        earmarked=ear,
        inputs=inputs,
        notes=tuple(notes),
        returned_by_payer=ret_by_payer,
    )


def graph_and_outside(
    ledger: Ledger,
    as_of: date | None,
    since: date | None,
    basis: str,
    natures: Sequence[FlowNature | str] | str | None,
    include_cancelled: bool,
    outside: str,
    external: Mapping[str, float] | None,
) -> tuple[FlowGraph, dict[str, float]]:
    """The flow graph and every party's outside inflow (:func:`outside_inflows`) for the given options."""
    graph = flow_graph(
        ledger, as_of=as_of, since=since, basis=basis, natures=natures, include_cancelled=include_cancelled
    )
    ext = {ledger.resolve_entity(k).id: v for k, v in (external or {}).items()}
    return graph, outside_inflows(ledger, graph, policy=outside, external=ext)


def own_money_share(
    ledger: Ledger,
    entity: str,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    outside: str = "financials",
    external: Mapping[str, float] | None = None,
    max_len: int = 5,
    respect_time: bool = False,
    uncertainty: int = 0,
    seed: int | None = None,
) -> TraceResult:
    """Trace ``entity``'s receipts by proportional tracing and compute its own-money shares (exact, sparse solve).

    Parameters
    ----------
    ledger
        The deals and financials.
    entity
        Party id, name or alias (an unknown name raises an error that suggests the closest ones).
    as_of, since, basis, natures, include_cancelled
        Flow-graph options (:func:`junkan.flows.graph.flow_graph`).
    outside, external
        Outside-inflow policy and explicit amounts (:func:`outside_inflows`).
    max_len
        Longest cycle listed in the path breakdown, in parties.
    respect_time
        ``False`` (default): the static view, dates ignored. ``True``: money returns only along paths whose dates do
        not run backwards (module docstring, after Mattsson & Takes 2021).
    uncertainty, seed
        Number of draws of the ranged, estimated and undisclosed amounts (:mod:`junkan.flows.uncertainty`) and
        their seed (recorded); 0 (default) for none. With draws, ``intervals`` holds the 90% intervals.

    Returns
    -------
    TraceResult
        ``returned``, ``unfunded``, ``own_money_share`` (returned / funded receipts),
        ``own_money_share_of_receipts`` (returned / all network receipts), receipts by origin, paths, the earmarked
        view and the inputs (``view`` names the view).
    """
    ent = ledger.resolve_entity(entity)
    graph, out = graph_and_outside(ledger, as_of, since, basis, natures, include_cancelled, outside, external)
    revenue = latest_financial(ledger, ent.id, "revenue", as_of, graph.last_date)
    res = trace_in_graph(
        graph,
        ent.id,
        outside=out,
        revenue=revenue,
        max_len=max_len,
        respect_time=respect_time,
        extra_inputs={"outside_policy": outside},
    )
    if uncertainty and ent.id in graph.index:
        from junkan.flows import uncertainty as unc

        if respect_time:
            draws = _temporal_share_draws(ledger, graph, out, ent.id, n=uncertainty, seed=seed)
        else:
            draws = unc.share_draws(ledger, graph, out, n=uncertainty, seed=seed)
        res = replace(
            res,
            intervals=draws.intervals(ent.id),
            inputs={**res.inputs, "uncertainty": uncertainty, "seed": draws.seed},
        )
    return res


def provenance(
    ledger: Ledger,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    outside: str = "financials",
    external: Mapping[str, float] | None = None,
    max_len: int = 5,
    respect_time: bool = False,
    uncertainty: int = 0,
    seed: int | None = None,
) -> ProvenanceResult:
    """Trace every party that receives money from the network (one solve each); see :func:`own_money_share`.

    With ``uncertainty`` draws (static view only: the batched solve of :func:`junkan.flows.uncertainty.share_draws`)
    every row carries its 90% intervals.
    """
    if uncertainty and respect_time:
        raise JunkanInputError.single(
            "uncertainty draws for every party are computed in the static view; trace one party with --respect-time",
            field="uncertainty",
        )
    graph, out = graph_and_outside(ledger, as_of, since, basis, natures, include_cancelled, outside, external)
    net_in = graph.in_strength()
    rows = tuple(
        trace_in_graph(
            graph,
            p,
            outside=out,
            revenue=latest_financial(ledger, p, "revenue", as_of, graph.last_date),
            max_len=max_len,
            respect_time=respect_time,
            extra_inputs={"outside_policy": outside},
        )
        for p in graph.parties
        if net_in[p] > 0
    )
    inputs: dict[str, object] = {
        **graph.inputs(),
        "max_len": max_len,
        "respect_time": respect_time,
        "outside_policy": outside,
    }
    if uncertainty:
        from junkan.flows.uncertainty import share_draws

        draws = share_draws(ledger, graph, out, n=uncertainty, seed=seed)
        extra = {"uncertainty": uncertainty, "seed": draws.seed}
        rows = tuple(replace(r, intervals=draws.intervals(r.entity), inputs={**r.inputs, **extra}) for r in rows)
        inputs.update(extra)
    return ProvenanceResult(rows=rows, inputs=inputs)


def _temporal_share_draws(
    ledger: Ledger, graph: FlowGraph, outside: Mapping[str, float], target: str, *, n: int, seed: int | None
) -> ShareDraws:
    """One party's figures under ``n`` draws in the time-respecting view (one replay per draw; not batched)."""
    from junkan.flows.uncertainty import ShareDraws, deal_factors

    factors, ids, s, rules = deal_factors(ledger, graph, n, seed)
    base = {f.deal_id: f.amount for f in graph.money_flows}
    rec = np.empty((n, 1))
    ret = np.empty((n, 1))
    unf = np.empty((n, 1))
    for d in range(n):
        amounts = {k: base[k] * factors[d, j] for j, k in enumerate(ids)}
        core = _core(graph, amounts, outside, target, True)
        rec[d, 0], ret[d, 0], unf[d, 0] = core.receipts, core.returned, core.unfunded
    return ShareDraws((target,), rec, ret, unf, s, n, rules)
