"""The report of a small hand-made ledger: sections, self-containment, headline numbers against hand calculations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_helpers import COMMITTED, DRAWN, SHARE_C, SHARE_V, small_ledger

from junkan.errors import JunkanInputError
from junkan.flows import find_cycles, own_money_share
from junkan.report import FIGURE_IDS, SECTION_IDS, build_report
from junkan.report.build import FIGURE_SECTIONS, STEPS


@pytest.fixture(scope="module")
def report():
    return build_report(small_ledger(), seed=5, scenario=None, scorecard=False)


def test_sections_without_stress_and_scorecard(report):
    expected = ("answers", "headline", "network", "flows", "own-money", "circularity", "watch", "sources")
    assert report.sections == expected
    assert set(report.omitted) == {"scorecard", "stress"}
    for sid in report.sections:
        assert f'<section id="{sid}">' in report.html
    for sid in set(SECTION_IDS) - set(report.sections):
        assert f'<section id="{sid}">' not in report.html


def test_watch_section_lists_the_api_indicators(report):
    from junkan.assess.watch import watch

    res = watch(small_ledger())
    assert res.indicators, "the small ledger has indicators to show"
    assert f"{res.counts()['alert']}</strong> in alert" in report.html
    for ind in res.indicators:
        assert f"<td>{ind.name}</td><td>{ind.subject}</td>" in report.html
        assert f'<td class="num">{ind.value:.4g}</td>' in report.html


def test_every_figure_of_a_rendered_section_has_its_div(report):
    for name, div in FIGURE_IDS.items():
        present = f'id="{div}"' in report.html
        assert present == (FIGURE_SECTIONS[name] in report.sections), name


def test_self_contained(report):
    html = report.html
    assert not re.search(r"<script[^>]+src=", html, flags=re.I)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html, flags=re.I)
    assert html.count("* plotly.js v") == 1  # the bundle is inlined once, in the head
    assert html.index("* plotly.js v") < html.index("</head>")
    assert 'src="https://cdn' not in html


def test_headline_matches_hand_calculation(report):
    h = report.headline
    assert h["deals"] == 4 and h["parties"] == 4
    assert h["committed_usd"] == pytest.approx(COMMITTED)
    assert h["drawn_usd"] == pytest.approx(DRAWN)
    assert h["drawn_share"] == pytest.approx(DRAWN / COMMITTED)
    assert h["cycles"] == 1 and h["time_respecting_cycles"] == 1
    assert h["largest_cycles"][0]["bottleneck_usd"] == pytest.approx(100.0)
    assert [r["entity"] for r in h["top_own_money"]] == ["c", "v"]
    assert h["top_own_money"][0]["own_money_share"] == pytest.approx(SHARE_C)
    assert h["top_own_money"][1]["own_money_share"] == pytest.approx(SHARE_V)


def test_headline_matches_the_api(report):
    led = small_ledger()
    cyc = find_cycles(led)
    h = report.headline
    assert h["cycles"] == len(cyc.cycles)
    assert h["cycle_volume_usd"] == pytest.approx(cyc.summary()["cycle_volume"])
    assert h["top_own_money"][1]["own_money_share"] == pytest.approx(own_money_share(led, "v").own_money_share)


def test_headline_numbers_are_printed(report):
    html = report.html
    assert re.search(r'data-headline="deals">4<', html)
    assert re.search(r'data-headline="committed_usd">\$280<', html)
    assert re.search(r'data-headline="drawn_usd">\$190<', html)
    assert re.search(r'data-headline="drawn_share">67.9%<', html)
    assert re.search(r'data-own-money="c">100.0%<', html)
    assert re.search(r'data-own-money="v">100.0%<', html)


def test_cycles_table_links_to_deal_anchors(report):
    html = report.html
    table = html[html.index('id="cycles-table"') : html.index("</table>", html.index('id="cycles-table"'))]
    links = set(re.findall(r'href="#deal-([a-z0-9._-]+)"', table))
    assert links == {"inv", "buy"}
    for d in links:
        assert f'id="deal-{d}"' in html


def test_sources_list_every_deal_and_flag_weak_evidence(report):
    html = report.html
    for d in ("inv", "buy", "loan", "gone"):
        assert f'id="deal-{d}"' in html
    row = html[html.index('id="deal-loan"') :]
    row = row[: row.index("</tr>")]
    assert 'class="weak"' in row
    for flag in ("low confidence", "no primary source", "claim wrong"):
        assert flag in row
    assert 'href="https://news.example.com/story"' in row
    ok = html[html.index('id="deal-buy"') :]
    assert 'class=""' in ok[: ok.index("</tr>")]
    assert "L lent C a billion." in html  # the claims table


def test_deterministic_for_a_seed():
    a = build_report(small_ledger(), seed=5, scenario=None, scorecard=False)
    b = build_report(small_ledger(), seed=5, scenario=None, scorecard=False)
    strip = re.compile(r"Built [^<]* by")
    assert strip.sub("", a.html) == strip.sub("", b.html)
    assert a.seed == 5


def test_progress_is_called_for_every_step():
    seen: list[str] = []
    build_report(small_ledger(), seed=1, scenario=None, scorecard=False, progress=seen.append)
    assert tuple(seen) == STEPS


def test_write_is_atomic_and_complete(report, tmp_path: Path):
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    report.write(target)
    assert target.read_text(encoding="utf-8") == report.html
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]  # no temporary file left behind


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"map_period": "month"}, "map_period"), ({"runs": 0}, "runs"), ({"scenario": "nope"}, "scenario")],
)
def test_bad_options_are_input_errors(kw, field):
    with pytest.raises(JunkanInputError) as exc:
        build_report(small_ledger(), seed=1, scorecard=False, **kw)
    assert exc.value.problems[0].field == field


def test_dataset_without_stress_model_leaves_the_section_out_with_the_reason():
    rep = build_report(small_ledger(), seed=1, scenario="baseline", runs=10, scorecard=False)
    assert "stress" not in rep.sections
    assert "no stress model" in rep.omitted["stress"]
    assert "no stress model" in rep.html  # the reader is told too
