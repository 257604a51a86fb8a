"""The plain tables the report's figures take, built from the public API (ledger, flows).

Figures in :mod:`junkan.report.figures` take these data frames (data in, plotly figure out), so the HTML report and
the dashboard draw the same charts from the same tables. Amounts are US dollars on the flow graph's basis
(committed by default; see :mod:`junkan.flows.graph`).

Kind groups (the colours of the network map and the Sankey diagram)
--------------------------------------------------------------------
``investment``  equity investments, warrant grants, joint-venture capital;
``purchase``    purchase commitments, hardware and licence purchases, leases, service fees, revenue shares, capacity
                swaps;
``credit``      loans, credit facilities, GPU-backed debt;
``in-kind``     cloud credits (compute given in kind);
``backstop``    capacity backstops and loan guarantees (contingent promises).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from junkan.ledger.schema import DealKind

if TYPE_CHECKING:
    from junkan.flows import CircularityResult, FlowGraph, ProvenanceResult
    from junkan.ledger.model import Ledger
    from junkan.stress.ecosystem import StressResult

#: Deal kind -> the group it is drawn in (see the module docstring).
KIND_GROUPS: dict[str, str] = {
    DealKind.equity_investment.value: "investment",
    DealKind.warrant_grant.value: "investment",
    DealKind.joint_venture.value: "investment",
    DealKind.purchase_commitment.value: "purchase",
    DealKind.hardware_purchase.value: "purchase",
    DealKind.licence_purchase.value: "purchase",
    DealKind.lease.value: "purchase",
    DealKind.service_fee.value: "purchase",
    DealKind.revenue_share.value: "purchase",
    DealKind.capacity_swap.value: "purchase",
    DealKind.loan.value: "credit",
    DealKind.credit_facility.value: "credit",
    DealKind.gpu_backed_debt.value: "credit",
    DealKind.cloud_credits.value: "in-kind",
    DealKind.capacity_backstop.value: "backstop",
    DealKind.loan_guarantee.value: "backstop",
}
#: Drawing order of the kind groups.
GROUP_ORDER: tuple[str, ...] = ("investment", "purchase", "credit", "in-kind", "backstop")

FLOW_COLUMNS = (
    "deal_id",
    "date",
    "payer",
    "payee",
    "payer_name",
    "payee_name",
    "kind",
    "group",
    "amount",
    "committed",
    "drawn",
    "status",
    "confidence",
    "title",
    "source_url",
)
PARTY_COLUMNS = ("party", "name", "kind", "volume", "received", "paid", "size_value", "size_metric", "size_period")


def source_host(url: str) -> str:
    """The host of a source URL without ``www.`` (``https://www.sec.gov/x`` -> ``sec.gov``)."""
    host = urlparse(url).netloc
    return host[4:] if host.startswith("www.") else host


def flows_table(ledger: Ledger, graph: FlowGraph) -> pd.DataFrame:
    """One row per flow of ``graph`` with a positive amount, with names, kind group, status, title and source.

    Columns: :data:`FLOW_COLUMNS`; ``amount`` is on the graph's basis, ``committed``/``drawn`` in US dollars.
    """
    rows = []
    for f in graph.money_flows:
        d = ledger.deal(f.deal_id)
        rows.append(
            {
                "deal_id": f.deal_id,
                "date": f.date,
                "payer": f.payer,
                "payee": f.payee,
                "payer_name": graph.name(f.payer),
                "payee_name": graph.name(f.payee),
                "kind": f.kind.value,
                "group": KIND_GROUPS[f.kind.value],
                "amount": f.amount,
                "committed": f.committed,
                "drawn": f.drawn,
                "status": f.status.value,
                "confidence": d.confidence.value,
                "title": d.title or f.deal_id,
                "source_url": d.sources[0].url,
            }
        )
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS))


