"""Cold and warm JIT cost of every numba kernel: compile into an empty cache vs load from the cache.

Usage::

    .venv/bin/python benchmarks/jit_bench.py [--warm-repeat 3] [--json out.json]

Runs ``junkan.jit.warmup()`` (which reaches every kernel through the public entry points, on tiny inputs) in fresh
subprocesses with ``NUMBA_CACHE_DIR`` set to a new temporary folder: first with the folder empty (*cold*: every
kernel is compiled and written to the cache, what a fresh install's first command pays), then again with the same
folder (*warm*: the code is loaded from the cache, what every later process pays; best of ``--warm-repeat``). Each
subprocess wraps ``numba.core.dispatcher.Dispatcher.compile`` (where numba both compiles and loads cached code) to
time each kernel: *inclusive* of the kernels it calls, and *exclusive* (minus the junkan kernels it calls, which are
reported on their own rows). The warm-up steps' wall times and the subprocess's ``import numba`` and ``import
junkan.jit`` times are printed too. A kernel only called from other kernels has no warm row: a warm cache loads it
inside its caller's code.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

CHILD = r"""
import json, time
t0 = time.perf_counter()
import numba
from numba.core import dispatcher
t_numba = time.perf_counter() - t0
records = []
stack = []
orig = dispatcher.Dispatcher.compile

def timed(self, sig):
    name = f"{self.py_func.__module__}.{self.py_func.__qualname__}"
    stack.append([name, 0.0])
    t = time.perf_counter()
    try:
        return orig(self, sig)
    finally:
        dt = time.perf_counter() - t
        _, child = stack.pop()
        own = name.startswith("junkan.")
        records.append({"kernel": name, "inclusive": dt, "exclusive": dt - child, "junkan": own})
        if stack:
            # a junkan callee is reported on its own row; numba's own helpers count toward their caller
            stack[-1][1] += dt if own else 0.0

dispatcher.Dispatcher.compile = timed
t1 = time.perf_counter()
from junkan import jit
t_import = time.perf_counter() - t1
steps = jit.warmup()
print(json.dumps({"records": records, "steps": steps, "import_numba": t_numba, "import_jit": t_import}))
"""


def run_child(cache: str) -> dict[str, Any]:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def per_kernel(res: dict[str, Any]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for r in res["records"]:
        if not r["junkan"]:
            continue
        k = out.setdefault(r["kernel"], {"inclusive": 0.0, "exclusive": 0.0})
        k["inclusive"] += r["inclusive"]
        k["exclusive"] += r["exclusive"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warm-repeat", type=int, default=3)
    ap.add_argument("--json", default=None, help="also write the raw measurements here")
    args = ap.parse_args()
    from junkan import jit

    names = sorted(jit.kernels())
    with tempfile.TemporaryDirectory(prefix="junkan-numba-cache-") as cache:
        cold = run_child(cache)
        warms = [run_child(cache) for _ in range(args.warm_repeat)]
    ck = per_kernel(cold)
    wk = [per_kernel(w) for w in warms]
    print(f"# {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; numba cache in a fresh temporary folder")
    print()
    print("| kernel | cold: compile, exclusive (inclusive) | warm: load from cache (best of "
          f"{args.warm_repeat}) |")  # fmt: skip
    print("|---|---|---|")
    for name in names:
        c = ck.get(name)
        w = [x[name]["inclusive"] for x in wk if name in x]
        cold_s = f"{c['exclusive']:.2f} s ({c['inclusive']:.2f} s)" if c else "not compiled"
        warm_s = f"{min(w) * 1e3:.0f} ms" if w else "(inside its caller)"
        print(f"| `{name.removeprefix('junkan.')}` | {cold_s} | {warm_s} |")
    print()
    print("| warm-up step | cold | warm (best) |")
    print("|---|---|---|")
    for step in cold["steps"]:
        print(f"| {step} | {cold['steps'][step]:.2f} s | {min(w['steps'][step] for w in warms):.2f} s |")
    total_c = sum(cold["steps"].values())
    total_w = min(sum(w["steps"].values()) for w in warms)
    print(f"| **all** | **{total_c:.1f} s** | **{total_w:.2f} s** |")
    print()
    print(f"import numba {cold['import_numba']:.2f} s, import junkan.jit {cold['import_jit']:.2f} s (cold process)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"cold": cold, "warm": warms}, fh, indent=1)


if __name__ == "__main__":
    main()
