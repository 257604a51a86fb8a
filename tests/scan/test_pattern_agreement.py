"""The compiled pattern kernels return exactly the reference's hits, and the Spark candidate SQL loses none of them."""

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junkan.scan import ScanParams, ledger_from_records
from junkan.scan.graph import eligible_table
from junkan.scan.pattern_reference import reference_patterns
from junkan.scan.patterns import find_patterns, hub_rows_sql, scatter_gather_sql

ALL = ("scatter-gather", "gather-scatter", "fan-out", "fan-in")


def random_ledger(seed: int, n: int, n_acc: int, currencies: int = 1, bursts: int = 6):
    """Random payments (coarse hours, so equal times occur) plus random bursts shaped like each pattern."""
    rng = np.random.default_rng(seed)
    rows = []  # (hour, src, dst, amount)
    for _ in range(n):
        rows.append((int(rng.integers(0, 60 * 24)), int(rng.integers(0, n_acc)), int(rng.integers(0, n_acc)),
                     float(rng.uniform(50, 150))))  # fmt: skip
    for _ in range(bursts if n_acc >= 4 else 0):
        h0 = int(rng.integers(0, 50 * 24))
        j = int(rng.integers(2, 6))
        hub = int(rng.integers(0, n_acc))
        a = rng.uniform(80, 120, j)
        if rng.random() < 0.5:  # gather-scatter / fan-in then fan-out around the hub, ordinary or large amounts
            a = a * rng.choice([1.0, 4.0])
            hours = np.sort(rng.integers(h0, h0 + 24 * 8, 2 * j))
            outs = a.sum() * rng.uniform(0.85, 1.0) * rng.dirichlet(np.full(j, 4.0))
            for i in range(j):
                rows.append((int(hours[i]), int(rng.integers(0, n_acc)), hub, float(a[i])))
                rows.append((int(hours[j + i]), hub, int(rng.integers(0, n_acc)), float(outs[i])))
        else:  # scatter-gather from the hub to one payee
            b = int(rng.integers(0, n_acc))
            for i in range(j):
                m = int(rng.integers(0, n_acc))
                h1 = int(rng.integers(h0, h0 + 24 * 4))
                rows.append((h1, hub, m, float(a[i])))
                rows.append((h1 + int(rng.integers(0, 24 * 4)), m, b, float(a[i] * rng.uniform(0.9, 1.0))))
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    cols = {
        "id": [f"t{i}" for i in range(len(rows))],
        "timestamp": [1_700_000_000 + r[0] * 3600 for r in rows],
        "src": [f"a{r[1]}" for r in rows],
        "dst": [f"a{r[2]}" for r in rows],
        "amount": [round(r[3], 2) for r in rows],
        "currency": [["EUR", "USD"][x] for x in rng.integers(0, currencies, len(rows))],
    }
    return ledger_from_records(cols)


def key(hits):
    return sorted((h.pattern, h.rows, h.accounts, h.returned_share) for h in hits)


def candidate_rows(led, p):
    con = duckdb.connect()
    con.register("tx", eligible_table(led, p))
    rows = np.concatenate(
        [con.sql(scatter_gather_sql(p)).df()["row"].to_numpy(), con.sql(hub_rows_sql(p)).df()["row"].to_numpy()]
    )
    con.close()
    return np.unique(rows.astype(np.int64))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 250),
    n_acc=st.integers(2, 20),
    window_h=st.integers(1, 24 * 40),
    tol=st.sampled_from([None, 0.0, 0.05, 0.2, 0.5]),
    min_fan=st.integers(2, 4),
    min_share=st.sampled_from([0.0, 0.3, 0.5, 0.9]),
    min_share_sg=st.sampled_from([0.0, 0.1, 0.5]),
    materiality=st.sampled_from([0.0, 0.3, 0.9]),
    min_baseline=st.sampled_from([0.0, 0.5, 0.75]),
    min_amount=st.sampled_from([0.0, 95.0]),
    currencies=st.integers(1, 2),
)
def test_kernels_match_reference(
    seed, n, n_acc, window_h, tol, min_fan, min_share, min_share_sg, materiality, min_baseline, min_amount, currencies
):
    led = random_ledger(seed, n, n_acc, currencies)
    p = ScanParams(window_ns=window_h * 3600 * 10**9, tolerance=tol, min_fan=min_fan, min_share=min_share,
                   min_share_sg=min_share_sg, materiality=materiality, min_baseline=min_baseline,
                   min_amount=min_amount, patterns=ALL)  # fmt: skip
    ref = key(reference_patterns(led, p))
    assert key(find_patterns(led, p)) == ref
    assert key(find_patterns(led, p, n_threads=1)) == ref
    # the Spark engine's candidate rows (same SQL, run here on DuckDB) keep every instance
    assert key(find_patterns(led, p, candidate_rows(led, p))) == ref


@pytest.mark.parametrize(("seed", "tol", "share"), [(1, 0.2, 0.0), (2, 0.5, 0.3), (3, None, 0.0)])
def test_random_ledgers_have_every_pattern(seed, tol, share):
    """The agreement above is not vacuous: these ledgers hold instances of every pattern."""
    led = random_ledger(seed, 150, 40, bursts=20)
    p = ScanParams(window_ns=10 * 86_400 * 10**9, tolerance=tol, min_share=share, patterns=ALL)
    hits = find_patterns(led, p)
    assert {h.pattern for h in hits} == set(ALL)
    assert key(hits) == key(reference_patterns(led, p))


def test_gather_scatter_options_decide_something():
    """``materiality`` and ``min_baseline`` each change the gather-scatter hits of some of these ledgers, and the
    kernels agree with the reference with either switched off."""
    changed = {"min_baseline": 0, "materiality": 0}
    for seed, tol, share in [(1, 0.2, 0.0), (2, 0.5, 0.3), (3, None, 0.0)]:
        led = random_ledger(seed, 150, 40, bursts=20)
        base = {"window_ns": 10 * 86_400 * 10**9, "tolerance": tol, "min_share": share, "patterns": ("gather-scatter",)}
        hits = key(find_patterns(led, ScanParams(**base)))
        for name in changed:
            q = ScanParams(**base, **{name: 0.0})
            other = key(find_patterns(led, q))
            assert other == key(reference_patterns(led, q))
            changed[name] += other != hits
    assert all(changed.values()), changed
