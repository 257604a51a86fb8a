"""The Spark engine (local mode) returns the same alerts as the local engine."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pyarrow as pa
import pytest

from junkan.scan import PATTERNS, ScanParams, ledger_from_records, ledger_from_table, parse_duration, scan, synth_ledger

from .conftest import make


def _spark_unavailable() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'junkan[spark]')"
    java = shutil.which("java")
    if java is None:
        return "Java is not installed (Spark needs Java 17)"
    try:
        subprocess.run([java, "-version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"java does not run: {exc}"
    return None


REASON = _spark_unavailable()
if REASON:
    print(f"skipping Spark tests: {REASON}")
pytestmark = [pytest.mark.spark, pytest.mark.skipif(REASON is not None, reason=REASON or "")]


@pytest.fixture(scope="module")
def spark():
    from junkan.scan.spark import get_spark

    session = get_spark("local[2]")
    yield session
    session.stop()


def same(ledger, params, spark):
    local = scan(ledger, params, engine="numba")
    remote = scan(ledger, params, engine="spark")
    assert remote.to_records() == local.to_records()
    return local


def test_hand_made(spark):
    led = make(
        [("t1", 1, "Orts", "Agency", 100.0), ("t2", 2, "Agency", "Partner", 95.0), ("t3", 3, "Partner", "Orts", 92.0),
         ("t4", 2.5, "Agency", "Orts", 99.0), ("t5", 3, "Orts", "Agency", 300.0)]
    )  # fmt: skip
    res = same(led, ScanParams(window_ns=parse_duration("30d")), spark)
    assert sorted(a.transactions for a in res.alerts) == [["t1", "t2", "t3"], ["t1", "t4"]]


def test_random_ledger_all_patterns(spark):
    rng = np.random.default_rng(3)
    n = 600
    cols = {
        "id": [f"t{i}" for i in range(n)],
        "timestamp": (1_700_000_000 + rng.integers(0, 60 * 24, n) * 3600).tolist(),
        "src": [f"a{x}" for x in rng.integers(0, 30, n)],
        "dst": [f"a{x}" for x in rng.integers(0, 30, n)],
        "amount": np.round(rng.uniform(80, 120, n), 2).tolist(),
    }
    led = ledger_from_records(cols)
    res = same(led, ScanParams(window_ns=parse_duration("10d"), max_len=4, patterns=PATTERNS), spark)
    assert {a.pattern for a in res.alerts} >= {"cycle", "scatter-gather"}
    # 30 accounts trading all the time: every hub does much else, so the default "little else" checks (min_share,
    # min_share_sg) drop the fans, and every amount is ordinary for its account (min_baseline); without these checks
    # every pattern is there, and both engines still agree
    p = ScanParams(window_ns=parse_duration("10d"), max_len=4, patterns=PATTERNS, min_share=0, min_share_sg=0,
                   min_baseline=0)  # fmt: skip
    res = same(led, p, spark)
    assert {a.pattern for a in res.alerts} == set(PATTERNS)


def test_synthetic_ledger(spark):
    s = synth_ledger(3000, seed=11)
    led = ledger_from_table(pa.Table.from_pandas(s.transactions, preserve_index=False))
    res = same(led, ScanParams(), spark)
    assert len(res.alerts) >= 50


def test_data_crosses_into_spark_as_arrow_only(spark, monkeypatch):
    """No pandas conversion on the way in or out (PySpark 4 does not fully support the pandas 3 junkan installs):
    the same alerts with ``toPandas`` and pandas input to ``createDataFrame`` refused."""
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

    def no_to_pandas(self, *args, **kwargs):
        raise AssertionError("the Spark engine converted a DataFrame through pandas")

    create = SparkSession.createDataFrame

    def arrow_only(self, data, *args, **kwargs):
        assert not isinstance(data, pd.DataFrame), "the Spark engine sent a pandas frame"
        return create(self, data, *args, **kwargs)

    monkeypatch.setattr(DataFrame, "toPandas", no_to_pandas)
    monkeypatch.setattr(SparkSession, "createDataFrame", arrow_only)
    led = make([("t1", 1, "a", "b", 100.0), ("t2", 2, "b", "c", 97.0), ("t3", 3, "c", "a", 95.0)])
    res = same(led, ScanParams(window_ns=parse_duration("30d"), patterns=PATTERNS, min_fan=2), spark)
    assert [a.transactions for a in res.alerts if a.pattern == "cycle"] == [["t1", "t2", "t3"]]
