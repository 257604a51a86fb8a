"""Bad status histories and entity events: each problem names its exact file, line and field, and exits 2.

Each case adds one file to a copy of the fixture dataset ``tests/data/mini``: a deal with a status history in
``deals/10-history.yaml`` (events one per line from line 10) and/or entities with events in
``entities/10-events.yaml``. The problem is checked through the API (``load`` raises one JunkanInputError whose
problem has exactly that file, line and field) and through ``junkan deals validate PATH`` (exit 2, the problem
printed, no traceback). A deal that names a party after its merger is a warning, not an error (exit 0).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import junkan.ledger.asof as asof_mod
from _helpers import run_cli
from junkan.errors import JunkanInputError
from junkan.ledger.load import load

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"
HIST = "deals/10-history.yaml"
EVENTS = "entities/10-events.yaml"


def history_deal(*events: str, payee: str = "cloudco", date: str = "2024-02-01", extra: str = "") -> str:
    """Deal ``h-1`` (keys on lines 1-9) with ``events`` one per line from line 10 (flow mappings)."""
    head = (
        "- id: h-1\n"
        f"  date: {date}\n"
        "  kind: loan\n"
        "  payer: gpu-lender\n"
        f"  payee: {payee}\n"
        "  amount: {value: 2B, committed: 2B}\n"
        "  confidence: high\n"
        '  sources: [{url: "https://example.com/h"}]\n'
        "  status_history:\n"
    )
    body = "".join(f'    - {{{e}, sources: [{{url: "https://example.com/e{i}"}}]}}\n' for i, e in enumerate(events))
    return head + body + extra


def entity(eid: str, *events: str) -> str:
    """An entity with ``events`` (flow mappings) from its fourth line."""
    body = "".join(f'    - {{{e}, sources: [{{url: "https://example.com/{eid}"}}]}}\n' for e in events)
    return f"- id: {eid}\n  name: {eid.title()} Co\n  events:\n{body}"


# (case id, {file: content}, expected file, line, field, exact message)
CASES: list[tuple[str, dict[str, str], str, int, str, str]] = [
    ("superseded-by-unknown-deal",
     {HIST: history_deal("date: 2024-02-01, status: announced",
                         "date: 2024-05-01, status: superseded, superseded_by: acme-modelworks-equity-2025")},
     HIST, 11, "status_history[1].superseded_by",
     "deal 'h-1' is superseded by 'acme-modelworks-equity-2025', which names no deal "
     "(did you mean 'acme-modelworks-equity-2024', 'kabushiki-modelworks-2025', 'modelworks-cloudco-lease-2025'?)"),
    ("successor-unknown-entity",
     {EVENTS: entity("minor", "date: 2024-06-01, kind: merger, successor: cloudcoo")},
     EVENTS, 4, "events[0].successor", "entity 'minor' names unknown successor 'cloudcoo' (did you mean 'cloudco'?)"),
    ("merger-cycle",
     {EVENTS: entity("yco", "date: 2024-07-01, kind: acquisition, successor: xco")
      + entity("xco", "date: 2024-06-01, kind: merger, successor: yco")},
     EVENTS, 8, "events[0].successor",
     "merger cycle: xco -> yco -> xco (a party cannot be merged, directly or not, into itself)"),
    ("drawn-before-signed",
     {HIST: history_deal("date: 2024-02-01, status: announced", "date: 2024-03-01, status: drawn",
                         "date: 2024-04-01, status: signed")},
     HIST, 12, "status_history[2].status",
     "status event on 2024-04-01: 'signed' cannot follow 'drawn': progress statuses only move forward"),
    ("event-before-deal",
     {HIST: history_deal("date: 2024-01-15, status: announced", "date: 2024-03-01, status: signed")},
     HIST, 10, "status_history[0].date",
     "status event 'announced' on 2024-01-15 is dated before the deal (2024-02-01)"),
    ("superseded-without-successor",
     {HIST: history_deal("date: 2024-02-01, status: announced", "date: 2024-05-01, status: superseded")},
     HIST, 11, "status_history[1].superseded_by",
     "a superseded event needs superseded_by (the id of the successor deal)"),
    ("status-after-lapsed",
     {HIST: history_deal("date: 2024-02-01, status: announced", "date: 2024-05-01, status: lapsed",
                         "date: 2024-06-01, status: signed")},
     HIST, 12, "status_history[2].status",
     "status event on 2024-06-01: 'signed' cannot follow 'lapsed': a lapsed deal is final"),
    ("events-out-of-order",
     {HIST: history_deal("date: 2024-03-01, status: announced", "date: 2024-02-15, status: signed")},
     HIST, 11, "status_history[1].date", "status events must be in date order: 2024-02-15 comes after 2024-03-01"),
    ("status-disagrees-with-history",
     {HIST: history_deal("date: 2024-02-01, status: announced", extra="  status: signed\n")},
     HIST, 11, "status",
     "status 'signed' differs from the latest status event ('announced' on 2024-02-01); leave status out or make "
     "them agree"),
    ("restated-drawn-exceeds-committed",
     {HIST: history_deal("date: 2024-02-01, status: announced", "date: 2024-03-01, status: drawn, drawn: 3B")},
     HIST, 11, "status_history[1].drawn", "status event on 2024-03-01: drawn (3e+09) exceeds committed (2e+09)"),
    ("merger-without-successor",
     {EVENTS: entity("minor", "date: 2024-06-01, kind: merger")},
     EVENTS, 4, "events[0].successor", "a merger event needs a successor (the id of the absorbing party)"),
    ("counterparty-unknown",
     {"financials/10-shares.yaml":
      "- {entity: cloudco, period: FY2024, period_end: 2024-12-31, metric: customer_revenue_share, value: 0.6,\n"
      "   counterparty: modelwork, confidence: high, sources: [{url: 'https://example.com/f'}]}\n"},
     "financials/10-shares.yaml", 2, "counterparty",
     "figure names unknown counterparty 'modelwork' (did you mean 'modelworks'?)"),
]  # fmt: skip


def _dataset(tmp_path: Path, files: dict[str, str]) -> Path:
    ds = tmp_path / "ds"
    shutil.copytree(MINI, ds)
    for name, content in files.items():
        (ds / name).parent.mkdir(parents=True, exist_ok=True)
        (ds / name).write_text(content, encoding="utf-8")
    return ds


@pytest.mark.parametrize(
    ("files", "efile", "line", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_history_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    efile: str,
    line: int,
    field: str,
    message: str,
) -> None:
    ds = _dataset(tmp_path, files)
    with pytest.raises(JunkanInputError) as exc:
        load(ds)
    [p] = exc.value.problems
    assert (p.file, p.line, p.field, p.message) == (f"{ds}/{efile}", line, field, message)
    code, out, err = run_cli(capsys, "deals", "validate", str(ds))
    assert code == 2
    assert f"  - {ds}/{efile}, line {line}, field '{field}': {message}" in err
    assert "Traceback" not in out + err and out == ""


def test_deal_naming_a_party_after_its_merger_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ds = _dataset(
        tmp_path,
        {
            EVENTS: entity("minor", "date: 2024-06-01, kind: merger, successor: cloudco"),
            HIST: history_deal("date: 2024-07-01, status: signed", payee="minor", date="2024-07-01"),
        },
    )
    ledger = load(ds)
    [w] = ledger.warnings
    message = (
        "deal 'h-1' (2024-07-01) names 'minor', which was merged into 'cloudco' on 2024-06-01; its flows are "
        "attributed to 'cloudco' as of that date (name 'cloudco' if it is the party, keep 'minor' if the absorbed "
        "company signed it)"
    )
    assert (w.file, w.line, w.field, w.message) == (f"{ds}/{HIST}", 5, "payee", message)
    code, _, err = run_cli(capsys, "deals", "validate", str(ds))
    assert code == 0
    assert f"warning: {ds}/{HIST}, line 5, field 'payee': {message}" in " ".join(err.split())
    # on the merger date itself the deal may still name it: no warning
    same_day = _dataset(
        tmp_path / "b",
        {
            EVENTS: entity("minor", "date: 2024-06-01, kind: merger, successor: cloudco"),
            HIST: history_deal("date: 2024-06-01, status: signed", payee="minor", date="2024-06-01"),
        },
    )
    assert load(same_day).warnings == ()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("deals", "list", "--as-of", "2018-12-31"), "as-of date 2018-12-31 is before 2019-01-01"),
        (("deals", "list", "--as-of", "2026-12-03"), "as-of date 2026-12-03 is after today (2026-12-02)"),
        (("deals", "show", "acme-modelworks-equity-2024", "--as-of", "2027-01-01"), "is after today"),
        (("cycles", "--as-of", "2018-06-30", "--null", "0"), "as-of date 2018-06-30 is before 2019-01-01"),
        (("trace", "acme-chips", "--as-of", "2030-01-01"), "is after today"),
        (("exposure", "--as-of", "2010-01-01"), "is before 2019-01-01"),
        (("deals", "list", "--as-of", "2025-02-30"), "invalid date '2025-02-30'; write YYYY-MM-DD"),
    ],
)
def test_as_of_out_of_range(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], message: str
) -> None:
    monkeypatch.setattr(asof_mod, "today", lambda: __import__("datetime").date(2026, 12, 2))
    code, out, err = run_cli(capsys, *argv, "--data", str(MINI))
    assert code == 2
    assert "field '--as-of'" in err and message in err
    assert "Traceback" not in out + err


def test_show_a_deal_announced_after_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        capsys, "deals", "show", "modelworks-cloudco-lease-2025", "--as-of", "2024-12-31", "-d", str(MINI)
    )
    assert code == 2
    assert "deal 'modelworks-cloudco-lease-2025' was announced on 2025-01-10, after --as-of 2024-12-31" in err


def test_amount_block_written_as_the_final_amount_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = _dataset(
        tmp_path,
        {HIST: history_deal("date: 2024-02-01, status: announced, value: 1B", "date: 2024-03-01, status: signed")},
    )
    ledger = load(ds)
    [w] = ledger.warnings
    message = (
        "deal 'h-1': its first status event (2024-02-01, the deal's date) restates value to 1e+09 and no later event "
        "restates it, so its current value is 1e+09, not the 2e+09 of its amount block; the block is the amount as "
        "announced: give the later figure on the event that made it"
    )
    assert (w.file, w.line, w.field, w.message) == (f"{ds}/{HIST}", 10, "status_history[0].value", message)
    assert ledger.deal("h-1").amount.headline == 1e9
    code, _, err = run_cli(capsys, "deals", "validate", str(ds))
    assert code == 0 and "warning:" in err
    # restated again later: the block is not contradicted, no warning
    fixed = _dataset(
        tmp_path / "b",
        {
            HIST: history_deal(
                "date: 2024-02-01, status: announced, value: 1B", "date: 2024-03-01, status: signed, value: 2B"
            )
        },
    )
    assert load(fixed).warnings == ()
