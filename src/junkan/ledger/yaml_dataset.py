"""Read a dataset directory of YAML files (layout in ``junkan/datasets/FORMAT.md``) with line-accurate problems.

Files: ``dataset.yaml`` (a mapping, optional: the name defaults to the directory's), ``entities.yaml`` and/or
``entities/*.yaml`` (required), ``deals.yaml`` and/or ``deals/*.yaml``, ``financials.yaml`` and/or
``financials/*.yaml`` (optional), ``fx.yaml`` (optional). The files of a folder are read in name order after the
single file of the same name. Every
file is read to the end and every problem recorded; a record that fails validation is left out, and references to
its id are not reported again as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import Any

from pydantic import BaseModel

from junkan.errors import InputProblem
from junkan.ledger.collected import Collected, FieldLocator
from junkan.ledger.csv_import import slugify
from junkan.ledger.schema import DatasetInfo, Deal, Entity, Financial, FxRate
from junkan.ledger.validation import problems_from_validation
from junkan.ledger.yaml_lines import Path, YamlDoc, parse_yaml

#: The list files of a dataset directory: file name -> (record model, what one record is called).
LIST_FILES: dict[str, tuple[type[BaseModel], str]] = {
    "entities.yaml": (Entity, "entity"),
    "deals.yaml": (Deal, "deal"),
    "financials.yaml": (Financial, "financial figure"),
    "fx.yaml": (FxRate, "exchange rate"),
}
_PLURAL = {"entity": "entities", "deal": "deals", "financial figure": "financial figures", "exchange rate": "rates"}


def is_dataset_dir(root: Traversable) -> bool:
    """True if ``root`` holds any of the dataset files (``dataset.yaml``, ``entities.yaml``, ``deals...``)."""
    if not root.is_dir():
        return False
    names = {p.name for p in root.iterdir()}
    return bool(names & {"dataset.yaml", "entities.yaml", "entities", "deals.yaml", "deals"})


def read_yaml_dataset(root: Traversable, display: str, *, origin: str | None = None) -> Collected:
    """Read every file of the dataset directory ``root`` into a :class:`Collected`.

    Parameters
    ----------
    root
        The directory (a ``pathlib.Path`` or an ``importlib.resources`` traversable).
    display
        How to name the directory in problems (the path as the user gave it).
    origin
        The ledger's origin (default ``display``).
    """
    out = Collected(origin=origin or display)
    entries = {p.name: p for p in root.iterdir()}

    def shown(*parts: str) -> str:
        return "/".join([display.rstrip("/\\"), *parts])

    info_doc: YamlDoc | None = None
    if "dataset.yaml" in entries:
        info_doc = _parse(entries["dataset.yaml"], shown("dataset.yaml"), out)
    entity_files = _list_files(entries, "entities", shown)
    deal_files = _list_files(entries, "deals", shown)
    financial_files = _list_files(entries, "financials", shown)
    out.files = [shown("dataset.yaml")] + [d for _, d in entity_files or [(root, shown("entities.yaml"))]]
    out.files += [d for _, d in deal_files] + [d for _, d in financial_files or [(root, shown("financials.yaml"))]]
    out.files += [shown("fx.yaml")]

    out.info = _read_info(info_doc, root.name or display, out)
    if entity_files:
        for trav, name in entity_files:
            out.entities_readable &= _read_list(trav, name, Entity, "entity", out)
    else:
        out.entities_readable = False
        out.problems.append(InputProblem("missing entities.yaml (the list of parties)", file=shown("entities.yaml")))
    if not deal_files:
        out.problems.append(InputProblem("no deals.yaml or deals/*.yaml (the list of deals)", file=shown("deals.yaml")))
    for trav, name in deal_files:
        out.deals_readable &= _read_list(trav, name, Deal, "deal", out)
    for trav, name in financial_files:
        _read_list(trav, name, Financial, "financial figure", out)
    if "fx.yaml" in entries:
        before = len(out.problems)
        readable = _read_list(entries["fx.yaml"], shown("fx.yaml"), FxRate, "exchange rate", out)
        if not readable or len(out.problems) > before:
            out.check_fx = False  # rates that could not be read: do not report every amount as lacking one
    return out


def _list_files(entries: dict[str, Traversable], stem: str, shown: Callable[..., str]) -> list[tuple[Traversable, str]]:
    """``STEM.yaml`` then ``STEM/*.yaml`` (name order): the files holding one list of a dataset directory."""
    files: list[tuple[Traversable, str]] = []
    if f"{stem}.yaml" in entries:
        files.append((entries[f"{stem}.yaml"], shown(f"{stem}.yaml")))
    folder = entries.get(stem)
    if folder is not None and folder.is_dir():
        parts = sorted((p for p in folder.iterdir() if re.search(r"\.ya?ml$", p.name)), key=lambda p: p.name)
        files.extend((p, shown(stem, p.name)) for p in parts)
    return files


def _parse(trav: Traversable, name: str, out: Collected) -> YamlDoc | None:
    try:
        data = trav.read_bytes()
    except OSError as exc:
        out.problems.append(InputProblem(f"cannot read file: {exc.strerror or exc}", file=name))
        return None
    doc = parse_yaml(data, name)
    out.problems.extend(doc.problems)
    return doc


def _read_info(doc: YamlDoc | None, dirname: str, out: Collected) -> DatasetInfo:
    default = DatasetInfo(name=slugify(dirname), title=dirname)
    if doc is None:
        return default
    if doc.empty:
        out.problems.append(InputProblem("file is empty; expected name: and title: keys", file=doc.file))
        return default
    if doc.value is None:
        return default  # unparseable; already reported
    if not isinstance(doc.value, dict):
        out.problems.append(
            InputProblem(
                f"expected a mapping of keys (name:, title:, ...) at the top level, got {_kind(doc.value)}",
                file=doc.file,
                line=doc.line(()),
            )
        )
        return default
    from pydantic import ValidationError

    try:
        info = DatasetInfo.model_validate(doc.value)
    except ValidationError as exc:
        out.problems.extend(problems_from_validation(exc, DatasetInfo, file=doc.file, line_of=doc.line))
        return default
    out.place(info, lambda fld: (doc.file, doc.line((fld,))))
    return info


def _read_list(trav: Traversable, name: str, model: type[BaseModel], what: str, out: Collected) -> bool:
    """Read one list file into ``out``; False if the file as a whole could not be read (not a list, bad YAML)."""
    doc = _parse(trav, name, out)
    if doc is None:
        return False
    plural = _PLURAL[what]
    if doc.empty:
        out.problems.append(
            InputProblem(f"file is empty; expected a list of {plural} (write [] if there are none)", file=name)
        )
        return False
    if doc.value is None:
        return False  # did not parse; already reported
    if not isinstance(doc.value, list):
        out.problems.append(
            InputProblem(
                f"expected a list of {plural} at the top level (each starting with '- '), got {_kind(doc.value)}",
                file=name,
                line=doc.line(()),
            )
        )
        return False
    from pydantic import ValidationError

    for i, item in enumerate(doc.value):
        if not isinstance(item, dict):
            out.problems.append(
                InputProblem(
                    f"each {what} must be a mapping of keys (key: value), got {_kind(item)}",
                    file=name,
                    line=doc.line((i,)),
                )
            )
            continue
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            out.problems.extend(problems_from_validation(exc, model, file=name, line_of=_item_lines(doc, i)))
            rid = item.get("id")
            if model is Deal:
                out.invalid_deals.append((item, _field_locator(doc, i)))
                if isinstance(rid, str):
                    out.invalid_deal_ids.add(rid)
            elif isinstance(rid, str) and model is Entity:
                out.invalid_entity_ids.add(rid)
            continue
        if model is Entity:
            out.entities.append(record)  # type: ignore[arg-type]
        elif model is Deal:
            out.deals.append(record)  # type: ignore[arg-type]
        elif model is Financial:
            out.financials.append(record)  # type: ignore[arg-type]
        else:
            out.fx.append(record)  # type: ignore[arg-type]
        out.place(record, _field_locator(doc, i))
    return True


def _item_lines(doc: YamlDoc, i: int) -> Callable[[Path], int | None]:
    def line_of(loc: Path) -> int | None:
        return doc.line((i, *loc))

    return line_of


def _field_locator(doc: YamlDoc, i: int) -> FieldLocator:
    def locate(fld: str) -> tuple[str | None, int | None]:
        return doc.file, doc.line((i, *_parse_field(fld)))

    return locate


def _parse_field(fld: str) -> Path:
    """``"sources[0].url"`` -> ``("sources", 0, "url")``."""
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", fld):
        out.append(int(index) if index else name)
    return tuple(out)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a text ({value[:40]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
