"""The circularity index (Circular Directional Flow Decomposition): hand examples and properties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _helpers import deal, ledger
from junkan.errors import JunkanInputError
from junkan.flows import circularity
from junkan.flows.circularity import bff_circulation, decompose, max_circulation, period_ends


def cycle_with_tail():
    """a -> b -> c -> a carrying 4 each, and 2 passing through: t -> a -> b -> c -> s."""
    return ledger(
        deal("ab", "a", "b", 6, "2024-02-01"),
        deal("bc", "b", "c", 6, "2024-05-01"),
        deal("ca", "c", "a", 4, "2025-03-01", "equity_investment"),
        deal("ta", "t", "a", 2, "2025-08-01"),
        deal("cs", "c", "s", 2, "2025-09-01"),
    )


def test_three_cycle_with_a_tail():
    # the cycle carries min(6, 6, 4) = 4 on each of its 3 edges: 12 circular of 20 => 0.6, by both methods
    for method in ("max", "bff"):
        r = circularity(cycle_with_tail(), method=method)
        assert r.index == pytest.approx(0.6)
        assert r.circular_flow == pytest.approx(12)
        assert r.total_flow == pytest.approx(20)
        edges = {(e.payer, e.payee): (e.circular, e.acyclic) for e in r.edges}
        assert edges == {
            ("a", "b"): (pytest.approx(4), pytest.approx(2)),
            ("b", "c"): (pytest.approx(4), pytest.approx(2)),
            ("c", "a"): (pytest.approx(4), pytest.approx(0)),
            ("t", "a"): (0, pytest.approx(2)),
            ("c", "s"): (0, pytest.approx(2)),
        }
        parties = {p.party: (p.circular, p.throughput) for p in r.parties}
        assert parties["a"] == (pytest.approx(4), pytest.approx(6))
        assert parties["t"] == (0, pytest.approx(2))
        assert r.to_dict()["index"] == pytest.approx(0.6)
        assert r.summary()["method"] == method


def overlapping():
    """a <-> b and a -> b -> c -> a share the edge a -> b (1 each)."""
    return ledger(
        deal("ab", "a", "b", 1),
        deal("ba", "b", "a", 1),
        deal("bc", "b", "c", 1),
        deal("ca", "c", "a", 1),
    )


def test_two_overlapping_cycles_max_and_bff_differ():
    # maximum circularity routes the shared unit round the 3-cycle: 3 of 4 circular, 0.75.
    # BFF: P(a->b) = 1, P(b->a) = P(b->c) = 1/2, P(c->a) = 1; pi = (2/5, 2/5, 1/5); c = pi_i P_ij =
    # (2/5, 1/5, 1/5, 1/5); scaled by min(1/(2/5), 1/(1/5)) = 5/2: a->b 1, b->a 1/2, b->c 1/2, c->a 1/2.
    # a -> b is then empty and the rest is acyclic: 2.5 of 4, 0.625.
    mx = circularity(overlapping(), method="max")
    bf = circularity(overlapping(), method="bff")
    assert mx.index == pytest.approx(0.75)
    assert bf.index == pytest.approx(0.625)
    assert {(e.payer, e.payee): e.circular for e in mx.edges} == {
        ("a", "b"): pytest.approx(1),
        ("b", "a"): pytest.approx(0, abs=1e-12),
        ("b", "c"): pytest.approx(1),
        ("c", "a"): pytest.approx(1),
    }
    assert {(e.payer, e.payee): e.circular for e in bf.edges} == {
        ("a", "b"): pytest.approx(1),
        ("b", "a"): pytest.approx(0.5),
        ("b", "c"): pytest.approx(0.5),
        ("c", "a"): pytest.approx(0.5),
    }


def test_bff_runs_several_rounds():
    # two 2-cycles joined at b: a <-> b (3, 1) and b <-> c (1, 1). Round 1 (one component a, b, c):
    # P(a->b) = 1, P(b->a) = P(b->c) = 1/2, P(c->b) = 1; pi = (1/4, 1/2, 1/4); c = (1/4, 1/4, 1/4, 1/4) on
    # (ab, ba, bc, cb); factor min(3, 1, 1, 1) / (1/4) = 4: 1 on each edge. Everything but 2 of a->b is circular.
    led = ledger(deal("ab", "a", "b", 3), deal("ba", "b", "a", 1), deal("bc", "b", "c", 1), deal("cb", "c", "b", 1))
    r = circularity(led, method="bff")
    assert r.index == pytest.approx(4 / 6)
    assert circularity(led).index == pytest.approx(4 / 6)
    # a <-> b (2, 2) plus a -> c -> b (1, 1). Max: with x = C(a->b), y = C(a->c) = C(c->b), C(b->a) = x + y <= 2,
    # the objective is 2x + 3y: y = 1, x = 1, 5 of 6 circular. BFF: P(a->b) = 2/3, P(a->c) = 1/3, P(b->a) = 1,
    # P(c->b) = 1; pi = (3/7, 3/7, 1/7); c = (ab 2/7, ac 1/7, ba 3/7, cb 1/7), factor min(7, 7, 14/3, 7) = 14/3:
    # ab 4/3, ac 2/3, ba 2, cb 2/3, 14/3 in all; b -> a is empty and the rest acyclic.
    led2 = ledger(deal("ab", "a", "b", 2), deal("ba", "b", "a", 2), deal("ac", "a", "c", 1), deal("cb", "c", "b", 1))
    assert circularity(led2).circular_flow == pytest.approx(5)
    bf = circularity(led2, method="bff")
    assert bf.circular_flow == pytest.approx(14 / 3)
    assert {(e.payer, e.payee): e.circular for e in bf.edges} == {
        ("a", "b"): pytest.approx(4 / 3),
        ("a", "c"): pytest.approx(2 / 3),
        ("b", "a"): pytest.approx(2),
        ("c", "b"): pytest.approx(2 / 3),
    }


def test_acyclic_and_empty_networks():
    r = circularity(ledger(deal("x", "a", "b", 5), deal("y", "b", "c", 5)))
    assert r.index == 0
    assert any("no cycle" in n for n in r.notes)
    e = circularity(cycle_with_tail(), as_of=dt.date(2020, 1, 1))
    assert e.index is None
    assert any("empty" in n for n in e.notes)


def test_index_over_time_on_the_cumulative_web():
    r = circularity(cycle_with_tail(), by="year")
    # end of 2024: a -> b, b -> c only (no cycle); 2025 (unfinished: up to its latest deal) the whole web, 0.6
    assert [(p.period, p.as_of, p.index) for p in r.by_period] == [
        ("2024", dt.date(2024, 12, 31), 0.0),
        ("2025", dt.date(2025, 9, 1), pytest.approx(0.6)),
    ]
    q = circularity(cycle_with_tail(), by="quarter")
    assert [p.period for p in q.by_period][:2] == ["2024Q1", "2024Q2"]
    assert q.by_period[-1].period == "2025Q3"
    # 2025Q1: the cycle closes (c -> a on 2025-03-01): 12 circular of 6 + 6 + 4 = 16
    by = {p.period: p for p in q.by_period}
    assert by["2025Q1"].index == pytest.approx(12 / 16)
    assert by["2024Q4"].index == 0
    clipped = circularity(cycle_with_tail(), by="year", as_of=dt.date(2025, 6, 30))
    assert clipped.by_period[-1].as_of == dt.date(2025, 6, 30)
    assert clipped.by_period[-1].index == pytest.approx(12 / 16)


def test_period_ends_and_bad_input():
    assert period_ends(dt.date(2024, 11, 5), dt.date(2025, 2, 1), "quarter") == [
        ("2024Q4", dt.date(2024, 12, 31)),
        ("2025Q1", dt.date(2025, 3, 31)),
    ]
    with pytest.raises(JunkanInputError, match="unknown circularity method"):
        circularity(overlapping(), method="lp")
    with pytest.raises(JunkanInputError, match="unknown period"):
        circularity(overlapping(), by="month")


def test_self_loop_is_circular():
    c = decompose(2, np.array([0, 0]), np.array([0, 1]), np.array([3.0, 1.0]), "bff")
    assert list(c) == [3.0, 0.0]
    assert list(max_circulation(2, np.array([0, 0]), np.array([0, 1]), np.array([3.0, 1.0]))) == [3.0, 0.0]


def _is_acyclic(n: int, src: np.ndarray, dst: np.ndarray, d: np.ndarray, tol: float) -> bool:
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    keep = d > tol
    if not keep.any():
        return True
    g = sparse.csr_matrix((np.ones(keep.sum()), (src[keep], dst[keep])), shape=(n, n))
    ncomp, _ = connected_components(g, directed=True, connection="strong")
    return bool(ncomp == n and not np.any(src[keep] == dst[keep]))


@st.composite
def networks(draw):
    n = draw(st.integers(2, 7))
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=18, unique=True)
    )
    pairs = [(a, b) for a, b in pairs if a != b] or [(0, 1)]
    w = draw(st.lists(st.floats(0.01, 1000.0), min_size=len(pairs), max_size=len(pairs)))
    src = np.array([a for a, _ in pairs])
    dst = np.array([b for _, b in pairs])
    return n, src, dst, np.array(w)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_circular_part_is_a_circulation_within_capacities(net):
    n, src, dst, w = net
    tol = 1e-7 * float(w.max())
    results = {}
    for method, solve in (("max", max_circulation), ("bff", bff_circulation)):
        c = solve(n, src, dst, w)
        assert np.all(c >= 0) and np.all(c <= w)
        div = np.bincount(src, weights=c, minlength=n) - np.bincount(dst, weights=c, minlength=n)
        assert np.abs(div).max() <= tol * len(w)
        index = c.sum() / w.sum()
        assert 0.0 <= index <= 1.0
        # the directional part keeps every net position and has no cycle left
        assert _is_acyclic(n, src, dst, w - c, tol)
        results[method] = c.sum()
    assert results["bff"] <= results["max"] + 1e-6 * w.sum()


def test_components_are_solved_apart_at_their_own_scale():
    # a <-> b (5e11, 3e11) and c -> d -> e -> c (2e-3, 1e-3, 4e-3), 13 orders of magnitude apart: each strongly
    # connected component is scaled to its own total, so the small cycle still carries exactly 1e-3 on each edge.
    src = np.array([0, 1, 2, 3, 4])
    dst = np.array([1, 0, 3, 4, 2])
    w = np.array([5e11, 3e11, 2e-3, 1e-3, 4e-3])
    c = max_circulation(5, src, dst, w)
    assert c[:2] == pytest.approx([3e11, 3e11], rel=1e-15)
    assert c[2:] == pytest.approx([1e-3, 1e-3, 1e-3], rel=1e-15)
    assert c[3] == 1e-3  # saturated in the integer problem: its full amount


def test_amounts_that_are_not_binary_fractions():
    # 0.1, 0.2, 0.3 round a triangle: 0.1 on each edge (0.3 of 0.6), to the float's precision
    c = max_circulation(3, np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([0.1, 0.2, 0.3]))
    assert c == pytest.approx([0.1, 0.1, 0.1], rel=1e-15)
    assert c[0] == 0.1


def test_bff_treats_every_component_in_the_same_round():
    # a <-> b (3, 1) and c <-> d (2, 2), apart. a, b: pi = (1/2, 1/2), out = (3, 1), factor min(6, 2) = 2: 1 each way
    # (b's out-edge empties); c, d: pi = (1/2, 1/2), out = (2, 2), factor 4: 2 each way. 6 of 8 circular.
    src, dst = np.array([0, 1, 2, 3]), np.array([1, 0, 3, 2])
    w = np.array([3.0, 1.0, 2.0, 2.0])
    assert list(bff_circulation(4, src, dst, w)) == pytest.approx([1.0, 1.0, 2.0, 2.0])
    assert list(max_circulation(4, src, dst, w)) == pytest.approx([1.0, 1.0, 2.0, 2.0])


def _lp_maximum(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> float:
    """An independent peer: the maximum circulation as a linear programme (HiGHS via scipy), scaled to max 1."""
    from scipy import sparse
    from scipy.optimize import linprog

    m = w.size
    inc = sparse.csc_matrix((np.r_[np.ones(m), -np.ones(m)], (np.r_[src, dst], np.r_[np.arange(m), np.arange(m)])))
    res = linprog(-np.ones(m), A_eq=inc, b_eq=np.zeros(inc.shape[0]), bounds=np.c_[np.zeros(m), w / w.max()])
    assert res.status == 0
    return float(-res.fun * w.max())


@settings(max_examples=60, deadline=None)
@given(networks())
def test_maximum_circulation_matches_a_linear_programme(net):
    n, src, dst, w = net
    assert max_circulation(n, src, dst, w).sum() == pytest.approx(_lp_maximum(n, src, dst, w), rel=1e-7, abs=1e-9)
