"""Every CSV junkan writes opens safely in a spreadsheet (OWASP CSV injection: a leading apostrophe on text cells
that begin with ``=``, ``+``, ``-``, ``@``, tab or CR), numbers stay numbers, and JSON / Parquet stay exact.

One test per writer: the ``--format csv`` of every command (``cli._common.emit``), ``junkan deals export --as csv``
(``ledger.export``), ``junkan scan run -o alerts.csv`` (``ScanResult.write``) and ``junkan scan synth``
(``SynthLedger.write``). The poisoned names are those of the issue: a party ``=HYPERLINK("http://x","y")`` and an
account ``=cmd|calc!A0``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import typer.main

import junkan
from _helpers import run_cli
from junkan.csvsafe import TRIGGERS, needs_escape, safe_cell, safe_frame, unescape_cell

HYPERLINK = '=HYPERLINK("http://x","y")'
CALC = "=cmd|calc!A0"
MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _assert_safe(text: str) -> list[list[str]]:
    """No cell of a CSV text starts a formula; return the rows."""
    rows = _cells(text)
    assert rows, "no CSV output"
    bad = [c for r in rows for c in r if needs_escape(c)]
    assert bad == []
    return rows


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini dataset with two parties named like formulas, and formula-like deal titles and notes."""
    root = tmp_path_factory.mktemp("poisoned") / "mini"
    shutil.copytree(MINI, root)
    ents = (root / "entities.yaml").read_text(encoding="utf-8")
    ents = ents.replace("name: Acme Chips", f"name: '{HYPERLINK}'").replace("name: ModelWorks", f"name: '{CALC}'")
    (root / "entities.yaml").write_text(ents, encoding="utf-8")
    deals = (root / "deals.yaml").read_text(encoding="utf-8")
    deals = deals.replace("title: Acme invests up to $10B in ModelWorks", "title: '@SUM(1+1)'", 1)
    (root / "deals.yaml").write_text(deals, encoding="utf-8")
    led = junkan.load(root)
    assert led.entities["acme-chips"].name == HYPERLINK
    assert led.deal("acme-modelworks-equity-2024").title == "@SUM(1+1)"
    return root


# ---------------------------------------------------------------------------------------------------- the helper
@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (CALC, "'" + CALC),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-5", "-5"),  # plain numbers are numbers, not formulas
        ("-5.25e-3", "-5.25e-3"),
        ("+7", "+7"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (-5.5, -5.5),
        (None, None),
    ],
)
def test_safe_cell(cell: object, written: object) -> None:
    assert safe_cell(cell) == written
    if isinstance(cell, str):
        assert unescape_cell(safe_cell(cell)) == cell


def test_unescape_leaves_other_apostrophes() -> None:
    assert unescape_cell("'tis") == "'tis"
    assert unescape_cell("'-5") == "'-5"  # never written by junkan: a number is not escaped
    assert TRIGGERS == ("=", "+", "-", "@", "\t", "\r")


def test_safe_frame_escapes_text_and_keeps_numbers() -> None:
    df = pd.DataFrame(
        {
            "party": [HYPERLINK, "ok", "-5", None],
            "amount": [-5.0, 1.0, -2.5, 3.0],
            "n": [-1, 2, 3, 4],
            "lists": [[1], [2], None, [3]],
        }
    )
    out = safe_frame(df)
    assert out["party"].tolist()[:3] == ["'" + HYPERLINK, "ok", "-5"]
    assert out["amount"].tolist() == [-5.0, 1.0, -2.5, 3.0] and out["amount"].dtype == float
    assert out["n"].dtype == df["n"].dtype
    assert df["party"].iloc[0] == HYPERLINK  # the input is not modified
    clean = pd.DataFrame({"a": ["x", "-5"], "b": [1, 2]})
    assert safe_frame(clean) is clean  # nothing to escape: no copy


