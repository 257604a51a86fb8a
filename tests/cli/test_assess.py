"""``junkan assess`` end to end: JSON on bundled and CSV datasets, overrides, one case's detail, bad input."""

from __future__ import annotations

import json

import pytest

from _helpers import run_cli


def test_json_on_a_csv_dataset(capsys, csv_data):
    code, out, _ = run_cli(capsys, "assess", csv_data, "--no-history", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["inputs"]["datasets"] == ["deals"]
    cases = {c["case"]: c for c in doc["cases"]}
    assert set(cases) == {"deals", "deals/inv"}
    c = cases["deals"]
    assert c["vendor"] == "vendor" and c["customers"] == ["customer"]
    rts = c["indicators"][0]
    assert rts["name"] == "round_trip_share"
    assert rts["value"] == pytest.approx(100 / 150)  # earmarked 100 of the 150 the vendor receives in the case
    assert c["region"] == "insufficient evidence"  # a CSV has no financials: 1 of 7 indicators
    assert c["coverage"] == pytest.approx(1 / 7)


def test_json_with_history_side_by_side(capsys):
    code, out, _ = run_cli(capsys, "assess", "--level", "dataset", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    regions = {c["case"]: c["region"] for c in doc["cases"]}
    assert regions["orts-2024"] == "round trip without real demand"
    assert regions["global-crossing-qwest-2001"] == "round trip without real demand"
    assert regions["lucent-2000"] == "vendor financing of customers that cannot pay"
    assert regions["nortel-2001"] == "vendor financing of customers that cannot pay"
    assert next(iter(regions)) == "ai-compute"
    assert doc["thresholds"]["genuine_demand"] == {"good": 0.6, "bad": 0.2}


def test_every_bundled_dataset_scores(capsys):
    for name in ("ai-compute", "lucent-2000", "nortel-2001", "global-crossing-qwest-2001", "orts-2024"):
        code, out, err = run_cli(capsys, "assess", name, "--no-history", "--format", "csv")
        assert code == 0, err
        assert out.splitlines()[0].startswith("case,dataset,level,label,vendor")
        assert out.splitlines()[1].startswith(f"{name},{name},dataset,")


def test_set_moves_an_ai_arrangement(capsys):
    cid = "ai-compute/msft-openai-2019"
    _, out, _ = run_cli(capsys, "assess", "--no-history", "--level", "arrangement", "--case", cid, "--format", "json")
    assert json.loads(out)["region"] == "market creation, customer dependent on new funding"
    code, out, _ = run_cli(
        capsys,
        "assess",
        "--no-history",
        "--level",
        "arrangement",
        "--case",
        cid,
        "--set",
        "microsoft.operating_cash_flow=1B",
        "--format",
        "json",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["region"] == "vendor financing of customers that cannot pay"
    vf = next(i for i in doc["indicators"] if i["name"] == "vendor_funding")
    assert vf["value"] == pytest.approx(13e9 / 1e9)  # $13B committed against $1B of cash flow
    assert any(e["type"] == "override" for e in vf["evidence"])


def test_case_table_prints_reasons(capsys):
    code, out, _ = run_cli(capsys, "assess", "orts-2024", "--no-history", "--level", "dataset", "--case", "orts-2024")
    assert code == 0
    assert "round trip without real demand" in out
    assert "genuine_demand" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--set", "openai.revenue"], "write NAME=VALUE"),
        (["--set", "openai.revenue=lots"], "cannot read"),
        (["--set", "nobody.revenue=1"], "no dataset has a party"),
        (["--threshold", "strain=0.4"], "unknown threshold"),
        (["--level", "deal"], "unknown level"),
        (["--case", "ai-compute/nope"], "no case"),
        (["--format", "xml"], "unknown format"),
        (["--basis", "paid"], "unknown basis"),
    ],
)
def test_bad_input_exits_2(capsys, argv, message):
    code, _, err = run_cli(capsys, "assess", "--no-history", *argv)
    assert code == 2
    assert message in err
