"""The Spark engine: the same cycles and patterns as the local engines, computed with Spark SQL / DataFrames.

Cycles are grown one hop at a time with joins (a path frontier ``(origin, here, t_first, t_last, amount_last, currency,
accounts, rows)`` joined with the transactions leaving ``here`` later, by ``t_first + window``, within the tolerance
and currency), closing when a payment returns to the origin, for 2 to ``max_len`` hops: the join form of the
bounded time-ordered search (fixed-length motif queries compiled to joins, as GraphFrames' ``find`` does). The other
patterns' candidate payments are selected on the cluster with the SQL of :mod:`junkan.scan.patterns` (pairs with
enough intermediaries, accounts with enough counterparties: the bulk of a ledger drops out there); the driver then runs
the same compiled kernels as the local engine on those rows, so the alerts equal the local engine's (tested).

PySpark is an optional extra (``pip install 'junkan[spark]'``, Java 17). By default a local session
(``local[*]``) is started; pass a master URL (``spark://host:7077``, ``yarn``, ``k8s://...``) or run under
``spark-submit``, whose active session is used.

Data goes to and from Spark as Arrow tables only (``createDataFrame`` of a ``pyarrow.Table``, ``DataFrame.toArrow``),
never through Spark's pandas conversion, so the engine does not depend on the pandas version: PySpark 4 warns that
it does not yet fully support pandas >= 3 (which junkan's install picks), a warning about that conversion, which is
not used here; it is silenced when the session starts, and the tests compare Spark and local alerts on pandas 3.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from junkan.scan.graph import eligible_table
from junkan.scan.hits import PatternHit
from junkan.scan.params import ScanParams
from junkan.scan.patterns import find_patterns, hub_rows_sql, scatter_gather_sql
from junkan.scan.reader import TxnLedger


def get_spark(master: str | None = None) -> Any:
    """The active Spark session, or a new one on ``master`` (default ``local[*]``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("the Spark engine needs pyspark") from exc
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    with warnings.catch_warnings():  # see the module docstring: pandas never crosses into Spark here
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        return (
            SparkSession.builder.master(master or "local[*]")
            .appName("junkan-scan")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )


def spark_cycles(spark: Any, tx: Any, params: ScanParams) -> np.ndarray:
    """Time-ordered cycles with Spark joins, as ledger rows padded with -1 (sorted like the local engines)."""
    from pyspark.sql import functions as F

    from junkan.scan.reference import cycles_to_matrix

    w = int(params.window_ns)
    e = tx.select(
        F.col("src").alias("e_src"),
        F.col("dst").alias("e_dst"),
        F.col("t").alias("e_t"),
        F.col("amount").alias("e_amount"),
        F.col("cur").alias("e_cur"),
        F.col("row").alias("e_row"),
    )
    paths = tx.select(
        F.col("src").alias("o"),
        F.col("dst").alias("here"),
        F.col("t").alias("t0"),
        F.col("t").alias("tl"),
        F.col("amount").alias("al"),
        F.col("cur").alias("c"),
        F.array("src", "dst").alias("nodes"),
        F.array("row").alias("rows"),
    )
    found: list[tuple[int, ...]] = []
    for hop in range(2, params.max_len + 1):
        cond = (
            (F.col("here") == F.col("e_src"))
            & (F.col("e_t") > F.col("tl"))
            & (F.col("e_t") <= F.col("t0") + F.lit(w))
            & (F.col("e_cur") == F.col("c"))
        )
        if params.tolerance is not None:
            cond = cond & (F.abs(F.col("e_amount") - F.col("al")) <= F.lit(float(params.tolerance)) * F.col("al"))
        joined = paths.join(e, cond).cache()
        closed = joined.where(F.col("e_dst") == F.col("o")).select(F.concat("rows", F.array("e_row")).alias("rows"))
        found.extend(tuple(int(x) for x in r["rows"]) for r in closed.collect())
        if hop == params.max_len:
            joined.unpersist()
            break
        nxt = joined.where((F.col("e_dst") != F.col("o")) & ~F.array_contains("nodes", F.col("e_dst"))).select(
            "o",
            F.col("e_dst").alias("here"),
            "t0",
            F.col("e_t").alias("tl"),
            F.col("e_amount").alias("al"),
            "c",
            F.concat("nodes", F.array("e_dst")).alias("nodes"),
            F.concat("rows", F.array("e_row")).alias("rows"),
        )
        paths = nxt.localCheckpoint()
        joined.unpersist()
        if paths.isEmpty():
            break
    return cycles_to_matrix(found, params.max_len)


def _rows(df: Any) -> np.ndarray:
    """The ``row`` column of a Spark DataFrame, through Arrow (Spark >= 4, as the extra requires)."""
    return np.asarray(df.toArrow().column("row").to_numpy(), dtype=np.int64)


def spark_detect(
    ledger: TxnLedger, params: ScanParams, *, master: str | None = None
) -> tuple[np.ndarray, list[PatternHit], bool]:
    """Cycles and pattern hits of ``ledger`` computed on Spark; returns ``(cycles, hits, truncated)``."""
    spark = get_spark(master)
    table = eligible_table(ledger, params)
    tx = spark.createDataFrame(table)  # Spark >= 4 takes an Arrow table directly
    tx.createOrReplaceTempView("tx")
    cycles = np.full((0, params.max_len), -1, dtype=np.int64)
    truncated = False
    if "cycle" in params.patterns:
        cycles = spark_cycles(spark, tx, params)
        if len(cycles) > params.max_cycles:
            cycles, truncated = cycles[: params.max_cycles], True
    want = set(params.patterns)
    parts = [np.zeros(0, dtype=np.int64)]
    if "scatter-gather" in want:
        parts.append(_rows(spark.sql(scatter_gather_sql(params))))
    if want & {"gather-scatter", "fan-out", "fan-in"}:
        parts.append(_rows(spark.sql(hub_rows_sql(params))))
    hits = find_patterns(ledger, params, np.unique(np.concatenate(parts))) if len(parts) > 1 else []
    return cycles, hits, truncated
