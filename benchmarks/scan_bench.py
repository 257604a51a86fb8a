"""Benchmark ``junkan scan`` against snapml, igraph and networkx on the same synthetic ledgers, side by side.

Usage::

    .venv/bin/python benchmarks/scan_bench.py --sizes 100000 1000000 10000000 --out benchmarks/results/scan.json
    .venv/bin/python benchmarks/scan_bench.py --sizes 1000000 --format csv --tools junkan junkan-process snapml \
        --peer-python /tmp/snapvenv/bin/python --repeat 3

Each tool runs in its own subprocess (so peak memory is its own, and a tool that does not finish within
``--timeout`` seconds is reported as such). The ledgers come from :func:`junkan.scan.synth_ledger` (seed 2024), written
as Parquet or (``--format csv``) as CSV, the way ``junkan scan synth`` writes them. Settings: a 10-day window; junkan
with no amount tolerance (pure temporal cycles, as snapml counts them) and cycles up to ``--max-len`` transactions,
on ``--threads`` threads. With ``--repeat N`` every tool runs N times and the fastest run is kept (the others are
listed), since the dev container is shared with other jobs.

- junkan: read and validate the file (``read_s``, fastest of three; the compiled kernels are loaded first,
  untimed), build the search graph (SCCs once), enumerate the cycles (the transaction ids of each are returned), then
  a full default scan (cycles with a 10% tolerance, scatter-gather, gather-scatter) with alerts.
- junkan-process: the whole ``junkan scan run LEDGER --window 10d -f json`` command as a new process (imports,
  reading, validation, the full default scan, JSON out to /dev/null): wall time and the process's peak RSS; and
  ``import_s``, a new process that only imports what the command imports.
- snapml ``GraphFeaturePreprocessor`` with only ``temp-cycle`` on (10-day window, same threads): per-transaction
  counts of temporal cycles, not the cycles themselves. ``snapml-patterns``: ``temp-cycle``, ``scatter-gather`` and
  ``fan`` on (10-day windows), the counterpart of junkan's full scan (counts per transaction, no instances).
- igraph ``Graph.simple_cycles(min=2, max=L)`` and networkx ``simple_cycles(G, length_bound=L)`` on the static
  account graph (no times, no window: the tools have none), where they finish.

Optional installs (not junkan dependencies): ``pip install snapml igraph``, in the same environment or, with
``--peer-python``, in another one (e.g. ``python3 -m venv /tmp/snapvenv && /tmp/snapvenv/bin/pip install snapml
pandas pyarrow``): the peers' workers then run under that interpreter and need only numpy, pandas and pyarrow.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WINDOW_DAYS = 10
PEERS = ("snapml", "snapml-patterns", "igraph", "networkx")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(tool: str, ledger: str, max_len: int, threads: int) -> dict[str, object]:
    out: dict[str, object] = {"tool": tool}
    if tool == "junkan-process":
        out.update(process_run(ledger, max_len, threads))
        return out
    if tool in ("junkan", "junkan-1thread"):
        import numba

        from junkan.scan import ScanParams, read_ledger, scan, synth_ledger
        from junkan.scan.graph import build_search_graph
        from junkan.scan.kernel import find_cycles
        from junkan.scan.reader import ledger_from_table

        n_threads = 1 if tool == "junkan-1thread" else threads
        numba.set_num_threads(min(n_threads, int(getattr(numba.config, "NUMBA_NUM_THREADS", 1))))
        import pyarrow as pa

        warm = synth_ledger(500, seed=1)  # load the cached compiled kernels, the reader's too (not timed)
        with tempfile.TemporaryDirectory() as tmp:
            warm.write(Path(tmp) / "warm.csv")
            read_ledger(Path(tmp) / "warm.csv")
        scan(ledger_from_table(pa.Table.from_pandas(warm.transactions, preserve_index=False)))
        reads = []
        for _ in range(3):  # the read alone is short: fastest of three
            t0 = time.perf_counter()
            led = read_ledger(ledger)
            reads.append(time.perf_counter() - t0)
        out["read_s"], out["read_runs_s"] = min(reads), reads
        p = ScanParams(window_ns=WINDOW_DAYS * 86_400 * 10**9, max_len=max_len, tolerance=None, max_cycles=10**8)
        t1 = time.perf_counter()
        g = build_search_graph(led, p)
        out["graph_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        cycles, _ = find_cycles(g, p, n_threads=n_threads)
        out["cycles_s"] = time.perf_counter() - t2
        out["temporal_s"] = out["graph_s"] + out["cycles_s"]  # type: ignore[operator]
        out["cycles"] = len(cycles)
        out["edges_in_sccs"] = g.n_edges
        t3 = time.perf_counter()
        res = scan(led, ScanParams(window_ns=WINDOW_DAYS * 86_400 * 10**9, max_len=max_len), n_threads=n_threads)
        out["full_scan_s"] = time.perf_counter() - t3
        out["full_scan_timings"] = res.timings
        out["alerts"] = len(res.alerts)
        out["by_pattern"] = res.summary()["by_pattern"]
    elif tool in ("snapml", "snapml-patterns"):
        import numpy as np
        from snapml import GraphFeaturePreprocessor

        t = _peer_table(ledger, ["timestamp", "src", "dst"])
        codes, _ = __import__("pandas").factorize(np.concatenate([t["src"].to_numpy(), t["dst"].to_numpy()]))
        n = len(t)
        x = np.empty((n, 4), dtype=np.float64)
        x[:, 0] = np.arange(n)
        x[:, 1] = codes[:n]
        x[:, 2] = codes[n:]
        x[:, 3] = t["timestamp"].to_numpy().astype("datetime64[s]").astype(np.int64)
        x = x[np.argsort(x[:, 3], kind="stable")]
        gp = GraphFeaturePreprocessor()
        params = gp.get_params()
        tw = WINDOW_DAYS * 86_400
        full = tool == "snapml-patterns"
        params.update(
            {"num_threads": threads, "vertex_stats": False, "fan": full, "fan_tw": tw, "degree": False,
             "scatter-gather": full, "scatter-gather_tw": tw, "temp-cycle": True, "temp-cycle_tw": tw,
             "lc-cycle": False}
        )  # fmt: skip
        gp.set_params(params)
        t0 = time.perf_counter()
        feats = gp.fit_transform(x)
        out["temporal_s"] = time.perf_counter() - t0
        if not full:
            out["edges_on_a_cycle"] = int((feats[:, 4:].sum(axis=1) > 0).sum())
    elif tool in ("igraph", "networkx"):
        t = _peer_table(ledger, ["src", "dst"]).drop_duplicates()
        t = t[t["src"] != t["dst"]]
        if tool == "igraph":
            import igraph

            g = igraph.Graph.TupleList(t.itertuples(index=False), directed=True)
            t0 = time.perf_counter()
            cyc = g.simple_cycles(min=2, max=max_len)
        else:
            import networkx as nx

            g = nx.DiGraph()
            g.add_edges_from(t.itertuples(index=False))
            t0 = time.perf_counter()
            cyc = list(nx.simple_cycles(g, length_bound=max_len))
        out["static_s"] = time.perf_counter() - t0
        out["cycles"] = len(cyc[0]) if tool == "igraph" and isinstance(cyc, tuple) else len(cyc)
    out["peak_rss_mb"] = _peak_mb()
    return out


def _peer_table(ledger: str, columns: list[str]) -> Any:
    """The peers' input (not timed): the columns of a Parquet or CSV ledger as a pandas frame."""
    import pyarrow as pa

    if ledger.endswith(".csv"):
        import pyarrow.csv as pacsv

        types = {"timestamp": pa.timestamp("s"), "src": pa.string(), "dst": pa.string()}
        opts = pacsv.ConvertOptions(include_columns=columns, column_types={c: types[c] for c in columns})
        return pacsv.read_csv(ledger, convert_options=opts).to_pandas()
    import pyarrow.parquet as pq

    return pq.read_table(ledger, columns=columns).to_pandas()


