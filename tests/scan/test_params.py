import pytest

from junkan.scan import ScanParams, parse_duration

NS = 1_000_000_000


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90d", 90 * 86_400), ("12h", 12 * 3600), ("30m", 1800), ("45s", 45), ("2w", 14 * 86_400), ("1.5d", 129_600),
     ("7", 7 * 86_400), (10, 10 * 86_400)],
)  # fmt: skip
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds * NS


@pytest.mark.parametrize("text", ["", "d", "-3d", "0d", "3 days", "1y"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_len": 1}, {"max_len": 33}, {"tolerance": -0.1}, {"tolerance": float("nan")}, {"min_amount": -1},
     {"patterns": ("cycle", "loops")}, {"min_fan": 1}, {"window_ns": 0}, {"max_cycles": 0}, {"min_share": 1.5},
     {"min_share": float("nan")}, {"min_share_sg": -0.1}],
)  # fmt: skip
def test_params_validation(kwargs):
    with pytest.raises(ValueError):
        ScanParams(**kwargs)


def test_kernel_tolerance():
    assert ScanParams(tolerance=None).kernel_tolerance == -1.0
    assert ScanParams(tolerance=0.25).kernel_tolerance == 0.25
    assert ScanParams(window_ns=parse_duration("45d")).window_days == 45.0


def test_flow_tolerance():
    assert ScanParams(tolerance=None).flow_tolerance == 0.1
    assert ScanParams(tolerance=0.25).flow_tolerance == 0.25
