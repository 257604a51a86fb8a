"""``junkan warmup``: compile every numba kernel into numba's on-disk cache (once, after install).

Usage::

    junkan warmup

A fresh install otherwise pays the compile (seconds per kernel, see BENCHMARKS.md "Cold JIT") on the first command
that reaches each kernel; after ``junkan warmup`` every command loads the cached code. ``scripts/main.sh`` runs it
after ``pip install``. Prints the seconds each step took (a second run shows the cache-load cost only).
"""

from __future__ import annotations

from junkan.cli._common import console


def warmup() -> None:
    """Compile every numba kernel into numba's cache (run once after install; later runs only load it)."""
    from junkan.jit import kernels
    from junkan.jit import warmup as run

    times = run(progress=lambda step: console.print(f"warming up {step} ...", highlight=False))
    for step, secs in times.items():
        console.print(f"  {step}: {secs:.2f} s", highlight=False)
    console.print(f"{len(kernels())} kernels compiled or loaded from numba's cache.", highlight=False)
