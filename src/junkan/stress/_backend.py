"""Optional array backends for the iterative phase of the stress cores.

The cores in :mod:`junkan.stress` run their *iterative* phase (Picard iteration of a clearing map, DebtRank
propagation) against an ``xp`` namespace that follows the Python Array API standard, so the batched
matrix products can run on a GPU where CuPy or PyTorch is present. Neither is a dependency: the default is NumPy.
The *exact* phase (linear solves for a frozen set of defaulters) always runs in NumPy/SciPy on the host: it works on
index sets that differ from scenario to scenario, which the Array API has no portable linear-algebra for, and its cost
is at most a few solves per scenario. Results always come back as NumPy arrays.

``xp`` may be ``None`` or ``"numpy"`` (NumPy), ``"cupy"``, ``"torch"`` (through ``array_api_compat.torch``), or any
module that implements the standard (``array_api_strict`` is what the tests use to keep the code honest).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import numpy as np

from junkan.errors import JunkanInputError

__all__ = ["resolve_namespace", "to_device", "to_numpy"]


def resolve_namespace(xp: str | ModuleType | None) -> ModuleType:
    """Return the array namespace named by ``xp`` (``None`` means NumPy).

    Raises
    ------
    JunkanInputError
        If a named backend is not installed.
    """
    if xp is None or xp == "numpy":
        return np
    if isinstance(xp, ModuleType):
        return xp
    names = {"cupy": "cupy", "torch": "array_api_compat.torch", "array_api_strict": "array_api_strict"}
    if xp not in names:
        raise JunkanInputError.single(f"unknown array backend {xp!r}; use one of numpy, {', '.join(names)}", field="xp")
    try:
        return importlib.import_module(names[xp])
    except ImportError as exc:
        raise JunkanInputError.single(
            f"array backend {xp!r} is not installed ({exc}); it is optional, the default is numpy", field="xp"
        ) from exc


def to_device(xp: ModuleType, array: np.ndarray) -> Any:
    """Copy a NumPy array into namespace ``xp`` (a no-op for NumPy)."""
    if xp is np:
        return array
    return xp.asarray(array)


def to_numpy(array: Any) -> np.ndarray:
    """Bring an array of any supported backend back to a NumPy array on the host."""
    if isinstance(array, np.ndarray):
        return array
    if hasattr(array, "get"):  # cupy
        return np.asarray(array.get())
    if hasattr(array, "detach"):  # torch
        return np.asarray(array.detach().cpu().numpy())
    try:
        return np.from_dlpack(array)
    except (TypeError, RuntimeError, BufferError, AttributeError):
        return np.asarray(array)
