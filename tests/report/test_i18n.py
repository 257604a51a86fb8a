"""The Japanese report: a complete, compiled message catalogue, Japanese number and date styles, and a page with
every section title, answer and figure title in Japanese."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from report_helpers import small_ledger

from _helpers import run_cli
from junkan.errors import JunkanInputError
from junkan.report import build_report
from junkan.report.i18n import (
    LANGUAGES,
    compile_catalogue,
    extract_messages,
    get_lang,
    po_path,
    translate_figure,
)

ROOT = Path(__file__).resolve().parents[2]


def _po(lang: str):
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def test_mo_is_up_to_date_with_the_po():
    for lang in LANGUAGES[1:]:
        shipped = po_path(lang).with_suffix(".mo").read_bytes()
        assert shipped == compile_catalogue(lang), "run: python -m junkan.report.i18n compile"


def test_every_message_is_translated_and_none_is_stale():
    extracted = extract_messages(ROOT)
    assert len(extracted) > 250
    cat = _po("ja")
    ids = {m.id if isinstance(m.id, str) else m.id[0]: m for m in cat if m.id}
    missing = sorted(set(extracted) - set(ids))
    assert not missing, f"not in the catalogue: {missing[:5]}"
    stale = sorted(set(ids) - set(extracted))
    assert not stale, f"in the catalogue but no longer in the code: {stale[:5]}"
    for mid, m in ids.items():
        text = m.string if isinstance(m.string, str) else m.string[0]
        assert text, f"untranslated: {mid!r}"
        assert not m.fuzzy, mid
        assert re.findall(r"%\(\w+\)[sd]", mid if isinstance(m.id, str) else m.id[0]) == [] or sorted(
            re.findall(r"%\(\w+\)[sd]", text)
        ) == sorted(re.findall(r"%\(\w+\)[sd]", mid)), f"placeholders differ: {mid!r}"


def test_the_vocabulary_covers_the_schema():
    from junkan.assess.scorecard import REGIONS
    from junkan.flows.cycles import PATTERNS
    from junkan.ledger.schema import Confidence, DealKind, SourceKind, Status

    ja = get_lang("ja")
    words = [e.value.replace("_", " ") for enum in (DealKind, Status, Confidence, SourceKind) for e in enum]
    from junkan.stress.ecosystem.scenarios import CHANNELS

    words += [p.replace("_", " ") for p in PATTERNS] + list(REGIONS) + ["ok", "watch", "alert"]
    words += list(CHANNELS)  # the stress section's lede names each channel ("sentiment: on")
    for w in words:
        assert ja.gettext(w) != w, f"no Japanese for {w!r}"


@pytest.mark.parametrize(
    ("value", "ja", "en"),
    [
        (30e9, "300億ドル", "$30.0B"),
        (1.4e12, "1.4兆ドル", "$1.4T"),
        (350e6, "3.5億ドル", "$350.0M"),
        (5e6, "500万ドル", "$5.0M"),
        (596.77e9, "5,968億ドル", "$596.8B"),
        (-67e9, "-670億ドル", "-$67.0B"),
        (280.0, "280ドル", "$280"),
        (None, "該当なし", "n/a"),
    ],
)
def test_money_styles(value, ja, en):
    assert get_lang("ja").money(value) == ja
    assert get_lang("en").money(value) == en


def test_dates():
    ja, en = get_lang("ja"), get_lang("en")
    assert ja.month(dt.date(2026, 11, 24)) == "2026年11月"
    assert ja.day("2026-11-24") == "2026年11月24日"
    assert en.month("2026-11-24") == "November 2026"
    assert en.day(dt.date(2026, 11, 24)) == "2026-11-24"


def test_unknown_language_is_an_input_error():
    with pytest.raises(JunkanInputError, match="language must be one of en, ja"):
        get_lang("fr")
    with pytest.raises(JunkanInputError):
        build_report(small_ledger(), scenario=None, lang="de")


def test_figure_titles_are_translated():
    from junkan.report import figures as rfig

    fig = rfig.empty_figure("Default probability within the horizon", "No parties modelled.")
    out = translate_figure(fig, get_lang("ja"))
    assert out.layout.title.text == "期間内のデフォルト確率"
    assert out.layout.annotations[0].text == "モデル化された当事者がいません。"
    assert fig.layout.title.text == "Default probability within the horizon"  # the original is left alone
    assert "Noto Sans CJK JP" in out.layout.font.family
    assert translate_figure(fig, get_lang("en")) is fig
    # an empty text stays empty (gettext("") would be the catalogue's header)
    blank = rfig.empty_figure("", "")
    out = translate_figure(blank, get_lang("ja"))
    assert out.layout.title.text == "" and out.layout.annotations[0].text == ""


def test_quarters():
    assert get_lang("ja").quarter("2026Q4") == "2026年第4四半期"
    assert get_lang("en").quarter("2026Q4") == "2026Q4"


@pytest.fixture(scope="module")
def pages():
    led = small_ledger()
    return build_report(led, seed=5, scenario=None, lang="en"), build_report(led, seed=5, scenario=None, lang="ja")


def test_japanese_page(pages):
    en, ja = pages
    assert '<html lang="ja">' in ja.html and '<html lang="en">' in en.html
    assert '"Noto Sans CJK JP"' in ja.html and '"Hiragino Sans"' in ja.html
    lang = get_lang("ja")
    h2_en = re.findall(r"<h2>(.*?)</h2>", en.html)
    h2_ja = re.findall(r"<h2>(.*?)</h2>", ja.html)
    assert len(h2_en) == len(h2_ja) == len(ja.sections)
    for e, j in zip(h2_en, h2_ja, strict=True):
        assert j == lang.gettext(e.replace("&amp;", "&")) != e
    assert "循環取引か、市場創造か？" in ja.html and "逆回転したらどうなるか？" in ja.html
    title = "ネットワーク図：誰が誰に支払っているか"  # a figure title, in the figure's JSON (maybe \u-escaped)
    assert title in ja.html or json.dumps(title)[1:-1] in ja.html
    assert "The network map: who pays whom" not in ja.html
    # the answers carry the same numbers in both languages
    assert ja.answers is not None and en.answers is not None
    assert ja.answers.circularity_index == en.answers.circularity_index
    # every amount of the small ledger is exact, so the 90% interval of the index is the point itself
    assert ja.answers.circularity_interval == en.answers.circularity_interval == pytest.approx((5 / 7, 5 / 7))
    assert "循環度指数は71.4%（90%区間 71.4%〜71.4%）です" in ja.answers.answer("circular").text
    assert "280ドル" in ja.answers.answer("circular").text


def test_cli_report_in_japanese(capsys, csv_data, tmp_path):
    out = tmp_path / "r.html"
    code, _, _ = run_cli(capsys, "report", "--data", csv_data, "-o", str(out), "--no-stress", "--lang", "ja")
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ja">' in html and "<h2>3つの問いへの答え</h2>" in html
    code, _, _err = run_cli(capsys, "report", "--data", csv_data, "-o", str(tmp_path / "x.html"), "--lang", "xx")
    assert code == 2 and not (tmp_path / "x.html").exists()