def process_run(ledger: str, max_len: int, threads: int) -> dict[str, object]:
    """``junkan scan run LEDGER`` as a whole new process: wall seconds and peak RSS (MB) of that process."""
    script = Path(sys.executable).with_name("junkan")
    cmd = [str(script), "scan", "run", ledger, "--window", f"{WINDOW_DAYS}d", "--max-len", str(max_len),
           "--threads", str(threads), "-f", "json"]  # fmt: skip
    env = dict(os.environ, NUMBA_NUM_THREADS=str(max(threads, 1)))
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"junkan scan failed: {err[-2000:]}")
    t1 = time.perf_counter()  # what the command imports before it reads anything
    subprocess.run([sys.executable, "-c", "import junkan.cli, junkan.cli.scan, junkan.scan"], check=True, env=env)
    return {"process_s": wall, "process_cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
            "import_s": time.perf_counter() - t1}  # fmt: skip


def uniform_ledger(n: int, path: Path, seed: int = 2024) -> None:
    """The peers' setting (research notes): uniform random payer and payee among n/5 accounts, times over a year."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    n_acc = max(10, n // 5)
    src = rng.integers(0, n_acc, n)
    dst = (src + rng.integers(1, n_acc, n)) % n_acc
    t = np.sort(rng.integers(0, 365 * 86_400, n)) + 1_704_067_200
    table = pa.table(
        {
            "id": pa.array(np.arange(n)).cast(pa.string()),
            "timestamp": pa.array(t * 10**9, pa.timestamp("ns")),
            "src": pa.array(src).cast(pa.string()),
            "dst": pa.array(dst).cast(pa.string()),
            "amount": np.round(rng.lognormal(7.0, 1.5, n), 2),
        }
    )
    pq.write_table(table, path)


def run_tool(
    tool: str, ledger: Path, max_len: int, threads: int, timeout: float, python: str = sys.executable
) -> dict[str, object]:
    cmd = [python, __file__, "--worker", tool, "--ledger", str(ledger), "--max-len", str(max_len),
           "--threads", str(threads)]  # fmt: skip
    env = dict(os.environ, NUMBA_NUM_THREADS=str(max(threads, 1)))
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"tool": tool, "status": f"did not finish in {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"tool": tool, "status": "failed", "stderr": proc.stderr[-2000:]}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["status"] = "ok"
    res["wall_s"] = time.perf_counter() - t0
    return res


def _speed(res: dict[str, object]) -> float:
    """The figure a run is ranked by: the whole process, the full scan or the peer's fit."""
    for key in ("process_s", "full_scan_s", "temporal_s", "static_s"):
        if isinstance(res.get(key), float):
            return float(res[key])  # type: ignore[arg-type]
    return float("inf")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--tools", nargs="+", default=["junkan", "junkan-1thread", "snapml", "igraph", "networkx"])
    ap.add_argument("--kinds", nargs="+", default=["synth", "uniform"], help="synth (supply chain) and/or uniform")
    ap.add_argument("--max-len", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--format", choices=["parquet", "csv"], default="parquet", help="ledger file format")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool; the fastest is kept")
    ap.add_argument("--peer-python", default=sys.executable, help="interpreter for snapml, igraph and networkx")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--ledger", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.ledger, args.max_len, args.threads)))
        return

    from junkan.scan import synth_ledger

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="junkan-bench-"))
    results = []
    for kind in args.kinds:
        for n in args.sizes:
            ledger = workdir / f"ledger_{kind}_{n}.{args.format}"
            if not ledger.exists():
                t0 = time.perf_counter()
                if kind == "synth":
                    synth_ledger(n, seed=2024).write(ledger)
                elif args.format == "parquet":
                    uniform_ledger(n, ledger)
                else:
                    raise SystemExit("the uniform ledger is written as Parquet only")
                print(f"# generated {kind} {n:,} transactions in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            for tool in args.tools:
                python = args.peer_python if tool in PEERS else sys.executable
                runs = [run_tool(tool, ledger, args.max_len, args.threads, args.timeout, python)]
                runs += [run_tool(tool, ledger, args.max_len, args.threads, args.timeout, python)
                         for _ in range(args.repeat - 1)]  # fmt: skip
                res = min(runs, key=_speed)
                if len(runs) > 1:
                    res["all_runs_s"] = [_speed(r) for r in runs]
                res["transactions"] = n
                res["ledger"] = kind
                print(json.dumps(res), flush=True)
                results.append(res)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        meta = {"cpus": os.cpu_count(), "threads": args.threads, "max_len": args.max_len, "window_days": WINDOW_DAYS,
                "python": sys.version.split()[0], "format": args.format, "load_average": os.getloadavg()}  # fmt: skip
        args.out.write_text(json.dumps({"meta": meta, "results": results}, indent=2))


if __name__ == "__main__":
    main()