def parties_table(ledger: Ledger, graph: FlowGraph, *, size_by: str = "revenue") -> pd.DataFrame:
    """One row per party of ``graph``: name, entity kind, volume in and out, and the figure its node is sized by.

    ``size_by`` is ``revenue`` (default) or ``valuation``: the party's figure from the ledger's financials, annual
    periods preferred, the period that contains the network's latest deal where there is one
    (:func:`junkan.flows.provenance.latest_financial`). ``size_value`` is NaN for a party with no such figure.
    """
    from junkan.flows.provenance import latest_financial

    if size_by not in ("revenue", "valuation"):
        raise ValueError(f"size_by must be 'revenue' or 'valuation', not {size_by!r}")
    s_in = graph.in_strength()
    s_out = graph.out_strength()
    rows = []
    for p in graph.parties:
        ent = ledger.entities.get(p)
        fig = latest_financial(ledger, p, size_by, graph.as_of, graph.last_date)
        rows.append(
            {
                "party": p,
                "name": graph.name(p),
                "kind": ent.kind.value if ent else "other",
                "volume": s_in[p] + s_out[p],
                "received": s_in[p],
                "paid": s_out[p],
                "size_value": fig[0] if fig else float("nan"),
                "size_metric": size_by,
                "size_period": fig[1] if fig else None,
            }
        )
    return pd.DataFrame(rows, columns=list(PARTY_COLUMNS))


