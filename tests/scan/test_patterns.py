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
