"""The null model: exact conservation of strengths or degrees, determinism under a seed, hand-checked statistics."""

from __future__ import annotations

import numpy as np
import pytest

from _helpers import deal, ledger
from junkan.errors import JunkanInputError
from junkan.flows import circularity_null, find_cycles
from junkan.flows.nullmodel import (
    circularity_nulls,
    cycle_stats,
    rewire_degree,
    rewire_degree_strength,
    rewire_strength,
)

# a 6-party network with a few cycles and enough edges to rewire
EDGES = {
    ("a", "b"): 10.0,
    ("b", "c"): 7.0,
    ("c", "a"): 5.0,
    ("b", "a"): 2.0,
    ("c", "d"): 4.0,
    ("d", "e"): 6.0,
    ("e", "f"): 3.0,
    ("f", "d"): 1.0,
    ("a", "e"): 8.0,
    ("f", "b"): 9.0,
}


def strengths(w):
    out, inn = {}, {}
    for (a, b), x in w.items():
        out[a] = out.get(a, 0.0) + x
        inn[b] = inn.get(b, 0.0) + x
    return out, inn


def degrees(w):
    out, inn = {}, {}
    for a, b in w:
        out[a] = out.get(a, 0) + 1
        inn[b] = inn.get(b, 0) + 1
    return out, inn


def test_cycle_stats_by_hand():
    # cycles: a-b-a (2), a-b-c-a (5), d-e-f-d (1), a-e-f-b-a (2), a-e-f-b-c-a (3), b-c-d-e-f-b (3)
    count, volume = cycle_stats(EDGES, max_len=5)
    assert count == 6
    assert volume == pytest.approx(2 + 5 + 1 + 2 + 3 + 3)
    assert cycle_stats(EDGES, max_len=3) == (3, pytest.approx(8.0))


def test_strength_rewiring_keeps_every_in_and_out_strength():
    rng = np.random.default_rng(3)
    w = rewire_strength(EDGES, rng)
    o0, i0 = strengths(EDGES)
    o1, i1 = strengths(w)
    assert o1.keys() == o0.keys()
    for p in o0:
        assert o1[p] == pytest.approx(o0[p], rel=1e-12)
    for p in i0:
        assert i1[p] == pytest.approx(i0[p], rel=1e-12)
    assert all(a != b for a, b in w)
    assert w != EDGES  # it did move money
    # the number of edges is kept (the unrestricted checkerboard move made samples ~3x denser)
    assert len(w) == len(EDGES)
    assert roles(w) == roles(EDGES)


def roles(w):
    """Each party's role: pure payer, pure payee or intermediary."""
    out, inn = degrees(w)
    return {p: ("payer" if p not in inn else "payee" if p not in out else "both") for p in {*out, *inn}}


def test_degree_strength_rewiring_keeps_degrees_strengths_and_roles():
    rng = np.random.default_rng(3)
    moved = 0
    for _ in range(5):
        w, refused = rewire_degree_strength(EDGES, rng)
        assert degrees(w) == degrees(EDGES)
        o0, i0 = strengths(EDGES)
        o1, i1 = strengths(w)
        for p in o0:
            assert o1[p] == pytest.approx(o0[p], rel=1e-9)
        for p in i0:
            assert i1[p] == pytest.approx(i0[p], rel=1e-9)
        assert roles(w) == roles(EDGES)
        assert all(x > 0 for x in w.values())
        assert all(a != b for a, b in w)
        assert refused >= 0
        moved += set(w) != set(EDGES)
    assert moved  # the topology does change


def test_every_null_keeps_roles_on_a_web_with_pure_payers_and_payees():
    # pure payers p1, p2 (investors), pure payees s1, s2 (suppliers), intermediaries a, b, c
    web = {
        ("p1", "a"): 50.0,
        ("p2", "b"): 30.0,
        ("a", "b"): 20.0,
        ("b", "c"): 25.0,
        ("c", "a"): 10.0,
        ("a", "s1"): 40.0,
        ("b", "s2"): 35.0,
        ("c", "s1"): 15.0,
        ("p1", "c"): 20.0,
    }
    rng = np.random.default_rng(11)
    for _ in range(10):
        for sample in (rewire_strength(web, rng), rewire_degree(web, rng), rewire_degree_strength(web, rng)[0]):
            assert roles(sample) == roles(web)


