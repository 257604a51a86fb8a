"""Every numba kernel is cached on disk and compiled by ``junkan warmup`` (no timing here: see BENCHMARKS.md)."""

from __future__ import annotations

import importlib
import inspect
import os
from pathlib import Path

import numba
from numba.core.registry import CPUDispatcher

import junkan
from junkan import jit

SRC = Path(junkan.__file__).parent


def _dispatchers_in_source() -> set[str]:
    """``module.function`` of every numba dispatcher defined in junkan's modules (found by reading the source)."""
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "njit" not in text and "numba.jit" not in text:
            continue
        mod = ".".join(("junkan", *path.relative_to(SRC).with_suffix("").parts))
        module = importlib.import_module(mod)
        for name, obj in vars(module).items():
            if isinstance(obj, CPUDispatcher) and obj.py_func.__module__ == mod:
                found.add(f"{mod}.{name}")
    return found


def test_the_warmup_list_is_every_kernel_and_each_caches_on_disk() -> None:
    listed = jit.kernels()
    assert set(listed) == _dispatchers_in_source()
    assert len(listed) >= 18  # clearing 2, stress sums 1, scan cycles 2, flow graph 1, patterns 12 (and more)
    for name, disp in listed.items():
        assert disp.targetoptions.get("cache") or type(disp._cache).__name__ == "FunctionCache", name
        cache_dir = Path(disp._cache._cache_path)
        assert cache_dir.is_dir() and os.access(cache_dir, os.W_OK), (name, cache_dir)


def test_warmup_compiles_every_kernel() -> None:
    """After the warm-up every entry kernel has compiled (or loaded) code, and every other kernel is called by one
    of them (so it is compiled into it: cold, it also gets a signature of its own)."""
    assert numba.config.DISABLE_JIT == 0
    times = jit.warmup()
    assert list(times) == [name for name, _ in jit.STEPS]
    listed = jit.kernels()
    entries = set(jit.entries())
    assert entries <= set(listed)
    for name in entries:
        assert listed[name].signatures, f"{name} was not compiled by the warm-up"
    sources = {name: inspect.getsource(listed[name].py_func) for name in listed}
    reached = set(entries)
    changed = True
    while changed:  # helpers called (by name, in the same module) from an entry or from a reached helper
        changed = False
        for name in set(listed) - reached:
            mod, fn = name.rsplit(".", 1)
            if any(r.rsplit(".", 1)[0] == mod and f"{fn}(" in sources[r] for r in reached):
                reached.add(name)
                changed = True
    assert reached == set(listed)


def test_warmup_command(capsys) -> None:
    from junkan.cli import main

    try:
        main(["warmup"])
    except SystemExit as exc:  # pragma: no cover - main exits only on error
        assert exc.code == 0
    out = capsys.readouterr().out
    assert f"{len(jit.kernels())} kernels compiled or loaded from numba's cache" in out
    assert all(name in out for name, _ in jit.STEPS)
