"""Scatter-gather, gather-scatter and fans on hand-made ledgers (local engine)."""

import pytest

from junkan.scan import ScanParams, parse_duration, scan

from .conftest import make

W = parse_duration("30d")


def run(led, *patterns, **kw):
    return scan(led, ScanParams(window_ns=W, patterns=patterns, **kw)).alerts


def test_scatter_gather_to_a_third_party():
    led = make(
        [("s1", 1, "O", "M1", 100.0), ("s2", 1.5, "O", "M2", 100.0), ("s3", 2, "O", "M3", 101.0),
         ("g1", 3, "M1", "B", 98.0), ("g2", 4, "M2", "B", 97.0), ("g3", 5, "M3", "B", 99.0),
         ("n1", 6, "M1", "B", 50.0)]  # amount off: not part of it
    )  # fmt: skip
    (a,) = run(led, "scatter-gather")
    assert a.pattern == "scatter-gather"
    assert a.accounts == ["O", "M1", "M2", "M3", "B"]
    assert a.transactions == ["s1", "s2", "s3", "g1", "g2", "g3"]
    assert a.returned_share is not None and a.returned_share == pytest.approx(294 / 301)
    # only two intermediaries: nothing
    assert run(led, "scatter-gather", min_fan=4) == []


def test_scatter_gather_back_to_origin_is_a_round_trip():
    led = make(
        [("s1", 1, "O", "M1", 100.0), ("s2", 1, "O", "M2", 100.0), ("s3", 1, "O", "M3", 100.0),
         ("g1", 3, "M1", "O", 95.0), ("g2", 3, "M2", "O", 95.0), ("g3", 3, "M3", "O", 95.0)]
    )  # fmt: skip
    alerts = run(led, "scatter-gather", "cycle")
    sg = [a for a in alerts if a.pattern == "scatter-gather"]
    assert len(sg) == 1 and sg[0].accounts == ["O", "M1", "M2", "M3"]
    assert sg[0].returned_share == pytest.approx(0.95)
    # the three 2-cycles share transactions with the scatter-gather: one group
    assert len([a for a in alerts if a.pattern == "cycle"]) == 3
    assert len({a.group for a in alerts}) == 1


def test_scatter_gather_window():
    led = make(
        [("s1", 0, "O", "M1", 100.0), ("s2", 0, "O", "M2", 100.0), ("s3", 0, "O", "M3", 100.0),
         ("g1", 3, "M1", "B", 98.0), ("g2", 4, "M2", "B", 97.0), ("g3", 31, "M3", "B", 99.0)]
    )  # fmt: skip
    assert run(led, "scatter-gather") == []


def test_gather_scatter():
    led = make(
        [("x0", -100, "Z", "H", 5.0),  # old, unrelated payment in the same in-run: trimmed away
         ("i1", 1, "S1", "H", 100.0), ("i2", 2, "S2", "H", 200.0), ("i3", 3, "S3", "H", 100.0),
         ("o1", 4, "H", "R1", 150.0), ("o2", 5, "H", "R2", 150.0), ("o3", 6, "H", "R3", 95.0),
         ("i4", 40, "S4", "H", 10.0)]
    )  # fmt: skip
    (a,) = run(led, "gather-scatter")
    assert a.accounts == ["H", "S1", "S2", "S3", "R1", "R2", "R3"]
    assert a.transactions == ["i1", "i2", "i3", "o1", "o2", "o3"]
    assert a.returned_share == pytest.approx(395 / 400)
    # keeping 20% back is too much for a 10% tolerance
    led2 = make(
        [("i1", 1, "S1", "H", 100.0), ("i2", 2, "S2", "H", 100.0), ("i3", 3, "S3", "H", 100.0),
         ("o1", 4, "H", "R1", 80.0), ("o2", 5, "H", "R2", 80.0), ("o3", 6, "H", "R3", 80.0)]
    )  # fmt: skip
    assert run(led2, "gather-scatter") == []
    assert len(run(led2, "gather-scatter", tolerance=0.25)) == 1


