"""A seeded generator of realistic transaction ledgers with planted round trips and AML typologies.

Background activity: a stylised supply chain. Each account has a tier; most payments go upstream (customers pay
suppliers), a few (``reverse_share``: wages, refunds, dividends) downstream, so money does circulate, slowly, as in
an economy. Activity is heavy-tailed (Pareto weights for paying and for being paid, so a few hubs carry much of the
traffic, as in payment networks); payments fall on weekdays in business hours (a few on weekends);
amounts are log-normal with a share of round figures; each payment carries a memo (``kind``) and how payer and payee
book it (``src_kind`` expense, ``dst_kind`` revenue for ordinary trade).

Planted patterns, each recorded in the ground truth (one row per planted transaction):

- ``orts``: the Orts "SP scheme" (Orts Holding, Stockholm; Ekobrottsmyndigheten 2024): the company pays an agency an
  advertising fee (booked as expense), the agency passes it (less a fee) to a partner (optionally via a second agency),
  the partner buys a licence from the company (booked as revenue): a 3- or 4-cycle;
- ``carousel``: a GST / VAT carousel (IIT Hyderabad with Telangana Commercial Taxes, 2017; Mehta et al., IEEE BigData
  2022): 3 to ``max_cycle_len`` traders invoice the same goods around a loop with little or no value added;
- ``vendor_financing``: a vendor invests in (or lends to) a customer, directly or through a fund, and the customer
  buys the vendor's products with the money (booked as revenue by the vendor): a 2- or 3-cycle;
- ``cycle``, ``scatter_gather``, ``gather_scatter``, ``fan_out``, ``fan_in``: the AMLSim typologies (Altman et al.,
  NeurIPS 2023 Datasets and Benchmarks, arXiv 2306.16424).

Each hop's amount is the previous one times ``1 - fee`` with the fee drawn from ``[0, hop_noise]`` (a carousel adds a
mark-up of up to ``hop_noise`` instead), so every planted pattern satisfies ``tolerance >= hop_noise``; all planted
patterns complete within ``window_days``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from junkan.csvsafe import safe_frame
from junkan.fileio import atomic_path
from junkan.random import SeedLike, make_rng

TYPOLOGIES = (
    "orts", "carousel", "vendor_financing", "cycle", "scatter_gather", "gather_scatter", "fan_out", "fan_in",
)  # fmt: skip
ROUND_TRIP_TYPOLOGIES = ("orts", "carousel", "vendor_financing", "cycle", "scatter_gather", "gather_scatter")
#: The detector each typology is expected to trigger.
EXPECTED_PATTERN = {
    "orts": "cycle",
    "carousel": "cycle",
    "vendor_financing": "cycle",
    "cycle": "cycle",
    "scatter_gather": "scatter-gather",
    "gather_scatter": "gather-scatter",
    "fan_out": "fan-out",
    "fan_in": "fan-in",
}
_MEMOS = ("invoice", "services", "supplies", "rent", "consulting", "logistics", "maintenance", "software")
_NS_DAY = 86_400 * 10**9


@dataclass(frozen=True)
class SynthLedger:
    """A generated ledger and its ground truth.

    ``transactions`` has the columns ``id, timestamp, src, dst, amount, currency, kind, src_kind, dst_kind``
    (timestamps as ``datetime64[ns]``, UTC); ``truth`` has ``pattern_id, typology, expected_pattern, position,
    transaction``; ``seed`` is the normalised seed.
    """

    transactions: pd.DataFrame
    truth: pd.DataFrame
    seed: int

    def write(self, path: str | Path) -> tuple[Path, Path]:
        """Write the ledger (``.csv`` or ``.parquet``) and the truth beside it (``<stem>.truth.csv``), atomically."""
        p = Path(path)
        truth_path = p.with_name(p.name.split(".")[0] + ".truth.csv")
        with atomic_path(p) as tmp:
            if p.suffix.lower() in (".parquet", ".pq"):
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pandas(self.transactions, preserve_index=False), tmp)
            elif p.suffix.lower() == ".csv":
                df = self.transactions.copy()
                df["timestamp"] = df["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
                safe_frame(df).to_csv(tmp, index=False, float_format="%.2f")
            else:
                raise ValueError(f"use a .csv or .parquet file name, not {p.name}")
        with atomic_path(truth_path) as tmp:
            safe_frame(self.truth).to_csv(tmp, index=False)
        return p, truth_path


def _business_times(rng: np.random.Generator, n: int, start_ns: int, days: int) -> np.ndarray:
    day = rng.integers(0, days, n)
    weekday = (day + pd.Timestamp(start_ns).day_of_week) % 7
    weekend = weekday >= 5
    move = weekend & (rng.random(n) < 0.85)  # most weekend draws move to the next Monday
    day = np.where(move, day + (7 - weekday), day)
    day = np.minimum(day, days - 1)
    hour = np.clip(rng.normal(12.5, 2.6, n), 7.0, 19.5)
    secs = (hour * 3600).astype(np.int64) + rng.integers(0, 60, n)
    return start_ns + day.astype(np.int64) * _NS_DAY + secs * 10**9


def synth_ledger(
    n_transactions: int = 100_000,
    *,
    n_accounts: int | None = None,
    seed: SeedLike = 0,
    days: int = 365,
    start: str = "2024-01-01",
    plants: dict[str, int] | None = None,
    window_days: float = 90.0,
    max_cycle_len: int = 6,
    hop_noise: float = 0.05,
    fan_size: tuple[int, int] = (3, 8),
    reverse_share: float = 0.03,
    background: str = "supply_chain",
) -> SynthLedger:
    """Generate a ledger with planted patterns.

    Parameters
    ----------
    n_transactions
        Background transactions (planted ones come on top).
    n_accounts
        Accounts (default ``n_transactions // 5``, at least 50).
    seed
        Seed (see :mod:`junkan.random`).
    days, start
        Span and first day of the ledger.
    plants
        Patterns to plant per typology (default: 10 of each round-trip typology, none of the fans).
    window_days
        Every planted pattern completes within this many days.
    max_cycle_len
        Longest planted carousel / AMLSim cycle.
    hop_noise
        Largest relative fee (or mark-up) per hop; detection needs ``tolerance >= hop_noise``.
    fan_size
        Range (inclusive) of the number of intermediaries or counterparties in fan and scatter/gather patterns.
    reverse_share
        Share of background payments that go down the supply chain (wages, refunds, dividends) instead of up it.
    background
        ``"supply_chain"`` (the default above) or ``"uniform"``: payer and payee drawn uniformly among the accounts
        (never the same), times uniform over the span at any hour, the same amounts and labels (the peers' setting in
        the benchmarks; it has no busy hubs).
    """
    s, rng = make_rng(seed)
    if n_transactions < 0:
        raise ValueError("n_transactions must be >= 0")
    n_acc = max(50, n_transactions // 5) if n_accounts is None else int(n_accounts)
    if n_acc < 10:
        raise ValueError("need at least 10 accounts")
    if not 0 <= hop_noise < 1:
        raise ValueError("hop_noise must be in [0, 1)")
    if max_cycle_len < 3:
        raise ValueError("max_cycle_len must be at least 3")
    plants = dict.fromkeys(ROUND_TRIP_TYPOLOGIES, 10) if plants is None else dict(plants)
    unknown = set(plants) - set(TYPOLOGIES)
    if unknown:
        raise ValueError(f"unknown typologies {sorted(unknown)}; choose from {', '.join(TYPOLOGIES)}")
    start_ns = int(pd.Timestamp(start).value)
    window_ns = int(window_days * _NS_DAY)

    # background: a supply chain. Accounts have a tier (a rank in [0, 1)); most payments go upstream, to a payee of
    # higher rank chosen by heavy-tailed popularity, a few ("reverse_share": wages, refunds, dividends) downstream.
    if background not in ("supply_chain", "uniform"):
        raise ValueError(f"background must be 'supply_chain' or 'uniform', not {background!r}")
    n = n_transactions
    if background == "uniform":
        src = rng.integers(0, n_acc, n)
        dst = (src + rng.integers(1, n_acc, n)) % n_acc
        amount = np.round(rng.lognormal(np.log(1500.0), 1.4, n), 2)
        round_fig = rng.random(n) < 0.2
        amount[round_fig] = np.maximum(100.0, np.round(amount[round_fig], -2))
        t = start_ns + rng.integers(0, days * _NS_DAY // 10**9, n).astype(np.int64) * 10**9
    else:
        w_out = rng.pareto(1.3, n_acc) + 1.0
        w_in = (rng.pareto(1.3, n_acc) + 1.0) * np.exp(rng.normal(0, 0.5, n_acc))
        src = rng.choice(n_acc, size=n, p=w_out / w_out.sum())
        rank = rng.permutation(n_acc)  # account i sits at position rank[i] of the chain
        by_rank = np.argsort(rank)
        cum = np.concatenate([[0.0], np.cumsum(w_in[by_rank])])
        pos = rank[src]
        up = (rng.random(n) >= reverse_share) & (pos < n_acc - 1)
        up |= pos == 0
        lo = np.where(up, cum[pos + 1], 0.0)
        hi = np.where(up, cum[-1], cum[pos])
        u = lo + rng.random(n) * (hi - lo)
        k = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, n_acc - 1)
        k = np.where(up, np.maximum(k, pos + 1), np.minimum(k, pos - 1))
        dst = by_rank[np.clip(k, 0, n_acc - 1)]
        amount = np.round(rng.lognormal(np.log(1500.0), 1.4, n), 2)
        round_fig = rng.random(n) < 0.2
        amount[round_fig] = np.maximum(100.0, np.round(amount[round_fig], -2))
        t = _business_times(rng, n, start_ns, days)
    kind = rng.choice(np.array(_MEMOS, dtype=object), size=n)
    src_kind = np.full(n, "expense", dtype=object)
    dst_kind = np.full(n, "revenue", dtype=object)

    rows_src: list[np.ndarray] = [src]
    rows_dst: list[np.ndarray] = [dst]
    rows_amt: list[np.ndarray] = [amount]
    rows_t: list[np.ndarray] = [t]
    rows_kind: list[np.ndarray] = [kind]
    rows_sk: list[np.ndarray] = [src_kind]
    rows_dk: list[np.ndarray] = [dst_kind]
    truth: list[tuple[int, str, int, int]] = []  # pattern, typology, position, index in concatenated rows
    offset = n
    pid = 0

    def pick(k: int) -> np.ndarray:
        return rng.choice(n_acc, size=k, replace=False)

    def times(k: int, budget: int) -> np.ndarray:
        """``k`` rising business-hour times spanning less than ``budget`` ns."""
        t0 = int(_business_times(rng, 1, start_ns, max(1, days - int(window_days)))[0])
        day0 = t0 - t0 % _NS_DAY
        span_days = max(0.0, rng.uniform(0.05, 0.9) * budget / _NS_DAY - 1.0)
        day = np.floor(np.sort(rng.uniform(0.0, span_days, k))).astype(np.int64)
        secs = (np.clip(rng.normal(12.5, 2.0, k), 8.0, 18.0) * 3600).astype(np.int64)
        out = np.sort(day0 + day * _NS_DAY + secs * 10**9)
        for i in range(1, k):  # strictly rising
            out[i] = max(out[i], out[i - 1] + 60 * 10**9)
        return out.astype(np.int64)

    def add(typ: str, s_: list[int], d_: list[int], a_: list[float], t_: np.ndarray, k_: list[str],
            sk: list[str], dk: list[str]) -> None:  # fmt: skip
        nonlocal offset, pid
        pid += 1
        m = len(s_)
        rows_src.append(np.asarray(s_))
        rows_dst.append(np.asarray(d_))
        rows_amt.append(np.round(np.asarray(a_, dtype=float), 2))
        rows_t.append(np.asarray(t_, dtype=np.int64))
        rows_kind.append(np.asarray(k_, dtype=object))
        rows_sk.append(np.asarray(sk, dtype=object))
        rows_dk.append(np.asarray(dk, dtype=object))
        truth.extend((pid, typ, i + 1, offset + i) for i in range(m))
        offset += m

    def chain_amounts(k: int, markup: bool = False) -> list[float]:
        a = [float(np.round(rng.lognormal(np.log(80_000.0), 1.0), -2))]
        for _ in range(k - 1):
            f = rng.uniform(0, hop_noise)
            a.append(a[-1] * (1 + f) if markup else a[-1] * (1 - f))
        # rounding to cents may not push a hop past the tolerance
        return [float(np.floor(x * 100) / 100) if not markup else float(np.ceil(x * 100) / 100) for x in a]

    def cycle_of(typ: str, accts: np.ndarray, kinds: list[str], sk: list[str], dk: list[str], markup: bool) -> None:
        k = len(accts)
        add(typ, list(accts), [*accts[1:], accts[0]], chain_amounts(k, markup), times(k, window_ns), kinds, sk, dk)

    for typ, count in plants.items():
        for _ in range(int(count)):
            if typ == "orts":
                k = int(rng.integers(3, 5))
                accts = pick(k)
                kinds = ["advertising fee", *(["media purchase"] * (k - 2)), "licence purchase"]
                sk = ["expense"] + ["expense"] * (k - 1)
                dk = ["revenue"] * (k - 1) + ["revenue"]
                cycle_of(typ, accts, kinds, sk, dk, markup=False)
            elif typ == "carousel":
                k = int(rng.integers(3, max_cycle_len + 1))
                cycle_of(typ, pick(k), ["sale of goods"] * k, ["purchase"] * k, ["revenue"] * k, markup=True)
            elif typ == "vendor_financing":
                k = int(rng.integers(2, 4))
                kinds = ["equity investment", *(["loan"] * (k - 2)), "hardware purchase"]
                sk = ["investment", *(["loan"] * (k - 2)), "capex"]
                dk = ["equity", *(["debt"] * (k - 2)), "revenue"]
                cycle_of(typ, pick(k), kinds, sk, dk, markup=False)
            elif typ == "cycle":
                k = int(rng.integers(3, max_cycle_len + 1))
                cycle_of(typ, pick(k), ["transfer"] * k, ["transfer"] * k, ["transfer"] * k, markup=False)
            elif typ in ("scatter_gather", "gather_scatter", "fan_out", "fan_in"):
                j = int(rng.integers(fan_size[0], fan_size[1] + 1))
                tt = np.sort(times(2 * j, window_ns)) if typ in ("scatter_gather", "gather_scatter") else None
                base = float(np.round(rng.lognormal(np.log(20_000.0), 0.8), -2))
                if typ == "scatter_gather":
                    o, b = pick(2)
                    mids = pick(j + 2)
                    mids = mids[(mids != o) & (mids != b)][:j]
                    j = len(mids)
                    out_a = [base * rng.uniform(0.98, 1.02) for _ in range(j)]
                    back_a = [a * (1 - rng.uniform(0, hop_noise)) for a in out_a]
                    assert tt is not None
                    s_ = [int(o)] * j + list(mids)
                    d_ = list(mids) + [int(b)] * j
                    add(typ, s_, d_, out_a + back_a, tt[: 2 * j], ["transfer"] * (2 * j), ["transfer"] * (2 * j),
                        ["transfer"] * (2 * j))  # fmt: skip
                elif typ == "gather_scatter":
                    accts = pick(2 * j + 1)
                    h, senders, receivers = accts[0], accts[1 : j + 1], accts[j + 1 :]
                    in_a = [base * rng.uniform(0.8, 1.2) for _ in range(j)]
                    total = sum(in_a) * (1 - rng.uniform(0, hop_noise))
                    share = rng.dirichlet(np.full(j, 5.0))
                    out_a = list(total * share)
                    assert tt is not None
                    add(typ, [*senders, *([h] * j)], [*([h] * j), *receivers], in_a + out_a, tt[: 2 * j],
                        ["transfer"] * (2 * j), ["transfer"] * (2 * j), ["transfer"] * (2 * j))  # fmt: skip
                else:
                    accts = pick(j + 1)
                    h, others = accts[0], accts[1:]
                    a_ = [base * (1 - rng.uniform(0, hop_noise)) for _ in range(j)]
                    t_ = np.sort(times(j, window_ns))
                    if typ == "fan_out":
                        add(typ, [h] * j, list(others), a_, t_, ["transfer"] * j, ["transfer"] * j, ["transfer"] * j)
                    else:
                        add(typ, list(others), [h] * j, a_, t_, ["transfer"] * j, ["transfer"] * j, ["transfer"] * j)

    all_src = np.concatenate(rows_src).astype(np.int64)
    all_dst = np.concatenate(rows_dst).astype(np.int64)
    all_t = np.concatenate(rows_t).astype(np.int64)
    order = np.lexsort((np.arange(len(all_t)), all_t))  # ledger in time order
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    width = len(str(len(order)))
    ids = np.char.add("T", np.char.zfill(np.arange(1, len(order) + 1).astype(str), width))
    names = np.char.add("ACC", np.char.zfill(np.arange(n_acc).astype(str), len(str(n_acc))))
    df = pd.DataFrame(
        {
            "id": ids,
            "timestamp": pd.to_datetime(all_t[order], unit="ns"),
            "src": names[all_src[order]],
            "dst": names[all_dst[order]],
            "amount": np.concatenate(rows_amt)[order],
            "currency": "EUR",
            "kind": np.concatenate(rows_kind)[order],
            "src_kind": np.concatenate(rows_sk)[order],
            "dst_kind": np.concatenate(rows_dk)[order],
        }
    )
    tr = pd.DataFrame(truth, columns=["pattern_id", "typology", "position", "index"])
    tr["expected_pattern"] = tr["typology"].map(EXPECTED_PATTERN)
    tr["transaction"] = ids[inv[tr["index"].to_numpy()]] if len(tr) else pd.Series(dtype=str)
    tr = tr[["pattern_id", "typology", "expected_pattern", "position", "transaction"]]
    return SynthLedger(transactions=df, truth=tr, seed=s)