def own_money_table(prov: ProvenanceResult, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Own-money share per party: ``entity, name, network_receipts, returned, own_money_share, earmarked_share``."""
    names = names or {}
    rows = [
        {
            "entity": r.entity,
            "name": names.get(r.entity, r.name),
            "network_receipts": r.network_receipts,
            "returned": r.returned,
            "own_money_share": r.own_money_share,
            "earmarked_share": r.earmarked.own_money_share,
        }
        for r in prov.rows
    ]
    return pd.DataFrame(
        rows, columns=["entity", "name", "network_receipts", "returned", "own_money_share", "earmarked_share"]
    )


#: Columns of :func:`own_money_intervals_table`.
OWN_MONEY_INTERVAL_COLUMNS = (
    "entity",
    "name",
    "network_receipts",
    "returned",
    "unfunded",
    "own_money_share",
    "own_money_share_p5",
    "own_money_share_p95",
    "own_money_share_of_receipts",
    "own_money_share_of_receipts_p5",
    "own_money_share_of_receipts_p95",
)


def own_money_intervals_table(prov: ProvenanceResult, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Parties whose own money comes back, largest own-money share first, with the 90% intervals of both shares.

    Columns :data:`OWN_MONEY_INTERVAL_COLUMNS`: ``own_money_share`` is returned / funded receipts and
    ``own_money_share_of_receipts`` returned / all network receipts (:class:`junkan.flows.TraceResult`); the ``_p5`` and
    ``_p95`` columns are the 5th and 95th percentiles over the uncertainty draws of :func:`junkan.flows.provenance`
    (``uncertainty=N``; empty when it ran without draws). Parties that get none of their own money back are left
    out.
    """
    names = names or {}
    rows = []
    for r in prov.rows:
        if r.returned <= 0:
            continue
        iv = r.intervals or {}
        a = iv.get("own_money_share_interval")
        b = iv.get("own_money_share_of_receipts_interval")
        rows.append(
            {
                "entity": r.entity,
                "name": names.get(r.entity, r.name),
                "network_receipts": r.network_receipts,
                "returned": r.returned,
                "unfunded": r.unfunded,
                "own_money_share": r.own_money_share,
                "own_money_share_p5": a[0] if a else None,
                "own_money_share_p95": a[1] if a else None,
                "own_money_share_of_receipts": r.own_money_share_of_receipts,
                "own_money_share_of_receipts_p5": b[0] if b else None,
                "own_money_share_of_receipts_p95": b[1] if b else None,
            }
        )
    rows.sort(key=lambda x: (-float(x["own_money_share"] or 0.0), str(x["entity"])))  # type: ignore[arg-type]
    return pd.DataFrame(rows, columns=list(OWN_MONEY_INTERVAL_COLUMNS))


#: Columns of :func:`circularity_parties_table`.
CIRCULARITY_PARTY_COLUMNS = ("entity", "name", "received", "paid", "throughput", "circular", "circular_share")


def circularity_parties_table(
    circ: CircularityResult, names: dict[str, str] | None = None, top: int | None = 10
) -> pd.DataFrame:
    """The parties with circular flow through them, largest first (the first ``top``; ``None`` for all).

    Columns :data:`CIRCULARITY_PARTY_COLUMNS`: what each party receives and pays in the web, its throughput
    ``max(received, paid)``, the circular flow through it (what it receives, = sends, in the circular part of the
    decomposition of Homs-Dones et al. 2025, :func:`junkan.flows.circularity`) and that as a share of its throughput.
    """
    names = names or {}
    rows = [
        {
            "entity": p.party,
            "name": names.get(p.party, p.name),
            "received": p.received,
            "paid": p.paid,
            "throughput": p.throughput,
            "circular": p.circular,
            "circular_share": p.circular_share,
        }
        for p in circ.parties
        if p.circular > 0
    ]
    return pd.DataFrame(rows[:top] if top is not None else rows, columns=list(CIRCULARITY_PARTY_COLUMNS))


def origins_table(prov: ProvenanceResult) -> pd.DataFrame:
    """Each party's network receipts split by origin channel: ``entity, name, channel, amount``.

    ``channel`` is ``returned`` (the party's own money coming back), ``outside`` (money that entered the network
    from outside, e.g. end-customer revenue) or ``unfunded`` (promised beyond any money that can reach the payer).
    """
    rows: list[dict[str, object]] = []
    for r in prov.rows:
        by: dict[str, float] = {}
        for o in r.by_origin:
            by[o.channel] = by.get(o.channel, 0.0) + o.amount
        rows.extend({"entity": r.entity, "name": r.name, "channel": ch, "amount": a} for ch, a in sorted(by.items()))
    return pd.DataFrame(rows, columns=["entity", "name", "channel", "amount"])


@dataclass(frozen=True)
class StressTables:
    """The tables the stress figures take, built once from a :class:`~junkan.stress.ecosystem.StressResult`.

    ``frame``: one row per party (``StressResult.to_frame()`` plus ``name``); ``series``: per-quarter arrays
    ``(runs, quarters)`` for the quantile fans (parties in default, GPU price index, funding sentiment); ``losses``:
    per-party quantiles (p5 ... p95) and mean of total losses per run; ``channels``: per-party losses by channel;
    ``chains``: the most frequent domino chains as lists of steps of party names, with their share of runs.
    """

    frame: pd.DataFrame
    quarter_labels: list[str]
    series: dict[str, np.ndarray]
    losses: pd.DataFrame
    channels: pd.DataFrame
    chains: list[tuple[list[list[str]], float]]


def stress_tables(res: StressResult, names: dict[str, str] | None = None, *, top_chains: int = 8) -> StressTables:
    """Build :class:`StressTables` from a stress result (``names``: party id -> display name)."""
    names = names or {}
    if res.raw is None:  # the fans and loss distributions are drawn from every run's values
        from junkan.errors import JunkanInputError

        raise JunkanInputError.single(
            f"the stress figures need every run's values, which are not kept for {res.runs} runs; use fewer runs",
            field="runs",
        )
    frame = res.to_frame()
    frame["name"] = [names.get(p, p) for p in frame["party"]]
    dq = np.asarray(res.raw.default_quarter)
    qs = np.arange(res.quarters)
    in_default = ((dq[:, :, None] >= 0) & (dq[:, :, None] <= qs)).sum(axis=1)
    series = {
        "parties in default": in_default,
        "GPU price index (1 = start)": np.asarray(res.raw.gpu_index),
        "funding sentiment (1 = normal)": np.asarray(res.raw.sentiment),
    }
    total_loss = sum(np.asarray(v) for v in res.raw.losses.values())
    qv = np.quantile(total_loss, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    losses = pd.DataFrame(
        {
            "name": frame["name"],
            "p5": qv[0],
            "p25": qv[1],
            "p50": qv[2],
            "p75": qv[3],
            "p95": qv[4],
            "mean": np.asarray(total_loss).mean(axis=0),
        }
    )
    channels = pd.DataFrame(
        [
            {"name": names.get(p, p), "channel": ch, "loss": v}
            for ch, by in res.channel_losses().items()
            for p, v in by.items()
        ],
        columns=["name", "channel", "loss"],
    )
    chains = [
        ([[names.get(x, x) for x in step.split("+")] for step in chain.split(" > ")], k / res.runs)
        for chain, k in res.cascades[:top_chains]
    ]
    return StressTables(frame, list(res.quarter_labels), series, losses, channels, chains)
