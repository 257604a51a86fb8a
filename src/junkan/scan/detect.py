"""Run a scan: cycles plus the other patterns, with the chosen engine, into a :class:`ScanResult`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from junkan.csvsafe import safe_frame
from junkan.fileio import atomic_path
from junkan.scan.alerts import Alert, build_alerts
from junkan.scan.graph import build_search_graph
from junkan.scan.hits import PatternHit
from junkan.scan.params import ScanParams
from junkan.scan.patterns import find_patterns
from junkan.scan.reader import TxnLedger

ENGINES = ("numba", "reference", "spark")
COLUMNS = [
    "alert", "group", "pattern", "score", "length", "accounts", "transactions", "amounts", "timestamps", "start",
    "end", "duration_days", "returned_share", "labels", "booked_out", "booked_in",
]  # fmt: skip


@dataclass
class ScanResult:
    """Alerts of one scan with the settings and inputs that produced them."""

    alerts: list[Alert]
    params: ScanParams
    engine: str
    source: str
    n_transactions: int
    n_accounts: int
    truncated: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per alert (list columns for accounts, transactions, amounts, ...)."""
        return pd.DataFrame([{k: getattr(a, k) for k in COLUMNS} for a in self.alerts], columns=COLUMNS)

    def to_records(self) -> list[dict[str, Any]]:
        """Alerts as JSON-ready dicts (the ``--format json`` output)."""
        return [{k: getattr(a, k) for k in COLUMNS} for a in self.alerts]

    def summary(self) -> dict[str, Any]:
        """Counts per pattern, number of groups, settings."""
        counts: dict[str, int] = {}
        for a in self.alerts:
            counts[a.pattern] = counts.get(a.pattern, 0) + 1
        return {
            "source": self.source,
            "engine": self.engine,
            "transactions": self.n_transactions,
            "accounts": self.n_accounts,
            "alerts": len(self.alerts),
            "groups": len({a.group for a in self.alerts}),
            "by_pattern": counts,
            "window_days": self.params.window_days,
            "max_len": self.params.max_len,
            "tolerance": self.params.tolerance,
            "min_amount": self.params.min_amount,
            "truncated": self.truncated,
        }

    def write(self, path: str | Path, fmt: str | None = None) -> None:
        """Write the alerts atomically as ``json``, ``csv`` or ``parquet`` (guessed from the suffix)."""
        p = Path(path)
        fmt = fmt or {".json": "json", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(p.suffix.lower())
        if fmt not in ("json", "csv", "parquet"):
            raise ValueError(f"cannot tell the output format of {p}; use .json, .csv or .parquet")
        with atomic_path(p) as tmp:
            if fmt == "json":
                import json

                tmp.write_text(json.dumps(self.to_records(), indent=2, ensure_ascii=False), encoding="utf-8")
            elif fmt == "csv":
                df = self.to_frame()
                for c in ("accounts", "transactions", "amounts", "timestamps", "labels"):
                    df[c] = df[c].map(lambda xs: ";".join(str(x) for x in xs))
                safe_frame(df).to_csv(tmp, index=False)
            else:
                import pyarrow.parquet as pq

                table = pa.Table.from_pylist(self.to_records()) if self.alerts else _empty_table()
                pq.write_table(table, tmp)


def _empty_table() -> pa.Table:
    lst = pa.list_(pa.string())
    schema = pa.schema(
        [
            ("alert", pa.int64()), ("group", pa.int64()), ("pattern", pa.string()), ("score", pa.float64()),
            ("length", pa.int64()), ("accounts", lst), ("transactions", lst), ("amounts", pa.list_(pa.float64())),
            ("timestamps", lst), ("start", pa.string()), ("end", pa.string()), ("duration_days", pa.float64()),
            ("returned_share", pa.float64()), ("labels", lst), ("booked_out", pa.string()), ("booked_in", pa.string()),
        ]
    )  # fmt: skip
    return schema.empty_table()


def _reference(ledger: TxnLedger, params: ScanParams) -> list[PatternHit]:
    from junkan.scan.pattern_reference import reference_patterns

    return reference_patterns(ledger, params)


def scan(
    ledger: TxnLedger,
    params: ScanParams | None = None,
    *,
    engine: str = "numba",
    n_threads: int | None = None,
    spark_master: str | None = None,
) -> ScanResult:
    """Find round trips and the other patterns in ``ledger``.

    Parameters
    ----------
    ledger
        Transactions (:func:`~junkan.scan.reader.read_ledger`).
    params
        Settings; defaults: 90-day window, cycles up to 6 transactions, 10% tolerance per hop.
    engine
        ``"numba"`` (compiled, parallel), ``"reference"`` (pure Python, small ledgers only) or ``"spark"``.
    n_threads
        Threads for the numba engine.
    spark_master
        Spark master URL for ``engine="spark"`` (default: an active session, else ``local[*]``).
    """
    params = params or ScanParams()
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    timings: dict[str, float] = {}
    truncated = False
    t0 = time.perf_counter()
    if engine == "spark":
        from junkan.scan.spark import spark_detect

        cycles, hits, truncated = spark_detect(ledger, params, master=spark_master)
        timings["detect"] = time.perf_counter() - t0
    else:
        cycles = np.full((0, params.max_len), -1, dtype=np.int64)
        if "cycle" in params.patterns:
            if engine == "numba":
                from junkan.scan.kernel import find_cycles

                cycles, truncated = find_cycles(build_search_graph(ledger, params), params, n_threads=n_threads)
            else:
                from junkan.scan.reference import reference_cycles

                cycles = reference_cycles(ledger, params)
                if len(cycles) > params.max_cycles:
                    cycles, truncated = cycles[: params.max_cycles], True
        timings["cycles"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        hits = find_patterns(ledger, params, n_threads=n_threads) if engine == "numba" else _reference(ledger, params)
        timings["patterns"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    alerts = build_alerts(ledger, cycles, hits, params)
    timings["alerts"] = time.perf_counter() - t2
    return ScanResult(
        alerts=alerts,
        params=params,
        engine=engine,
        source=ledger.source,
        n_transactions=len(ledger),
        n_accounts=ledger.n_accounts,
        truncated=truncated,
        timings=timings,
    )
