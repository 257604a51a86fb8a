"""CSV cells that open safely in a spreadsheet (the OWASP "CSV injection" rule), for every CSV junkan writes.

A spreadsheet (Excel, LibreOffice, Google Sheets) reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, and a leading tab or carriage return can hide one, so a party named ``=HYPERLINK("http://x","y")`` or an
account ``=cmd|calc!A0`` would run when the file is opened. Every CSV writer of junkan passes its cells through
:func:`safe_cell` (or a whole table through :func:`safe_frame`): a text cell that begins with one of
:data:`TRIGGERS` gets a leading apostrophe, which the spreadsheet shows as text and does not store. Numbers are
left as they are, and so is text that is a plain number (``-5``, ``+1.5e3``: a spreadsheet reads those as numbers,
not formulas), so numeric columns stay numeric. JSON and Parquet outputs are never escaped.

junkan's own readers of its CSV formats (the quick deal format, :mod:`junkan.ledger.csv_import`) undo the escape
with :func:`unescape_cell`, so an exported ledger loads back with the same names.

Reference: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (or hide one).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def needs_escape(text: str) -> bool:
    """Whether ``text`` begins with a formula trigger and is not a plain number."""
    return text.startswith(TRIGGERS) and _NUMBER.fullmatch(text) is None


def safe_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would read as a formula; else unchanged."""
    if isinstance(value, str) and needs_escape(value):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of a row through :func:`safe_cell` (for :class:`csv.DictWriter`)."""
    return {k: safe_cell(v) for k, v in row.items()}


def unescape_cell(text: str) -> str:
    """Undo :func:`safe_cell` on a cell read back from a CSV: ``'=x`` -> ``=x`` (other text is unchanged)."""
    if text.startswith("'") and needs_escape(text[1:]):
        return text[1:]
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`safe_cell` applied to its text columns (a copy only where a cell changes).

    Vectorised: a column is scanned with ``str.startswith`` and only the cells that start with a trigger (usually
    none) are looked at one by one, so a 10-million-row ledger costs a fraction of writing it.
    """
    out = frame
    for name in frame.columns:
        col = frame[name]
        if col.dtype.kind not in "OSU" and str(col.dtype) not in ("string", "str"):
            continue
        try:
            starts = col.str.startswith(TRIGGERS)
        except AttributeError:  # an object column without any strings (lists, None)
            continue
        hit = starts.to_numpy(dtype=object, na_value=False).astype(bool)
        if not hit.any():
            continue
        values = col.to_numpy(dtype=object, copy=True)
        fixed = [safe_cell(v) for v in values[hit]]
        if all(a is b for a, b in zip(fixed, values[hit], strict=True)):
            continue  # only plain numbers such as "-5"
        values[hit] = fixed
        if out is frame:
            out = frame.copy()
        out[name] = values
    return out
