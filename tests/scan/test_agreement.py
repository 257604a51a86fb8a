"""The compiled engine returns exactly the reference engine's cycles on random ledgers."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from junkan.scan import ScanParams, ledger_from_records
from junkan.scan.graph import build_search_graph
from junkan.scan.kernel import find_cycles
from junkan.scan.reference import reference_cycles


def random_ledger(seed: int, n: int, n_acc: int, days: int, currencies: int):
    rng = np.random.default_rng(seed)
    cols = {
        "id": [f"t{i}" for i in range(n)],
        # coarse times (hours) so that equal timestamps occur
        "timestamp": (1_700_000_000 + rng.integers(0, days * 24, n) * 3600).tolist(),
        "src": [f"a{x}" for x in rng.integers(0, n_acc, n)],
        "dst": [f"a{x}" for x in rng.integers(0, n_acc, n)],
        "amount": np.round(rng.uniform(80, 120, n), 2).tolist(),
        "currency": [["EUR", "USD", "GBP"][x] for x in rng.integers(0, currencies, n)],
    }
    return ledger_from_records(cols)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 250),
    n_acc=st.integers(2, 25),
    window_h=st.integers(1, 24 * 40),
    max_len=st.integers(2, 7),
    tol=st.sampled_from([None, 0.0, 0.05, 0.2]),
    min_amount=st.sampled_from([0.0, 95.0]),
    currencies=st.integers(1, 3),
)
def test_numba_matches_reference(seed, n, n_acc, window_h, max_len, tol, min_amount, currencies):
    led = random_ledger(seed, n, n_acc, 60, currencies)
    p = ScanParams(window_ns=window_h * 3600 * 10**9, max_len=max_len, tolerance=tol, min_amount=min_amount)
    ref = reference_cycles(led, p)
    got, truncated = find_cycles(build_search_graph(led, p), p)
    assert not truncated
    assert got.shape == ref.shape
    assert np.array_equal(got, ref)


def test_thread_count_does_not_change_the_result():
    led = random_ledger(7, 1500, 60, 60, 1)
    p = ScanParams(window_ns=10 * 86_400 * 10**9, max_len=5, tolerance=None)
    one, _ = find_cycles(build_search_graph(led, p), p, n_threads=1)
    two, _ = find_cycles(build_search_graph(led, p), p, n_threads=2)
    ref = reference_cycles(led, p)
    assert len(ref) > 100  # a non-trivial case
    assert np.array_equal(one, two) and np.array_equal(one, ref)
