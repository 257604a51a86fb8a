"""``junkan deals copy / add / update / diff`` round-trip on a temporary copy of the bundled ai-compute dataset.

Every change is checked against the whole dataset and written atomically; bad input exits 2 with nothing written.
"""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from _helpers import run_cli
from junkan.ledger.load import datasets_root, load

BUNDLED = Path(str(datasets_root().joinpath("ai-compute")))

MINE = """\
# My own deals (kept by hand).
- id: nvidia-openai-test-2026  # a test deal
  date: 2026-03-02
  kind: equity_investment
  payer: nvidia
  payee: openai
  amount: {value: 2B}   # headline only
  status: announced
  confidence: low
  sources:
    - url: https://example.com/first
      date: 2026-03-02
  notes: >-
    A folded note that
    runs over two lines.
# trailing comment
"""


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    ds = tmp_path / "mine"
    shutil.copytree(BUNDLED, ds)
    (ds / "deals" / "90-mine.yaml").write_text(MINE, encoding="utf-8")
    return ds


def _snapshot(ds: Path) -> dict[str, bytes]:
    return {str(p.relative_to(ds)): p.read_bytes() for p in sorted(ds.rglob("*")) if p.is_file()}


def test_copy_then_add_update_diff_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ds = tmp_path / "copy"
    code, out, err = run_cli(capsys, "deals", "copy", "ai-compute", str(ds), "--format", "json")
    assert code == 0, err
    n = len(load(ds).deals)
    assert json.loads(out) == [{"dataset": "ai-compute", "copied_to": str(ds), "deals": n}]
    old = tmp_path / "old"  # the bundled data may change while the test runs: diff against this snapshot
    shutil.copytree(ds, old)
    code, out, err = run_cli(
        capsys,
        "deals",
        "add",
        "--data",
        str(ds),
        "--id",
        "acme-openai-loan-2026",
        "--date",
        "2026-05-04",
        "--kind",
        "loan",
        "--payer",
        "NVIDIA",
        "--payee",
        "openai",
        "--amount",
        "1.5B",
        "--committed",
        "1.5B",
        "--status",
        "signed",
        "--confidence",
        "medium",
        "--source-url",
        "https://example.com/loan",
        "--source-kind",
        "news",
        "--source-date",
        "2026-05-05",
        "--title",
        "A test loan",
        "--format",
        "json",
    )
    assert code == 0, err
    added = ds / "deals" / "added.yaml"
    assert json.loads(out) == [{"added": "acme-openai-loan-2026", "file": str(added), "line": 1}]
    assert added.read_text(encoding="utf-8") == (
        "- id: acme-openai-loan-2026\n"
        "  date: 2026-05-04\n"
        "  kind: loan\n"
        "  payer: nvidia\n"
        "  payee: openai\n"
        "  title: A test loan\n"
        "  amount:\n"
        "    value: 1.5B\n"
        "    currency: USD\n"
        "    committed: 1.5B\n"
        "  status: signed\n"
        "  confidence: medium\n"
        "  sources:\n"
        "    - url: https://example.com/loan\n"
        "      kind: news\n"
        "      date: 2026-05-05\n"
    )
    code, out, err = run_cli(
        capsys,
        "deals",
        "update",
        "acme-openai-loan-2026",
        "--data",
        str(ds),
        "--status",
        "drawn",
        "--on",
        "2026-08-01",
        "--source",
        "https://example.com/drawn",
        "--drawn",
        "0.5B",
        "--note",
        "first tranche",
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out) == [
        {"updated": "acme-openai-loan-2026", "status": "drawn", "on": "2026-08-01", "file": str(added), "line": 17}
    ]
    text = added.read_text(encoding="utf-8")
    assert text.splitlines()[10] == "  status: drawn"
    assert text.split("\n", 16)[16] == (
        "  status_history:\n"
        "    - date: 2026-05-04\n"
        "      status: signed\n"
        "      sources:\n"
        "        - url: https://example.com/loan\n"
        "          date: 2026-05-05\n"
        "          kind: news\n"
        "    - date: 2026-08-01\n"
        "      status: drawn\n"
        "      drawn: 0.5B\n"
        "      sources:\n"
        "        - url: https://example.com/drawn\n"
        "          date: 2026-08-01\n"
        "      note: first tranche\n"
    )
    d = load(ds).deal("acme-openai-loan-2026")
    assert (d.status.value, d.amount.committed_value, d.amount.drawn_value) == ("drawn", 1.5e9, 0.5e9)
    assert load(ds).as_of(__import__("datetime").date(2026, 7, 31)).deal(d.id).amount.drawn_value == 0.0

    code, out, err = run_cli(capsys, "deals", "diff", str(old), str(ds), "--format", "json")
    assert code == 0, err
    assert json.loads(out) == {
        "old": str(old),
        "new": str(ds),
        "counts": {
            "deal": {"added": 1, "removed": 0, "changed": 0},
            "entity": {"added": 0, "removed": 0, "changed": 0},
            "financial": {"added": 0, "removed": 0, "changed": 0},
        },
        "changes": [
            {
                "record": "deal",
                "key": "acme-openai-loan-2026",
                "change": "added",
                "field": None,
                "old": None,
                "new": None,
            }
        ],
    }


