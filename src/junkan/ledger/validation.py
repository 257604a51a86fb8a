"""Turn pydantic validation errors into :class:`~junkan.errors.InputProblem` s a dataset author can act on.

Each pydantic error has a location (``("amount", "low")``, ``("sources", 0, "url")``); the caller maps it to a line
(YAML) or row (CSV) and to a field name. The messages say what was found and what is allowed: unknown keys list the
allowed keys (with a close-name suggestion), unknown kinds/statuses/confidences list the allowed values, impossible
dates name the date.
"""

from __future__ import annotations

import difflib
import enum
import re
import types
from collections.abc import Callable
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from junkan.errors import InputProblem
from junkan.ledger.yaml_lines import Path, dotted

_ID_PATTERN = "^[a-z0-9][a-z0-9._-]*$"


def validate_record(
    model: type[BaseModel],
    data: dict[str, Any],
    *,
    file: str,
    line_of: Callable[[Path], int | None],
    field_of: Callable[[Path], str] = dotted,
) -> tuple[Any, list[InputProblem]]:
    """Validate ``data`` as ``model``; return ``(record, [])`` or ``(None, problems)``.

    Parameters
    ----------
    model
        The pydantic model class.
    data
        The record's raw values.
    file
        File named in problems.
    line_of
        Maps a location inside the record to its line (YAML) or row (CSV).
    field_of
        Maps a location to the field name shown to the user (default: dotted, ``sources[0].url``).
    """
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc, model, file=file, line_of=line_of, field_of=field_of)


def problems_from_validation(
    exc: ValidationError,
    model: type[BaseModel],
    *,
    file: str,
    line_of: Callable[[Path], int | None],
    field_of: Callable[[Path], str] = dotted,
) -> list[InputProblem]:
    """One :class:`InputProblem` per pydantic error, located with ``line_of`` and named with ``field_of``."""
    out = []
    for err in exc.errors(include_url=False):
        loc: Path = tuple(err["loc"])
        if err["type"] == "located":  # a record-level check that names the field it is about
            loc = (*loc, *err["ctx"]["at"])
        out.append(
            InputProblem(
                error_message(err, model),
                file=file,
                line=line_of(loc),
                field=field_of(loc) or None,
            )
        )
    return out


def error_message(err: Any, model: type[BaseModel]) -> str:
    """A user-facing message for one pydantic error dict (see ``ValidationError.errors()``)."""
    kind = err["type"]
    loc = tuple(err["loc"])
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "value"
    value = err.get("input")
    ctx = err.get("ctx") or {}
    msg = str(err.get("msg", ""))
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = ""
        if allowed:
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = (f" (did you mean '{close[0]}'?)" if close else "") + f"; allowed keys: {', '.join(allowed)}"
        return f"unknown key '{name}'{hint}"
    if kind == "enum":
        allowed = _enum_values_at(model, loc) or _expected(ctx)
        return f"unknown {name} {_short(value)}; allowed values: {', '.join(allowed)}"
    if kind == "literal_error":
        return f"unknown {name} {_short(value)}; allowed values: {', '.join(_expected(ctx))}"
    if kind == "located":
        return str(ctx.get("message", msg))
    if kind in ("value_error", "assertion_error"):
        return re.sub(r"^(Value|Assertion) error, ", "", msg)
    if kind.startswith("date") or kind.startswith("datetime"):
        detail = str(ctx.get("error") or msg)
        return f"invalid date {_short(value)} ({detail}); write a real date as YYYY-MM-DD"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == _ID_PATTERN:
            return (
                f"invalid id {_short(value)}: ids are lower-case slugs of letters, digits, '.', '_' and '-' "
                f"starting with a letter or digit (e.g. {slug_hint(str(value))!r})"
            )
        if "http" in str(ctx.get("pattern", "")):
            return f"invalid URL {_short(value)}: a source URL must start with http:// or https:// and have no spaces"
        return f"{msg} (got {_short(value)})"
    if kind == "too_short" and ctx.get("min_length") == 1:
        what = "source" if name == "sources" else "item"
        return f"'{name}' needs at least one {what}"
    if kind == "model_type" or kind == "dict_type":
        return f"expected a mapping of keys (key: value) for '{name}', got {_type_name(value)}"
    if kind == "list_type":
        return f"expected a list for '{name}', got {_type_name(value)}"
    return f"{msg} (got {_short(value)})"


def slug_hint(text: str) -> str:
    """A slug close to ``text``: lower-case, runs of other characters replaced by '-'."""
    s = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-._")
    return s or "my-id"


def _short(value: Any, limit: int = 60) -> str:
    r = repr(value)
    return r if len(r) <= limit else r[: limit - 3] + "..."


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    names = {str: "a text", int: "a number", float: "a number", bool: "a boolean", list: "a list", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)


def _expected(ctx: dict[str, Any]) -> list[str]:
    return re.findall(r"'([^']*)'", str(ctx.get("expected", "")))


def _unwrap(t: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to ``X``."""
    while True:
        origin = get_origin(t)
        if origin is Annotated:
            t = get_args(t)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(t) if a is not type(None)]
            if len(args) != 1:
                return t
            t = args[0]
        else:
            return t


def _type_at(model: type[BaseModel], loc: Path) -> Any:
    t: Any = model
    for part in loc:
        t = _unwrap(t)
        if isinstance(part, int):
            if get_origin(t) is list:
                t = get_args(t)[0]
                continue
            return None
        if isinstance(t, type) and issubclass(t, BaseModel) and part in t.model_fields:
            t = t.model_fields[part].annotation
            continue
        return None
    return _unwrap(t)


def _fields_at(model: type[BaseModel], loc: Path) -> list[str]:
    t = _type_at(model, loc)
    if isinstance(t, type) and issubclass(t, BaseModel):
        return list(t.model_fields)
    return []


def _enum_values_at(model: type[BaseModel], loc: Path) -> list[str]:
    t = _type_at(model, loc)
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return [str(m.value) for m in t]
    return []
