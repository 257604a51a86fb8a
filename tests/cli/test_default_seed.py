"""Without ``--seed`` the commands use the documented fixed seed (``junkan.random.DEFAULT_SEED``), recorded in the
output, so two runs on the same data print the same numbers."""

from __future__ import annotations

import json

import pytest

from _helpers import run_cli
from junkan.random import DEFAULT_SEED


def test_default_seed_is_documented_value() -> None:
    assert DEFAULT_SEED == 42


def test_cycles_null_without_seed_is_reproducible(capsys: pytest.CaptureFixture[str], csv_data: str) -> None:
    docs = []
    for _ in range(2):
        code, out, _ = run_cli(capsys, "cycles", "--data", csv_data, "--null", "7", "-f", "json")
        assert code == 0
        docs.append(json.loads(out))
    assert docs[0]["summary"]["significance"]["seed"] == DEFAULT_SEED
    assert docs[0] == docs[1]


def test_stress_without_seed_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    docs = []
    for _ in range(2):
        code, out, _ = run_cli(capsys, "stress", "--runs", "20", "-f", "json")
        assert code == 0
        docs.append(json.loads(out))
    assert docs[0]["seed"] == DEFAULT_SEED
    assert docs[0] == docs[1]
