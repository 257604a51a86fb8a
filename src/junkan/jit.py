"""Compile every numba kernel once, into numba's on-disk cache, so that no later command pays the compile.

Every kernel of junkan is ``@njit(cache=True)``: the first call in a fresh install compiles it (seconds: see
BENCHMARKS.md, "Cold JIT") and writes the machine code to numba's cache; every later process loads it (tens of
milliseconds). :func:`warmup` makes those first calls on tiny inputs of the same types the analyses use, so that
the compile is paid once, at install time (``scripts/main.sh`` runs ``junkan warmup`` after ``pip install``), not by
the first ``junkan report``. The cache goes where numba puts it: the ``__pycache__`` folder beside the installed
modules when that is writable (a virtual environment, a user install), else numba's per-user cache folder
(``~/.cache/numba`` on Linux), or ``$NUMBA_CACHE_DIR`` when set; numba picks the first it can write.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["STEPS", "entries", "kernels", "warmup"]


def kernels() -> dict[str, Any]:
    """``"module.function"`` -> numba dispatcher, for every kernel defined in junkan's modules.

    Found by reading the package's source for ``njit`` and importing those modules, so a new kernel is listed (and
    ``tests/integration/test_jit.py`` then checks that :func:`warmup` reaches it) without a list to keep up to date.
    """
    from numba.core.registry import CPUDispatcher

    root = Path(__file__).parent
    out = {}
    for path in sorted(root.rglob("*.py")):
        if "njit" not in path.read_text(encoding="utf-8"):
            continue
        mod = ".".join(("junkan", *path.relative_to(root).with_suffix("").parts))
        for name, obj in vars(importlib.import_module(mod)).items():
            if isinstance(obj, CPUDispatcher) and obj.py_func.__module__ == mod:
                out[f"{mod}.{name}"] = obj
    return out


def entries() -> dict[str, Any]:
    """The kernels called from Python: those no other kernel of their module calls by name. The others are compiled
    into their callers (a warm cache loads the caller's code, helpers included, so only entries show a signature
    after loading)."""
    import inspect

    ks = kernels()
    src = {name: inspect.getsource(d.py_func) for name, d in ks.items()}
    called = set()
    for name in ks:
        mod, fn = name.rsplit(".", 1)
        if any(o != name and o.rsplit(".", 1)[0] == mod and f"{fn}(" in src[o] for o in ks):
            called.add(name)
    return {name: d for name, d in ks.items() if name not in called}


def _clearing_fused() -> None:
    """Shared sparse network, several scenarios: the fused Picard sweep (``_picard_sweep``)."""
    import scipy.sparse

    from junkan.stress.clearing import eisenberg_noe

    n, b = 30, 80
    i = np.arange(n)
    lmat = scipy.sparse.csr_array((np.ones(2 * n), (np.r_[i, i], np.r_[(i + 1) % n, (i + 7) % n])), shape=(n, n))
    e = np.linspace(0.1, 1.5, b)[:, None] * np.ones(n)
    eisenberg_noe(lmat, e, external_liabilities=np.full(n, 0.5))


def _clearing_frozen() -> None:
    """Per-scenario dense networks, as the ecosystem model clears them: the batched frozen solve."""
    from junkan.stress.clearing import rogers_veraart

    n, b = 5, 4
    lmat = np.broadcast_to(np.ones((n, n)) - np.eye(n), (b, n, n)).copy()
    e = np.linspace(0.5, 2.0, b)[:, None] * np.ones(n)
    rogers_veraart(lmat, e, alpha=0.5, beta=0.8, external_liabilities=np.full((b, n), 1.0))


def _stress_sums() -> None:
    """The compensated sums of the Monte Carlo aggregate."""
    from junkan.stress.ecosystem.aggregate import neumaier_add

    neumaier_add(np.zeros(2), np.zeros(2), np.ones((3, 2)))


def _scan() -> None:
    """A small synthetic transaction ledger through every scan pattern: cycle search, flow graph, pattern kernels."""
    import pyarrow as pa

    from junkan.scan import PATTERNS, ScanParams, ledger_from_table, scan, synth_ledger

    s = synth_ledger(400, seed=0)
    led = ledger_from_table(pa.Table.from_pandas(s.transactions, preserve_index=False))
    scan(led, ScanParams(patterns=PATTERNS))


def _long_strings() -> None:
    """Account names longer than a hash key (the CSV reader's exact check of long strings)."""
    import importlib.util

    if importlib.util.find_spec("junkan.scan.strings") is None:
        return
    import pyarrow as pa

    from junkan.scan import strings

    strings.encode(pa.array(["an account name longer than sixteen bytes", "short", "short"]))


#: Warm-up steps, in order: (name, function). Each compiles (or loads from the cache) the kernels it reaches.
STEPS: tuple[tuple[str, Callable[[], None]], ...] = (
    ("clearing: fused Picard sweep", _clearing_fused),
    ("clearing: batched frozen solve", _clearing_frozen),
    ("stress: compensated sums", _stress_sums),
    ("scan: cycles and patterns", _scan),
    ("scan: long account names", _long_strings),
)


def warmup(progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Compile (or load from numba's cache) every kernel of :func:`kernels`; returns seconds per step.

    A fresh install pays the compile here once (see BENCHMARKS.md, "Cold JIT"); run again, it only loads the
    cache. ``progress(step)`` is called before each step.
    """
    out = {}
    for name, fn in STEPS:
        if progress is not None:
            progress(name)
        t0 = time.perf_counter()
        fn()
        out[name] = time.perf_counter() - t0
    return out
