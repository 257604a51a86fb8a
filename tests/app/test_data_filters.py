"""The dashboard's data and filter logic, without Streamlit: uploads, dataset choices, deal filters."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

import junkan
from junkan.app import app_path
from junkan.app.data import (
    MAX_UPLOAD_BYTES,
    bundled_datasets,
    dataset_choices,
    load_upload,
    safe_upload_name,
    upload_key,
)
from junkan.app.filters import CONFIDENCE_LEVELS, DealFilters, filter_options
from junkan.errors import JunkanInputError

LOOP_CSV = Path(__file__).parent / "data" / "loop.csv"


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point tempfile at an empty folder of our own, to see what an upload leaves behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_app_path_is_the_streamlit_script() -> None:
    assert app_path().name == "app.py"
    assert app_path().is_file()


def test_bundled_datasets_put_ai_compute_first() -> None:
    names = bundled_datasets()
    assert names[0] == "ai-compute"
    assert {"lucent-2000", "nortel-2001"} <= set(names)
    assert names[1:] == sorted(names[1:])


def test_dataset_choices_add_a_path_first() -> None:
    assert dataset_choices(None) == bundled_datasets()
    assert dataset_choices("lucent-2000") == bundled_datasets()
    assert dataset_choices("/x/deals.csv") == ["/x/deals.csv", *bundled_datasets()]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("deals.csv", "deals.csv"),
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\x\\my deals (1).csv", "my_deals_1_.csv"),
        ("..csv", "csv.csv"),
        ("", "upload.csv"),
        ("données.CSV", "donn_es.CSV"),
    ],
)
def test_safe_upload_name(name: str, safe: str) -> None:
    assert safe_upload_name(name) == safe


def test_upload_key_depends_on_name_and_content() -> None:
    assert upload_key("a.csv", b"x") == upload_key("a.csv", b"x")
    assert upload_key("a.csv", b"x") != upload_key("a.csv", b"y")
    assert upload_key("a.csv", b"x") != upload_key("b.csv", b"x")


def test_load_upload_good_csv_leaves_nothing_behind(private_tmp: Path) -> None:
    led = load_upload("my deals.csv", LOOP_CSV.read_bytes())
    assert led.origin == "my deals.csv"
    assert len(led) == 4
    assert sorted(led.entities) == ["cloud", "lab", "lender", "vendor"]
    assert list(private_tmp.iterdir()) == []
    # the same ledger as loading the file directly
    assert led.deals == junkan.load(LOOP_CSV).deals


def test_load_upload_bad_csv_names_the_upload_not_the_temp_file(private_tmp: Path) -> None:
    bad = (
        b"id,date,kind,payer,payee,amount,currency,status,confidence,source_url\n"
        b"a,2024-02-30,loan,A,B,1B,USD,signed,high,https://example.com/a\n"
        b"b,2024-03-01,gift,A,B,1B,USD,signed,high,https://example.com/b\n"
    )
    with pytest.raises(JunkanInputError) as info:
        load_upload("bad.csv", bad)
    problems = info.value.problems
    assert [(p.file, p.line, p.field) for p in problems] == [("bad.csv", 2, "date"), ("bad.csv", 3, "kind")]
    assert "2024-02-30" in problems[0].message
    assert "gift" in problems[1].message
    assert str(private_tmp) not in str(info.value)
    assert list(private_tmp.iterdir()) == []


def test_load_upload_rejects_other_files_and_large_ones(private_tmp: Path) -> None:
    with pytest.raises(JunkanInputError) as info:
        load_upload("deals.yaml", b"- id: x\n")
    assert info.value.problems[0].file == "deals.yaml"
    assert "only CSV files" in info.value.problems[0].message
    with pytest.raises(JunkanInputError) as info:
        load_upload("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1))
    assert "limited to 20 MiB" in info.value.problems[0].message
    assert list(private_tmp.iterdir()) == []


def test_load_upload_empty_file() -> None:
    with pytest.raises(JunkanInputError) as info:
        load_upload("empty.csv", b"")
    assert info.value.problems[0].file == "empty.csv"
    assert "empty" in info.value.problems[0].message


def test_filter_options_of_the_fixture() -> None:
    opts = filter_options(junkan.load(LOOP_CSV))
    assert opts.first == date(2023, 11, 15)
    assert opts.last == date(2024, 6, 1)
    # schema order, only the kinds and statuses present
    assert opts.kinds == ("equity_investment", "loan", "hardware_purchase", "service_fee")
    assert opts.statuses == ("rumoured", "announced", "signed", "closed")


def test_deal_filters_apply() -> None:
    led = junkan.load(LOOP_CSV)
    ids = lambda f: [d.id for d in f.apply(led).deals]  # noqa: E731
    assert len(DealFilters().apply(led)) == 4
    assert ids(DealFilters(start=date(2024, 1, 1))) == ["vendor-cloud-equity", "cloud-vendor-hw", "lender-cloud-loan"]
    assert ids(DealFilters(end=date(2024, 3, 1))) == ["lab-lender-fee", "vendor-cloud-equity", "cloud-vendor-hw"]
    assert ids(DealFilters(kinds=("loan", "service_fee"))) == ["lab-lender-fee", "lender-cloud-loan"]
    assert ids(DealFilters(statuses=("closed",))) == ["vendor-cloud-equity"]
    assert ids(DealFilters(min_confidence="medium")) == ["lab-lender-fee", "vendor-cloud-equity", "cloud-vendor-hw"]
    assert ids(DealFilters(min_confidence="high")) == ["vendor-cloud-equity"]
    assert ids(DealFilters(start=date(2024, 1, 1), min_confidence="medium", kinds=("loan",))) == []


def test_deal_filters_describe_and_validate() -> None:
    assert DealFilters().describe() == "all deals"
    f = DealFilters(start=date(2024, 1, 1), kinds=("loan",), statuses=("signed", "closed"), min_confidence="high")
    assert f.describe() == "2024-01-01 to …; kinds: loan; statuses: signed, closed; confidence ≥ high"
    assert CONFIDENCE_LEVELS == ("any", "low", "medium", "high")
    with pytest.raises(ValueError, match="min_confidence"):
        DealFilters(min_confidence="certain")


def test_quarter_labels() -> None:
    from junkan.app.params import quarter_labels

    assert quarter_labels("2026Q3", 3) == ["2026Q3", "2026Q4", "2027Q1"]
    assert quarter_labels("2026Q1", 20)[-1] == "2030Q4"
    with pytest.raises(ValueError, match="YYYYQn"):
        quarter_labels("2026-Q1", 2)


def test_stress_params_overrides_only_moved_knobs() -> None:
    from junkan.app.params import StressParams

    assert StressParams().overrides(5.0) == {}
    assert StressParams(depreciation_years=5.0).overrides(5.0) == {}
    p = StressParams(
        gpu_price_change=-0.4,
        gpu_price_start="2026Q3",
        freeze_parties=("openai", "xai"),
        freeze_start="2027Q1",
        demand_growth_delta=-0.1,
        depreciation_years=3.0,
    )
    assert p.overrides(5.0) == {
        "gpu_price_change": -0.4,
        "gpu_price_start": "2026Q3",
        "gpu_price_ramp": 4,
        "funding_freeze": ["openai", "xai"],
        "funding_freeze_start": "2027Q1",
        "demand_growth_delta": -0.1,
        "depreciation_years": 3.0,
    }


def test_stress_params_describe() -> None:
    from junkan.app.params import StressParams

    assert StressParams().describe(5.0) == "no knob moved"
    p = StressParams(gpu_price_change=-0.45, freeze_parties=("xai",), demand_growth_delta=0.1, depreciation_years=6.5)
    assert p.describe(5.0) == (
        "GPU prices -45% from 2026Q1 over 4 quarters; funding frozen for xai from 2026Q1; "
        "end-demand growth +10 points a year; GPU life 6.5 years"
    )


def test_money_and_share_formatting() -> None:
    from junkan.app.sections import money, score, share

    assert money(1.2e11) == "$120.0B"
    assert money(-5.44e10) == "-$54.4B"
    assert money(1.5e12) == "$1.5T"
    assert money(999.0) == "$999"
    assert money(None) == "n/a"
    assert share(0.0452) == "4.5%"
    assert share(None) == "n/a"
    assert score(0.8333) == "0.83"
    assert score(None) == "n/a"
