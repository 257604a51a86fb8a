"""``junkan scan`` and ``junkan scan synth`` end to end."""

import json

import pandas as pd
import pytest

from junkan.cli import main

LEDGER = (
    "id,timestamp,src,dst,amount,kind,src_kind,dst_kind\n"
    "t1,2024-01-02,Orts,Agency,100,advertising fee,expense,revenue\n"
    "t2,2024-01-03,Agency,Partner,95,media,expense,revenue\n"
    "t3,2024-01-04,Partner,Orts,92,licence purchase,expense,revenue\n"
    "t4,2024-01-05,Orts,Landlord,40,rent,expense,revenue\n"
)


def run(argv, capsys):
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def ledger(tmp_path):
    p = tmp_path / "ledger.csv"
    p.write_text(LEDGER)
    return p


def test_scan_json(ledger, capsys):
    code, out, _ = run(["scan", str(ledger), "--format", "json", "--window", "30d", "--max-len", "4"], capsys)
    assert code == 0
    alerts = json.loads(out)
    assert [(a["accounts"], a["transactions"]) for a in alerts] == [(["Orts", "Agency", "Partner"], ["t1", "t2", "t3"])]
    assert alerts[0]["labels"] == ["advertising fee", "media", "licence purchase"]
    # the explicit form gives the same
    code2, out2, _ = run(["scan", "run", str(ledger), "-f", "json", "--window", "30d", "--max-len", "4"], capsys)
    assert code2 == 0 and json.loads(out2) == alerts


def test_scan_table_and_csv(ledger, capsys):
    code, out, _ = run(["scan", str(ledger)], capsys)
    assert code == 0 and "1 alerts in 1 groups" in out
    code, out, _ = run(["scan", str(ledger), "-f", "csv"], capsys)
    assert code == 0
    assert out.splitlines()[1].startswith("1,1,cycle,")
    assert "Orts;Agency;Partner" in out


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".json"])
def test_scan_output_files(ledger, tmp_path, capsys, suffix):
    target = tmp_path / f"alerts{suffix}"
    code, _, err = run(["scan", str(ledger), "--output", str(target)], capsys)
    assert code == 0 and "1 alerts" in err
    if suffix == ".parquet":
        df = pd.read_parquet(target)
        assert list(df["transactions"].iloc[0]) == ["t1", "t2", "t3"]
    elif suffix == ".csv":
        assert pd.read_csv(target)["transactions"].tolist() == ["t1;t2;t3"]
    else:
        assert json.loads(target.read_text())[0]["accounts"] == ["Orts", "Agency", "Partner"]