def test_fans():
    led = make(
        [("f1", 1, "H", "A", 100.0), ("f2", 2, "H", "B", 95.0), ("f3", 3, "H", "C", 104.0), ("f4", 4, "H", "D", 300.0),
         ("f5", 50, "H", "E", 100.0),
         ("n1", 1, "P", "Q", 10.0), ("n2", 2, "R", "Q", 10.5), ("n3", 3, "S", "Q", 9.9)]
    )  # fmt: skip
    # min_share=0: the fan definition without the "little else" check
    out = run(led, "fan-out", min_share=0)
    assert [(a.accounts, a.transactions) for a in out] == [(["H", "A", "B", "C"], ["f1", "f2", "f3"])]
    assert out[0].returned_share is None
    fin = run(led, "fan-in")
    assert [(a.accounts, a.transactions) for a in fin] == [(["Q", "P", "R", "S"], ["n1", "n2", "n3"])]
    assert run(led, "fan-out", min_fan=4, min_share=0) == []
    # deliberate change (min_share, default 0.5): the fan f1..f3 moves 100 + 95 + 104 = 299; H's turnover from day
    # 1 - 30 to day 3 + 30 is f1..f4 = 599 (f5 on day 50 is outside), and 299 / 599 = 0.499 < 0.5: H does too much
    # else for the fan to count. Q's fan-in is all of Q's turnover (share 1).
    assert run(led, "fan-out") == []
    assert len(run(led, "fan-out", min_share=0.49)) == 1


GS = [("i1", 1, "S1", "H", 100.0), ("i2", 2, "S2", "H", 200.0), ("i3", 3, "S3", "H", 100.0),
      ("o1", 4, "H", "R1", 150.0), ("o2", 5, "H", "R2", 150.0), ("o3", 6, "H", "R3", 95.0)]  # fmt: skip


def test_gather_scatter_needs_little_else():
    # Z pays H 900 on day 20, inside [1 - 30, 6 + 30]: the pattern moves 400 + 395 = 795 of H's 1695 there,
    # 795 / 1695 = 0.469 < 0.6 (default min_share): H does too much else
    led = make([*GS, ("z", 20, "Z", "H", 900.0)])
    assert run(led, "gather-scatter") == []
    (a,) = run(led, "gather-scatter", min_share=0.4)
    assert a.transactions == ["i1", "i2", "i3", "o1", "o2", "o3"]
    # on day 40 the same payment is outside the context: share 1
    assert len(run(make([*GS, ("z", 40, "Z", "H", 900.0)]), "gather-scatter")) == 1


def test_gather_scatter_needs_disjoint_and_spread_counterparties():
    # R3 is also a sender: the money partly went back to a payer
    led = make([*GS[:5], ("o3", 6, "H", "S1", 95.0)])
    assert run(led, "gather-scatter") == []
    # one big payer plus small change: senders' totals 1000, 10, 10 give 1 / HHI = 1020^2 / (1000^2 + 10^2 + 10^2)
    # = 1.04 < k - 1 = 2; with k = 2 the bar is 1 and it passes
    led = make(
        [("i1", 1, "S1", "H", 1000.0), ("i2", 2, "S2", "H", 10.0), ("i3", 3, "S3", "H", 10.0),
         ("o1", 4, "H", "R1", 340.0), ("o2", 5, "H", "R2", 340.0), ("o3", 6, "H", "R3", 330.0)]
    )  # fmt: skip
    assert run(led, "gather-scatter") == []
    # with k = 2 the small change must count: materiality 0.3 would leave out payments below 0.3 * 1000 = 300
    assert run(led, "gather-scatter", min_fan=2) == []
    assert len(run(led, "gather-scatter", min_fan=2, materiality=0)) == 1


def test_gather_scatter_gathers_before_it_scatters():
    # in 200, out 60, in 100, in 100, out 150, out 150, out 40: balance 200, 140, 240, 340 (peak), 190, 40, 0
    led = make(
        [("i1", 1, "S1", "H", 200.0), ("o1", 1.5, "H", "R1", 60.0), ("i2", 2, "S2", "H", 100.0),
         ("i3", 3, "S3", "H", 100.0), ("o2", 4, "H", "R2", 150.0), ("o3", 5, "H", "R3", 150.0),
         ("o4", 6, "H", "R4", 40.0)]
    )  # fmt: skip
    # tol 0.1: the walk ends at o4 (0 <= 34); in 400 = out 400, but the peak 340 < 0.9 * 400 = 360: 60 left early
    assert run(led, "gather-scatter") == []
    # tol 0.2: it ends at o3 (40 <= 0.2 * 340 = 68); in 400, out 360 (|40| <= 80); peak 340 >= 0.8 * 400 = 320;
    # 1 / HHI: senders 400^2 / (200^2 + 100^2 + 100^2) = 2.67, receivers 360^2 / (60^2 + 150^2 + 150^2) = 2.67
    (a,) = run(led, "gather-scatter", tolerance=0.2)
    assert a.transactions == ["i1", "o1", "i2", "i3", "o2", "o3"]
    assert a.accounts == ["H", "S1", "S2", "S3", "R1", "R2", "R3"]
    assert a.returned_share == pytest.approx(360 / 400)


