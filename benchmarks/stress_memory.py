"""Peak memory of one stress run: ``run_stress(junkan.load("ai-compute"), "baseline", runs=RUNS, seed=42)``.

Usage::

    .venv/bin/python benchmarks/stress_memory.py RUNS [KEEP_RUNS]

Prints the wall time, the process's peak resident memory (``ru_maxrss``) and the probability of any default.
``KEEP_RUNS`` is passed as ``run_stress(keep_runs=...)`` (0: keep no per-run values).
"""

from __future__ import annotations

import resource
import sys
import time

import junkan
from junkan.stress.ecosystem import run_stress

runs = int(sys.argv[1])
keep = sys.argv[2] if len(sys.argv) > 2 else "default"
led = junkan.load("ai-compute")
kw = {} if keep == "default" else {"keep_runs": int(keep)}
t0 = time.perf_counter()
r = run_stress(led, "baseline", runs=runs, seed=42, **kw)
dt = time.perf_counter() - t0
s = r.summary()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
print(f"runs={runs} keep={keep} time={dt:.1f}s maxrss={rss:.0f}MB any={s['any_default_probability']:.4f}", flush=True)