# ---------------------------------------------------------------------------------------------------- --format csv
#: The arguments each command with ``--format`` needs on the poisoned dataset: ``{data}`` is the poisoned dataset,
#: ``{copy}`` a fresh copy of it (for commands that write into a dataset), ``{tmp}`` a fresh folder, ``{mini}`` the
#: clean mini dataset; ``--data {data}`` is added unless the arguments name a dataset. ``None``: tested on its own
#: below. A new command with ``--format`` goes here too (test_every_csv_command_is_checked).
FORMAT_COMMANDS: dict[str, list[str] | None] = {
    "deals list": [],
    "deals show": ["acme-modelworks-equity-2024"],
    "deals validate": ["{data}"],
    "deals export": ["--to", "{tmp}/deals.json"],
    "deals diff": ["{mini}", "{data}"],
    "deals copy": ["{data}", "{tmp}/copy"],
    "deals add": [
        "--data", "{copy}", "--id", "acme-modelworks-more-2025", "--date", "2025-03-01", "--kind",
        "hardware_purchase", "--payer", "acme", "--payee", "modelworks", "--amount", "1B", "--status", "announced",
        "--confidence", "high", "--source-url", "https://example.org/more", "--title", "=2+2",
    ],
    "deals update": [
        "acme-modelworks-equity-2024", "--data", "{copy}", "--status", "closed", "--on", "2025-06-01", "--source",
        "https://example.org/closed", "--note", "=1+1",
    ],
    "cycles": [],
    "trace": ["acme"],
    "shares": ["acme"],
    "exposure": [],
    "assess": ["--no-history", "--level", "dataset", "--level", "arrangement", "--level", "party"],
    "circularity": [],
    "watch": [],
    "stress": None,  # needs the bundled assumptions: run on ai-compute
    "scan run": None,  # reads a transaction ledger
}  # fmt: skip


def _format_commands() -> set[str]:
    """Every command of ``junkan`` with a ``--format`` option that offers csv."""
    from junkan.cli import app

    found: set[str] = set()

    def walk(cmd: Any, prefix: str) -> None:  # typer bundles its own click: look at attributes, not classes
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(None):
                walk(cmd.get_command(None, name), f"{prefix} {name}".strip())
        elif any("--format" in getattr(p, "opts", ()) and "csv" in (getattr(p, "help", "") or "") for p in cmd.params):
            found.add(prefix)

    walk(typer.main.get_command(app), "")
    return found


def test_every_csv_command_is_checked() -> None:
    assert _format_commands() - set(FORMAT_COMMANDS) == set()


