"""Exact results on hand-made ledgers, for both engines."""

import numpy as np
import pytest

from junkan.scan import ScanParams, parse_duration, scan

from .conftest import make

ENGINES = ["numba", "reference"]
P = ScanParams(window_ns=parse_duration("90d"), max_len=6, tolerance=0.1, patterns=("cycle",))


def cycles(ledger, params=P, engine="numba"):
    return [a.transactions for a in scan(ledger, params, engine=engine).alerts]


@pytest.mark.parametrize("engine", ENGINES)
def test_orts_scheme(engine):
    led = make(
        [("t1", 1, "Orts", "Agency", 100.0), ("t2", 2, "Agency", "Partner", 95.0), ("t3", 3, "Partner", "Orts", 92.0),
         ("x1", 4, "Orts", "Supplier", 50.0)],
        extra={"kind": ["advertising fee", "media", "licence purchase", "rent"],
               "src_kind": ["expense", "expense", "expense", "expense"],
               "dst_kind": ["revenue", "revenue", "revenue", "revenue"]},
    )  # fmt: skip
    res = scan(led, P, engine=engine)
    assert len(res.alerts) == 1
    a = res.alerts[0]
    assert a.pattern == "cycle"
    assert a.accounts == ["Orts", "Agency", "Partner"]
    assert a.transactions == ["t1", "t2", "t3"]
    assert a.amounts == [100.0, 95.0, 92.0]
    assert a.returned_share == pytest.approx(0.92)
    assert a.duration_days == pytest.approx(2.0)
    assert a.labels == ["advertising fee", "media", "licence purchase"]
    assert (a.booked_out, a.booked_in) == ("expense", "revenue")
    # 0.5 * 0.92 + 0.25 * (1 - 2/90) + 0.25 * 1
    assert a.score == pytest.approx(0.5 * 0.92 + 0.25 * (88 / 90) + 0.25, abs=1e-6)
    assert a.start == "2024-01-02T00:00:00Z" and a.end == "2024-01-04T00:00:00Z"


@pytest.mark.parametrize("engine", ENGINES)
def test_time_order_is_strict(engine):
    # B -> A happens at the same instant as A -> B: not a round trip; one second later it is
    same = make([("t1", 1, "A", "B", 100.0), ("t2", 1, "B", "A", 100.0)])
    assert cycles(same, engine=engine) == []
    later = make([("t1", 1, "A", "B", 100.0), ("t2", 1 + 1 / 86_400, "B", "A", 100.0)])
    assert cycles(later, engine=engine) == [["t1", "t2"]]
    # the return before the payment is not a cycle starting with the payment, but it is one starting with the return
    before = make([("t1", 5, "A", "B", 100.0), ("t2", 3, "B", "A", 100.0)])
    assert cycles(before, engine=engine) == [["t2", "t1"]]


@pytest.mark.parametrize("engine", ENGINES)
def test_window_is_inclusive(engine):
    at = make([("t1", 0, "A", "B", 100.0), ("t2", 45, "B", "C", 100.0), ("t3", 90, "C", "A", 100.0)])
    assert cycles(at, engine=engine) == [["t1", "t2", "t3"]]
    past = make([("t1", 0, "A", "B", 100.0), ("t2", 45, "B", "C", 100.0), ("t3", 90 + 1 / 86_400, "C", "A", 100.0)])
    assert cycles(past, engine=engine) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_tolerance_per_hop(engine):
    # 100 -> 90 is exactly 10%; 90 -> 80.9 is 10.11% of 90: out
    ok = make([("t1", 1, "A", "B", 100.0), ("t2", 2, "B", "A", 90.0)])
    assert cycles(ok, engine=engine) == [["t1", "t2"]]
    up = make([("t1", 1, "A", "B", 100.0), ("t2", 2, "B", "A", 110.0)])  # a 10% mark-up is allowed too
    assert cycles(up, engine=engine) == [["t1", "t2"]]
    bad = make([("t1", 1, "A", "B", 100.0), ("t2", 2, "B", "C", 90.0), ("t3", 3, "C", "A", 80.9)])
    assert cycles(bad, engine=engine) == []
    off = ScanParams(window_ns=P.window_ns, tolerance=None, patterns=("cycle",))
    assert cycles(bad, off, engine=engine) == [["t1", "t2", "t3"]]


