"""Property tests: junk fed to the loaders either loads or raises JunkanInputError, never another exception.

Every reported problem must carry a message and the file it is in.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junkan.errors import JunkanInputError
from junkan.ledger.csv_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, read_csv
from junkan.ledger.load import load
from junkan.ledger.model import Ledger
from junkan.ledger.yaml_lines import parse_yaml

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"
# JUNKAN_FUZZ_EXAMPLES=5000 runs a longer search locally; CI keeps it short.
FUZZ = settings(
    max_examples=int(os.environ.get("JUNKAN_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def loads_or_reports(fn: Callable[[], Ledger]) -> None:
    try:
        led = fn()
    except JunkanInputError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.message and p.file, p
            assert p.line is None or p.line >= 1, p
        assert "problem" in str(exc)
    else:
        assert isinstance(led, Ledger)


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ds = tmp_path_factory.mktemp("fuzz") / "ds"
    shutil.copytree(MINI, ds)
    return ds


def _with_file(ds: Path, name: str, data: bytes) -> Callable[[], Ledger]:
    def run() -> Ledger:
        original = (MINI / name).read_bytes()
        (ds / name).write_bytes(data)
        try:
            return load(ds)
        finally:
            (ds / name).write_bytes(original)

    return run


FILES = st.sampled_from(["deals.yaml", "entities.yaml", "financials.yaml", "fx.yaml", "dataset.yaml"])


@FUZZ
@given(name=FILES, data=st.binary(max_size=300))
def test_random_bytes(dataset_dir: Path, name: str, data: bytes) -> None:
    loads_or_reports(_with_file(dataset_dir, name, data))


@FUZZ
@given(name=FILES, text=st.text(max_size=300))
def test_random_text(dataset_dir: Path, name: str, text: str) -> None:
    loads_or_reports(_with_file(dataset_dir, name, text.encode("utf-8", "surrogatepass")))


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("- :[]{}!&*|>'\"#,\n\tab01.%@`?")), max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    doc = parse_yaml(text, "soup.yaml")
    for p in doc.problems:
        assert p.message and p.file == "soup.yaml"


FIELD_NAMES = ["id", "date", "kind", "payer", "payee", "amount", "status", "confidence", "sources", "legs",
               "schedule", "claims", "tags", "end_date", "title", "notes", "value", "low", "high", "currency", "url",
               "committed", "drawn", "tranches", "units", "unit_amount"]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["2025-02-30", "2025-09-22", "100B", "$1.3bn", "-1", "nan", "loan", "signed", "high", "USD",
                     "JPY", "acme-chips", "modelworks", "https://example.com/x", "good-1"]),
)  # fmt: skip
YAMLISH = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), inner, max_size=6),
    ),
    max_leaves=25,
)
VALID_DEAL = {
    "id": "fuzz-1",
    "date": "2024-01-01",
    "kind": "loan",
    "payer": "acme-chips",
    "payee": "modelworks",
    "amount": {"value": "1B"},
    "status": "signed",
    "confidence": "high",
    "sources": [{"url": "https://example.com/f"}],
}


@FUZZ
@given(name=FILES, value=YAMLISH)
def test_random_yaml_structures(dataset_dir: Path, name: str, value: object) -> None:
    text = yaml.safe_dump(value, allow_unicode=True)
    loads_or_reports(_with_file(dataset_dir, name, text.encode("utf-8", "surrogatepass")))


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELD_NAMES), YAMLISH, max_size=4), n=st.integers(1, 3))
def test_mutated_deals(dataset_dir: Path, changes: dict[str, object], n: int) -> None:
    deals = [{**VALID_DEAL, **changes, **({"id": f"fuzz-{i}"} if i else {})} for i in range(n)]
    text = yaml.safe_dump(deals, allow_unicode=True)
    loads_or_reports(_with_file(dataset_dir, "deals.yaml", text.encode("utf-8", "surrogatepass")))


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "2024-01-01", "2025-02-30", "loan", "signed", "high", "USD", "1B", "-5", "nan", "inf",
                     "https://example.com/x", "Acme", "Acme", "d1", "d1;d2", '"', "1e999"]),
)  # fmt: skip
COLUMNS = list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)


@FUZZ
@given(
    header=st.one_of(st.permutations(COLUMNS), st.lists(st.sampled_from([*COLUMNS, "x", ""]), max_size=12)),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=18), max_size=6),
)
def test_random_csv_rows(header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode("utf-8", "surrogatepass")
    loads_or_reports(lambda: read_csv(data, "fuzz.csv").to_ledger())


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_csv_bytes(data: bytes) -> None:
    loads_or_reports(lambda: read_csv(data, "fuzz.csv").to_ledger())
    loads_or_reports(lambda: read_csv(b"id,date,kind,payer,payee,amount,currency,status,confidence,source_url\n" + data,
                                      "fuzz.csv").to_ledger())  # fmt: skip
