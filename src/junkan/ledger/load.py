"""Load a dataset into a :class:`~junkan.ledger.model.Ledger`: by bundled name, YAML directory or CSV file.

``load("ai-compute")`` reads the bundled dataset of that name (a directory under the installed package's
``junkan/datasets/``); ``load("path/to/dir")`` reads a directory of YAML files and ``load("deals.csv")`` a CSV file in
the quick format (see ``junkan/datasets/FORMAT.md``). Every problem in the input is collected, each naming its file,
line (YAML) or row (CSV, header = row 1) and field, and reported together in one
:class:`~junkan.errors.JunkanInputError`::

    3 problems in input:
      - data/deals.yaml, line 14, field 'payer': deal 'x' names unknown entity 'nvdia' (did you mean 'nvidia'?)
      - data/deals.yaml, line 31, field 'amount': low (5e+09) is greater than high (1e+09)
      - data/deals.csv, row 4, field 'date': invalid date '2025-02-30' (day value is outside expected range); ...
"""

from __future__ import annotations

import difflib
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from junkan.errors import JunkanInputError
from junkan.ledger.csv_import import read_csv
from junkan.ledger.model import Ledger
from junkan.ledger.yaml_dataset import is_dataset_dir, read_yaml_dataset


def datasets_root() -> Traversable:
    """The directory of bundled datasets inside the installed package (``junkan/datasets``)."""
    return resources.files("junkan").joinpath("datasets")


def list_datasets() -> list[str]:
    """Names of the bundled datasets, sorted (directories of ``junkan/datasets`` holding dataset files)."""
    root = datasets_root()
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if not p.name.startswith((".", "_")) and p.is_dir() and is_dataset_dir(p)
    )


def load(name_or_path: str | os.PathLike[str]) -> Ledger:
    """Load a dataset by bundled name, YAML directory or CSV file.

    Parameters
    ----------
    name_or_path
        A bundled dataset name (see :func:`list_datasets`), a directory of YAML files, a ``dataset.yaml`` inside
        one, or a ``.csv`` file. An existing path wins over a bundled name of the same spelling.

    Returns
    -------
    Ledger
        The dataset; its ``origin`` is the name or the path as given.

    Raises
    ------
    JunkanInputError
        Listing every problem found (file, line or row, field, message); also for an unknown name or a missing path.
    """
    text = os.fspath(name_or_path)
    path = Path(text)
    if text and path.exists():
        return _load_path(path, text)
    bundled = list_datasets()
    if text in bundled:
        root = datasets_root().joinpath(text)
        return read_yaml_dataset(root, str(root), origin=text).to_ledger()
    looks_like_path = any(sep in text for sep in "/\\") or path.suffix.lower() in (".csv", ".yaml", ".yml")
    if looks_like_path or not text:
        raise JunkanInputError.single(f"no such file or directory: {text!r}", file=text or None)
    close = difflib.get_close_matches(text, bundled, n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = ", ".join(bundled) if bundled else "(none installed)"
    raise JunkanInputError.single(
        f"unknown dataset {text!r}{hint}; bundled datasets are: {listed}; "
        "or give the path of a YAML dataset directory or a CSV file"
    )


def _load_path(path: Path, text: str) -> Ledger:
    if path.is_dir():
        if not is_dataset_dir(path):
            raise JunkanInputError.single(
                "not a dataset directory: expected dataset.yaml, entities.yaml and deals.yaml (or deals/*.yaml); "
                "see junkan/datasets/FORMAT.md",
                file=text,
            )
        return read_yaml_dataset(path, text).to_ledger()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise JunkanInputError.single(f"cannot read file: {exc.strerror or exc}", file=text) from None
        return read_csv(data, text).to_ledger()
    if path.name in ("dataset.yaml", "entities.yaml", "deals.yaml", "financials.yaml", "fx.yaml"):
        parent = str(path.parent) if path.parent != Path() else "."
        return read_yaml_dataset(path.parent, parent).to_ledger()
    raise JunkanInputError.single(
        "cannot load this file: give a dataset directory of YAML files or a .csv file in the quick format", file=text
    )
