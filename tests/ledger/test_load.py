"""Loading valid datasets: the YAML fixture, the CSV fixture, bundled names; the YAML line map."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import junkan
from junkan.errors import JunkanInputError
from junkan.ledger.csv_import import slugify
from junkan.ledger.load import datasets_root, list_datasets, load
from junkan.ledger.schema import DealKind, Status
from junkan.ledger.yaml_lines import parse_yaml

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini"


def test_load_yaml_fixture_exact_values() -> None:
    led = junkan.load(MINI)
    assert led.origin == str(MINI)
    assert led.info.name == "mini" and led.info.as_of == dt.date(2025, 6, 30)
    assert sorted(led.entities) == ["acme-chips", "cloudco", "gpu-lender", "kabushiki", "modelworks"]
    assert led.entities["acme-chips"].aliases == ["Acme", "ACME Corp"]
    assert [d.id for d in led.deals] == [
        "acme-modelworks-equity-2024",
        "modelworks-acme-purchase-2024",
        "lender-cloudco-loan-2024",
        "cloudco-acme-hardware-2024",
        "modelworks-cloudco-lease-2025",
        "kabushiki-modelworks-2025",
    ]
    eq = led.deal("acme-modelworks-equity-2024")
    assert (eq.amount.high, eq.amount.up_to, eq.amount.committed, eq.amount.drawn) == (1e10, True, 2e9, 1e9)
    assert eq.amount.headline == 1e10 and eq.kind is DealKind.equity_investment and eq.status is Status.signed
    assert [t.amount for t in eq.schedule.tranches] == [1e9, 1e9]  # type: ignore[union-attr]
    assert eq.schedule.tranches[0].date == dt.date(2024, 4, 1)  # type: ignore[union-attr]
    assert [s.url for s in eq.sources] == ["https://example.com/acme-pr", "https://example.com/news-1"]
    assert eq.sources[0].quote == "up to $10 billion"
    pur = led.deal("modelworks-acme-purchase-2024")
    assert (pur.amount.low, pur.amount.high, pur.amount.headline) == (5e9, 8e9, 6.5e9)
    assert (pur.schedule.unit_amount, pur.schedule.units, pur.schedule.capacity_gw) == (1.5e9, 4.0, 4.0)  # type: ignore[union-attr]
    assert [d.id for d in led.legs_of("acme-modelworks-equity-2024")] == ["modelworks-acme-purchase-2024"]
    lease = led.deal("modelworks-cloudco-lease-2025")
    assert lease.amount.estimate and lease.amount.basis == "fixture: 4 years at 1B a year"
    jpy = led.deal("kabushiki-modelworks-2025")
    assert (jpy.amount.value, jpy.amount.currency) == (1.5e11, "JPY")
    assert led.to_usd(jpy.amount.headline, "JPY", jpy.date) == 975_000_000.0  # 150e9 JPY x 0.0065 USD/JPY (2025)
    assert jpy.claims[0].verdict == "wrong"
    assert led.financial("kabushiki", "revenue").value == 6.5e12  # type: ignore[union-attr]
    assert led.financial("modelworks", "revenue").value == 3.7e9  # type: ignore[union-attr]
    assert led.summary()["primary_source_share"] == 0.5


def test_load_accepts_dataset_yaml_path_and_deals_directory(tmp_path: Path) -> None:
    assert len(load(MINI / "dataset.yaml")) == 6
    ds = tmp_path / "split"
    shutil.copytree(MINI, ds)
    (ds / "deals").mkdir()
    text = (ds / "deals.yaml").read_text()
    cut = text.index("- id: lender-cloudco-loan-2024")
    (ds / "deals" / "b.yaml").write_text(text[cut:])
    (ds / "deals" / "a.yml").write_text(text[:cut])
    (ds / "deals.yaml").unlink()
    (ds / "dataset.yaml").unlink()  # optional: the name defaults to the directory's
    led = load(ds)
    assert len(led) == 6 and led.info.name == "split"


def test_load_csv_fixture_exact_values() -> None:
    led = load(DATA / "mini.csv")
    assert led.info.name == "mini"
    assert {e.id: e.name for e in led.entities.values()} == {
        "acme-chips": "Acme Chips",
        "modelworks": "ModelWorks",
        "gpu-lender-fund-l-p": "GPU Lender Fund, L.P.",
        "cloudco": "CloudCo",
    }
    assert led.entities["acme-chips"].aliases == ["ACME CHIPS"]  # same slug, other spelling
    eq = led.deal("acme-mw-equity")
    assert (eq.amount.value, eq.amount.committed, eq.amount.drawn) == (1e10, 2e9, 1e9)
    assert eq.legs == ["mw-acme-purchase"] and eq.title == "Acme invests up to $10B"
    assert led.deal("mw-acme-purchase").amount.headline == 6.5e9
    loan = led.deal("lender-cloud-loan")
    assert (loan.payer, loan.amount.value, loan.amount.currency) == ("gpu-lender-fund-l-p", 2.3e9, "USD")
    hw = led.deal("cloud-acme-hw")
    assert hw.amount.value == 1.5e9 and hw.notes == "multi\nline note" and hw.title == "Hardware, racks"


def test_slugify() -> None:
    assert slugify("CoreWeave, Inc.") == "coreweave-inc"
    assert slugify("Société Générale") == "societe-generale"
    assert slugify("x.ai") == "x.ai"  # valid ids are kept
    assert slugify(slugify("GPU Lender Fund, L.P.")) == "gpu-lender-fund-l-p"
    assert slugify("ソフトバンク").startswith("party-") and slugify("ソフトバンク") != slugify("エヌビディア")


def test_bundled_names() -> None:
    names = list_datasets()
    assert names == sorted(names)
    for name in names:
        assert datasets_root().joinpath(name).is_dir()
    with pytest.raises(JunkanInputError) as exc:
        load("definitely-not-bundled")
    [p] = exc.value.problems
    assert p.message.startswith("unknown dataset 'definitely-not-bundled'") and "bundled datasets are: " in p.message
    if names:
        assert ", ".join(names) in p.message


@pytest.mark.parametrize("name", list_datasets())
def test_every_bundled_dataset_loads(name: str) -> None:
    led = load(name)
    assert led.origin == name and len(led) > 0
    for d in led.deals:
        assert d.sources and all(s.url.startswith(("http://", "https://")) for s in d.sources)


def test_utf16_file_is_named(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "ds")
    (tmp_path / "ds" / "fx.yaml").write_bytes((MINI / "fx.yaml").read_text().encode("utf-16"))
    with pytest.raises(JunkanInputError) as exc:
        load(tmp_path / "ds")
    [p] = exc.value.problems
    assert (p.file, p.line, p.message) == (f"{tmp_path / 'ds'}/fx.yaml", 1, "file is UTF-16 encoded; save it as UTF-8")


def test_bundled_dataset_loads_by_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "pkgdata"
    shutil.copytree(MINI, fake / "mini-bundled")
    (fake / "_private").mkdir()
    monkeypatch.setattr("junkan.ledger.load.datasets_root", lambda: fake)
    assert list_datasets() == ["mini-bundled"]
    led = load("mini-bundled")
    assert led.origin == "mini-bundled" and len(led) == 6
    with pytest.raises(JunkanInputError, match=r"unknown dataset 'mini-bundle' \(did you mean 'mini-bundled'\?\)"):
        load("mini-bundle")


def test_missing_paths_and_wrong_files(tmp_path: Path) -> None:
    with pytest.raises(JunkanInputError, match=r"no such file or directory: 'nowhere/x\.csv'"):
        load("nowhere/x.csv")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(JunkanInputError, match="cannot load this file"):
        load(tmp_path / "notes.txt")
    with pytest.raises(JunkanInputError, match="not a dataset directory"):
        load(tmp_path)
    (tmp_path / "deals.yaml").write_text("[]\n")
    with pytest.raises(JunkanInputError) as exc:
        load(tmp_path)
    assert [p.message for p in exc.value.problems] == ["missing entities.yaml (the list of parties)"]


# ---------------------------------------------------------------- YAML line map


def test_yaml_lines_map_keys_and_items() -> None:
    doc = parse_yaml(b"- id: a\n  amount:\n    low: 1\n    high: 2\n  legs: [x,\n    y]\n", "f.yaml")
    assert doc.problems == []
    assert doc.value == [{"id": "a", "amount": {"low": 1, "high": 2}, "legs": ["x", "y"]}]
    assert doc.line((0, "amount", "high")) == 4
    assert doc.line((0, "legs", 1)) == 6
    assert doc.line((0, "missing", "deeper")) == 1  # falls back to the nearest known parent


def test_yaml_scalars_are_yaml_12_like() -> None:
    doc = parse_yaml("country: NO\nok: yes\nflag: true\ndate: 2025-02-30\nn: 1.5\nm: 100e9\n", "f.yaml")
    assert doc.value == {"country": "NO", "ok": "yes", "flag": True, "date": "2025-02-30", "n": 1.5, "m": "100e9"}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: &x [*x]\n", 1, "recursive alias"),
        ("a: !!python/object:os.system {}\n", 1, "unsupported YAML tag"),
        ("a: !custom 1\n", 1, "could not determine a constructor for the tag '!custom'"),
        ("a: !!timestamp 2025-02-30\n", 1, "cannot read '2025-02-30' as timestamp"),
        ("[" * 200 + "]" * 200, 1, "nested more than"),
    ],
)
def test_yaml_hostile_input(text: str, line: int, fragment: str) -> None:
    doc = parse_yaml(text, "f.yaml")
    assert any(fragment in p.message and p.line == line and p.file == "f.yaml" for p in doc.problems), doc.problems


def test_yaml_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    doc = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert any("YAML expands to more than" in p.message for p in doc.problems)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("entities.yaml", "- id: [\n", "malformed YAML: while parsing a flow node"),
        ("entities.yaml", "acme: {}\n", "expected a list of entities at the top level"),
        (
            "fx.yaml",
            "- {currency: JPY, year: 2024, usd_per_unit: 0, confidence: high, sources: []}\n",
            "greater than 0",
        ),
        ("deals.yaml", "- id: x\n  legs: [y\n", "malformed YAML"),
    ],
)
def test_unreadable_file_does_not_cascade(tmp_path: Path, name: str, content: str, message: str) -> None:
    """A file that cannot be read is one problem, not one per reference to its records."""
    shutil.copytree(MINI, tmp_path / "ds")
    (tmp_path / "ds" / name).write_text(content, encoding="utf-8")
    with pytest.raises(JunkanInputError) as exc:
        load(tmp_path / "ds")
    assert all(p.file == f"{tmp_path / 'ds'}/{name}" for p in exc.value.problems), str(exc.value)
    assert message in exc.value.problems[0].message


def test_focal_vendor_must_name_an_entity(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "ds")
    info = tmp_path / "ds" / "dataset.yaml"
    lines = info.read_text().splitlines()
    info.write_text("\n".join([*lines, "focal_vendor: acme-chip"]) + "\n")
    with pytest.raises(JunkanInputError) as ei:
        load(tmp_path / "ds")
    (p,) = ei.value.problems
    assert (p.file, p.line, p.field) == (f"{tmp_path / 'ds'}/dataset.yaml", len(lines) + 1, "focal_vendor")
    assert p.message == "focal_vendor names unknown entity 'acme-chip' (did you mean 'acme-chips'?)"
    info.write_text("\n".join([*lines, "focal_vendor: acme-chips"]) + "\n")
    assert load(tmp_path / "ds").info.focal_vendor == "acme-chips"
