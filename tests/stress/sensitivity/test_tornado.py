"""The tornado chart of Sobol indices and the stored run the report reads."""

from __future__ import annotations

from junkan.report.figures import sensitivity_tornado
from junkan.stress.sensitivity import cached_sensitivity

ROWS = [
    {"input": "a", "output": "y", "first_order": 0.05, "first_order_conf": 0.01, "total_order": 0.1,
     "total_order_conf": 0.02},
    {"input": "b", "output": "y", "first_order": 0.4, "first_order_conf": 0.05, "total_order": 0.5,
     "total_order_conf": 0.06},
    {"input": "c", "output": "z", "first_order": 0.9, "first_order_conf": 0.0, "total_order": 0.9,
     "total_order_conf": 0.0},
]  # fmt: skip


def test_tornado_orders_by_total_order_largest_on_top():
    fig = sensitivity_tornado(ROWS, "y")
    bars, marks = fig.data
    assert list(bars.y) == ["a", "b"]  # plotly draws the last category on top
    assert list(bars.x) == [0.1, 0.5] and list(bars.error_x.array) == [0.02, 0.06]
    assert list(marks.x) == [0.05, 0.4]
    assert sensitivity_tornado(ROWS, "nothing").data == ()


def test_stored_run_of_ai_compute():
    run = cached_sensitivity("ai-compute", "baseline")
    assert run is not None
    assert run["samples"] == 64 and run["runs"] == 200 and run["seed"] == 42
    assert len(run["inputs"]) == 15
    assert run["evaluations"] == 4 * (run["candidates"] + 1) + 64 * (15 + 2)
    assert cached_sensitivity("lucent-2000", "baseline") is None


def test_stored_run_is_stale_when_its_ranges_file_changed(monkeypatch):
    import junkan.stress.sensitivity as sens
    from junkan.report import build
    from junkan.stress.ecosystem import load_assumptions
    from junkan.stress.ecosystem.assumptions import assumptions_hash
    from junkan.stress.ecosystem.ranges import load_ranges, ranges_hash, ranges_path

    run = cached_sensitivity("ai-compute", "baseline")
    assert run is not None
    current_a = assumptions_hash(load_assumptions("ai-compute"))
    current_r = ranges_hash(load_ranges(*ranges_path("stress/assumptions/ai-compute.yaml")))  # type: ignore[misc]
    assert build._bundled_ranges_hash("ai-compute") == current_r
    assert build._bundled_ranges_hash("lucent-2000") is None  # no ranges file beside its assumptions
    for stored_r, expect in ((current_r, True), ("0" * 16, False), (None, False)):
        fake = {**run, "assumptions_hash": current_a, "ranges_hash": stored_r}
        monkeypatch.setattr(sens, "cached_sensitivity", lambda d, s="baseline", fake=fake: fake)
        ctx = build._sensitivity_context("ai-compute", "baseline", current_a, {})
        assert ctx is not None and ctx["current"] is expect
