"""Read a dataset in the quick CSV format: one deal per row.

Header (any order; surrounding spaces and case are ignored): the required columns :data:`REQUIRED_COLUMNS`
(``id,date,kind,payer,payee,amount,currency,status,confidence,source_url``) and any of :data:`OPTIONAL_COLUMNS`
(``title,committed,drawn,low,high,legs,notes``; ``legs`` is ``;``-separated deal ids). Other columns are ignored.
Money cells accept the same forms as YAML (``100e9``, ``100B``, ``$1.3bn``); an empty ``currency`` means USD and an
empty ``amount`` needs ``low``/``high``. Parties are created from the names in ``payer``/``payee``: the id is
:func:`slugify` of the name and the entity keeps the name as written (other spellings of the same slug become
aliases). Rows are numbered as in a spreadsheet: the header is row 1; blank rows are skipped but counted. A cell
that junkan's CSV writers protected from spreadsheet formulas (``'=...``: :mod:`junkan.csvsafe`) is read without
the apostrophe.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import unicodedata
from typing import Any

from junkan.csvsafe import unescape_cell
from junkan.ledger.collected import Collected, FieldLocator, RowProblem
from junkan.ledger.schema import DatasetInfo, Deal, Entity
from junkan.ledger.validation import problems_from_validation
from junkan.ledger.yaml_lines import Path, decode_utf8

REQUIRED_COLUMNS = ("id", "date", "kind", "payer", "payee", "amount", "currency", "status", "confidence", "source_url")
OPTIONAL_COLUMNS = ("title", "committed", "drawn", "low", "high", "legs", "notes")
_VALID_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_MONEY_COLUMNS = ("amount", "low", "high", "committed", "drawn")


def slugify(name: str) -> str:
    """A party id from a name: ``"CoreWeave, Inc."`` -> ``"coreweave-inc"``.

    Runs of characters other than ASCII letters and digits become ``-`` and accents are dropped
    (``"Société Générale"`` -> ``"societe-generale"``); a name with no letters or digits in the
    Latin alphabet gets ``"party-"`` and 8 hex digits of its SHA-1, so distinct names keep distinct ids. Valid ids
    are returned unchanged (the function is idempotent).
    """
    name = name.strip()
    if _VALID_ID.match(name) and len(name) <= 120:
        return name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:120].rstrip("-")
    if not slug:
        slug = "party-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return slug


def read_csv(data: bytes, file: str, *, origin: str | None = None) -> Collected:
    """Read the quick CSV format into a :class:`Collected` (records, their rows, problems)."""
    out = Collected(origin=origin or file, files=[file], check_fx=False, row_files={file})
    stem = re.sub(r"\.csv$", "", file.replace("\\", "/").rsplit("/", 1)[-1], flags=re.IGNORECASE)
    out.info = DatasetInfo(name=slugify(stem), title=f"{stem} (CSV)")

    def problem(message: str, row: int | None, fld: str | None = None) -> None:
        out.problems.append(RowProblem(message, file=file, line=row, field=fld))

    text, bad = decode_utf8(data, file)
    if bad is not None:
        out.problems.append(bad)  # a byte problem names the physical line, not the row
        return out
    assert text is not None
    if not text.strip():
        problem("file is empty; expected a header row: " + ",".join(REQUIRED_COLUMNS), None)
        return out
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row_no = 0
    try:
        for cells in reader:
            row_no += 1
            rows.append((row_no, cells))
    except csv.Error as exc:
        problem(f"malformed CSV: {exc}", row_no + 1)
        return out
    header_row, header = rows[0]
    columns = [c.strip().lower() for c in header]
    if not _header_ok(columns, header_row, problem):
        return out
    index = {c: i for i, c in enumerate(columns)}
    data_rows = [(n, cells) for n, cells in rows[1:] if any(c.strip() for c in cells)]
    if not data_rows:
        problem("no deal rows after the header", None)
        return out
    names: dict[str, list[str]] = {}
    for row, cells in data_rows:
        if len(cells) != len(columns):
            problem(f"row has {len(cells)} cells but the header has {len(columns)} columns", row)
            continue
        cell = {c: unescape_cell(cells[i].strip()).strip() for c, i in index.items()}
        raw = _deal_dict(cell)
        for role in ("payer", "payee"):
            if cell[role]:
                names.setdefault(raw[role], [])
                if cell[role] not in names[raw[role]]:
                    names[raw[role]].append(cell[role])
        deal = _validate(raw, row, file, out)
        if deal is None:
            out.invalid_deals.append((raw, _at_row(file, row)))
            if cell["id"]:
                out.invalid_deal_ids.add(cell["id"])
            continue
        out.deals.append(deal)
        out.place(deal, _at_row(file, row))
    for pid, spellings in names.items():
        entity = Entity(id=pid, name=spellings[0], aliases=spellings[1:])
        out.entities.append(entity)
    return out


def _at_row(file: str, row: int) -> FieldLocator:
    def locate(fld: str) -> tuple[str | None, int | None]:
        return file, row

    return locate


def _header_ok(columns: list[str], row: int, problem: Any) -> bool:
    ok = True
    seen: set[str] = set()
    for c in columns:
        if c in seen and c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            problem(f"column {c!r} appears twice in the header", row, c)
            ok = False
        seen.add(c)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing and len(columns) == 1 and any(sep in columns[0] for sep in ";\t|"):
        sep = next(s for s in ";\t|" if s in columns[0])
        problem(f"the header is one column; the file seems to use {sep!r} as separator, but CSV needs ','", row)
        return False
    for c in missing:
        close = difflib.get_close_matches(c, [x for x in columns if x not in REQUIRED_COLUMNS], n=1, cutoff=0.6)
        hint = f" (is {close[0]!r} meant to be {c!r}?)" if close else ""
        problem(f"missing column {c!r}{hint}; the header needs: {','.join(REQUIRED_COLUMNS)}", row, c)
        ok = False
    return ok


def _deal_dict(cell: dict[str, str]) -> dict[str, Any]:
    """The raw deal mapping of one row (empty cells left out so that the schema's defaults or errors apply)."""
    raw: dict[str, Any] = {}
    for c in ("id", "date", "kind", "status", "confidence", "title", "notes"):
        if cell.get(c):
            raw[c] = cell[c]
    for role in ("payer", "payee"):
        if cell[role]:
            raw[role] = slugify(cell[role])
    amount: dict[str, Any] = {"currency": cell["currency"].upper() or "USD"}
    for c, key in zip(_MONEY_COLUMNS, ("value", "low", "high", "committed", "drawn"), strict=True):
        if cell.get(c):
            amount[key] = cell[c]
    raw["amount"] = amount
    raw["sources"] = [{"url": cell["source_url"]}] if cell["source_url"] else []
    if cell.get("legs"):
        raw["legs"] = [x.strip() for x in cell["legs"].split(";") if x.strip()]
    return raw


_AMOUNT_COLUMN = {"value": "amount", "low": "low", "high": "high", "committed": "committed", "drawn": "drawn"}


def _column(loc: Path) -> str:
    """The CSV column a schema location comes from."""
    if not loc:
        return ""
    head = loc[0]
    if head == "amount":
        if len(loc) > 1 and isinstance(loc[1], str):
            return _AMOUNT_COLUMN.get(loc[1], loc[1])
        return "amount"
    if head == "sources":
        return "source_url"
    return str(head)


def _validate(raw: dict[str, Any], row: int, file: str, out: Collected) -> Deal | None:
    from pydantic import ValidationError

    try:
        return Deal.model_validate(raw)
    except ValidationError as exc:
        for p in problems_from_validation(exc, Deal, file=file, line_of=lambda loc: row, field_of=_column):
            out.problems.append(RowProblem(p.message, file=p.file, line=p.line, field=p.field))
        return None
