"""``junkan stress``: JSON with the seed, same seed same output, bad input exits 2."""

from __future__ import annotations

import json

import pytest

from junkan.cli import main


def _run(capsys, argv):
    with pytest.raises(SystemExit) as ei:
        main(argv)
    out = capsys.readouterr()
    return ei.value.code, out.out, out.err


def test_json_records_seed_and_repeats(capsys):
    argv = ["stress", "--scenario", "gpu-price-collapse", "--runs", "30", "--seed", "4", "--format", "json"]
    try:
        main(argv)
    except SystemExit as exc:  # pragma: no cover - main exits only on error
        assert exc.code == 0
    first = capsys.readouterr().out
    try:
        main(argv)
    except SystemExit as exc:  # pragma: no cover
        assert exc.code == 0
    second = capsys.readouterr().out
    obj = json.loads(first)
    assert obj["seed"] == 4 and obj["runs"] == 30 and obj["scenario"] == "gpu-price-collapse"
    assert len(obj["assumptions_hash"]) == 16
    assert {p["party"] for p in obj["parties"]} >= {"nvidia", "openai", "coreweave"}
    assert obj["focal"] == "nvidia" and "p95" in obj["focal_revenue_at_risk"]  # dataset.yaml focal_vendor
    assert first == second


def test_unknown_scenario_exits_2(capsys):
    code, _, err = _run(capsys, ["stress", "--scenario", "nope", "--runs", "5"])
    assert code == 2 and "unknown scenario" in err


def test_bad_scenario_file_names_file_and_key(capsys, tmp_path):
    p = tmp_path / "mine.yaml"
    p.write_text("name: mine\nshocks:\n  - {type: rate, start: 2026Q2, delta: 0.01, colour: red}\n")
    code, _, err = _run(capsys, ["stress", "--scenario", str(p), "--runs", "5"])
    assert code == 2 and "mine.yaml" in err and "colour" in err and "line 3" in err


def test_focal_party_is_chosen_and_checked(capsys):
    argv = ["stress", "--runs", "20", "--seed", "4", "--format", "json", "--focal", "nvidia"]
    try:
        main(argv)
    except SystemExit as exc:  # pragma: no cover - main exits only on error
        assert exc.code == 0
    obj = json.loads(capsys.readouterr().out)
    nvidia = next(p for p in obj["parties"] if p["party"] == "nvidia")
    assert obj["focal"] == "nvidia"
    assert obj["focal_revenue_at_risk"]["mean"] == nvidia["revenue_at_risk_mean"]
    assert obj["focal_revenue_at_risk"]["p95"] == nvidia["revenue_at_risk_p95"]
    code, _, err = _run(capsys, ["stress", "--runs", "5", "--focal", "nvdia"])
    assert code == 2 and "unknown focal party 'nvdia'" in err
