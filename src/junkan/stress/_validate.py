"""Input checks shared by the stress cores: shapes, finiteness, signs, and the leading scenario axis."""

from __future__ import annotations

from typing import Any

import numpy as np

from junkan.errors import JunkanInputError, ProblemCollector

__all__ = ["as_matrix", "as_vector", "batch_size", "check_fraction"]


def as_matrix(value: Any, name: str, *, nonnegative: bool = True, zero_diagonal: bool = False) -> np.ndarray:
    """Return ``value`` as a float array of shape ``(n, n)`` or ``(B, n, n)``, checked.

    Raises
    ------
    JunkanInputError
        On a wrong shape, a non-finite entry, a negative entry (when ``nonnegative``) or a non-zero diagonal
        (when ``zero_diagonal``).
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise JunkanInputError.single(f"must be a numeric matrix ({exc})", field=name) from exc
    if arr.ndim not in (2, 3) or arr.shape[-1] != arr.shape[-2]:
        raise JunkanInputError.single(f"must have shape (n, n) or (B, n, n), got {arr.shape}", field=name)
    problems = ProblemCollector()
    if not np.all(np.isfinite(arr)):
        problems.add("has a non-finite entry (nan or inf)", field=name)
    elif nonnegative and np.any(arr < 0):
        idx = tuple(int(i) for i in np.argwhere(arr < 0)[0])
        problems.add(f"has a negative entry at index {idx}: {arr[idx]!r}", field=name)
    if zero_diagonal and np.any(np.diagonal(arr, axis1=-2, axis2=-1) != 0):
        problems.add("must have a zero diagonal (a node cannot owe or hold itself)", field=name)
    problems.raise_if_any()
    return arr


def as_vector(value: Any, name: str, n: int, *, nonnegative: bool = True, allow_scalar: bool = False) -> np.ndarray:
    """Return ``value`` as a float array of shape ``(n,)`` or ``(B, n)``, checked (a scalar broadcasts if allowed)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise JunkanInputError.single(f"must be numeric ({exc})", field=name) from exc
    if arr.ndim == 0 and allow_scalar:
        arr = np.full(n, float(arr))
    if arr.ndim not in (1, 2) or arr.shape[-1] != n:
        raise JunkanInputError.single(f"must have shape ({n},) or (B, {n}), got {arr.shape}", field=name)
    if not np.all(np.isfinite(arr)):
        raise JunkanInputError.single("has a non-finite entry (nan or inf)", field=name)
    if nonnegative and np.any(arr < 0):
        idx = tuple(int(i) for i in np.argwhere(arr < 0)[0])
        raise JunkanInputError.single(f"has a negative entry at index {idx}: {arr[idx]!r}", field=name)
    return arr


def batch_size(**arrays: tuple[np.ndarray, int]) -> int | None:
    """Return the common scenario count ``B`` of inputs that carry a leading scenario axis, or ``None``.

    Each keyword maps a name to ``(array, unbatched_ndim)``; an array with one more dimension is batched.
    """
    sizes: dict[str, int] = {}
    for name, (arr, base_ndim) in arrays.items():
        if arr.ndim == base_ndim + 1:
            sizes[name] = arr.shape[0]
    if not sizes:
        return None
    values = set(sizes.values())
    if len(values) > 1:
        detail = ", ".join(f"{k}: {v}" for k, v in sizes.items())
        raise JunkanInputError.single(f"inputs disagree on the number of scenarios B ({detail})", field="scenarios")
    b = values.pop()
    if b == 0:
        raise JunkanInputError.single("the scenario axis is empty (B = 0)", field="scenarios")
    return b


def check_fraction(value: float, name: str, *, low: float = 0.0, high: float = 1.0) -> float:
    """Return ``value`` as a float, checked to lie in ``[low, high]``."""
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise JunkanInputError.single(f"must be a number ({exc})", field=name) from exc
    if not (low <= v <= high):
        raise JunkanInputError.single(f"must lie in [{low}, {high}], got {v!r}", field=name)
    return v
