"""``junkan cycles``, ``junkan trace`` and ``junkan exposure`` end to end: JSON documents, CSV datasets, bad input."""

from __future__ import annotations

import json

import pytest

from _helpers import deal, ledger, run_cli
from junkan.cli import analysis
from junkan.ledger.load import list_datasets


def test_trace_worked_example_from_a_csv_dataset(capsys, csv_data):
    code, out, _ = run_cli(capsys, "trace", "Vendor", "--data", csv_data, "--external", "customer=100", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["summary"]["own_money_share"] == pytest.approx(0.5)
    assert doc["summary"]["returned"] == pytest.approx(75)
    assert doc["earmarked"]["own_money_share"] == pytest.approx(2 / 3)  # legs tie the investment to the purchase
    assert doc["paths"] == [{"path": ["vendor", "customer"], "amount": pytest.approx(75)}]


def test_cycles_json_document(capsys, csv_data):
    code, out, _ = run_cli(capsys, "cycles", "--data", csv_data, "--null", "5", "--seed", "3", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"summary", "cycles", "scores"}
    assert doc["summary"]["cycles"] == 1
    assert doc["summary"]["significance"]["seed"] == 3
    (c,) = doc["cycles"]
    assert c["parties"] == ["customer", "vendor"]
    assert c["bottleneck"] == 100
    assert c["pattern"] == "equity_for_purchase"
    assert c["time_path"] == ["inv", "buy"]


def test_exposure_json_and_csv(capsys, csv_data):
    code, out, _ = run_cli(capsys, "exposure", "--data", csv_data, "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["vendors"][0]["vendor"] == "vendor"
    assert doc["vendors"][0]["financing"] == 100
    code, out, _ = run_cli(capsys, "exposure", "--data", csv_data, "-f", "csv", "--table", "concentration")
    assert code == 0
    assert out.splitlines()[0].startswith("vendor,receipts,customers,top_customer")


def test_table_output_and_all_parties(capsys, csv_data):
    code, out, _ = run_cli(capsys, "trace", "--data", csv_data, "--outside", "none")
    assert code == 0
    assert "own-money share" in out
    code, out, _ = run_cli(capsys, "trace", "vendor", "--data", csv_data)
    assert code == 0
    assert "receipts by origin" in out
    code, out, _ = run_cli(capsys, "cycles", "--data", csv_data, "--null", "0")
    assert code == 0
    assert "1 cycles" in out


def test_unknown_party_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setattr(analysis, "load_ledger", lambda data: ledger(deal("a", "nvidia", "openai", 1)))
    code, _out, err = run_cli(capsys, "trace", "NVDIA")
    assert code == 2
    assert "unknown party 'NVDIA'" in err
    assert "did you mean 'nvidia'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (("cycles", "--as-of", "2025-13-01"), "invalid date"),
        (("cycles", "--max-len", "1"), "max-len"),
        (("cycles", "--nature", "cash,gift"), "unknown flow nature"),
        (("cycles", "--basis", "paid"), "unknown basis"),
        (("trace", "nvidia", "--external", "openai"), "PARTY=AMOUNT"),
        (("trace", "nvidia", "--outside", "guess"), "outside-inflow policy"),
        (("exposure", "--table", "x"), "unknown table"),
    ],
)
def test_bad_options_exit_2(capsys, monkeypatch, argv, message):
    monkeypatch.setattr(analysis, "load_ledger", lambda data: ledger(deal("a", "nvidia", "openai", 1)))
    code, _, err = run_cli(capsys, *argv)
    assert code == 2
    assert message in err


def test_empty_network_gives_notes_not_errors(capsys, monkeypatch):
    monkeypatch.setattr(analysis, "load_ledger", lambda data: ledger(deal("a", "nvidia", "openai", 1)))
    code, out, _ = run_cli(capsys, "cycles", "--basis", "drawn", "--null", "3", "--seed", "1")
    assert code == 0
    assert "empty" in out
    code, out, _ = run_cli(capsys, "trace", "openai", "--basis", "drawn", "-f", "json")
    assert code == 0
    assert json.loads(out)["summary"]["own_money_share"] is None
    code, out, _ = run_cli(capsys, "exposure", "--basis", "drawn")
    assert code == 0


