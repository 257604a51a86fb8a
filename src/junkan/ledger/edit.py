"""Keep a dataset directory current without editing YAML by hand: add a deal, append a status event, copy a dataset.

Every change is checked against the **whole** dataset before anything is written: the new text of the file is put
into a temporary copy of the dataset, which is loaded like any other (so a duplicate id, an unknown party, a
successor deal that does not exist or a status change the rules forbid is reported exactly as ``junkan deals
validate`` would report it, at the file, line and field); only if that copy loads cleanly is the one changed file
replaced, atomically (:mod:`junkan.fileio`). Nothing is ever written into the datasets bundled with the installed
package: copy one first (:func:`copy_dataset`, ``junkan deals copy ai-compute DIR``).

Text is edited surgically: :func:`add_deal` appends the record to the end of its file; :func:`update_deal` inserts
one event at the end of the deal's ``status_history`` (creating the key after the deal's last line if the deal has
none) and rewrites the deal's ``status:`` value; every other byte of the file (comments, order, quoting, blank
lines) is kept.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from junkan.errors import InputProblem, JunkanInputError
from junkan.fileio import write_text_atomic
from junkan.ledger import asof
from junkan.ledger.load import datasets_root, list_datasets, load
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal, StatusEvent, check_transition
from junkan.ledger.validation import problems_from_validation
from junkan.ledger.yaml_dataset import is_dataset_dir
from junkan.ledger.yaml_lines import compose
from junkan.suggest import did_you_mean

#: Where ``add_deal`` writes when no file is given (relative to the dataset directory).
DEFAULT_ADD_FILE = "deals/added.yaml"


@dataclass(frozen=True)
class Written:
    """What a change wrote: the file (absolute path), the deal and the first line of the new text (1-based)."""

    file: Path
    deal_id: str
    line: int


# ------------------------------------------------------------------------------------------------ directories
def writable_dataset(path: str | os.PathLike[str], field: str = "--data") -> Path:
    """The dataset directory ``path`` if junkan may write into it, else a clear error naming ``field``.

    Refused: a bundled dataset name or any directory inside the installed package's ``junkan/datasets`` (copy it
    first), a path that does not exist, a directory that is not a dataset.
    """
    text = os.fspath(path)
    p = Path(text)
    if not p.exists():
        if text in list_datasets():
            raise JunkanInputError.single(_bundled_message(text), field=field)
        raise JunkanInputError.single(f"no such dataset directory: {text!r}", field=field)
    if not p.is_dir() or not is_dataset_dir(p):
        raise JunkanInputError.single(
            f"{text!r} is not a dataset directory (expected entities.yaml and deals/ or deals.yaml)", field=field
        )
    bundled = Path(str(datasets_root())).resolve()
    resolved = p.resolve()
    if resolved == bundled or bundled in resolved.parents:
        raise JunkanInputError.single(_bundled_message(resolved.name), field=field)
    return p


def _bundled_message(name: str) -> str:
    return (
        f"refusing to write into the bundled dataset {name!r} (it is part of the installed package and would be "
        f"lost on upgrade); copy it first: junkan deals copy {name} DIR, then pass --data DIR"
    )


def copy_dataset(name_or_path: str, to: str | os.PathLike[str]) -> Path:
    """Copy a bundled dataset (or a dataset directory) to the new directory ``to``, atomically.

    The source must load without problems; ``to`` must not exist yet (or be an empty directory). The copy is made
    in a temporary directory beside ``to`` and renamed into place, so ``to`` is either complete or absent.
    """
    load(name_or_path)  # the source must be valid
    source = Path(str(datasets_root().joinpath(name_or_path))) if name_or_path in list_datasets() else None
    if not Path(name_or_path).exists() and source is None:
        raise JunkanInputError.single(f"no such dataset: {name_or_path!r}", field="NAME")
    src = Path(name_or_path) if Path(name_or_path).exists() else source
    assert src is not None
    if src.is_file():
        src = src.parent
    target = Path(to)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise JunkanInputError.single(f"{os.fspath(to)!r} already exists and is not empty", field="DIR")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        shutil.copytree(src, tmp / "d", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if target.exists():
            target.rmdir()
        os.replace(tmp / "d", target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


# ------------------------------------------------------------------------------------------------ validation
def _check_in_copy(root: Path, changed: Path, text: str) -> Ledger:
    """Load a temporary copy of ``root`` with ``changed`` holding ``text``; problems name the real paths."""
    with tempfile.TemporaryDirectory(prefix="junkan-check-") as tmp:
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*.tmp"))
        rel = changed.resolve().relative_to(root.resolve())
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_text(text, encoding="utf-8")
        try:
            return load(copy)
        except JunkanInputError as exc:
            raise JunkanInputError(
                [
                    InputProblem(
                        p.message,
                        file=_real(p.file, str(copy), str(root)),
                        line=p.line,
                        field=p.field,
                    )
                    for p in exc.problems
                ]
            ) from None


def _real(file: str | None, copy: str, root: str) -> str | None:
    return root + file[len(copy) :] if file is not None and file.startswith(copy) else file


def _current(root: Path) -> Ledger:
    """The dataset as it is; it must be valid before it is changed."""
    try:
        return load(root)
    except JunkanInputError as exc:
        head = InputProblem(f"the dataset {os.fspath(root)!r} has problems; fix them before changing it", file=None)
        raise JunkanInputError([head, *exc.problems]) from None


# ------------------------------------------------------------------------------------------------ add
def add_deal(
    dataset: str | os.PathLike[str],
    record: Mapping[str, Any],
    *,
    file: str | None = None,
    origin: str = "(command line)",
    line_of: Mapping[str, int] | None = None,
) -> Written:
    """Append one deal to a dataset directory, after checking it against the whole dataset.

    Parameters
    ----------
    dataset
        A writable dataset directory (see :func:`writable_dataset`).
    record
        The deal as it would be written in YAML (``amount`` a mapping, dates as ``YYYY-MM-DD`` strings or dates).
    file
        The file to append to, relative to the dataset (default :data:`DEFAULT_ADD_FILE`; it is created if needed,
        and must lie in ``deals/`` or be ``deals.yaml``).
    origin
        Where the record came from (a ``--yaml`` file, or the command line), named in problems with the record.
    line_of
        Lines of the record's top-level keys in ``origin`` (a ``--yaml`` file), for problems.

    Returns
    -------
    Written
        The file and the record's first line in it.

    Raises
    ------
    JunkanInputError
        The record is invalid, its id is taken, a party or leg is unknown (each with a suggestion), the target file
        is outside the deals, or the dataset with the record does not load. Nothing is written then.
    """
    root = writable_dataset(dataset)
    rel = file or DEFAULT_ADD_FILE
    target = root / rel
    if not (rel == "deals.yaml" or (Path(rel).parent == Path("deals") and Path(rel).suffix in (".yaml", ".yml"))):
        raise JunkanInputError.single(
            f"--file {rel!r}: deals are read from deals.yaml or deals/*.yaml only", field="--file"
        )
    ledger = _current(root)
    deal_ids = {d.id for d in ledger.deals}
    lines = dict(line_of or {})

    def at(fld: str) -> tuple[str, int | None, str]:
        top = fld.split(".", 1)[0].split("[", 1)[0]
        return origin, lines.get(top), fld

    data = _plain(dict(record))
    from pydantic import ValidationError

    try:
        deal = Deal.model_validate(data)
    except ValidationError as exc:
        raise JunkanInputError(
            problems_from_validation(
                exc, Deal, file=origin, line_of=lambda loc: lines.get(str(loc[0])) if loc else None
            )
        ) from None
    problems: list[InputProblem] = []
    if deal.date > asof.today():
        f, ln, fld = at("date")
        problems.append(
            InputProblem(
                f"{deal.date} is after today ({asof.today()}): add a deal once it is announced",
                file=f,
                line=ln,
                field=fld,
            )
        )
    if deal.id in deal_ids:
        f, ln, fld = at("id")
        problems.append(
            InputProblem(f"duplicate deal id {deal.id!r}: the dataset already has it", file=f, line=ln, field=fld)
        )
    for role in ("payer", "payee"):
        pid = getattr(deal, role)
        if pid not in ledger.entities:
            f, ln, fld = at(role)
            problems.append(
                InputProblem(
                    f"unknown party {pid!r}{did_you_mean(pid, ledger.entities)}; add it to the dataset's entities "
                    "first",
                    file=f,
                    line=ln,
                    field=fld,
                )
            )
    for i, leg in enumerate(deal.legs):
        if leg not in deal_ids:
            f, ln, fld = at(f"legs[{i}]")
            problems.append(
                InputProblem(f"leg {leg!r} names no deal{did_you_mean(leg, deal_ids)}", file=f, line=ln, field=fld)
            )
    if problems:
        raise JunkanInputError(problems)
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    if old.strip() in ("[]", "[ ]"):
        old = ""
    if old and not old.endswith("\n"):
        old += "\n"
    block = _block_item(data, indent=0)
    text = old + block
    _check_in_copy(root, target, text)
    write_text_atomic(target, text)
    return Written(file=target, deal_id=deal.id, line=old.count("\n") + 1)


# ------------------------------------------------------------------------------------------------ update
def update_deal(
    dataset: str | os.PathLike[str],
    deal_id: str,
    event: Mapping[str, Any],
    *,
    option_of: Mapping[str, str] | None = None,
) -> Written:
    """Append a status event to one deal of a dataset directory, editing its YAML file surgically.

    If the deal has no ``status_history`` yet, one is created with two events: the deal's recorded status on its
    date (with its first source), so that as-of views before the new event keep what was known, then the new event.
    A ``status:`` key of the deal is rewritten to the new status (the schema requires them to agree).

    Parameters
    ----------
    dataset
        A writable dataset directory.
    deal_id
        The deal's id.
    event
        The event as in YAML: ``date``, ``status``, ``sources`` (and optionally ``value``, ``committed``,
        ``drawn``, ``superseded_by``, ``note``).
    option_of
        Field -> command-line option (``{"date": "--on"}``), to name options in problems.

    Returns
    -------
    Written
        The deal's file and the first line of the inserted text.

    Raises
    ------
    JunkanInputError
        The deal is unknown (with suggestions), the event is invalid, the status change is not allowed, the
        successor deal does not exist, or the dataset with the event does not load. Nothing is written then.
    """
    root = writable_dataset(dataset)
    ledger = _current(root)
    deal = ledger.deal(deal_id)
    deal_ids = {d.id for d in ledger.deals}
    options = dict(option_of or {})
    data = _plain(dict(event))
    from pydantic import ValidationError

    try:
        ev = StatusEvent.model_validate(data)
    except ValidationError as exc:
        raise JunkanInputError(
            problems_from_validation(
                exc,
                StatusEvent,
                file="(command line)",
                line_of=lambda loc: None,
                field_of=lambda loc: _option_of(loc, options),
            )
        ) from None
    if ev.date > asof.today():
        raise JunkanInputError.single(
            f"{ev.date} is after today ({asof.today()}): record a change once it has happened",
            field=options.get("date", "date"),
        )
    last_date = deal.status_history[-1].date if deal.status_history else deal.date
    if ev.date < last_date:
        what = "the deal's latest status event" if deal.status_history else "the deal's date"
        raise JunkanInputError.single(
            f"{ev.date} is before {what} ({last_date}); events are appended in date order",
            field=options.get("date", "date"),
        )
    why = check_transition(deal.status, ev.status)
    if why:
        raise JunkanInputError.single(f"deal {deal_id!r}: {why}", field=options.get("status", "status"))
    if ev.superseded_by is not None and ev.superseded_by not in deal_ids:
        raise JunkanInputError.single(
            f"no deal {ev.superseded_by!r} to be superseded by{did_you_mean(ev.superseded_by, deal_ids - {deal_id})}",
            field=options.get("superseded_by", "superseded_by"),
        )
    file, node = _find_deal(root, deal_id)
    text = file.read_text(encoding="utf-8")
    new_text, line = _insert_event(text, node, deal, data)
    checked = _check_in_copy(root, file, new_text)
    got = checked.deal(deal_id)
    if got.status != ev.status or len(got.status_history) < 1 or got.status_history[-1].date != ev.date:
        raise JunkanInputError.single(  # pragma: no cover - a guard against an edit in the wrong place
            f"could not append the event to {deal_id!r} in {file} safely; edit the file by hand", file=str(file)
        )
    write_text_atomic(file, new_text)
    return Written(file=file, deal_id=deal_id, line=line)


def _option_of(loc: tuple[str | int, ...], options: Mapping[str, str]) -> str:
    """The option that set the event field at ``loc``: ``("sources", 0, "kind")`` -> ``--source-kind``."""
    if not loc:
        return ""
    top = str(loc[0])
    if top == "sources" and len(loc) > 2 and loc[2] != "url":
        return options.get(f"sources.{loc[2]}", f"--source-{loc[2]}")
    return options.get(top, top)


def _find_deal(root: Path, deal_id: str) -> tuple[Path, MappingNode]:
    """The file and YAML node of the deal with ``deal_id`` in a dataset directory."""
    files = [root / "deals.yaml"] if (root / "deals.yaml").exists() else []
    if (root / "deals").is_dir():
        files += sorted(p for p in (root / "deals").iterdir() if p.suffix in (".yaml", ".yml"))
    for f in files:
        top = compose(f.read_text(encoding="utf-8"))
        if not isinstance(top, SequenceNode):
            continue
        for item in top.value:
            if isinstance(item, MappingNode):
                for k, v in item.value:
                    if (
                        isinstance(k, ScalarNode)
                        and k.value == "id"
                        and isinstance(v, ScalarNode)
                        and v.value == deal_id
                    ):
                        return f, item
    raise JunkanInputError.single(f"deal {deal_id!r} was not found in the files of {root}", field="ID")


def _end_offset(text: str, node: Node) -> int:
    """The offset just after the last line of ``node``'s content (a newline included)."""
    last = node
    while True:
        if isinstance(last, MappingNode) and not last.flow_style and last.value:
            last = last.value[-1][1]
        elif isinstance(last, SequenceNode) and not last.flow_style and last.value:
            last = last.value[-1]
        else:
            break
    end = last.end_mark.index
    if end > 0 and last.end_mark.column == 0 and text[end - 1] == "\n":
        return end  # a block scalar ends at the start of the next line
    nl = text.find("\n", end)
    return len(text) if nl < 0 else nl + 1