def test_scatter_gather_needs_little_else_at_the_ends():
    rows = [("s1", 1, "O", "M1", 100.0), ("s2", 1.5, "O", "M2", 100.0), ("s3", 2, "O", "M3", 101.0),
            ("g1", 3, "M1", "B", 98.0), ("g2", 4, "M2", "B", 97.0), ("g3", 5, "M3", "B", 99.0)]  # fmt: skip
    # O also pays X 10000 on day 10: the pattern's 301 + 294 = 595 is 595 / (10301 + 294) = 0.056 of the ends'
    # turnover, below min_share_sg = 0.1
    led = make([*rows, ("x", 10, "O", "X", 10_000.0)])
    assert run(led, "scatter-gather") == []
    assert len(run(led, "scatter-gather", min_share_sg=0.05)) == 1
    assert len(run(make(rows), "scatter-gather")) == 1


def test_gather_scatter_leaves_out_immaterial_traffic():
    # the hub also pays rent (r1, 20) and receives a small refund (r2, 15) while the money passes through. With
    # materiality 0 they are walked: balance 100, 300, 400 (peak), 380, 230, 245, 95, 0 <= 0.1 * 400 at o3; in 415 =
    # out 415; 1 / HHI 415^2 / 60225 = 2.86 (senders) and 415^2 / 54425 = 3.16 (receivers): rent and refund are in
    led = make([*GS, ("r1", 3.5, "H", "L", 20.0), ("r2", 4.5, "R9", "H", 15.0)])
    (a,) = run(led, "gather-scatter", materiality=0)
    assert a.transactions == ["i1", "i2", "i3", "r1", "o1", "r2", "o2", "o3"]
    # materiality 0.3: from i1 (100) payments below 30 are immaterial: the alert is the pattern alone
    (b,) = run(led, "gather-scatter")
    assert b.transactions == ["i1", "i2", "i3", "o1", "o2", "o3"]
    assert b.returned_share == pytest.approx(395 / 400)
    # an unrelated payment of 35 (>= 30) out to a sender breaks the disjointness: nothing
    led = make([*GS, ("r1", 3.5, "H", "S2", 35.0)])
    assert run(led, "gather-scatter") == []


def test_gather_scatter_needs_payments_large_for_the_hub():
    # H's other payments: five of 120 (days 100..104, outside the window): the pattern's amounts 100, 200, 100, 150,
    # 150, 95 beat 120 in 3 of 6 rows: U = 3 * 5 = 15 of m n = 6 * 5 = 30 pairs, U / mn = 0.5 < 0.75: ordinary
    # amounts for this account
    other = [(f"x{i}", 100 + i, "H", f"Y{i}", 120.0) for i in range(5)]
    led = make([*GS, *other])
    assert run(led, "gather-scatter") == []
    assert len(run(led, "gather-scatter", min_baseline=0.5)) == 1
    assert len(run(led, "gather-scatter", min_baseline=0)) == 1
    # the same payments of 20: U = 30 of 30, the pattern is large for H
    led = make([*GS, *((i, d, s, t, 20.0) for i, d, s, t, _ in other)])
    assert len(run(led, "gather-scatter")) == 1
    # ties count half: five of exactly 100: rows 100, 100 tie (2 * 5 * 0.5), 200, 150, 150 win (3 * 5), 95 loses:
    # U = 5 + 15 = 20, 20 / 30 = 0.667
    led = make([*GS, *((i, d, s, t, 100.0) for i, d, s, t, _ in other)])
    assert run(led, "gather-scatter", min_baseline=0.67) == []
    assert len(run(led, "gather-scatter", min_baseline=0.66)) == 1
    # fewer than five other payments: no baseline to compare with, the test passes
    assert len(run(make([*GS, *other[:4]]), "gather-scatter")) == 1
