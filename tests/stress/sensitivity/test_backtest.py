"""The lucent-2000 backtest: its assumptions load against the dataset, the lender's credit loss by hand, the CLI starts
a historical case at its known_at date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import junkan
from junkan.cli import main
from junkan.stress.backtest import lender_credit_loss
from junkan.stress.ecosystem import load_assumptions


@pytest.fixture(scope="module")
def lucent():
    return junkan.load("lucent-2000")


def test_assumptions_load_against_the_dataset(lucent):
    a = load_assumptions("lucent-2000", lucent)
    assert set(a.parties) == {"lucent", "winstar", "sprint-pcs", "wireless-carriers-five"}
    assert a.recovery.alpha == 0.4


def test_lender_credit_loss_by_hand(lucent):
    # drawn lines (ledger): WinStar 700M, Sprint PCS 62M, five carriers 16M; LGD 1 - 0.4 = 0.6
    rows = lender_credit_loss(
        lucent, {"winstar": 0.5, "sprint-pcs": 0.1, "lucent": 0.0}, "lucent", 0.4, as_of=dt.date(2000, 6, 30)
    )
    assert [r["borrower"] for r in rows] == ["winstar", "sprint-pcs"]
    assert rows[0]["expected_loss"] == pytest.approx(700e6 * 0.5 * 0.6)
    assert rows[1]["expected_loss"] == pytest.approx(62e6 * 0.1 * 0.6)
    # before the WinStar line existed (October 1998) only Sprint PCS's May 1997 line counts
    early = lender_credit_loss(lucent, {"winstar": 0.5, "sprint-pcs": 0.1}, "lucent", 0.4, as_of=dt.date(1998, 1, 1))
    assert [r["borrower"] for r in early] == ["sprint-pcs"]


def test_cli_runs_a_historical_case_as_known_at(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["stress", "--data", "lucent-2000", "--runs", "20", "--format", "json"])
    assert exc.value.code in (0, None)
    obj = json.loads(capsys.readouterr().out)
    assert obj["as_of"] == "2000-06-30"
    assert obj["horizon"] == "2000Q2..2003Q1"