def _insert_event(text: str, node: MappingNode, deal: Deal, event: dict[str, Any]) -> tuple[str, int]:
    """``text`` with ``event`` appended to the deal's history (and ``status:`` rewritten); the insertion line."""
    if node.flow_style:
        raise JunkanInputError.single(
            f"deal {deal.id!r} is written as one flow mapping ({{...}}) at line {node.start_mark.line + 1}; write "
            "it in block style (one key per line) to update it",
            field="ID",
        )
    if not text.endswith("\n"):
        text += "\n"  # the marks are unchanged: only the end moves
    keys = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
    key_col = node.value[0][0].start_mark.column
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    if "status_history" in keys:
        _, seq = keys["status_history"]
        if not isinstance(seq, SequenceNode):
            raise JunkanInputError.single("status_history is not a list", field="status_history")
        if seq.flow_style:
            close = seq.end_mark.index - 1  # the closing ']'
            sep = ", " if seq.value else ""
            edits.append((close, close, sep + _flow(event)))
            at = seq.end_mark.index
        else:
            dash_col = seq.start_mark.column
            at = _end_offset(text, seq)
            edits.append((at, at, _block_item(event, indent=dash_col)))
    else:
        first = deal.sources[0].model_dump(mode="json", exclude_none=True, include={"url", "title", "date", "kind"})
        opening = {"date": deal.date, "status": deal.status.value, "sources": [first]}
        if deal.status_history:  # pragma: no cover - a history without the key cannot happen
            raise AssertionError
        at = _end_offset(text, node)
        block = " " * key_col + "status_history:\n"
        block += _block_item(_plain(opening), indent=key_col + 2) + _block_item(event, indent=key_col + 2)
        edits.append((at, at, block))
    if "status" in keys:
        _, val = keys["status"]
        edits.append((val.start_mark.index, val.end_mark.index, str(event["status"])))
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + new + text[end:]
    line = text[:at].count("\n") + 1 if edits else 1
    return text, line


# ------------------------------------------------------------------------------------------------ YAML text
def _plain(value: Any) -> Any:
    """Dates from ``YYYY-MM-DD`` strings (so they are written unquoted), ``None`` values dropped, recursively."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, long texts kept on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _block_item(record: Mapping[str, Any], indent: int) -> str:
    """``record`` as one block list item (``- key: value``) whose dash is at column ``indent``."""
    body = yaml.dump(
        dict(record), Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=10**6
    )
    lines = body.splitlines()
    pad = " " * indent
    out = [pad + "- " + lines[0]] + [pad + "  " + ln for ln in lines[1:]]
    return "\n".join(out) + "\n"


def _flow(record: Mapping[str, Any]) -> str:
    """``record`` as one flow mapping (``{key: value, ...}``) on one line."""
    text = yaml.dump(dict(record), Dumper=_Dumper, default_flow_style=True, sort_keys=False, width=10**6)
    return text.strip()
