"""``junkan deals list|show|validate|export``: output in each format, filters, exit codes, atomic export."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from _helpers import run_cli

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = str(DATA / "mini")


def test_list_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "deals", "list", "--data", MINI, "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["id"] for r in rows][:2] == ["acme-modelworks-equity-2024", "modelworks-acme-purchase-2024"]
    r = rows[0]
    for key in ("id", "date", "kind", "payer", "payee", "amount", "currency", "committed", "drawn", "status",
                "confidence", "source_url", "source_urls"):  # fmt: skip
        assert key in r
    assert (r["amount"], r["committed"], r["drawn"], r["date"], r["up_to"]) == (1e10, 2e9, 1e9, "2024-03-01", True)


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["--kind", "lease", "--kind", "gpu_backed_debt"], ["lender-cloudco-loan-2024",
                                                             "modelworks-cloudco-lease-2025"]),
        (["--status", "closed"], ["cloudco-acme-hardware-2024", "kabushiki-modelworks-2025"]),
        (["--party", "Kabushiki Holdings"], ["kabushiki-modelworks-2025"]),
        (["--party", "acme"], ["acme-modelworks-equity-2024", "modelworks-acme-purchase-2024",
                               "cloudco-acme-hardware-2024"]),
        (["--since", "2025-01-10"], ["modelworks-cloudco-lease-2025", "kabushiki-modelworks-2025"]),
        (["--until", "2024-03-01"], ["acme-modelworks-equity-2024", "modelworks-acme-purchase-2024"]),
        (["--min-confidence", "high", "--since", "2024-05-01"], ["lender-cloudco-loan-2024",
                                                                  "kabushiki-modelworks-2025"]),
    ],
)  # fmt: skip
def test_list_filters(capsys: pytest.CaptureFixture[str], args: list[str], ids: list[str]) -> None:
    code, out, _ = run_cli(capsys, "deals", "list", "--data", MINI, "--format", "json", *args)
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == ids


def test_list_csv_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "deals", "list", "--data", MINI, "--format", "csv", "--kind", "lease")
    assert code == 0
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["id"], row["amount"], row["estimate"], row["legs"]) == (
        "modelworks-cloudco-lease-2025", "4000000000.0", "True", "",
    )  # fmt: skip
    code, out, _ = run_cli(capsys, "deals", "list", "--data", MINI, "--kind", "lease")
    assert code == 0 and "1 deals" in out and "4.0B" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "gift"], "field '--kind': unknown value 'gift'; allowed values: equity_investment,"),
        (["--status", "done"], "field '--status': unknown value 'done'; allowed values: rumoured,"),
        (["--min-confidence", "sure"], "field '--min-confidence': unknown value 'sure'; allowed values: high"),
        (["--since", "2025-13-01"], "field '--since': invalid date '2025-13-01'; write YYYY-MM-DD"),
        (["--since", "2025-02-01", "--until", "2025-01-01"], "--since (2025-02-01) is after --until (2025-01-01)"),
        (["--party", "Akme"], "unknown party 'Akme' in"),
        (["--format", "xml"], "field '--format': unknown format 'xml'; choose one of table, json, csv"),
    ],
)
def test_list_bad_options_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run_cli(capsys, "deals", "list", "--data", MINI, *args)
    assert code == 2
    assert message in err and "Traceback" not in err and out == ""


def test_show_table_json_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "deals", "show", "acme-modelworks-equity-2024", "--data", MINI)
    assert code == 0
    for text in ("Acme invests up to $10B in ModelWorks", "up to 10.0B USD", "press_release (primary)",
                 "https://example.com/news-1", '"up to $10 billion"', "modelworks-acme-purchase-2024",
                 "first cluster live", "committed"):  # fmt: skip
        assert text in out
    code, out, _ = run_cli(capsys, "deals", "show", "kabushiki-modelworks-2025", "--data", MINI)
    assert "about 975.0M USD at 0.0065 USD/JPY" in out and "[wrong] Kabushiki paid $5B" in out
    code, out, _ = run_cli(capsys, "deals", "show", "modelworks-acme-purchase-2024", "--data", MINI, "-f", "json")
    doc = json.loads(out)
    assert doc["schedule"]["unit_amount"] == 1.5e9 and doc["schedule"]["units"] == 4.0
    assert doc["derived"]["headline"] == 6.5e9 and doc["derived"]["all_legs"] == ["acme-modelworks-equity-2024"]
    assert doc["amount"]["low"] == 5e9 and doc["sources"][0]["date"] == "2024-03-02"
    code, out, _ = run_cli(capsys, "deals", "show", "modelworks-acme-purchase-2024", "--data", MINI, "-f", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["amount"] == "6500000000.0" and row["low"] == "5000000000.0"


def test_show_unknown_id_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "deals", "show", "lender-cloudco-loan-2042", "--data", MINI)
    assert code == 2 and out == ""
    assert "no deal 'lender-cloudco-loan-2042'" in err and "did you mean 'lender-cloudco-loan-2024'" in err


def test_validate_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "deals", "validate", MINI, "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {
            "dataset": "mini",
            "origin": MINI,
            "ok": True,
            "deals": 6,
            "parties": 5,
            "entities": 5,
            "years": "2024-2025",
            "primary_source_share": 0.5,
            "financials": 4,
            "fx_rates": 2,
        }
    ]
    # PATH defaults to --data
    code, out2, _ = run_cli(capsys, "deals", "validate", "--data", MINI, "--format", "json")
    assert (code, out2) == (0, out)
    code, out, _ = run_cli(capsys, "deals", "validate", str(DATA / "mini.csv"), "--format", "csv")
    assert code == 0 and "mini," in out and ",4,4,4,2024-2024,0.0,0,0" in out


def test_validate_all_reports_each_bundled_dataset(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:  # fmt: skip
    fake = tmp_path / "datasets"
    shutil.copytree(MINI, fake / "good-one")
    shutil.copytree(MINI, fake / "bad-one")
    (fake / "bad-one" / "fx.yaml").write_text("[]\n")
    monkeypatch.setattr("junkan.ledger.load.datasets_root", lambda: fake)
    code, out, err = run_cli(capsys, "deals", "validate", "--all", "--format", "json")
    assert code == 2
    assert [r["origin"] for r in json.loads(out)] == ["good-one"]
    assert f"{fake / 'bad-one'}/deals.yaml, line 90, field 'amount.currency'" in err
    shutil.rmtree(fake / "bad-one")
    code, out, _ = run_cli(capsys, "deals", "validate", "--all", "--format", "csv")
    assert code == 0 and out.startswith("dataset,origin,ok,")


@pytest.mark.parametrize("ext", ["csv", "json", "parquet", "graphml"])
def test_export_each_format(capsys: pytest.CaptureFixture[str], tmp_path: Path, ext: str) -> None:
    out_file = tmp_path / f"out.{ext}"
    code, out, _ = run_cli(capsys, "deals", "export", "--data", MINI, "--to", str(out_file), "-f", "json")
    assert code == 0 and out_file.stat().st_size > 0
    assert json.loads(out) == [{"file": str(out_file), "format": ext, "deals": 6, "parties": 5}]


def test_export_with_as_and_filters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "deals.txt"
    code, _, _ = run_cli(capsys, "deals", "export", "--data", MINI, "--to", str(out_file), "--as", "json",
                         "--kind", "lease")  # fmt: skip
    assert code == 0
    assert [d["id"] for d in json.loads(out_file.read_text())["deals"]] == ["modelworks-cloudco-lease-2025"]


def test_export_writes_nothing_on_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    shutil.copytree(MINI, ds)
    (ds / "deals.yaml").write_text((ds / "deals.yaml").read_text().replace("status: signed", "status: sined", 1))
    target = tmp_path / "out" / "deals.csv"
    code, out, err = run_cli(capsys, "deals", "export", "--data", str(ds), "--to", str(target))
    assert code == 2 and "unknown status 'sined'" in err and out == ""
    assert not target.exists()
    existing = tmp_path / "keep.parquet"
    existing.write_bytes(b"previous")
    code, _, _ = run_cli(capsys, "deals", "export", "--data", str(ds), "--to", str(existing))
    assert code == 2 and existing.read_bytes() == b"previous"
    code, _, err = run_cli(capsys, "deals", "export", "--data", MINI, "--to", str(tmp_path / "x.xlsx"))
    assert code == 2 and "cannot tell the format from the extension '.xlsx'" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_installed_script_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "junkan"
    if not script.exists():
        pytest.skip("the junkan script is not installed beside this interpreter")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,date,kind,payer,payee,amount,currency,status,confidence,source_url\n"
                   "d1,2025-02-30,loan,A,B,1B,USD,signed,high,https://example.com/1\n", encoding="utf-8")  # fmt: skip
    proc = subprocess.run([str(script), "deals", "validate", str(bad)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert f"{bad}, row 2, field 'date': invalid date '2025-02-30'" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
