"""The Spark engine (local[2]) gives the same Sobol indices as the local engine, to the bit."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

import junkan
from junkan.stress.sensitivity import sensitivity

REASON = None
try:
    import pyspark  # noqa: F401
except ImportError:
    REASON = "pyspark is not installed (pip install 'junkan[spark]')"
if REASON is None and shutil.which("java") is None:
    REASON = "Java is not installed (Spark needs Java 17)"
pytestmark = [pytest.mark.spark, pytest.mark.skipif(REASON is not None, reason=REASON or "")]


@pytest.fixture(scope="module")
def spark():
    from junkan.scan.spark import get_spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = get_spark("local[2]")
    yield session
    session.stop()


def test_local_and_spark_agree(spark):
    ledger = junkan.load("ai-compute")
    kw = dict(samples=8, runs=20, seed=11, inputs=["regime_stay.open", "growth_mean.openai", "take_or_pay"])
    local = sensitivity(ledger, engine="local", workers=1, **kw)
    remote = sensitivity(ledger, engine="spark", master="local[2]", **kw)
    assert local.evaluations == remote.evaluations == 8 * 5
    assert len(local.sensitivity) == len(remote.sensitivity) > 0
    for a, b in zip(local.sensitivity, remote.sensitivity, strict=True):
        assert (a["input"], a["output"]) == (b["input"], b["output"])
        for k in ("first_order", "total_order", "first_order_conf", "total_order_conf"):
            assert b[k] == pytest.approx(a[k], abs=1e-12, nan_ok=True)
