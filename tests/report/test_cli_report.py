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
    ],
)
def test_bad_input_exits_2_and_writes_nothing(capsys, tmp_path, args, needle):
    out = tmp_path / "r.html"
    code, stdout, stderr = run_cli(capsys, "report", "-o", str(out), *args)
    assert code == 2
    assert needle in " ".join((stdout + stderr).replace("'", "").split())
    assert not out.exists()