def test_update_keeps_comments_and_layout(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = copy / "deals" / "90-mine.yaml"
    argv = ["deals", "update", "nvidia-openai-test-2026", "--data", str(copy), "--on"]
    code, _, err = run_cli(
        capsys, *argv, "2026-04-01", "--status", "signed", "--source", "https://example.com/signed", "--committed", "2B"
    )
    assert code == 0, err
    after = f.read_text(encoding="utf-8")
    assert after == MINE.replace("  status: announced\n", "  status: signed\n").replace(
        "    runs over two lines.\n",
        "    runs over two lines.\n"
        "  status_history:\n"
        "    - date: 2026-03-02\n"
        "      status: announced\n"
        "      sources:\n"
        "        - url: https://example.com/first\n"
        "          date: 2026-03-02\n"
        "          kind: news\n"
        "    - date: 2026-04-01\n"
        "      status: signed\n"
        "      committed: 2B\n"
        "      sources:\n"
        "        - url: https://example.com/signed\n"
        "          date: 2026-04-01\n",
    )
    # a second update appends to the history the first one created
    code, _, err = run_cli(
        capsys, *argv, "2026-06-30", "--status", "on_hold", "--source", "https://example.com/hold", "--source-kind",
        "filing",
    )  # fmt: skip
    assert code == 0, err
    final = f.read_text(encoding="utf-8")
    added = [ln[2:] for ln in difflib.ndiff(after.splitlines(), final.splitlines()) if ln.startswith(("+ ", "- "))]
    assert added == [
        "  status: signed",
        "  status: on_hold",
        "    - date: 2026-06-30",
        "      status: on_hold",
        "      sources:",
        "        - url: https://example.com/hold",
        "          kind: filing",
        "          date: 2026-06-30",
    ] or added == [  # ndiff may order the replaced status line either way
        "  status: on_hold",
        "  status: signed",
        "    - date: 2026-06-30",
        "      status: on_hold",
        "      sources:",
        "        - url: https://example.com/hold",
        "          kind: filing",
        "          date: 2026-06-30",
    ]
    d = load(copy).deal("nvidia-openai-test-2026")
    assert [e.status.value for e in d.status_history] == ["announced", "signed", "on_hold"]
    assert d.notes == "A folded note that runs over two lines."


def test_update_appends_to_a_flow_history(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = copy / "deals" / "90-mine.yaml"
    f.write_text(
        MINE.replace(
            "  status: announced\n",
            "  status_history: [{date: 2026-03-02, status: announced, sources: [{url: 'https://example.com/a'}]}]\n",
        ),
        encoding="utf-8",
    )
    code, _, err = run_cli(
        capsys,
        "deals",
        "update",
        "nvidia-openai-test-2026",
        "-d",
        str(copy),
        "--status",
        "lapsed",
        "--on",
        "2026-09-30",
        "--source",
        "https://example.com/l",
    )
    assert code == 0, err
    assert (
        "  status_history: [{date: 2026-03-02, status: announced, sources: [{url: 'https://example.com/a'}]}, "
        "{date: 2026-09-30, status: lapsed, sources: [{url: 'https://example.com/l', date: 2026-09-30}]}]\n"
    ) in f.read_text(encoding="utf-8")
    assert load(copy).deal("nvidia-openai-test-2026").status.value == "lapsed"


BAD_ADD = [
    (
        "duplicate-and-unknown-party",
        ["--id", "nvidia-openai-test-2026", "--payer", "nvidai", "--payee", "openai"],
        [
            "field '--id': duplicate deal id 'nvidia-openai-test-2026': the dataset already has it",
            "field '--payer': unknown party 'nvidai'",
        ],
    ),
    ("unknown-kind", ["--id", "x-2026", "--payer", "nvidia", "--payee", "openai", "--kind", "gift"], ["'--kind'"]),
    (
        "future",
        ["--id", "x-2099", "--payer", "nvidia", "--payee", "openai", "--date", "2099-01-01"],
        ["field '--date': 2099-01-01 is after today ("],
    ),
    ("bad-amount", ["--id", "x-2026", "--payer", "nvidia", "--payee", "openai", "--amount", "lots"], ["'--amount'"]),
    (
        "leg-names-no-deal",
        ["--id", "x-2026", "--payer", "nvidia", "--payee", "openai", "--leg", "nvda-openai-loi-2052"],
        ["field '--leg': leg 'nvda-openai-loi-2052' names no deal (did you mean 'nvda-openai-loi-2025'"],
    ),
]


@pytest.mark.parametrize(("argv", "messages"), [c[1:] for c in BAD_ADD], ids=[c[0] for c in BAD_ADD])
def test_add_bad_input_writes_nothing(
    copy: Path, capsys: pytest.CaptureFixture[str], argv: list[str], messages: list[str]
) -> None:
    base = {
        "--date": "2026-05-04",
        "--kind": "loan",
        "--amount": "1B",
        "--status": "signed",
        "--confidence": "low",
        "--source-url": "https://example.com/x",
    }
    opts = dict(zip(argv[::2], argv[1::2], strict=True))
    args = [x for k, v in {**base, **opts}.items() for x in (k, v)]
    before = _snapshot(copy)
    code, out, err = run_cli(capsys, "deals", "add", "--data", str(copy), *args)
    assert code == 2
    for m in messages:
        assert m in err
    assert "Traceback" not in out + err
    assert _snapshot(copy) == before


def test_add_refuses_the_bundled_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(BUNDLED)
    for target in ("ai-compute", str(BUNDLED)):
        code, _, err = run_cli(capsys, "deals", "add", "--data", target, "--yaml", "nothing.yaml")
        assert code == 2
        assert (
            "field '--data': refusing to write into the bundled dataset 'ai-compute' (it is part of the installed "
            "package and would be lost on upgrade); copy it first: junkan deals copy ai-compute DIR, then pass "
            "--data DIR"
        ) in " ".join(err.split())
    assert _snapshot(BUNDLED) == before


def test_add_from_yaml_names_the_snippet_lines(copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snippet = tmp_path / "one.yaml"
    snippet.write_text(
        "id: nvidia-openai-test-2026\n"
        "date: 2026-05-04\n"
        "kind: loan\n"
        "payer: nvidia\n"
        "payee: opnai\n"
        "amount: {value: 1B}\n"
        "status: signed\n"
        "confidence: low\n"
        "sources: [{url: 'https://example.com/y'}]\n",
        encoding="utf-8",
    )
    before = _snapshot(copy)
    code, _, err = run_cli(capsys, "deals", "add", "--data", str(copy), "--yaml", str(snippet))
    assert code == 2
    assert f"{snippet}, line 1, field 'id': duplicate deal id 'nvidia-openai-test-2026'" in err
    assert f"{snippet}, line 5, field 'payee': unknown party 'opnai' (did you mean 'openai'" in err
    assert _snapshot(copy) == before
    snippet.write_text(
        snippet.read_text().replace("nvidia-openai-test-2026", "nvidia-openai-yaml-2026").replace("opnai", "openai")
    )
    code, out, err = run_cli(
        capsys, "deals", "add", "-d", str(copy), "--yaml", str(snippet), "--file", "deals/90-mine.yaml", "-f", "json"
    )
    assert code == 0, err
    assert json.loads(out) == [
        {"added": "nvidia-openai-yaml-2026", "file": str(copy / "deals/90-mine.yaml"), "line": 17}
    ]
    assert (copy / "deals/90-mine.yaml").read_text().startswith(MINE)
    assert load(copy).deal("nvidia-openai-yaml-2026").payee == "openai"


BAD_UPDATE = [
    ("backwards", ["--status", "rumoured", "--on", "2026-04-01"], "field '--status': deal 'nvidia-openai-test-2026':"
     " 'rumoured' cannot follow 'announced': progress statuses only move forward"),
    ("before-deal", ["--status", "signed", "--on", "2026-03-01"],
     "field '--on': 2026-03-01 is before the deal's date (2026-03-02); events are appended in date order"),
    ("superseded-without-successor", ["--status", "superseded", "--on", "2026-04-01"],
     "field '--superseded-by': a superseded event needs superseded_by (the id of the successor deal)"),
    ("successor-unknown", ["--status", "superseded", "--on", "2026-04-01", "--superseded-by", "nvda-openai-loi-2052"],
     "field '--superseded-by': no deal 'nvda-openai-loi-2052' to be superseded by (did you mean "
     "'nvda-openai-loi-2025'"),
    ("unknown-status", ["--status", "done", "--on", "2026-04-01"], "field '--status': unknown status 'done'"),
    ("unknown-source-kind", ["--status", "signed", "--on", "2026-04-01", "--source-kind", "blog"],
     "field '--source-kind': unknown kind 'blog'; allowed values: filing,"),
    ("bad-date", ["--status", "signed", "--on", "2026-04-31"], "field '--on': invalid date '2026-04-31'"),
    ("future", ["--status", "signed", "--on", "2099-01-01"],
     "field '--on': 2099-01-01 is after today ("),
    ("drawn-exceeds-committed", ["--status", "drawn", "--on", "2026-04-01", "--committed", "1B", "--drawn", "3B"],
     "status event on 2026-04-01: drawn (3e+09) exceeds committed (1e+09)"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), [c[1:] for c in BAD_UPDATE], ids=[c[0] for c in BAD_UPDATE])
def test_update_bad_input_writes_nothing(
    copy: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    before = _snapshot(copy)
    code, out, err = run_cli(
        capsys,
        "deals",
        "update",
        "nvidia-openai-test-2026",
        "--data",
        str(copy),
        "--source",
        "https://example.com/u",
        *argv,
    )
    assert code == 2
    assert message in " ".join(err.split())
    assert "Traceback" not in out + err
    assert _snapshot(copy) == before


def test_update_unknown_deal(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        capsys, "deals", "update", "nvda-openai-loi-2052", "-d", str(copy), "--status", "lapsed", "--on", "2026-04-01",
        "--source", "https://example.com/u",
    )  # fmt: skip
    assert code == 2
    assert "no deal 'nvda-openai-loi-2052'" in err and "did you mean 'nvda-openai-loi-2025'" in err


def test_diff_field_level(copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old"
    shutil.copytree(copy, old)
    f = copy / "deals" / "90-mine.yaml"
    f.write_text(
        f.read_text()
        .replace("{value: 2B}", "{value: 3B, committed: 2.5B}")
        .replace("      date: 2026-03-02\n", "      date: 2026-03-02\n    - url: https://example.com/second\n")
    )
    code, out, err = run_cli(capsys, "deals", "diff", str(old), str(copy), "--format", "json")
    assert code == 0, err
    got = json.loads(out)
    assert got["counts"]["deal"] == {"added": 0, "removed": 0, "changed": 1}
    assert got["changes"] == [
        {"record": "deal", "key": "nvidia-openai-test-2026", "change": "changed", "field": "amount", "old": 2e9,
         "new": 3e9},
        {"record": "deal", "key": "nvidia-openai-test-2026", "change": "changed", "field": "committed", "old": 2e9,
         "new": 2.5e9},
        {"record": "deal", "key": "nvidia-openai-test-2026", "change": "changed", "field": "sources", "old": 1,
         "new": 2},
    ]  # fmt: skip
    code, out, _ = run_cli(capsys, "deals", "diff", str(old), str(copy), "--format", "csv")
    assert out.splitlines() == [
        "record,key,change,field,old,new",
        "deal,nvidia-openai-test-2026,changed,amount,2000000000.0,3000000000.0",
        "deal,nvidia-openai-test-2026,changed,committed,2000000000.0,2500000000.0",
        "deal,nvidia-openai-test-2026,changed,sources,1,2",
    ]
    (copy / "deals" / "90-mine.yaml").unlink()
    code, out, _ = run_cli(capsys, "deals", "diff", str(old), str(copy), "--format", "json")
    assert json.loads(out)["changes"] == [
        {"record": "deal", "key": "nvidia-openai-test-2026", "change": "removed", "field": None, "old": None,
         "new": None}
    ]  # fmt: skip


def test_update_a_file_without_final_newline_and_refuse_a_flow_deal(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = copy / "deals" / "90-mine.yaml"
    text = MINE.replace("# trailing comment\n", "").rstrip("\n")
    flow = (
        "\n- {id: flow-deal-2026, date: 2026-03-03, kind: loan, payer: nvidia, payee: openai, amount: {value: 1B}, "
        "status: signed, confidence: low, sources: [{url: 'https://example.com/f'}]}"
    )
    f.write_text(text, encoding="utf-8")
    argv = ["deals", "update", "nvidia-openai-test-2026", "-d", str(copy), "--status", "signed", "--on", "2026-04-01"]
    code, _, err = run_cli(capsys, *argv, "--source", "https://example.com/s")
    assert code == 0, err
    assert f.read_text(encoding="utf-8").startswith(
        text.replace("status: announced", "status: signed") + "\n  status_history:\n    - date: 2026-03-02\n"
    )
    f.write_text(MINE + flow.lstrip("\n") + "\n", encoding="utf-8")
    before = f.read_bytes()
    code, _, err = run_cli(
        capsys, "deals", "update", "flow-deal-2026", "-d", str(copy), "--status", "closed", "--on", "2026-04-01",
        "--source", "https://example.com/c",
    )  # fmt: skip
    assert code == 2
    assert (
        "field 'ID': deal 'flow-deal-2026' is written as one flow mapping ({...}) at line 17; write it in block style"
    ) in " ".join(err.split())
    assert f.read_bytes() == before
