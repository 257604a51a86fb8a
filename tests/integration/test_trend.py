"""junkan.trend.ols_trend by hand: the slope, its standard error, two points, and bad input."""

from __future__ import annotations

import math

import pytest

from junkan.trend import ols_trend


def test_slope_and_standard_error_by_hand() -> None:
    # x = 0, 1, 2; y = 1, 2, 4: xm = -1, 0, 1, Sxx = 2, ym = 7/3, b = (-1)(1 - 7/3) + (1)(4 - 7/3) = 3 / 2 = 1.5;
    # residuals y - ym - b xm = 1/6, -1/3, 1/6: RSS = 1/36 + 1/9 + 1/36 = 1/6; se = sqrt(1/6 / 1 / 2) = sqrt(1/12)
    b, se = ols_trend([0.0, 1.0, 2.0], [1.0, 2.0, 4.0])
    assert b == pytest.approx(1.5, rel=1e-15)
    assert se == pytest.approx(math.sqrt(1 / 12), rel=1e-12)


def test_two_points_give_the_slope_and_no_error() -> None:
    assert ols_trend([0.0, 2.0], [1.0, 0.0]) == (pytest.approx(-0.5), None)


@pytest.mark.parametrize(("x", "y"), [([1.0], [1.0]), ([1.0, 1.0], [1.0, 2.0]), ([0.0, 1.0], [1.0])])
def test_bad_input(x: list[float], y: list[float]) -> None:
    with pytest.raises(ValueError, match="trend needs"):
        ols_trend(x, y)
