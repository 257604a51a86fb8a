"""Read a transaction ledger (CSV or Parquet) into compact numpy arrays, reporting every bad row.

Columns: ``id, timestamp, src, dst, amount`` are required; ``currency``, ``kind`` (or ``memo``), ``src_kind`` and
``dst_kind`` are optional. ``columns`` maps other names onto these (``{"amount": "value_eur"}``). Files are read with
DuckDB (CSV as text, so nothing is silently coerced) and converted with Arrow compute; every problem is collected and
raised as one :class:`junkan.errors.JunkanInputError` naming the file, the row (CSV: the line, counting the header as
line 1; Parquet: the 1-based row) and the field.

Timestamps: ISO 8601 dates or date-times (``2024-03-01``, ``2024-03-01T09:30:00``, with an optional UTC offset,
converted to UTC; naive times are taken as UTC), Arrow date/timestamp columns, or numbers (seconds since the Unix
epoch). Amounts must be finite and positive: a refund is a payment in the other direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from junkan.errors import JunkanInputError, ProblemCollector

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
        Transaction ids (strings), one per row.
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

    ids: pa.Array
    accounts: pa.Array
    src: np.ndarray
    dst: np.ndarray
    t: np.ndarray
    amount: np.ndarray
    currency: np.ndarray
    currencies: pa.Array
    kind: pa.Array | None = None
    src_kind: pa.Array | None = None
    dst_kind: pa.Array | None = None
    source: str = "<memory>"

    def __len__(self) -> int:
        return len(self.t)

    @property
    def n_accounts(self) -> int:
        """Number of distinct accounts."""
        return len(self.accounts)


def _to_array(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        return col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    return col


def _read_table(path: Path, fmt: str) -> pa.Table:
    import duckdb

    con = duckdb.connect()
    try:
        if fmt == "csv":
            rel = con.sql("SELECT * FROM read_csv(?, all_varchar = true, header = true)", params=[str(path)])
        else:
            rel = con.sql("SELECT * FROM read_parquet(?)", params=[str(path)])
        for name in ("to_arrow_table", "fetch_arrow_table", "arrow"):
            if hasattr(rel, name):
                table: pa.Table = getattr(rel, name)()
                return table
        raise RuntimeError("this DuckDB version cannot export Arrow tables")
    except duckdb.Error as exc:
        raise JunkanInputError.single(f"cannot read {fmt.upper()} file: {exc}", file=str(path)) from exc
    finally:
        con.close()


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
    table = _read_table(p, fmt)
    return ledger_from_table(table, columns=columns, source=str(p), row_offset=2 if fmt == "csv" else 1)


def _resolve_columns(table: pa.Table, columns: Mapping[str, str] | None, source: str) -> dict[str, str]:
    mapping = dict(columns or {})
    bad_keys = [k for k in mapping if k not in REQUIRED + OPTIONAL]
    problems = ProblemCollector()
    for k in bad_keys:
        problems.add(f"unknown column role {k!r}; roles are {', '.join(REQUIRED + OPTIONAL)}", file=source)
    names = set(table.column_names)
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
                    f"missing required column {role!r} (columns found: {', '.join(table.column_names)}; "
                    "map names with --columns role=name)",
                    file=source,
                    field=role,
                )
    problems.raise_if_any()
    return resolved


def _parse_timestamps(col: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Return (int64 ns since epoch, bad mask)."""
    typ = col.type
    if pa.types.is_timestamp(typ):
        if typ.tz is not None:
            col = pc.cast(col, pa.timestamp(typ.unit, "UTC"))
        ts = pc.cast(col, pa.timestamp("ns", typ.tz and "UTC"))
        bad = np.asarray(pc.is_null(ts).to_numpy(zero_copy_only=False), dtype=bool)
        vals = np.asarray(pc.fill_null(pc.cast(ts, pa.int64()), 0).to_numpy(), dtype=np.int64)
        return vals, bad
    if pa.types.is_date(typ):
        ts = pc.cast(pc.cast(col, pa.date32()), pa.timestamp("ns"))
        bad = np.asarray(pc.is_null(ts).to_numpy(zero_copy_only=False), dtype=bool)
        return np.asarray(pc.fill_null(pc.cast(ts, pa.int64()), 0).to_numpy(), dtype=np.int64), bad
    if pa.types.is_integer(typ) or pa.types.is_floating(typ):
        x = np.asarray(pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        bad = ~np.isfinite(x) | (np.abs(x) > 9.2e9)
        return np.where(bad, 0, np.round(np.where(bad, 0.0, x) * 1e9)).astype(np.int64), bad
    import pandas as pd

    s = pd.Series(np.asarray(col.to_numpy(zero_copy_only=False), dtype=object))
    s = s.str.strip()
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


def _parse_amounts(col: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_decimal(col.type):
        x = np.asarray(pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
    else:
        import pandas as pd

        s = pd.Series(np.asarray(pc.cast(col, pa.string()).to_numpy(zero_copy_only=False), dtype=object))
        s = s.str.strip().str.replace(r"^(-?)[$€£¥]", r"\1", regex=True).str.replace(",", "", regex=False)
        x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(x)
    return x, bad


def _text(col: pa.Array) -> pa.Array:
    arr = col if pa.types.is_string(col.type) or pa.types.is_large_string(col.type) else pc.cast(col, pa.string())
    return pc.utf8_trim_whitespace(arr)


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
    roles = _resolve_columns(table, columns, source)
    n = table.num_rows
    problems = ProblemCollector()
    n_bad = 0

    def report(mask: np.ndarray, role: str, message: str) -> None:
        nonlocal n_bad
        rows = np.flatnonzero(mask)
        n_bad += len(rows)
        for r in rows[: max(0, MAX_REPORTED - len(problems.problems))]:
            problems.add(message, file=source, line=int(r) + row_offset, field=roles[role])

    cols = {role: _to_array(table.column(name)) for role, name in roles.items()}

    ids = _text(cols["id"])
    id_null = np.asarray(pc.fill_null(pc.equal(ids, ""), True).to_numpy(zero_copy_only=False), dtype=bool)
    report(id_null, "id", "empty transaction id")

    t, t_bad = _parse_timestamps(cols["timestamp"])
    report(t_bad, "timestamp", "not a date or time (use ISO 8601, e.g. 2024-03-01T09:30:00)")

    src = _text(cols["src"])
    dst = _text(cols["dst"])
    for role, arr in (("src", src), ("dst", dst)):
        empty = np.asarray(pc.fill_null(pc.equal(arr, ""), True).to_numpy(zero_copy_only=False), dtype=bool)
        report(empty, role, "empty account")

    amount, a_bad = _parse_amounts(cols["amount"])
    report(a_bad, "amount", "not a number")
    nonpos = ~a_bad & (amount <= 0)
    report(nonpos, "amount", "amount must be positive (record a refund as a payment in the other direction)")

    if n and not id_null.all():
        vc = pc.value_counts(pc.drop_null(ids))
        dup_vals = pc.filter(vc.field("values"), pc.greater(vc.field("counts"), 1))
        if len(dup_vals):
            dup_mask = np.asarray(pc.is_in(ids, value_set=dup_vals).to_numpy(zero_copy_only=False), dtype=bool)
            dup_mask &= ~id_null
            report(dup_mask, "id", "duplicate transaction id")

    if n_bad > len(problems.problems):
        problems.add(f"... {n_bad - len(problems.problems)} more problems not listed", file=source)
    problems.raise_if_any()

    both = pa.concat_arrays([src, dst])
    accounts = pc.unique(both)
    src_code = np.asarray(pc.index_in(src, value_set=accounts).to_numpy(), dtype=np.int32)
    dst_code = np.asarray(pc.index_in(dst, value_set=accounts).to_numpy(), dtype=np.int32)

    if "currency" in cols:
        cur = pc.utf8_upper(pc.fill_null(_text(cols["currency"]), ""))
        currencies = pc.unique(cur)
        cur_code = np.asarray(pc.index_in(cur, value_set=currencies).to_numpy(), dtype=np.int32)
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