def test_bad_rows_exit_2_and_write_nothing(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text("id,timestamp,src,dst,amount\n1,2024-01-01,a,b,100\n2,2024-13-45,b,a,x\n")
    target = tmp_path / "alerts.json"
    code, _, err = run(["scan", str(p), "-o", str(target)], capsys)
    assert code == 2
    assert "line 3, field 'timestamp'" in err and "line 3, field 'amount'" in err
    assert not target.exists() and list(tmp_path.iterdir()) == [p]


@pytest.mark.parametrize(
    "args",
    [["--window", "soon"], ["--tolerance", "lots"], ["--engine", "gpu"], ["-f", "xml"], ["-f", "parquet"],
     ["--patterns", "cycle,loops"], ["--columns", "amount"]],
)  # fmt: skip
def test_bad_options_exit_2(ledger, capsys, args):
    code, _, err = run(["scan", str(ledger), *args], capsys)
    assert code == 2 and "problem" in err


def test_column_mapping(tmp_path, capsys):
    p = tmp_path / "l.csv"
    p.write_text("ref,date,from,to,eur\na,2024-01-01,X,Y,10\nb,2024-01-02,Y,X,10\n")
    code, out, _ = run(
        ["scan", str(p), "-f", "json", "--columns", "id=ref,timestamp=date,src=from,dst=to,amount=eur"], capsys
    )
    assert code == 0 and json.loads(out)[0]["transactions"] == ["a", "b"]


def test_synth_then_scan(tmp_path, capsys):
    target = tmp_path / "synth.parquet"
    code, _, err = run(["scan", "synth", str(target), "-n", "3000", "--seed", "9", "--plant", "orts=3"], capsys)
    assert code == 0 and "3 planted patterns" in err
    truth = pd.read_csv(tmp_path / "synth.truth.csv")
    assert truth["pattern_id"].nunique() == 3
    code, out, _ = run(["scan", str(target), "-f", "json", "--patterns", "cycle"], capsys)
    found = {tuple(a["transactions"]) for a in json.loads(out)}
    planted = {tuple(g.sort_values("position")["transaction"]) for _, g in truth.groupby("pattern_id")}
    assert planted <= found


def _csv(tmp_path, rows):
    p = tmp_path / "gs.csv"
    lines = ["id,timestamp,src,dst,amount"]
    t0 = pd.Timestamp("2024-01-01")
    lines += [f"{i},{(t0 + pd.Timedelta(days=d)).isoformat()},{s},{t},{a}" for i, d, s, t, a in rows]
    p.write_text("\n".join(lines) + "\n")
    return p


GS = [("i1", 1, "S1", "H", 100.0), ("i2", 2, "S2", "H", 200.0), ("i3", 3, "S3", "H", 100.0),
      ("o1", 4, "H", "R1", 150.0), ("o2", 5, "H", "R2", 150.0), ("o3", 6, "H", "R3", 95.0)]  # fmt: skip


def _gs(tmp_path, capsys, rows, *args):
    code, out, err = run(["scan", str(_csv(tmp_path, rows)), "-f", "json", "--patterns", "gather-scatter",
                          "--window", "30d", *args], capsys)  # fmt: skip
    assert code == 0, err
    return [a["transactions"] for a in json.loads(out)]


def test_evidence_options_reach_the_scan(tmp_path, capsys):
    # --min-baseline: five other payments of 120 make the pattern's amounts ordinary for H (U / mn = 0.5)
    other = [(f"x{i}", 100 + i, "H", f"Y{i}", 120.0) for i in range(5)]
    assert _gs(tmp_path, capsys, [*GS, *other]) == []
    assert _gs(tmp_path, capsys, [*GS, *other], "--min-baseline", "0.5") == [["i1", "i2", "i3", "o1", "o2", "o3"]]
    # --min-share: Z's 900 on day 20 leaves the pattern 795 / 1695 = 0.469 of H's turnover
    assert _gs(tmp_path, capsys, [*GS, ("z", 20, "Z", "H", 900.0)]) == []
    assert len(_gs(tmp_path, capsys, [*GS, ("z", 20, "Z", "H", 900.0)], "--min-share", "0.4")) == 1
    # --materiality: a rent payment of 20 is left out of the alert unless materiality is 0
    rent = [*GS, ("r1", 3.5, "H", "L", 20.0)]
    assert _gs(tmp_path, capsys, rent) == [["i1", "i2", "i3", "o1", "o2", "o3"]]
    assert _gs(tmp_path, capsys, rent, "--materiality", "0") == [["i1", "i2", "i3", "r1", "o1", "o2", "o3"]]


def test_min_share_sg_option(tmp_path, capsys):
    rows = [("s1", 1, "O", "M1", 100.0), ("s2", 1.5, "O", "M2", 100.0), ("s3", 2, "O", "M3", 101.0),
            ("g1", 3, "M1", "B", 98.0), ("g2", 4, "M2", "B", 97.0), ("g3", 5, "M3", "B", 99.0),
            ("x", 10, "O", "X", 10_000.0)]  # fmt: skip
    p = _csv(tmp_path, rows)
    base = ["scan", str(p), "-f", "json", "--patterns", "scatter-gather", "--window", "30d"]
    assert json.loads(run(base, capsys)[1]) == []
    assert len(json.loads(run([*base, "--min-share-sg", "0.05"], capsys)[1])) == 1


@pytest.mark.parametrize(
    "args", [["--min-share", "1.5"], ["--min-share-sg", "-0.1"], ["--materiality", "2"], ["--min-baseline", "-1"]]
)
def test_bad_evidence_options_exit_2(ledger, capsys, args):
    code, _, err = run(["scan", str(ledger), *args], capsys)
    assert code == 2 and "problem" in err


def test_help_documents_the_evidence_options(capsys):
    code, out, _ = run(["scan", "run", "--help"], capsys)
    assert code == 0
    for opt in ("--min-share", "--min-share-sg", "--materiality", "--min-baseline"):
        assert opt in out


def test_cli_defaults_are_the_api_defaults():
    import inspect

    from junkan.cli.scan import run as run_cmd
    from junkan.scan import ScanParams

    defaults = {name: p.default for name, p in inspect.signature(run_cmd).parameters.items()}
    api = ScanParams()
    for name in ("min_share", "min_share_sg", "materiality", "min_baseline", "min_fan", "max_len"):
        assert defaults[name] == getattr(api, name), name


def test_scan_loads_no_deal_analysis(ledger):
    """``junkan scan`` imports only what a scan needs: not the deal ledger (pydantic models) or its analyses."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from junkan.cli import main\n"
        "try:\n"
        f"    main(['scan', {str(ledger)!r}, '-f', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('junkan.') and m.count('.') >= 1}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    packages = set(json.loads(proc.stdout.strip().splitlines()[-1].replace("'", '"')))
    assert packages & {"ledger", "flows", "assess", "stress", "report", "app"} == set()
    assert "scan" in packages
