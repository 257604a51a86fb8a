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
from typing import Any

import numpy as np

__all__ = ["ENTRIES", "KERNELS", "STEPS", "kernels", "warmup"]

#: Every numba kernel (module, function): ``tests/test_jit.py`` checks that this lists every dispatcher in junkan.
KERNELS: tuple[tuple[str, str], ...] = (
    ("junkan.stress.clearing", "_picard_sweep"),
    ("junkan.stress.clearing", "_frozen_solve"),
    ("junkan.stress.ecosystem.aggregate", "_neumaier_add"),
    ("junkan.scan.kernel", "_search_one"),
    ("junkan.scan.kernel", "_run"),
    ("junkan.scan.flowgraph", "_segment_cumsum"),
    ("junkan.scan.pattern_kernels", "_n_unique_sorted"),
    ("junkan.scan.pattern_kernels", "_turnover"),
    ("junkan.scan.pattern_kernels", "_sum_sorted_rows"),
    ("junkan.scan.pattern_kernels", "_rows_of_legs"),
    ("junkan.scan.pattern_kernels", "_put_unique_sorted"),
    ("junkan.scan.pattern_kernels", "_sort_spread"),
    ("junkan.scan.pattern_kernels", "_sg_key"),
    ("junkan.scan.pattern_kernels", "_large_for_account"),
    ("junkan.scan.pattern_kernels", "_gs_key"),
    ("junkan.scan.pattern_kernels", "_fan_key"),
    ("junkan.scan.pattern_kernels", "_one_key"),
    ("junkan.scan.pattern_kernels", "_run"),
)


#: The kernels called from Python; the others are called only from these (and compiled into them: a warm cache
#: loads the entry kernel's code, helpers included, so only entries show a signature after loading).
ENTRIES: tuple[tuple[str, str], ...] = (
    ("junkan.stress.clearing", "_picard_sweep"),
    ("junkan.stress.clearing", "_frozen_solve"),
    ("junkan.stress.ecosystem.aggregate", "_neumaier_add"),
    ("junkan.scan.kernel", "_run"),
    ("junkan.scan.flowgraph", "_segment_cumsum"),
    ("junkan.scan.pattern_kernels", "_run"),
)


def kernels() -> dict[str, Any]:
    """``"module.function"`` -> numba dispatcher, for every entry of :data:`KERNELS`."""
    out = {}
    for mod, name in KERNELS:
        out[f"{mod}.{name}"] = getattr(importlib.import_module(mod), name)
    return out


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
    from junkan.stress.ecosystem.aggregate import _neumaier_add

    _neumaier_add(np.zeros(2), np.zeros(2), np.ones((3, 2)))


def _scan() -> None:
    """A small synthetic transaction ledger through every scan pattern: cycle search, flow graph, pattern kernels."""
    import pyarrow as pa

    from junkan.scan import PATTERNS, ScanParams, ledger_from_table, scan, synth_ledger

    s = synth_ledger(400, seed=0)
    led = ledger_from_table(pa.Table.from_pandas(s.transactions, preserve_index=False))
    scan(led, ScanParams(patterns=PATTERNS))


#: Warm-up steps, in order: (name, function). Each compiles (or loads from the cache) the kernels it reaches.
STEPS: tuple[tuple[str, Callable[[], None]], ...] = (
    ("clearing: fused Picard sweep", _clearing_fused),
    ("clearing: batched frozen solve", _clearing_frozen),
    ("stress: compensated sums", _stress_sums),
    ("scan: cycles and patterns", _scan),
)


def warmup(progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Compile (or load from numba's cache) every kernel of :data:`KERNELS`; returns seconds per step.

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