@pytest.mark.parametrize("engine", ENGINES)
def test_simple_cycles_only_and_length_bound(engine):
    # A -> B -> C -> B -> A revisits B: not a cycle; its simple parts B -> C -> B and A -> B -> A are
    led = make(
        [("t1", 1, "A", "B", 100.0), ("t2", 2, "B", "C", 100.0), ("t3", 3, "C", "B", 100.0), ("t4", 4, "B", "A", 100.0)]
    )
    assert cycles(led, engine=engine) == [["t2", "t3"], ["t1", "t4"]]  # the quicker one scores higher
    ring = make([(f"t{i}", i, f"N{i}", f"N{(i + 1) % 5}", 100.0) for i in range(5)])
    assert cycles(ring, engine=engine) == [["t0", "t1", "t2", "t3", "t4"]]
    short = ScanParams(window_ns=P.window_ns, max_len=4, patterns=("cycle",))
    assert cycles(ring, short, engine=engine) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_currency_and_min_amount(engine):
    rows = [("t1", 1, "A", "B", 100.0), ("t2", 2, "B", "A", 99.0)]
    mixed = make(rows, extra={"currency": ["EUR", "USD"]})
    assert cycles(mixed, engine=engine) == []
    same = make(rows, extra={"currency": ["eur", "EUR"]})
    assert cycles(same, engine=engine) == [["t1", "t2"]]
    big = ScanParams(window_ns=P.window_ns, min_amount=99.5, patterns=("cycle",))
    assert cycles(make(rows), big, engine=engine) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_overlapping_cycles_are_grouped(engine):
    # two round trips share t1 (A -> B); a third, separate one (C <-> D)
    led = make(
        [("t1", 1, "A", "B", 100.0), ("t2", 2, "B", "A", 98.0), ("t3", 3, "B", "E", 99.0), ("t4", 4, "E", "A", 97.0),
         ("t5", 5, "C", "D", 10.0), ("t6", 6, "D", "C", 10.0)]
    )  # fmt: skip
    alerts = scan(led, P, engine=engine).alerts
    by_tx = {tuple(a.transactions): a for a in alerts}
    assert set(by_tx) == {("t1", "t2"), ("t1", "t3", "t4"), ("t5", "t6")}
    assert by_tx[("t1", "t2")].group == by_tx[("t1", "t3", "t4")].group
    assert by_tx[("t5", "t6")].group != by_tx[("t1", "t2")].group
    assert sorted({a.group for a in alerts}) == [1, 2]
    assert [a.alert for a in alerts] == [1, 2, 3]
    # sorted by score, highest first
    assert [a.score for a in alerts] == sorted((a.score for a in alerts), reverse=True)


def test_parallel_edges_each_give_a_cycle():
    led = make([("t1", 1, "A", "B", 100.0), ("t2", 2, "B", "A", 100.0), ("t3", 3, "B", "A", 100.0)])
    assert cycles(led) == [["t1", "t2"], ["t1", "t3"]]


def test_max_cycles_truncates():
    led = make([("t1", 1, "A", "B", 100.0)] + [(f"r{i}", 2 + i, "B", "A", 100.0) for i in range(5)])
    res = scan(led, ScanParams(window_ns=P.window_ns, patterns=("cycle",), max_cycles=3))
    assert res.truncated and len(res.alerts) == 3
    assert not scan(led, P).truncated


def test_empty_and_self_payments():
    led = make([("t1", 1, "A", "A", 100.0), ("t2", 2, "A", "A", 100.0)])
    assert cycles(led) == []
    assert np.array_equal(scan(led, P).to_frame().shape, (0, 16))


def test_scc_labels_match_scipy():
    """The compiled Tarjan gives the same partition into strongly connected components as scipy."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from junkan.scan.graph import scc_labels

    rng = np.random.default_rng(4)
    for n, m in ((1, 0), (5, 0), (8, 20), (200, 260), (2000, 2100), (500, 3000)):
        src = rng.integers(0, n, m)
        dst = rng.integers(0, n, m)
        ours = scc_labels(n, src.astype(np.int32), dst.astype(np.int32))
        adj = coo_matrix((np.ones(m, dtype=np.int8), (src, dst)), shape=(n, n)).tocsr()
        _, ref = connected_components(adj, directed=True, connection="strong")
        # same partition: the pairs (ours, ref) are one-to-one
        pairs = set(zip(ours.tolist(), ref.tolist(), strict=True))
        assert len(pairs) == len(set(ours.tolist())) == len(set(ref.tolist()))
    # a long path cannot overflow a stack
    n = 200_000
    path = np.arange(n - 1, dtype=np.int32)
    labels = scc_labels(n, np.concatenate([path, [n - 1]]).astype(np.int32), np.concatenate([path + 1, [0]]))
    assert (labels == labels[0]).all()