def test_nulls_side_by_side():
    res = circularity_nulls(EDGES, n_samples=15, seed=9)
    assert [r.method for r in res] == ["degree_strength", "strength", "degree"]
    assert {r.count.observed for r in res} == {6}
    assert all(r.seed == 9 and r.observed_edges == len(EDGES) for r in res)
    # strength and degree_strength keep the edge count in every sample; degree keeps it by construction
    assert all(r.null_edges_mean == len(EDGES) for r in res)
    again = circularity_nulls(EDGES, n_samples=15, seed=9, methods=("degree",))
    assert again[0].null_counts == res[2].null_counts  # a method's draws do not depend on the others
    summary = find_cycles(
        ledger(*(deal(f"d{i}", a, b, x) for i, ((a, b), x) in enumerate(EDGES.items()))), null=5, seed=2
    ).summary()
    assert [n["method"] for n in summary["nulls"]] == ["degree_strength", "strength", "degree"]
    assert summary["significance"]["method"] == "degree_strength"


def test_degree_rewiring_keeps_degrees_and_out_strength():
    rng = np.random.default_rng(3)
    w = rewire_degree(EDGES, rng)
    assert degrees(w) == degrees(EDGES)
    assert strengths(w)[0] == pytest.approx(strengths(EDGES)[0])
    assert sorted(w.values()) == sorted(EDGES.values())
    assert all(a != b for a, b in w)


def test_same_seed_same_result_and_seed_recorded():
    r1 = circularity_null(EDGES, n_samples=30, seed=42)
    r2 = circularity_null(EDGES, n_samples=30, seed=42)
    assert r1.null_counts == r2.null_counts
    assert r1.null_volumes == r2.null_volumes
    assert r1.seed == 42
    r3 = circularity_null(EDGES, n_samples=30, seed=43)
    assert r3.null_counts != r1.null_counts or r3.null_volumes != r1.null_volumes
    fresh = circularity_null(EDGES, n_samples=2, seed=None)
    assert isinstance(fresh.seed, int)
    again = circularity_null(EDGES, n_samples=2, seed=fresh.seed)
    assert again.null_counts == fresh.null_counts


def test_statistics_match_their_definitions():
    r = circularity_null(EDGES, n_samples=25, seed=7, method="degree")
    counts = np.array(r.null_counts, dtype=float)
    assert r.count.observed == 6
    assert r.count.null_mean == pytest.approx(counts.mean())
    assert r.count.null_std == pytest.approx(counts.std(ddof=1))
    assert r.count.p_value == pytest.approx((1 + np.sum(counts >= 6)) / 26)
    assert r.count.p_value_low == pytest.approx((1 + np.sum(counts <= 6)) / 26)
    if r.count.null_std > 0:
        assert r.count.z == pytest.approx((6 - counts.mean()) / counts.std(ddof=1))


def test_a_lone_loop_cannot_be_rewired():
    # a <-> b: every move would make a self-loop, so each sample is the data: std 0, z undefined, p = 1
    r = circularity_null({("a", "b"): 3.0, ("b", "a"): 2.0}, n_samples=10, seed=1)
    assert r.count.observed == 1
    assert r.null_counts == (1,) * 10
    assert r.count.null_std == 0
    assert r.count.z is None
    assert r.count.p_value == 1.0
    assert r.count.p_value_low == 1.0
    assert r.volume.observed == 2.0


def test_null_through_find_cycles_is_deterministic():
    led = ledger(*(deal(f"d{i}", a, b, x) for i, ((a, b), x) in enumerate(EDGES.items())))
    s1 = find_cycles(led, null=20, seed=5).summary()["significance"]
    s2 = find_cycles(led, null=20, seed=5).summary()["significance"]
    assert s1 == s2
    assert s1["seed"] == 5
    assert s1["count"]["observed"] == 6


def test_bad_null_options():
    with pytest.raises(JunkanInputError):
        circularity_null(EDGES, n_samples=0)
    with pytest.raises(JunkanInputError):
        circularity_null(EDGES, method="shuffle")