@pytest.mark.parametrize("command", [c for c, a in FORMAT_COMMANDS.items() if a is not None], ids=str)
def test_format_csv_of_every_command(
    command: str, poisoned: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    if command not in _format_commands():
        pytest.skip(f"junkan {command} has no --format csv in this version")
    args = FORMAT_COMMANDS[command] or []
    if not {"{data}", "--data"} & set(args):
        args = [*args, "--data", "{data}"]

    def argv() -> list[str]:  # fresh folders for each run
        tmp = tmp_path_factory.mktemp("out")
        copy = tmp / "copy-of-mini"
        if "{copy}" in args:
            shutil.copytree(poisoned, copy)
        return [*command.split(), *(a.format(data=poisoned, mini=MINI, tmp=tmp, copy=copy) for a in args)]

    code, out, err = run_cli(capsys, *argv(), "--format", "csv")
    assert code in (0, 1), err  # watch exits 1 on an alert
    rows = _assert_safe(out)
    escaped = [c[1:] for r in rows for c in r if c.startswith("'")]
    code, js, err = run_cli(capsys, *argv(), "--format", "json")
    assert code in (0, 1), err
    for text in escaped:  # the JSON output has the same text, exact
        assert json.dumps(text, ensure_ascii=False)[1:-1] in js


def test_deals_show_and_assess_carry_the_poisoned_text_escaped(
    poisoned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_cli(capsys, "deals", "show", "acme-modelworks-equity-2024", "--data", str(poisoned), "-f", "csv")
    (header, row) = _assert_safe(out)
    assert dict(zip(header, row, strict=True))["title"] == "'@SUM(1+1)"
    _, out, _ = run_cli(capsys, "assess", "--no-history", "--data", str(poisoned), "-f", "csv")
    labels = [r[3] for r in _assert_safe(out)[1:]]
    assert f"'{HYPERLINK} / {CALC}" in labels


def test_stress_csv_keeps_negative_numbers_numeric(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "stress", "--runs", "10", "--seed", "1", "--format", "csv")
    assert code == 0, err
    rows = _assert_safe(out)
    negative = [c for r in rows[1:] for c in r if c.startswith("-")]
    assert negative and all(float(c) < 0 for c in negative)  # written as numbers, no apostrophe


# ---------------------------------------------------------------------------------------------------- deals export
def test_deals_export_csv_is_safe_and_loads_back(poisoned: Path, tmp_path: Path) -> None:
    from junkan.cli import main

    out = tmp_path / "deals.csv"
    with pytest.raises(SystemExit) as exc:
        main(["deals", "export", "--data", str(poisoned), "--as", "csv", "--to", str(out)])
    assert exc.value.code in (0, None)
    rows = _assert_safe(out.read_text(encoding="utf-8"))
    header = rows[0]
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    eq = by_id["acme-modelworks-equity-2024"]
    assert (eq["payer_name"], eq["payee_name"], eq["title"]) == ("'" + HYPERLINK, "'" + CALC, "'@SUM(1+1)")
    assert eq["amount"] == "10000000000.0"
    # the quick-format reader takes the apostrophe off again: same titles as the source
    back = junkan.load(out)
    assert back.deal("acme-modelworks-equity-2024").title == "@SUM(1+1)"
    # JSON and Parquet stay exact
    js = tmp_path / "deals.json"
    pq = tmp_path / "deals.parquet"
    for target in (js, pq):
        with pytest.raises(SystemExit):
            main(["deals", "export", "--data", str(poisoned), "--to", str(target)])
    names = {e["name"] for e in json.loads(js.read_text(encoding="utf-8"))["entities"]}
    assert {HYPERLINK, CALC} <= names
    assert "@SUM(1+1)" in pd.read_parquet(pq)["title"].tolist()


# ---------------------------------------------------------------------------------------------------- junkan scan
LEDGER = (
    "id,timestamp,src,dst,amount,kind,src_kind,dst_kind\n"
    f't1,2024-01-02,"{CALC}",Agency,100,=1+1,expense,revenue\n'
    "t2,2024-01-03,Agency,Partner,95,media,expense,revenue\n"
    f't3,2024-01-04,Partner,"{CALC}",92,licence purchase,expense,revenue\n'
)


@pytest.fixture
def scan_ledger(tmp_path: Path) -> Path:
    p = tmp_path / "ledger.csv"
    p.write_text(LEDGER, encoding="utf-8")
    return p


def test_scan_format_csv(scan_ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "scan", "run", str(scan_ledger), "-f", "csv", "--window", "30d")
    assert code == 0, err
    rows = _assert_safe(out)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["accounts"] == f"'{CALC};Agency;Partner"
    assert row["labels"] == "'=1+1;media;licence purchase"
    code, js, _ = run_cli(capsys, "scan", "run", str(scan_ledger), "-f", "json", "--window", "30d")
    assert json.loads(js)[0]["accounts"] == [CALC, "Agency", "Partner"]


def test_scan_output_file_csv_json_parquet(
    scan_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {s: tmp_path / f"alerts.{s}" for s in ("csv", "json", "parquet")}
    for target in files.values():
        code, _, err = run_cli(capsys, "scan", "run", str(scan_ledger), "--window", "30d", "-o", str(target))
        assert code == 0, err
    rows = _assert_safe(files["csv"].read_text(encoding="utf-8"))
    assert dict(zip(rows[0], rows[1], strict=True))["accounts"] == f"'{CALC};Agency;Partner"
    assert json.loads(files["json"].read_text(encoding="utf-8"))[0]["accounts"] == [CALC, "Agency", "Partner"]
    assert list(pd.read_parquet(files["parquet"])["accounts"].iloc[0]) == [CALC, "Agency", "Partner"]


def test_synth_csv(tmp_path: Path) -> None:
    from junkan.scan import synth_ledger

    s = synth_ledger(200, seed=3)
    s.transactions.loc[0, "src"] = CALC
    s.transactions.loc[1, "amount"] = -5.0
    ledger_path, truth_path = s.write(tmp_path / "synth.csv")
    rows = _assert_safe(ledger_path.read_text(encoding="utf-8"))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["src"] == "'" + CALC
    assert dict(zip(header, rows[2], strict=True))["amount"] == "-5.00"
    _assert_safe(truth_path.read_text(encoding="utf-8"))
