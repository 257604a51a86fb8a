"""``junkan circularity`` end to end: the JSON document is the API's, tables and CSV, bad input exits 2."""

from __future__ import annotations

import json

import pytest

from _helpers import deal, ledger, run_cli
from junkan.cli import analysis
from junkan.flows import circularity


def web():
    return ledger(
        deal("ab", "a", "b", 1, "2024-01-10"),
        deal("ba", "b", "a", 1, "2024-03-10"),
        deal("bc", "b", "c", 1, "2025-02-01"),
        deal("ca", "c", "a", 1, "2025-05-01"),
    )


@pytest.fixture
def mini(monkeypatch):
    monkeypatch.setattr(analysis, "load_ledger", lambda data: web())


def test_json_is_the_api_result(capsys, mini):
    for method in ("max", "bff"):
        code, out, err = run_cli(capsys, "circularity", "--method", method, "--by", "year", "-f", "json")
        assert code == 0, err
        doc = json.loads(out)
        api = circularity(web(), method=method, by="year").to_dict()
        assert doc["index"] == pytest.approx(api["index"])
        assert doc["edges"] == api["edges"]
        assert doc["parties"] == api["parties"]
        assert doc["by_period"] == api["by_period"]
        assert doc["summary"]["method"] == method
    # the hand values of the overlapping cycles (tests/flows/test_circularity.py)
    assert json.loads(run_cli(capsys, "circularity", "-f", "json")[1])["index"] == pytest.approx(0.75)


def test_by_period_table_and_csv(capsys, mini):
    code, out, _ = run_cli(capsys, "circularity", "--by", "year")
    assert code == 0
    assert "circularity index 75.0% (max)" in out
    assert "index of the cumulative web at each year end" in out
    code, out, _ = run_cli(capsys, "circularity", "--by", "year", "-f", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "period,as_of,index,circular_flow,total_flow,edges"
    # 2024: a <-> b only, all circular; 2025: the whole web, 3 of 4 (max)
    assert lines[1].startswith("2024,2024-12-31,1.0,2.0,2.0,2")
    assert lines[2].startswith("2025,2025-05-01,0.75,3.0,4.0,4")
    code, out, _ = run_cli(capsys, "circularity", "-f", "csv")
    assert out.splitlines()[0] == "payer,payee,amount,circular,acyclic,circular_share"


@pytest.mark.parametrize(
    "argv, message",
    [
        (("circularity", "--method", "lp"), "unknown circularity method"),
        (("circularity", "--by", "month"), "unknown period"),
        (("circularity", "--as-of", "2025-02-30"), "invalid date"),
        (("circularity", "--uncertainty", "-1"), "--uncertainty"),
        (("circularity", "-f", "xml"), "format"),
    ],
)
def test_bad_input_exits_2(capsys, mini, argv, message):
    code, _, err = run_cli(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_uncertainty_interval_is_the_api_one(capsys, mini):
    code, out, err = run_cli(capsys, "circularity", "--uncertainty", "20", "--seed", "7", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    # every amount of the mini web is disclosed: the interval is the point index
    assert doc["index_interval"] == [pytest.approx(0.75), pytest.approx(0.75)]
    assert doc["summary"]["seed"] == 7
    code, out, _ = run_cli(capsys, "circularity", "--uncertainty", "20", "--seed", "7")
    assert "90% interval 75.0% - 75.0%" in " ".join(out.split())


def test_shares_json_is_the_api_result(capsys, monkeypatch):
    from junkan.flows.investor import investor_view

    led = ledger(
        deal("inv", "v", "c", 100, "2025-03-01", "equity_investment"),
        deal("buy", "c", "v", 150, "2025-04-01", "purchase_commitment"),
    )
    monkeypatch.setattr(analysis, "load_ledger", lambda data: led)
    code, out, err = run_cli(capsys, "shares", "v", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["customers"] == investor_view(led, "v").to_dict()["customers"]
    code, out, _ = run_cli(capsys, "shares", "v")
    assert code == 0 and "customers: financing, purchases" in out
    code, _, err = run_cli(capsys, "shares", "nobody")
    assert code == 2 and "unknown party" in err
