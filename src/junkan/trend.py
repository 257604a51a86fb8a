"""The least-squares trend of a series: one estimator for every place junkan fits a price trend."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def ols_trend(x: Sequence[float], y: Sequence[float]) -> tuple[float, float | None]:
    """Ordinary least squares of ``y`` on ``x``: the slope ``b`` of ``y = a + b x`` and its standard error.

    The standard error is ``sqrt(RSS / (n - 2) / Sxx)`` (the classical OLS estimate, e.g. Greene, *Econometric
    Analysis*, ch. 4), ``None`` with two points (no residual degrees of freedom). With ``y = ln price`` and ``x`` in
    years, ``b`` is the annual log drift and ``exp(b) - 1`` the annual change.

    Raises
    ------
    ValueError
        Fewer than two points, ``x`` and ``y`` of different lengths, or all ``x`` equal.
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    if xs.shape != ys.shape or xs.size < 2:
        raise ValueError(f"a trend needs at least two (x, y) points, got {xs.size} x and {ys.size} y")
    xm = xs - xs.mean()
    sxx = float((xm * xm).sum())
    if sxx == 0:
        raise ValueError("a trend needs points at two different x")
    slope = float((xm * (ys - ys.mean())).sum() / sxx)
    if xs.size < 3:
        return slope, None
    resid = ys - ys.mean() - slope * xm
    return slope, math.sqrt(float((resid * resid).sum()) / (xs.size - 2) / sxx)
