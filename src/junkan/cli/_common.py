"""Shared pieces of the command-line face: consoles, the --data/--format options, output rendering."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from junkan.csvsafe import safe_cell
from junkan.errors import JunkanInputError

if TYPE_CHECKING:
    from junkan.ledger.model import Ledger

console = Console()
console_err = Console(stderr=True)

DataOption = Annotated[
    str,
    typer.Option("--data", "-d", help="Bundled dataset name (ai-compute, lucent-2000, ...) or path (YAML dir or CSV)."),
]
FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="Output format: table, json or csv."),
]
DEFAULT_DATA = "ai-compute"
FORMATS = ("table", "json", "csv")


def check_format(fmt: str) -> str:
    """Validate ``--format``; bad values are a usage error (exit 2)."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    return fmt


def check_format_input(fmt: str) -> str:
    """Validate ``--format`` as bad input: a :class:`~junkan.errors.JunkanInputError` naming ``--format`` (exit 2)."""
    try:
        return check_format(fmt)
    except typer.BadParameter as exc:
        raise JunkanInputError.single(exc.message, field="--format") from None


def parse_date_option(value: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` option value (``None`` stays ``None``); anything else is bad input naming ``option``."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise JunkanInputError.single(f"invalid date {value!r}; write YYYY-MM-DD", field=option) from None


def parse_as_of_option(value: str | None, ledger: Ledger, option: str = "--as-of") -> date | None:
    """An ``--as-of`` value checked against ``ledger`` (not after today, not before its earliest date; see
    :func:`junkan.ledger.asof.check_as_of`); bad input names ``option``."""
    when = parse_date_option(value, option)
    if when is None:
        return None
    from junkan.ledger.asof import check_as_of

    return check_as_of(when, first_deal=ledger.deals[0].date if ledger.deals else None, field=option)


def _jsonable(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    if hasattr(v, "item") and callable(v.item):  # numpy scalars
        return _jsonable(v.item())
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set):
        return [_jsonable(x) for x in v]
    return v


def to_json(obj: Any) -> str:
    """Serialise to stable, indented JSON (dates as ISO strings, NaN as null)."""
    return json.dumps(_jsonable(obj), indent=2, ensure_ascii=False)


def emit(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    json_obj: Any = None,
) -> None:
    """Print ``rows`` as a rich table, JSON (``json_obj`` if given, else the rows) or CSV."""
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    if fmt == "json":
        typer.echo(to_json(rows if json_obj is None else json_obj))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: _csv_cell(r.get(k)) for k in cols})
        typer.echo(buf.getvalue(), nl=False)
    else:
        table = Table(title=title, show_lines=False)
        for c in cols:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(_cell(r.get(c)) for c in cols))
        console.print(table)


def _csv_cell(v: Any) -> Any:
    v = _jsonable(v)
    if isinstance(v, list):
        v = ";".join(str(x) for x in v)
    return "" if v is None else safe_cell(v)


def _cell(v: Any) -> str:
    v = _jsonable(v)
    if v is None:
        return ""
    if isinstance(v, float):
        return format_money(v) if abs(v) >= 1e5 else f"{v:.4g}"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return str(v)


def format_money(v: float) -> str:
    """Human-readable money: 1.2e11 -> '120.0B'."""
    a = abs(v)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= scale:
            return f"{v / scale:,.1f}{suffix}"
    return f"{v:,.0f}"
