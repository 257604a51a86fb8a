"""The report's and the dashboard's languages: a gettext message catalogue (Babel) and the number and date styles.

English is the default and the source language: every message is written in English in the code and the template
(``_("...")`` in Python, ``{% trans %}`` / ``_()`` in ``report.html.j2``) and looked up in the catalogue of the chosen
language, ``src/junkan/report/locale/<lang>/LC_MESSAGES/junkan.po``, compiled to ``junkan.mo`` beside it (the compiled
file is shipped; ``tests/report/test_i18n.py`` checks that it is up to date with the ``.po``; rebuild it with
``python -m junkan.report.i18n compile``). A message missing from a catalogue falls back to English.

Numbers follow the reader's convention (Unicode CLDR's short decimal formats for ``en`` and ``ja``):

* English: ``$30.0B``, ``$1.4T``, ``$350.0M``; months as ``November 2026``, days as ``2026-11-24``;
* Japanese: 万 (10^4), 億 (10^8) and 兆 (10^12) dollars: ``$30B`` = ``300億ドル``, ``$1.4T`` = ``1.4兆ドル``,
  ``$350M`` = ``3.5億ドル``, ``$5M`` = ``500万ドル``; months as ``2026年11月``, days as ``2026年11月24日``.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

#: The languages of the catalogue; the first is the default.
LANGUAGES: tuple[str, ...] = ("en", "ja")
#: The name of each language, in that language (the dashboard's switch shows these).
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ja": "日本語"}
DOMAIN = "junkan"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The CSS font stack of each language: CJK faces of macOS, Linux and Windows first for Japanese.
FONT_STACKS: dict[str, str] = {
    "en": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    "ja": '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic", '
    '"Meiryo", system-ui, sans-serif',
}


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here (it is translated where it is shown)."""
    return message


def check_lang(lang: str | None) -> str:
    """``lang`` if it is one of :data:`LANGUAGES` (``None`` -> ``en``); otherwise a clear input error."""
    from junkan.errors import JunkanInputError

    code = "en" if lang is None else str(lang).strip().lower()
    if code not in LANGUAGES:
        raise JunkanInputError.single(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}", field="lang")
    return code


def _is_nan(v: float | None) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _trim(x: float, digits: int) -> str:
    s = f"{x:,.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


@dataclass(frozen=True)
class Lang:
    """One language: its catalogue and its ways of writing money, shares and dates."""

    code: str
    translations: _gettext.NullTranslations

    def gettext(self, message: str) -> str:
        """The translation of ``message`` (English when the catalogue has none)."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural translation for ``n``."""
        return self.translations.ngettext(singular, plural, n)

    __call__ = gettext

    def money(self, v: float | None) -> str:
        """US dollars in the reader's style: ``$30.0B`` / ``300億ドル``; ``None``/NaN -> ``n/a``."""
        if _is_nan(v):
            return self.gettext("n/a")
        assert v is not None
        if self.code != "ja":
            from junkan.report.figures import money

            return money(v)
        sign = "-" if v < 0 else ""
        a = abs(v)
        for scale, unit in ((1e12, "兆"), (1e8, "億"), (1e4, "万")):
            if a >= scale:
                x = a / scale
                digits = 0 if x >= 100 else 1 if x >= 10 else 2
                return f"{sign}{_trim(x, digits)}{unit}ドル"
        return f"{sign}{a:,.0f}ドル"

    def pct(self, v: float | None, digits: int = 0) -> str:
        """A share as a percentage (``0.086`` -> ``9%``); ``None``/NaN -> ``n/a``."""
        return self.gettext("n/a") if _is_nan(v) else f"{v:.{digits}%}"

    def month(self, d: dt.date | str | None) -> str:
        """A month: ``November 2026`` / ``2026年11月``."""
        if d is None:
            return self.gettext("n/a")
        day = dt.date.fromisoformat(d) if isinstance(d, str) else d
        return f"{day.year}年{day.month}月" if self.code == "ja" else day.strftime("%B %Y")

    def quarter(self, label: str) -> str:
        """A quarter label ``2026Q4``: as it is in English, ``2026年第4四半期`` in Japanese."""
        import re

        m = re.fullmatch(r"(\d{4})Q([1-4])", label)
        return f"{m.group(1)}年第{m.group(2)}四半期" if m and self.code == "ja" else label

    def day(self, d: dt.date | str | None) -> str:
        """A day: ``2026-11-24`` / ``2026年11月24日``."""
        if d is None:
            return self.gettext("n/a")
        day = dt.date.fromisoformat(d) if isinstance(d, str) else d
        return f"{day.year}年{day.month}月{day.day}日" if self.code == "ja" else day.isoformat()

    @property
    def font_stack(self) -> str:
        """The CSS font stack for this language (:data:`FONT_STACKS`)."""
        return FONT_STACKS.get(self.code, FONT_STACKS["en"])


