"""Every kind of bad input is reported with its exact file, line (or row) and field, and exits with status 2.

Each case writes one bad file into a copy of the valid fixture dataset ``tests/data/mini`` (or a CSV file), then
checks the problem both through the API (``junkan.load`` raises one JunkanInputError whose problem has exactly that
file, line and field) and through the command line (``junkan deals validate PATH`` exits 2 and prints the problem,
with no traceback).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _helpers import run_cli
from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.load import load
from junkan.ledger.schema import DealKind, Status

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"

# A valid deal: 9 lines. Cases put it first (lines 1-9) and the bad deal second, starting on line 10 with its keys on
# fixed lines: id 10, date 11, kind 12, payer 13, payee 14, amount 15, status 16, confidence 17, sources 18, then
# any extra keys from line 19.
GOOD = """\
- id: good-1
  date: 2024-01-01
  kind: loan
  payer: gpu-lender
  payee: cloudco
  amount: {value: 1B}
  status: signed
  confidence: high
  sources: [{url: "https://example.com/a"}]
"""
FIELDS = {
    "id": "bad-1",
    "date": "2024-02-01",
    "kind": "loan",
    "payer": "gpu-lender",
    "payee": "cloudco",
    "amount": "{value: 2B}",
    "status": "signed",
    "confidence": "high",
    "sources": '[{url: "https://example.com/b"}]',
}


def bad_deal(extra: str = "", drop: tuple[str, ...] = (), **changes: str) -> str:
    """GOOD plus a second deal with some fields changed (kept on their fixed lines) and ``extra`` lines appended."""
    lines = []
    for i, (key, value) in enumerate({**FIELDS, **changes}.items()):
        if key in drop:
            lines.append("  # (dropped)")
        else:
            lines.append(f"{'- ' if i == 0 else '  '}{key}: {value}")
    return GOOD + "\n".join(lines) + "\n" + extra


# (case id, file to write, content, expected file (relative), line, field, message fragment)
YAML_CASES: list[tuple[str, str, str | bytes, str, int | None, str | None, str]] = [
    ("unknown-entity", "deals.yaml", bad_deal(payer="gpu-lendr"), "deals.yaml", 13, "payer",
     "deal 'bad-1' names unknown entity 'gpu-lendr' (did you mean 'gpu-lender'?)"),
    ("duplicate-id", "deals.yaml", bad_deal(id="good-1"), "deals.yaml", 10, "id", "duplicate deal id 'good-1'"),
    ("negative-amount", "deals.yaml", bad_deal(amount="{value: -5B}"), "deals.yaml", 15, "amount.value",
     "amount must not be negative"),
    ("nan-amount", "deals.yaml", bad_deal(amount="{value: .nan}"), "deals.yaml", 15, "amount.value",
     "amount must be a finite number"),
    ("nan-text-amount", "deals.yaml", bad_deal(amount="{value: NaN}"), "deals.yaml", 15, "amount.value",
     "cannot read 'NaN' as an amount"),
    ("low-above-high", "deals.yaml", bad_deal(amount="{low: 5B, high: 1B}"), "deals.yaml", 15, "amount",
     "low (5e+09) is greater than high (1e+09)"),
    ("low-above-high-block", "deals.yaml", bad_deal(amount="\n    low: 5B\n    high: 1B"), "deals.yaml", 15, "amount",
     "low (5e+09) is greater than high (1e+09)"),
    ("impossible-date", "deals.yaml", bad_deal(date="2025-02-30"), "deals.yaml", 11, "date",
     "invalid date '2025-02-30' (day value is outside expected range); write a real date as YYYY-MM-DD"),
    ("unknown-kind", "deals.yaml", bad_deal(kind="loam"), "deals.yaml", 12, "kind",
     f"unknown kind 'loam'; allowed values: {', '.join(k.value for k in DealKind)}"),
    ("unknown-status", "deals.yaml", bad_deal(status="done"), "deals.yaml", 16, "status",
     f"unknown status 'done'; allowed values: {', '.join(x.value for x in Status)}"),
    ("unknown-currency", "deals.yaml", bad_deal(amount="{value: 1B, currency: YEN}"), "deals.yaml", 15,
     "amount.currency", "unknown currency 'YEN'; expected one of AED, AUD, CAD, CHF, CNY, EUR, GBP, HKD, INR, JPY"),
    ("unknown-confidence", "deals.yaml", bad_deal(confidence="certain"), "deals.yaml", 17, "confidence",
     "unknown confidence 'certain'; allowed values: high, medium, low"),
    ("missing-source", "deals.yaml", bad_deal(drop=("sources",)), "deals.yaml", 10, "sources",
     "missing required field 'sources'"),
    ("empty-sources", "deals.yaml", bad_deal(sources="[]"), "deals.yaml", 18, "sources",
     "'sources' needs at least one source"),
    ("bad-source-url", "deals.yaml", bad_deal(sources="[{url: www.example.com}]"), "deals.yaml", 18,
     "sources[0].url", "invalid URL 'www.example.com': a source URL must start with http:// or https://"),
    ("leg-names-no-deal", "deals.yaml", bad_deal(extra="  legs: [good-1, good-2]\n"), "deals.yaml", 19, "legs[1]",
     "deal 'bad-1' lists leg 'good-2', which names no deal (did you mean 'good-1'?)"),
    ("unknown-key", "deals.yaml", bad_deal(extra="  colour: red\n"), "deals.yaml", 19, "colour",
     "unknown key 'colour'; allowed keys: id, date, kind, payer, payee, amount, status, status_history, confidence"),
    ("unknown-nested-key", "deals.yaml", bad_deal(amount="{value: 1B, comitted: 1B}"), "deals.yaml", 15,
     "amount.comitted", "unknown key 'comitted' (did you mean 'committed'?); allowed keys: value, currency"),
    ("bad-id", "deals.yaml", bad_deal(id="Bad Deal"), "deals.yaml", 10, "id",
     "invalid id 'Bad Deal': ids are lower-case slugs"),
    ("malformed-yaml", "deals.yaml", GOOD + "- id: x\n  amount: {value: 1B\n  status: signed\n", "deals.yaml", 12,
     None, "malformed YAML: while parsing a flow mapping (line 11), expected ',' or '}', but got"),
    ("bad-indentation", "deals.yaml", GOOD + "- id: x\n   date: 2024-01-01\n", "deals.yaml", 11, None,
     "malformed YAML: mapping values are not allowed here"),
    ("duplicate-key", "deals.yaml", bad_deal(extra="  kind: lease\n"), "deals.yaml", 19, "kind",
     "duplicate key 'kind' (first at line 12)"),
    ("wrong-encoding", "deals.yaml", GOOD.encode() + b"- id: caf\xe9\n", "deals.yaml", 10, None,
     "file is not valid UTF-8: byte 0xe9 at column 10 cannot be decoded (save the file as UTF-8)"),
    ("control-character", "deals.yaml", GOOD + "- id: a\x07b\n", "deals.yaml", 10, None,
     "file contains a control character YAML does not allow (U+0007)"),
    ("empty-file", "deals.yaml", "", "deals.yaml", None, None,
     "file is empty; expected a list of deals (write [] if there are none)"),
    ("comments-only-file", "entities.yaml", "# nothing yet\n", "entities.yaml", None, None,
     "file is empty; expected a list of entities (write [] if there are none)"),
    ("top-level-mapping", "deals.yaml", "id: x\ndate: 2024-01-01\n", "deals.yaml", 1, None,
     "expected a list of deals at the top level (each starting with '- '), got a mapping"),
    ("item-not-mapping", "deals.yaml", GOOD + "- just a string\n", "deals.yaml", 10, None,
     "each deal must be a mapping of keys (key: value), got a text ('just a string')"),
    ("entity-unknown-key", "entities.yaml", "- {id: acme-chips, name: Acme, sector: chips}\n", "entities.yaml", 1,
     "sector", "unknown key 'sector'; allowed keys: id, name, kind, country"),
    ("financial-unknown-entity", "financials.yaml",
     "- {entity: acme-chip, period: FY2024, period_end: 2024-12-31, metric: revenue, value: 1B,\n"
     "   confidence: high, sources: [{url: 'https://example.com/f'}]}\n",
     "financials.yaml", 1, "entity", "financial figure names unknown entity 'acme-chip' (did you mean 'acme-chips'?)"),
    ("missing-fx-rate", "fx.yaml", "[]\n", "deals.yaml", 90, "amount.currency",
     "deal 'kabushiki-modelworks-2025' is in JPY, but fx.yaml has no JPY rate"),
    ("dataset-not-mapping", "dataset.yaml", "- mini\n", "dataset.yaml", 1, None,
     "expected a mapping of keys (name:, title:, ...) at the top level, got a list"),
]  # fmt: skip


def _write_case(tmp_path: Path, fname: str, content: str | bytes) -> Path:
    ds = tmp_path / "ds"
    shutil.copytree(MINI, ds)
    target = ds / fname
    if fname.startswith("deals") and fname != "deals.yaml":
        target.parent.mkdir(exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return ds


def _check(exc: JunkanInputError, file: str, line: int | None, field: str | None, fragment: str) -> InputProblem:
    matches = [p for p in exc.problems if fragment in p.message]
    assert matches, f"no problem mentions {fragment!r}; got:\n{exc}"
    p = matches[0]
    assert (p.file, p.line, p.field) == (file, line, field), str(p)
    return p


@pytest.mark.parametrize(
    ("fname", "content", "efile", "line", "field", "fragment"),
    [c[1:] for c in YAML_CASES],
    ids=[c[0] for c in YAML_CASES],
)
def test_yaml_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fname: str,
    content: str | bytes,
    efile: str,
    line: int | None,
    field: str | None,
    fragment: str,
) -> None:
    ds = _write_case(tmp_path, fname, content)
    with pytest.raises(JunkanInputError) as exc:
        load(str(ds))
    problem = _check(exc.value, f"{ds}/{efile}", line, field, fragment)
    code, out, err = run_cli(capsys, "deals", "validate", str(ds))
    assert code == 2
    assert str(problem) in err
    assert "Traceback" not in out + err
    assert out == ""


# CSV cases: (case id, content, row, field, message fragment). The header is row 1.
HEADER = "id,date,kind,payer,payee,amount,currency,status,confidence,source_url,legs\n"
ROW_OK = "d1,2024-01-01,loan,Lender Co,Cloud Co,1B,USD,signed,high,https://example.com/1,\n"
CSV_CASES: list[tuple[str, str | bytes, int | None, str | None, str]] = [
    ("impossible-date", HEADER + ROW_OK + "d2,2025-02-30,loan,A,B,1B,USD,signed,high,https://e.com/2,\n", 3, "date",
     "invalid date '2025-02-30' (day value is outside expected range)"),
    ("unknown-kind", HEADER + ROW_OK + "d2,2024-01-01,gift,A,B,1B,USD,signed,high,https://e.com/2,\n", 3, "kind",
     "unknown kind 'gift'; allowed values: equity_investment,"),
    ("unknown-status", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B,1B,USD,done,high,https://e.com/2,\n", 3, "status",
     "unknown status 'done'; allowed values: rumoured,"),
    ("unknown-confidence", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B,1B,USD,signed,sure,https://e.com/2,\n", 3,
     "confidence", "unknown confidence 'sure'; allowed values: high, medium, low"),
    ("unknown-currency", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B,1B,XXX,signed,high,https://e.com/2,\n", 3,
     "currency", "unknown currency 'XXX'; expected one of"),
    ("negative-amount", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B,-1B,USD,signed,high,https://e.com/2,\n", 3,
     "amount", "amount must not be negative"),
    ("nan-amount", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B,nan,USD,signed,high,https://e.com/2,\n", 3, "amount",
     "cannot read 'nan' as an amount"),
    ("missing-source", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B,1B,USD,signed,high,,\n", 3, "source_url",
     "'sources' needs at least one source"),
    ("duplicate-id", HEADER + ROW_OK + ROW_OK, 3, "id", "duplicate deal id 'd1'"),
    ("leg-names-no-deal", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B,1B,USD,signed,high,https://e.com/2,d1;d9\n", 3,
     "legs[1]", "deal 'd2' lists leg 'd9', which names no deal"),
    ("wrong-cell-count", HEADER + ROW_OK + "d2,2024-01-01,loan,A,B\n", 3, None,
     "row has 5 cells but the header has 11 columns"),
    ("malformed-csv", HEADER + ROW_OK + 'd2,2024-01-01,loan,"A"x,B,1B,USD,signed,high,https://e.com/2,\n', 3, None,
     "malformed CSV: ',' expected after '\"'"),
    ("missing-column", "id,date,kind,payer,payee,amount,currency,status,confidence,source\n", 1, "source_url",
     "missing column 'source_url' (is 'source' meant to be 'source_url'?)"),
    ("semicolon-separated", HEADER.replace(",", ";"), 1, None,
     "the header is one column; the file seems to use ';' as separator, but CSV needs ','"),
    ("empty-file", "", None, None, "file is empty; expected a header row: id,date,kind,payer,payee,amount"),
    ("header-only", HEADER, None, None, "no deal rows after the header"),
    ("wrong-encoding", (HEADER + ROW_OK).encode() + b"d2,2024-01-01,loan,Caf\xe9,B,1B,USD,signed,high,https://e.com/2,\n",
     3, None, "file is not valid UTF-8: byte 0xe9 at column 23"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "row", "field", "fragment"), [c[1:] for c in CSV_CASES], ids=[c[0] for c in CSV_CASES]
)
def test_csv_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | bytes,
    row: int | None,
    field: str | None,
    fragment: str,
) -> None:
    path = tmp_path / "deals.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(JunkanInputError) as exc:
        load(path)
    problem = _check(exc.value, str(path), row, field, fragment)
    if row is not None and "UTF-8" not in fragment:
        assert f", row {row}" in str(problem)  # CSV problems name spreadsheet rows
    code, out, err = run_cli(capsys, "deals", "validate", str(path))
    assert code == 2
    assert str(problem) in err
    assert "Traceback" not in out + err


def test_many_problems_in_one_file_all_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = (
        bad_deal(
            payer="gpu-lendr",
            date="2025-02-30",
            status="done",
            amount="{low: 5B, high: 1B}",
            extra="  legs: [nope]\n  colour: red\n",
        )
        + bad_deal(id="good-1", kind="gift").split(GOOD, 1)[1]
    )
    ds = _write_case(tmp_path, "deals.yaml", content)
    with pytest.raises(JunkanInputError) as exc:
        load(ds)
    f = f"{ds}/deals.yaml"
    got = [(p.file, p.line, p.field) for p in exc.value.problems]
    assert got == [
        (f, 11, "date"),
        (f, 13, "payer"),
        (f, 15, "amount"),
        (f, 16, "status"),
        (f, 19, "legs[0]"),
        (f, 20, "colour"),
        (f, 21, "id"),
        (f, 23, "kind"),
    ]
    code, _, err = run_cli(capsys, "deals", "validate", str(ds))
    assert code == 2
    assert err.count("\n  - ") == 8 and "8 problems in input:" in err


def test_problems_across_files_in_file_order(tmp_path: Path) -> None:
    ds = _write_case(tmp_path, "deals.yaml", bad_deal(status="done"))
    (ds / "entities.yaml").write_text(
        (MINI / "entities.yaml").read_text() + "- {id: extra, name: Extra, kind: martian}\n", encoding="utf-8"
    )
    with pytest.raises(JunkanInputError) as exc:
        load(ds)
    assert [(Path(p.file or "").name, p.line, p.field) for p in exc.value.problems] == [
        ("entities.yaml", 25, "kind"),
        ("deals.yaml", 16, "status"),
    ]


def test_deals_directory_files_named(tmp_path: Path) -> None:
    ds = _write_case(tmp_path, "deals/02-more.yaml", bad_deal(kind="gift").split(GOOD, 1)[1])
    (ds / "deals.yaml").rename(ds / "deals" / "01-main.yaml")
    with pytest.raises(JunkanInputError) as exc:
        load(ds)
    [p] = exc.value.problems
    assert (p.file, p.line, p.field) == (f"{ds}/deals/02-more.yaml", 3, "kind")


def test_unknown_name_and_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run_cli(capsys, "deals", "list", "--data", "no-such-dataset")
    assert code == 2
    assert "unknown dataset 'no-such-dataset'" in err and "bundled datasets are:" in err
    missing = tmp_path / "nope" / "deals.csv"
    code, _out, err = run_cli(capsys, "deals", "validate", str(missing))
    assert code == 2
    assert f"no such file or directory: '{missing}'" in err
    assert "Traceback" not in err
