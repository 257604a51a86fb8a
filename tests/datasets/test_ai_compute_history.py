"""Known past states of the bundled ai-compute ledger through ``--as-of`` (status histories and the xAI merger).

* NVIDIA's letter of intent to invest up to $100B in OpenAI (``nvda-openai-loi-2025``): announced 2025-09-22, on
  hold from NVIDIA's 10-Q of 2025-11-19, superseded on 2026-02-27 by the $30B equity investment
  (``nvda-openai-equity-2026``). As of mid-October 2025 it was a live announcement; now it is superseded.
* xAI merged into SpaceX on 2026-02-02 (entity event on ``xai``): as of 2026-06-30 xAI's deals name SpaceX; as of
  2025-12-31 they name xAI. SpaceX's own investment in xAI (July 2025) keeps both parties.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from _helpers import run_cli
from junkan.flows.graph import flow_graph
from junkan.ledger.load import load

LOI = "nvda-openai-loi-2025"


def _rows(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, object]]:
    code, out, err = run_cli(capsys, "deals", "list", "--format", "json", *argv)
    assert code == 0, err
    return {r["id"]: r for r in json.loads(out)}


def test_nvidia_openai_loi_as_announced_in_october_2025_and_superseded_now(capsys: pytest.CaptureFixture[str]) -> None:
    then = _rows(capsys, "--as-of", "2025-10-15")
    assert then[LOI]["status"] == "announced"
    assert (then[LOI]["amount"], then[LOI]["committed"], then[LOI]["drawn"]) == (100e9, 0.0, 0.0)
    assert "nvda-openai-equity-2026" not in then  # announced later
    assert all(str(r["date"]) <= "2025-10-15" for r in then.values())
    assert _rows(capsys, "--as-of", "2025-12-31")[LOI]["status"] == "on_hold"
    now = _rows(capsys)
    assert now[LOI]["status"] == "superseded"
    assert load("ai-compute").deal(LOI).superseded_by == "nvda-openai-equity-2026"


def test_superseded_loi_leaves_the_flow_graph_only_after_it_was_superseded() -> None:
    ledger = load("ai-compute")
    ids = {f.deal_id for f in flow_graph(ledger, as_of=dt.date(2025, 10, 15)).flows}
    assert LOI in ids
    ids = {f.deal_id for f in flow_graph(ledger, as_of=dt.date(2026, 6, 30)).flows}
    assert LOI not in ids and "nvda-openai-equity-2026" in ids


def test_xai_flows_attributed_to_spacex_from_the_merger(capsys: pytest.CaptureFixture[str]) -> None:
    after = _rows(capsys, "--as-of", "2026-06-30")
    before = _rows(capsys, "--as-of", "2025-12-31")
    assert (after["xai-series-c-2024"]["payee"], before["xai-series-c-2024"]["payee"]) == ("spacex", "xai")
    assert (after["xai-spv-lease-2025"]["payer"], before["xai-spv-lease-2025"]["payer"]) == ("spacex", "xai")
    assert after["xai-series-e-2026"]["payee"] == "spacex"
    # SpaceX's own investment in xAI keeps both parties: the money moved between two companies
    assert (after["spacex-xai-equity-2025"]["payer"], after["spacex-xai-equity-2025"]["payee"]) == ("spacex", "xai")
    ledger = load("ai-compute")
    merged = ledger.as_of(dt.date(2026, 6, 30))
    assert {a.original for a in merged.attributions} == {"xai"}
    assert {a.successor for a in merged.attributions} == {"spacex"}
    assert ledger.as_of(dt.date(2025, 12, 31)).attributions == ()
    xai_flows = {f.deal_id for f in flow_graph(ledger, as_of=dt.date(2026, 6, 30)).flows if "xai" in (f.payer, f.payee)}
    assert xai_flows <= {"spacex-xai-equity-2025"}
    # the recorded ledger names xAI as each record does
    assert ledger.deal("xai-series-c-2024").payee == "xai"