@cache
def get_lang(lang: str | None = None) -> Lang:
    """The :class:`Lang` of ``lang`` (``en`` or ``ja``; default English), its catalogue loaded once."""
    code = check_lang(lang)
    if code == "en":
        return Lang("en", _gettext.NullTranslations())
    return Lang(code, _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code]))


# ---------------------------------------------------------------------------------------------------- figures
#: Figure texts with a number in them: (pattern, message with the captured groups as ``%(name)s``).
FIGURE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^small deals \(< (?P<amount>[^)]+)\)$", N_("small deals (< %(amount)s)")),
    (r"^<b>(?P<share>[0-9.]+%)</b> of runs$", N_("<b>%(share)s</b> of runs")),
    (r"^(?P<label>.+) \((?P<n>[0-9]+) deals?\)$", N_("%(label)s (%(n)s deals)")),
    (
        r"^What drives (?P<output>.+): Sobol total-order indices$",
        N_("What drives %(output)s: Sobol total-order indices"),
    ),
    (r"^No sensitivity indices for (?P<output>.+)\.$", N_("No sensitivity indices for %(output)s.")),
    (
        r"^Cumulative default probability: (?P<scenario>\S+) \((?P<runs>[0-9]+) runs, seed (?P<seed>[0-9]+)\)$",
        N_("Cumulative default probability: %(scenario)s (%(runs)s runs, seed %(seed)s)"),
    ),
)
#: The keys of a plotly figure's JSON whose string values are display text (hover texts are left as they are).
_TEXT_KEYS = frozenset({"text", "name", "label", "prefix", "title"})


def _translate_text(value: str, lang: Lang) -> str:
    import re

    if not value.strip():  # gettext("") is the catalogue's header, never a translation
        return value
    out = lang.gettext(value)
    if out != value:
        return out
    for pattern, message in FIGURE_PATTERNS:
        m = re.match(pattern, value)
        if m:
            groups = {k: lang.gettext(v) for k, v in m.groupdict().items()}
            return lang.gettext(message) % groups
    return value


def _walk(node: object, lang: Lang, key: str | None = None) -> object:
    if isinstance(node, dict):
        return {k: _walk(v, lang, k) for k, v in node.items()}
    if isinstance(node, list):
        if key in ("ticktext", "label"):
            return [_translate_text(x, lang) if isinstance(x, str) else x for x in node]
        return [_walk(v, lang, None) for v in node]
    if isinstance(node, str) and key in _TEXT_KEYS:
        return _translate_text(node, lang)
    return node


def translate_figure(fig: Any, lang: Lang) -> Any:
    """A copy of the plotly figure ``fig`` with its titles, axis titles, legend entries, annotations, slider and
    button labels looked up in ``lang``'s catalogue (numbers in them through :data:`FIGURE_PATTERNS`); party names
    and hover texts are kept. English returns ``fig`` itself."""
    if lang.code == "en":
        return fig
    import plotly.graph_objects as go

    d = fig.to_dict()
    out = _walk(d, lang)
    assert isinstance(out, dict)
    new = go.Figure(out)
    new.layout.font.family = lang.font_stack.replace('"', "'")
    return new


