"""Read a transaction ledger (CSV or Parquet) into compact numpy arrays, reporting every bad row.

Columns: ``id, timestamp, src, dst, amount`` are required; ``currency``, ``kind`` (or ``memo``), ``src_kind`` and
``dst_kind`` are optional. ``columns`` maps other names onto these (``{"amount": "value_eur"}``). Files are read with
Arrow's multi-threaded readers (CSV as text, so nothing is silently coerced; only the columns named above) and
validated with vectorised Arrow compute: a column of well-formed values is converted in one cast, and only a column
with a value the cast rejects goes through the lenient per-value parse that finds the bad rows. Every problem is
collected and raised as one :class:`junkan.errors.JunkanInputError` naming the file, the row (CSV: the line, counting
the header as line 1; Parquet: the 1-based row) and the field.

Timestamps: ISO 8601 dates or date-times (``2024-03-01``, ``2024-03-01T09:30:00``, with an optional UTC offset,
converted to UTC; naive times are taken as UTC), Arrow date/timestamp columns, or numbers (seconds since the Unix
epoch). Amounts must be finite and positive: a refund is a payment in the other direction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from junkan.errors import JunkanInputError, ProblemCollector
from junkan.scan import strings

REQUIRED = ("id", "timestamp", "src", "dst", "amount")
OPTIONAL = ("currency", "kind", "src_kind", "dst_kind")
ALIASES = {"memo": "kind"}
MAX_REPORTED = 50


@dataclass(frozen=True)
class TxnLedger:
    """A transaction ledger as arrays, in file order.

    Attributes
    ----------
    ids
        Transaction ids (strings), one per row (an Arrow array, chunked as read).
    accounts
        Account names; ``src`` and ``dst`` index into it.
    src, dst
        Payer and payee account codes (int32).
    t
        Timestamps, nanoseconds since the Unix epoch, UTC (int64).
    amount
        Positive amounts (float64).
    currency
        Currency code per row (int32 into ``currencies``); all zeros without a currency column.
    currencies
        Currency names.
    kind, src_kind, dst_kind
        Optional label columns (Arrow string arrays) or ``None``.
    source
        Where the ledger came from (path or a name), for messages.
    """

    ids: pa.Array | pa.ChunkedArray
    accounts: pa.Array
    src: np.ndarray
    dst: np.ndarray
    t: np.ndarray
    amount: np.ndarray
    currency: np.ndarray
    currencies: pa.Array
    kind: pa.Array | pa.ChunkedArray | None = None
    src_kind: pa.Array | pa.ChunkedArray | None = None
    dst_kind: pa.Array | pa.ChunkedArray | None = None
    source: str = "<memory>"

    def __len__(self) -> int:
        return len(self.t)

    @property
    def n_accounts(self) -> int:
        """Number of distinct accounts."""
        return len(self.accounts)


def _chunks(col: pa.ChunkedArray | pa.Array) -> list[pa.Array]:
    return list(col.chunks) if isinstance(col, pa.ChunkedArray) else [col]


#: Separators a CSV ledger may use (the one most frequent in the header line wins; ``.tsv``: tab).
CSV_DELIMITERS = (",", ";", "\t", "|")


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.lower().endswith(".gz"):
        import gzip

        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The header cells and the separator of a CSV file."""
    import gzip

    try:
        with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb") as fh:
            raw = fh.readline()
    except (OSError, EOFError) as exc:
        raise JunkanInputError.single(f"cannot read CSV file: {exc}", file=str(path)) from exc
    try:
        first = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JunkanInputError.single("not UTF-8 text (save the file as UTF-8)", file=str(path), line=1) from None
    if not first.strip():
        raise JunkanInputError.single("the file is empty; expected a header row: " + ",".join(REQUIRED), file=str(path))
    if path.name.lower().endswith((".tsv", ".tsv.gz")):
        delim = "\t"
    else:
        delim = max(CSV_DELIMITERS, key=lambda d: (first.count(d), d == ","))
    header = next(csv.reader([first], delimiter=delim))
    return [h.strip() for h in header], delim


