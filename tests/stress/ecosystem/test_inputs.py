"""Bad assumptions and scenario files are rejected with the file, line and key."""

from __future__ import annotations

import copy

import pytest
import yaml

from junkan.errors import JunkanInputError
from junkan.ledger.model import Ledger
from junkan.stress.ecosystem import load_assumptions, load_scenario, run_stress
from junkan.stress.ecosystem.scenarios import NAMED_SCENARIOS, list_scenarios

from .helpers import assumptions_dict, chain_assumptions, chain_ledger, deal, party


def _write(tmp_path, name, obj):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(obj, sort_keys=False))
    return p


def _base():
    return assumptions_dict({"a": party(cash=1.0), "b": party()})


def _problem(exc: JunkanInputError):
    assert len(exc.problems) >= 1
    return exc.problems[0]


def test_unknown_key_names_file_and_key(tmp_path):
    d = _base()
    d["parties"]["a"]["cassh"] = {"value": 1, "estimate": True, "basis": "typo"}
    p = _write(tmp_path, "bad.yaml", d)
    with pytest.raises(JunkanInputError) as ei:
        load_assumptions(p)
    prob = _problem(ei.value)
    assert prob.file == str(p)
    assert prob.field == "parties.a.cassh"
    assert "unknown key" in prob.message
    assert prob.line is not None


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        (("parties", "a", "cash"), {"value": -5, "estimate": True, "basis": "x"}, "must not be negative"),
        (("parties", "a", "cost_ratio"), {"value": 1.5, "estimate": True, "basis": "x"}, "probability"),
        (("realisation", "signed"), {"low": 0.5, "high": 1.2, "estimate": True, "basis": "x"}, "less than or equal"),
        (("gpu", "depreciation_years"), {"value": 0, "estimate": True, "basis": "x"}, "positive"),
        (("parties", "a", "revenue"), {"value": 5}, "source"),
    ],
)
def test_impossible_values_are_rejected(tmp_path, path, value, needle):
    d = _base()
    node = d
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    p = _write(tmp_path, "bad.yaml", d)
    with pytest.raises(JunkanInputError) as ei:
        load_assumptions(p)
    prob = _problem(ei.value)
    assert prob.file == str(p)
    assert prob.field is not None and prob.field.startswith(".".join(path))
    assert needle in prob.message


def test_party_missing_from_ledger(tmp_path):
    d = _base()
    d["parties"]["ghost"] = party()
    p = _write(tmp_path, "a.yaml", d)
    ledger = Ledger.build([deal("a-b", "a", "b", [("2026-02-15", 1.0)])], create_missing_entities=True)
    with pytest.raises(JunkanInputError) as ei:
        load_assumptions(p, ledger)
    prob = _problem(ei.value)
    assert prob.field == "parties.ghost" and "not in the ledger" in prob.message


def test_capex_supplier_must_be_modelled(tmp_path):
    d = _base()
    d["parties"]["a"]["capex_suppliers"] = {"zed": {"value": 0.3, "estimate": True, "basis": "x"}}
    p = _write(tmp_path, "a.yaml", d)
    with pytest.raises(JunkanInputError, match="zed"):
        load_assumptions(p)


@pytest.mark.parametrize(
    ("scenario", "field", "needle"),
    [
        ({"name": "x", "shockz": []}, "shockz", "unknown key"),
        ({"name": "x", "shocks": [{"type": "gpu_price", "start": "2026Q1", "change": -1.5}]}, "shocks[0]", "greater"),
        ({"name": "x", "realisation": {"signed": 1.5}}, "realisation", "between 0 and 1"),
        ({"name": "x", "channels": {"telepathy": False}}, "channels", "unknown channel"),
        ({"name": "x", "shocks": [{"type": "meteor", "start": "2026Q1"}]}, "shocks[0]", "tag"),
        (
            {"name": "x", "shocks": [{"type": "rate", "start": "2026Q5", "delta": 0.01}]},
            "shocks[0].rate.start",
            "pattern",
        ),
    ],
)
def test_bad_scenarios(tmp_path, scenario, field, needle):
    p = _write(tmp_path, "sc.yaml", scenario)
    with pytest.raises(JunkanInputError) as ei:
        load_scenario(p)
    prob = _problem(ei.value)
    assert prob.file == str(p)
    assert prob.field is not None and prob.field.startswith(field)
    assert needle in prob.message


def test_scenario_with_unknown_party(tmp_path):
    p = _write(
        tmp_path,
        "sc.yaml",
        {"name": "x", "shocks": [{"type": "funding_freeze", "start": "2026Q2", "parties": ["zed"]}]},
    )
    with pytest.raises(JunkanInputError) as ei:
        run_stress(chain_ledger(), p, runs=2, seed=1, assumptions=chain_assumptions())
    prob = _problem(ei.value)
    assert prob.file == str(p) and prob.field == "shocks[0].parties[0]" and "zed" in prob.message


def test_unknown_scenario_name():
    with pytest.raises(JunkanInputError, match="unknown scenario 'nope'"):
        load_scenario("nope")


def test_include_cycle(tmp_path):
    _write(tmp_path, "a.yaml", {"name": "a", "include": ["b.yaml"]})
    _write(tmp_path, "b.yaml", {"name": "b", "include": ["a.yaml"]})
    with pytest.raises(JunkanInputError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")


def test_named_scenarios_are_bundled_and_valid():
    assert set(NAMED_SCENARIOS) <= set(list_scenarios())
    for name in list_scenarios():
        sc = load_scenario(name)
        assert sc.description


def test_combination_concatenates_shocks():
    winter = load_scenario("ai-winter")
    parts = ["agi-disappointment", "gpu-price-collapse", "openai-funding-freeze", "hyperscaler-capex-cut"]
    assert len(winter.shocks) == sum(len(load_scenario(p).shocks) for p in parts)
    assert winter.realisation  # the funding freeze's on_hold override survives


def test_bundled_assumptions_load_against_the_dataset():
    import junkan

    ledger = junkan.load("ai-compute")
    a = load_assumptions("ai-compute", ledger)
    assert "nvidia" in a.parties and "openai" in a.parties
    for pid, p in a.parties.items():
        for name, f in p:
            if hasattr(f, "ledger") and f.ledger is None and f.value is not None:
                assert f.estimate or (f.source and f.confidence), f"{pid}.{name} lacks provenance"


def test_bad_overrides_and_runs():
    with pytest.raises(JunkanInputError, match="overrides"):
        run_stress(chain_ledger(), runs=2, seed=1, assumptions=chain_assumptions(), overrides={"gpu_prize": -0.3})
    with pytest.raises(JunkanInputError, match="runs"):
        run_stress(chain_ledger(), runs=0, seed=1, assumptions=chain_assumptions())
    with pytest.raises(JunkanInputError, match="channel"):
        run_stress(chain_ledger(), runs=2, seed=1, assumptions=chain_assumptions(), channels={"x": False})


def test_copy_is_not_shared():
    d = _base()
    d2 = copy.deepcopy(d)
    assert d == d2