# ---------------------------------------------------------------------------------------------------- the catalogue
#: Where the messages are (relative to the repository root) and how Babel extracts them.
EXTRACT_DIRS: tuple[str, ...] = ("src/junkan/report", "src/junkan/app")
KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extraction_method_map() -> list[tuple[str, str]]:
    """Babel's method map: the Jinja template through jinja2's own extractor, Python through Babel's."""
    return [("**/templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]


def extraction_options() -> dict[str, dict[str, str]]:
    """Babel's options for the template: the i18n extension, ``trimmed`` whitespace as the report renders it."""
    return {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def extract_messages(root: str | Path) -> dict[str, list[str]]:
    """Every message of :data:`EXTRACT_DIRS` under ``root`` (a plural message by its singular), with its places."""
    from babel.messages.extract import extract_from_dir

    out: dict[str, list[str]] = {}
    for d in EXTRACT_DIRS:
        for fn, lineno, message, _comments, _ctx in extract_from_dir(
            str(Path(root) / d), extraction_method_map(), extraction_options(), keywords=KEYWORDS
        ):
            mid = message[0] if isinstance(message, tuple) else message
            if mid:
                out.setdefault(mid, []).append(f"{d}/{fn}:{lineno}")
    return out


def po_path(lang: str) -> Path:
    """The ``.po`` file of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogue(lang: str) -> bytes:
    """The ``.mo`` bytes of ``lang``'s ``.po`` file, compiled with Babel (fuzzy entries left out)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update_catalogue(lang: str, root: str | Path) -> list[str]:
    """Merge the messages extracted under ``root`` into ``lang``'s ``.po``: new messages are added untranslated,
    translations of messages still in the code are kept, messages gone from the code are dropped. Returns the
    messages left without a translation (translate them in the ``.po``, then ``compile``)."""
    import datetime as _dt

    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po, write_po

    old: dict[object, object] = {}
    if po_path(lang).exists():
        with po_path(lang).open("rb") as fh:
            old = {m.id: m.string for m in read_po(fh, locale=lang, domain=DOMAIN) if m.id}
    stamp = _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)
    cat = Catalog(
        locale=lang,
        domain=DOMAIN,
        project="junkan",
        version="0.1.0",
        copyright_holder="junkan developers",
        creation_date=stamp,
        revision_date=stamp,
        last_translator="junkan developers",
        language_team=lang,
        fuzzy=False,
    )
    for d in EXTRACT_DIRS:
        for fn, lineno, message, _comments, _ctx in extract_from_dir(
            str(Path(root) / d), extraction_method_map(), extraction_options(), keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else tuple(message[:2])
            if not key:
                continue
            loc = (f"{d}/{fn}", lineno)
            prev = cat.get(key if isinstance(key, str) else key[0])
            locs = [*(prev.locations if prev else []), loc]
            string = old.get(key, old.get(key[0], "") if isinstance(key, tuple) else "")
            if isinstance(key, tuple) and isinstance(string, str):
                string = (string,)
            flags = ["python-format"] if "%(" in (key if isinstance(key, str) else key[0]) else []
            cat.add(key, string, locations=locs, flags=flags)  # type: ignore[arg-type]
    from junkan.fileio import write_with_atomic

    def write(tmp: Path) -> None:  # atomically: an interrupted update leaves the old catalogue
        with tmp.open("wb") as fh:
            write_po(fh, cat, width=120, omit_header=False)

    write_with_atomic(po_path(lang), write)
    left: list[str] = []
    for m in cat:
        if not m.id:
            continue
        text = m.string if isinstance(m.string, str) else (m.string or ("",))[0]
        if not text:
            left.append(m.id if isinstance(m.id, str) else m.id[0])
    return left


def main(argv: list[str] | None = None) -> int:
    """``python -m junkan.report.i18n update|compile``: merge the code's messages into every ``.po`` (run from the
    repository root; lists what is left untranslated), or rebuild every shipped ``.mo`` from its ``.po``."""
    import sys

    from junkan.fileio import write_with_atomic

    args = sys.argv[1:] if argv is None else argv
    if args not in (["compile"], ["update"]):
        print("usage: python -m junkan.report.i18n update|compile", file=sys.stderr)
        return 2
    for code in LANGUAGES[1:]:
        if args == ["update"]:
            for m in update_catalogue(code, Path.cwd()):
                print(f"{code}: untranslated: {m!r}")
            print(po_path(code))
            continue
        out = po_path(code).with_suffix(".mo")
        data = compile_catalogue(code)

        def write(tmp: Path, data: bytes = data) -> None:
            tmp.write_bytes(data)

        write_with_atomic(out, write)
        print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
