"""``junkan report`` end to end: writes the file, prints the summary, bad input exits 2."""

from __future__ import annotations

import pytest

from _helpers import run_cli


def test_report_of_a_csv_dataset(capsys, csv_data, tmp_path):
    out = tmp_path / "sub" / "r.html"
    code, stdout, _ = run_cli(capsys, "report", "--data", csv_data, "-o", str(out), "--seed", "3", "--no-stress")
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
        (["--uncertainty", "-1"], "--uncertainty"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(capsys, tmp_path, args, needle):
    out = tmp_path / "r.html"
    code, stdout, stderr = run_cli(capsys, "report", "-o", str(out), *args)
    assert code == 2
    assert needle in " ".join((stdout + stderr).replace("'", "").split())
    assert not out.exists()


def test_summary_prints_the_circularity_index(capsys, csv_data, tmp_path):
    # Vendor -> Customer 100, Customer -> Vendor 150: 100 goes round on each edge, 200 of 250 = 80%
    out = tmp_path / "r.html"
    args = ("report", "--data", csv_data, "-o", str(out), "--no-stress")
    code, stdout, _ = run_cli(capsys, *args, "--uncertainty", "0")
    assert code == 0
    flat = " ".join(stdout.split())
    assert "circularity index 80.0%" in flat and "interval" not in flat.split("circularity index", 1)[1][:12]
    # exact amounts: every draw gives the same web, so the interval is the point
    code, stdout, _ = run_cli(capsys, *args, "--uncertainty", "20", "--seed", "1")
    assert code == 0
    assert "circularity index 80.0% (90% interval 80.0%-80.0%, 20 draws)" in " ".join(stdout.split())