def _may_quote_newlines(path: Path) -> bool:
    """Whether a quoted value could hold a line break (any ``"`` in the file; compressed files: assume so).

    Arrow parses much faster when it may cut the file at any line break; a file without quotes cannot break a value.
    """
    if path.name.lower().endswith(".gz") or path.stat().st_size == 0:
        return True
    import mmap

    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        return mm.find(b'"') >= 0


def _read_csv(
    path: Path, names: list[str], delim: str, keep: list[str], typed: Mapping[str, pa.DataType] | None = None
) -> tuple[pa.Table, int]:
    """The ``keep`` columns of a CSV file, and how many rows had the wrong number of cells (skipped).

    Columns are read as strings, except those in ``typed``, which Arrow converts while it parses (in parallel). A
    typed read fails as a whole on one value Arrow cannot convert; the file is then read again as strings, and the
    reader's lenient per-value parse finds the bad rows.
    """
    quotes = _may_quote_newlines(path)
    if typed:
        try:
            return _arrow_csv(path, names, delim, keep, typed, quotes)
        except pa.ArrowInvalid:
            pass
    return _arrow_csv(path, names, delim, keep, {}, quotes)


def _arrow_csv(
    path: Path, names: list[str], delim: str, keep: list[str], typed: Mapping[str, pa.DataType], quotes: bool
) -> tuple[pa.Table, int]:
    import pyarrow.csv as pacsv

    ragged = 0

    def skip(row: Any) -> str:
        nonlocal ragged
        ragged += 1
        return "skip"

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=quotes, invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(
                column_types={n: typed.get(n, pa.string()) for n in keep},
                include_columns=keep,
                null_values=[""],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        if typed and "conversion error" in str(exc).lower():
            raise  # a value the typed read cannot convert: read as strings (the caller)
        if "utf8" in str(exc).lower().replace("-", ""):
            line = _first_bad_utf8_line(path)
            raise JunkanInputError.single("not UTF-8 text (save the file as UTF-8)", file=str(path), line=line) from exc
        raise JunkanInputError.single(f"cannot read CSV file: {_first_line(exc)}", file=str(path)) from exc
    except OSError as exc:
        raise JunkanInputError.single(f"cannot read CSV file: {_first_line(exc)}", file=str(path)) from exc
    return table, ragged


def _first_bad_utf8_line(path: Path) -> int | None:
    """The line of the first byte that is not UTF-8 (read only for a file Arrow rejected)."""
    import gzip

    with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb") as fh:
        data = fh.read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class _CsvLines:
    """Line numbers of a CSV file's rows (counting the header as line 1), read only when a problem is reported.

    Arrow skips empty lines and rows with the wrong number of cells, and a quoted value may span lines, so the k-th
    row of the table is not always on line ``k + 2``: the file is read again with :mod:`csv` up to the last row asked
    for. This runs only for a file with problems.
    """

    def __init__(self, path: Path, delim: str, n_columns: int) -> None:
        self.path, self.delim, self.n_columns = path, delim, n_columns
        self.lines: list[int] = []
        self.ragged: list[tuple[int, int]] = []  # (line, cells) of rows with the wrong number of cells
        self._done = False

    def _read(self, upto: int | None) -> None:
        if self._done or (upto is not None and upto < len(self.lines)):
            return
        with _open_text(self.path) as fh:
            reader = csv.reader(fh, delimiter=self.delim)
            end = 0
            self.lines, self.ragged = [], []
            for i, cells in enumerate(reader):
                start, end = end + 1, reader.line_num
                if i == 0 or not cells:  # the header; an empty line
                    continue
                if len(cells) != self.n_columns:
                    self.ragged.append((start, len(cells)))
                    continue
                self.lines.append(start)
                if upto is not None and len(self.lines) > upto:
                    return
        self._done = True

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        self._read(int(rows.max()) if len(rows) else 0)
        return np.asarray([self.lines[r] if r < len(self.lines) else r + 2 for r in rows], dtype=np.int64)

    def ragged_rows(self) -> list[tuple[int, int]]:
        self._read(None)
        return self.ragged


def _read_parquet(path: Path) -> pa.Table:
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise JunkanInputError.single(f"cannot read Parquet file: {_first_line(exc)}", file=str(path)) from exc


def detect_format(path: str | Path) -> str:
    """Return ``"csv"`` or ``"parquet"`` from the file name (``.csv``, ``.csv.gz``, ``.tsv``, ``.parquet``, ``.pq``)."""
    name = str(path).lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        return "csv"
    raise JunkanInputError.single("unknown ledger format; use a .csv or .parquet file", file=str(path))


def read_ledger(path: str | Path, *, columns: Mapping[str, str] | None = None, fmt: str | None = None) -> TxnLedger:
    """Read and validate a ledger file.

    Parameters
    ----------
    path
        A ``.csv`` or ``.parquet`` file.
    columns
        Map from junkan's column names (``id``, ``timestamp``, ``src``, ``dst``, ``amount``, ``currency``, ``kind``,
        ``src_kind``, ``dst_kind``) to the file's names.
    fmt
        ``"csv"`` or ``"parquet"``; guessed from the file name when omitted.

    Raises
    ------
    JunkanInputError
        For a missing file or column, and for every bad row (up to 50 listed, then a count).
    """
    p = Path(path)
    if not p.is_file():
        raise JunkanInputError.single("no such file", file=str(p))
    fmt = fmt or detect_format(p)
    if fmt not in ("csv", "parquet"):
        raise JunkanInputError.single(f"unknown format {fmt!r}; use csv or parquet", file=str(p))
    if fmt == "parquet":
        return ledger_from_table(_read_parquet(p), columns=columns, source=str(p), row_offset=1)
    names, delim = _csv_header(p)
    roles = _resolve_columns(names, columns, str(p))
    typed = {roles["timestamp"]: pa.timestamp("ns"), roles["amount"]: pa.float64()}
    table, ragged = _read_csv(p, names, delim, list(dict.fromkeys(roles.values())), typed)
    lines = _CsvLines(p, delim, len(names))
    extra = ProblemCollector()
    if ragged:
        for line, cells in lines.ragged_rows()[:MAX_REPORTED]:
            extra.add(f"row has {cells} cells but the header has {len(names)} columns", file=str(p), line=line)
    return _build_ledger(table, columns=roles, source=str(p), line_of=lines, problems=extra, n_bad=ragged)


def _resolve_columns(found: Sequence[str], columns: Mapping[str, str] | None, source: str) -> dict[str, str]:
    """Role -> column name, from the file's column names and the user's mapping (problems raised together)."""
    mapping = dict(columns or {})
    bad_keys = [k for k in mapping if k not in REQUIRED + OPTIONAL]
    problems = ProblemCollector()
    for k in bad_keys:
        problems.add(f"unknown column role {k!r}; roles are {', '.join(REQUIRED + OPTIONAL)}", file=source)
    names = set(found)
    resolved: dict[str, str] = {}
    for role in REQUIRED + OPTIONAL:
        if role in mapping:
            if mapping[role] not in names:
                problems.add(f"column {mapping[role]!r} (mapped to {role}) not in the file", file=source, field=role)
            else:
                resolved[role] = mapping[role]
        elif role in names:
            resolved[role] = role
        else:
            alias = next((a for a, r in ALIASES.items() if r == role and a in names), None)
            if alias is not None:
                resolved[role] = alias
            elif role in REQUIRED:
                problems.add(
                    f"missing required column {role!r} (columns found: {', '.join(found)}; "
                    "map names with --columns role=name)",
                    file=source,
                    field=role,
                )
    problems.raise_if_any()
    return resolved


def _is_text(typ: pa.DataType) -> bool:
    return bool(pa.types.is_string(typ) or pa.types.is_large_string(typ))


def _mask(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow array as a numpy mask (nulls count as true)."""
    return np.asarray(pc.fill_null(arr, True).to_numpy(zero_copy_only=False), dtype=bool)


def _ns(ts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A timestamp[ns] column as (int64 ns since epoch, null mask)."""
    bad = np.asarray(pc.is_null(ts).to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray(pc.fill_null(pc.cast(ts, pa.int64()), 0).to_numpy(), dtype=np.int64), bad


def _parse_timestamps(col: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Return (int64 ns since epoch, bad mask)."""
    typ = col.type
    if pa.types.is_timestamp(typ):
        if typ.tz is not None:
            col = pc.cast(col, pa.timestamp(typ.unit, "UTC"))
        return _ns(pc.cast(col, pa.timestamp("ns", typ.tz and "UTC")))
    if pa.types.is_date(typ):
        return _ns(pc.cast(pc.cast(col, pa.date32()), pa.timestamp("ns")))
    if pa.types.is_integer(typ) or pa.types.is_floating(typ):
        x = np.asarray(pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        bad = ~np.isfinite(x) | (np.abs(x) > 9.2e9)
        return np.where(bad, 0, np.round(np.where(bad, 0.0, x) * 1e9)).astype(np.int64), bad
    text = _text(col)
    # fast path: every value ISO 8601 without a UTC offset (naive: taken as UTC), or every value with one
    for target in (pa.timestamp("ns"), pa.timestamp("ns", "UTC")):
        try:
            return _ns(pc.cast(text, target))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return _parse_timestamps_lenient(text)


def _parse_timestamps_lenient(text: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Per-value parse (pandas): ISO 8601 with or without offsets in one column, then other date forms."""
    import pandas as pd

    s = pd.Series(np.asarray(text.to_numpy(zero_copy_only=False), dtype=object))
    parsed = pd.to_datetime(s, format="ISO8601", errors="coerce", utc=True)
    if parsed.isna().any():  # a second, more lenient pass for the rows ISO 8601 did not cover
        miss = parsed.isna() & s.notna() & (s != "")
        if miss.any():
            retry = pd.to_datetime(s[miss], format="mixed", errors="coerce", utc=True, dayfirst=False)
            parsed = parsed.copy()
            parsed[miss] = retry
    bad = parsed.isna().to_numpy()
    utc = parsed.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
    arr = utc.to_numpy(dtype="datetime64[ns]").view(np.int64).copy()
    arr[bad] = 0
    return arr, bad


def _parse_amounts(col: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Return (float64 amounts, bad mask: not a number, or not finite)."""
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_decimal(col.type):
        x = np.asarray(pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
    else:
        text = _text(col)
        try:  # fast path: plain numbers (1234.5, 1e6)
            x = np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            x = _parse_amounts_lenient(text)
    bad = ~np.isfinite(x)
    return x, bad


def _parse_amounts_lenient(text: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Per-value parse (pandas) that also takes a leading currency sign and thousands separators ($1,000)."""
    import pandas as pd

    s = pd.Series(np.asarray(text.to_numpy(zero_copy_only=False), dtype=object))
    s = s.str.replace(r"^(-?)[$€£¥]", r"\1", regex=True).str.replace(",", "", regex=False)
    return np.asarray(pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan))


def _text(col: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The column as strings without surrounding whitespace."""
    if pa.types.is_dictionary(col.type):
        col = pc.cast(col, col.type.value_type)
    arr = col if _is_text(col.type) else pc.cast(col, pa.string())
    return strings.trim(arr)


def ledger_from_table(
    table: pa.Table,
    *,
    columns: Mapping[str, str] | None = None,
    source: str = "<memory>",
    row_offset: int = 1,
) -> TxnLedger:
    """Validate an Arrow table and build a :class:`TxnLedger`.

    ``row_offset`` is the row number reported for the table's first row (2 for CSV, where the header is line 1).
    """
    return _build_ledger(table, columns=columns, source=source, line_of=lambda rows: rows + row_offset)


def _build_ledger(
    table: pa.Table,
    *,
    columns: Mapping[str, str] | None,
    source: str,
    line_of: Callable[[np.ndarray], np.ndarray],
    problems: ProblemCollector | None = None,
    n_bad: int = 0,
) -> TxnLedger:
    """:func:`ledger_from_table` with the reader's extras: ``line_of(rows)`` gives the reported line of table rows,
    ``problems`` and ``n_bad`` carry the problems found while reading (e.g. ragged CSV rows)."""
    roles = _resolve_columns(table.column_names, columns, source)
    n = table.num_rows
    problems = problems if problems is not None else ProblemCollector()
    n_bad = max(n_bad, len(problems.problems))

    def report(mask: np.ndarray, role: str, message: str) -> None:
        nonlocal n_bad
        rows = np.flatnonzero(mask)
        n_bad += len(rows)
        shown = rows[: max(0, MAX_REPORTED - len(problems.problems))]
        for line in line_of(shown).tolist() if len(shown) else ():
            problems.add(message, file=source, line=int(line), field=roles[role])

    cols = {role: table.column(name) for role, name in roles.items()}

    ids = _text(cols["id"])
    id_null = _mask(pc.equal(ids, ""))
    report(id_null, "id", "empty transaction id")

    t, t_bad = _parse_timestamps(cols["timestamp"])
    report(t_bad, "timestamp", "not a date or time (use ISO 8601, e.g. 2024-03-01T09:30:00)")

    src = _text(cols["src"])
    dst = _text(cols["dst"])
    for role, arr in (("src", src), ("dst", dst)):
        report(_mask(pc.equal(arr, "")), role, "empty account")

    amount, a_bad = _parse_amounts(cols["amount"])
    report(a_bad, "amount", "not a number")
    nonpos = ~a_bad & (amount <= 0)
    report(nonpos, "amount", "amount must be positive (record a refund as a payment in the other direction)")

    if n and not id_null.all() and not strings.all_distinct(ids, None if not id_null.any() else ~id_null):
        vc = pc.value_counts(pc.drop_null(ids))
        dup_vals = pc.filter(vc.field("values"), pc.greater(vc.field("counts"), 1))
        if len(dup_vals):
            dup_mask = np.asarray(pc.is_in(ids, value_set=dup_vals).to_numpy(zero_copy_only=False), dtype=bool)
            dup_mask &= ~id_null
            report(dup_mask, "id", "duplicate transaction id")

    if n_bad > len(problems.problems):
        problems.add(f"... {n_bad - len(problems.problems)} more problems not listed", file=source)
    problems.raise_if_any()

    # accounts in order of first appearance (payers, then payees)
    both, accounts = strings.encode(pa.chunked_array([*_chunks(src), *_chunks(dst)], type=src.type))
    src_code, dst_code = both[:n], both[n:]

    if "currency" in cols:
        # encode as written, then upper-case the few distinct values (and merge those that differ only in case)
        raw_code, raw = strings.encode(pc.fill_null(_text(cols["currency"]), ""))
        upper_code, currencies = strings.encode(pc.utf8_upper(raw))
        cur_code = upper_code[raw_code]
    else:
        currencies = pa.array([""], pa.string())
        cur_code = np.zeros(n, dtype=np.int32)

    def opt(role: str) -> pa.Array | None:
        return pc.fill_null(_text(cols[role]), "") if role in cols else None

    return TxnLedger(
        ids=ids,
        accounts=accounts,
        src=src_code,
        dst=dst_code,
        t=t,
        amount=amount.astype(np.float64, copy=False),
        currency=cur_code,
        currencies=currencies,
        kind=opt("kind"),
        src_kind=opt("src_kind"),
        dst_kind=opt("dst_kind"),
        source=source,
    )


def ledger_from_records(
    records: list[Mapping[str, object]] | Mapping[str, list[object]], *, source: str = "<memory>"
) -> TxnLedger:
    """Build a :class:`TxnLedger` from rows (list of dicts) or columns (dict of lists), validating like a file."""
    table = pa.Table.from_pylist(list(records)) if isinstance(records, list) else pa.table(dict(records))
    return ledger_from_table(table, source=source, row_offset=1)
