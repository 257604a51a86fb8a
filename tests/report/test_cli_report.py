"""``junkan report`` end to end: writes the file, prints the summary, bad input exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from junkan.cli import main

CSV = """id,date,kind,payer,payee,amount,currency,status,confidence,source_url,legs
inv,2025-01-01,equity_investment,Vendor,Customer,100,USD,signed,high,https://example.com/a,buy
buy,2025-02-01,hardware_purchase,Customer,Vendor,150,USD,signed,high,https://example.com/b,inv
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def csv_data(tmp_path: Path) -> str:
    p = tmp_path / "deals.csv"
    p.write_text(CSV, encoding="utf-8")
    return str(p)


def test_report_of_a_csv_dataset(capsys, csv_data, tmp_path):
    out = tmp_path / "sub" / "r.html"
    code, stdout, _ = run(capsys, "report", "--data", csv_data, "-o", str(out), "--seed", "3", "--no-stress")
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert '<section id="network">' in html and '<section id="scorecard">' in html
    flat = " ".join(stdout.split())
    assert "2 deals, 2 parties" in flat
    assert "250 committed" in flat  # 100 + 150
    assert "left out: stress" in flat
    assert "seed 3" in flat


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--scenario", "no-such-scenario"], "unknown scenario"),
        (["--map-period", "month"], "year or quarter"),
        (["--runs", "0"], "--runs"),
        (["--data", "no-such-dataset"], "unknown dataset"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(capsys, tmp_path, args, needle):
    out = tmp_path / "r.html"
    code, stdout, stderr = run(capsys, "report", "-o", str(out), *args)
    assert code == 2
    assert needle in " ".join((stdout + stderr).replace("'", "").split())
    assert not out.exists()