@pytest.mark.parametrize("name", list_datasets())
def test_every_bundled_dataset(capsys, name):
    code, out, err = run_cli(capsys, "cycles", "--data", name, "--null", "3", "--seed", "0", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["summary"]["significance"]["seed"] == 0
    code, out, err = run_cli(capsys, "exposure", "--data", name, "-f", "json")
    assert code == 0, err
    code, out, err = run_cli(capsys, "trace", "--data", name, "-f", "json")
    assert code == 0, err
    parties = json.loads(out)["parties"]
    for row in parties:
        share = row["own_money_share"]
        assert share is None or -1e-9 <= share <= 1 + 1e-9


def test_trace_respect_time_and_the_unfunded_fields(capsys, monkeypatch):
    from junkan.flows import own_money_share

    led = ledger(
        deal("buy", "c", "v", 150, "2025-01-01", "hardware_purchase"),
        deal("inv", "v", "c", 100, "2025-03-01", "equity_investment"),
    )
    monkeypatch.setattr(analysis, "load_ledger", lambda data: led)
    for flag, time in (((), False), (("--respect-time",), True)):
        code, out, err = run_cli(capsys, "trace", "v", "--outside", "none", "--external", "c=100", *flag, "-f", "json")
        assert code == 0, err
        s = json.loads(out)["summary"]
        api = own_money_share(led, "v", outside="none", external={"c": 100}, respect_time=time).summary()
        for key in ("returned", "unfunded", "own_money_share", "own_money_share_of_receipts", "view"):
            assert s[key] == (pytest.approx(api[key]) if isinstance(api[key], float) else api[key])
        assert s["respect_time"] is time
    code, out, _ = run_cli(capsys, "trace", "v", "--outside", "none", "--respect-time")
    assert code == 0
    assert "view: time-respecting" in out
    assert "unfunded" in out


def test_trace_and_cycles_uncertainty_match_the_api(capsys, monkeypatch):
    from _helpers import SRC
    from junkan.flows import find_cycles, own_money_share
    from junkan.ledger import Amount, Deal

    inv = Deal(
        id="inv",
        date=__import__("datetime").date(2025, 1, 1),
        kind="equity_investment",
        payer="v",
        payee="c",
        amount=Amount(low=50, high=150),
        status="signed",
        confidence="medium",
        sources=SRC,
    )
    led = ledger(inv, deal("buy", "c", "v", 150, "2025-02-01"))
    monkeypatch.setattr(analysis, "load_ledger", lambda data: led)
    code, out, err = run_cli(
        capsys, "trace", "v", "--outside", "none", "--uncertainty", "300", "--seed", "4", "-f", "json"
    )
    assert code == 0, err
    s = json.loads(out)["summary"]
    api = own_money_share(led, "v", outside="none", uncertainty=300, seed=4).summary()
    assert s["own_money_share_of_receipts_interval"] == pytest.approx(api["own_money_share_of_receipts_interval"])
    assert s["seed"] == 4
    code, out, _ = run_cli(capsys, "trace", "--outside", "none", "--uncertainty", "50", "-f", "json")
    assert code == 0
    assert "own_money_share_p5" in json.loads(out)["parties"][0]
    code, out, _ = run_cli(capsys, "cycles", "--null", "0", "--uncertainty", "200", "--seed", "4", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    ref = find_cycles(led, uncertainty=200, seed=4).summary()
    assert doc["summary"]["cycle_volume_interval"] == pytest.approx(ref["cycle_volume_interval"])
    code, _, err = run_cli(capsys, "trace", "v", "--uncertainty", "-2")
    assert code == 2 and "--uncertainty" in err
