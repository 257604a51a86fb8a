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
            return "n/a"
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
        return "n/a" if _is_nan(v) else f"{v:.{digits}%}"

    def month(self, d: dt.date | str | None) -> str:
        """A month: ``November 2026`` / ``2026年11月``."""
        if d is None:
            return "n/a"
        day = dt.date.fromisoformat(d) if isinstance(d, str) else d
        return f"{day.year}年{day.month}月" if self.code == "ja" else day.strftime("%B %Y")

    def day(self, d: dt.date | str | None) -> str:
        """A day: ``2026-11-24`` / ``2026年11月24日``."""
        if d is None:
            return "n/a"
        day = dt.date.fromisoformat(d) if isinstance(d, str) else d
        return f"{day.year}年{day.month}月{day.day}日" if self.code == "ja" else day.isoformat()

    @property
    def font_stack(self) -> str:
        """The CSS font stack for this language (:data:`FONT_STACKS`)."""
        return FONT_STACKS[self.code]


@cache
def get_lang(lang: str | None = None) -> Lang:
    """The :class:`Lang` of ``lang`` (``en`` or ``ja``; default English), its catalogue loaded once."""
    code = check_lang(lang)
    if code == "en":
        return Lang("en", _gettext.NullTranslations())
    return Lang(code, _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code]))


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


def main(argv: list[str] | None = None) -> int:
    """``python -m junkan.report.i18n compile``: rebuild every shipped ``.mo`` from its ``.po``."""
    import sys

    from junkan.fileio import write_with_atomic

    args = sys.argv[1:] if argv is None else argv
    if args != ["compile"]:
        print("usage: python -m junkan.report.i18n compile", file=sys.stderr)
        return 2
    for code in LANGUAGES[1:]:
        out = po_path(code).with_suffix(".mo")
        data = compile_catalogue(code)

        def write(tmp: Path, data: bytes = data) -> None:
            tmp.write_bytes(data)

        write_with_atomic(out, write)
        print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
