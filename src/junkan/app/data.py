"""Where the dashboard's ledger comes from: a bundled dataset, a path given to ``junkan serve``, or an upload.

Bundled data is only ever read. An uploaded CSV is written to a fresh :func:`tempfile.TemporaryDirectory` (under a
sanitised name), loaded with :func:`junkan.load` (the same validation as the command line) and the folder is removed
before this module returns, whether the file was valid or not. Problems name the file as the user uploaded it, not the
temporary path.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tempfile
from pathlib import Path, PurePath

import junkan
from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.load import list_datasets
from junkan.ledger.model import Ledger

#: The largest upload accepted, in bytes (the quick CSV format holds one deal per row: this is far more than enough).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

DEFAULT_DATASET = "ai-compute"


def bundled_datasets() -> list[str]:
    """Names of the bundled datasets, ``ai-compute`` first when present."""
    names = list_datasets()
    return sorted(names, key=lambda n: (n != DEFAULT_DATASET, n))


def dataset_choices(start: str | None) -> list[str]:
    """The datasets the picker offers: the bundled ones, plus ``start`` (a path given to ``serve``) first if it is
    not a bundled name."""
    names = bundled_datasets()
    if start and start not in names:
        return [start, *names]
    return names


def safe_upload_name(name: str) -> str:
    """A file name safe to create in a temporary folder: the base name only, other characters than letters, digits,
    ``.``, ``-`` and ``_`` replaced by ``_`` (``"../x y.csv"`` -> ``"x_y.csv"``)."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    if not cleaned.lower().endswith(".csv"):
        cleaned += ".csv"
    return cleaned[-120:]


def upload_key(name: str, data: bytes) -> str:
    """A stable key of an upload's name and content (for caching the loaded ledger)."""
    return f"upload:{name}:{hashlib.sha256(data).hexdigest()[:16]}"


def load_upload(name: str, data: bytes) -> Ledger:
    """Validate and load an uploaded CSV in the quick format.

    Parameters
    ----------
    name
        The file name as uploaded (used in messages and as the ledger's origin).
    data
        The file's bytes.

    Returns
    -------
    Ledger
        The loaded deals; ``origin`` is ``name``.

    Raises
    ------
    JunkanInputError
        Not a ``.csv`` file, too large, or any problem the CSV loader finds (each naming ``name``, the row and field).
    """
    if not name.lower().endswith(".csv"):
        raise JunkanInputError.single(
            "only CSV files in the quick format can be uploaded (see junkan/datasets/FORMAT.md)", file=name
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise JunkanInputError.single(
            f"file is {len(data) / 2**20:.1f} MiB; uploads are limited to {MAX_UPLOAD_BYTES // 2**20} MiB", file=name
        )
    with tempfile.TemporaryDirectory(prefix="junkan-upload-") as tmp:
        path = Path(tmp) / safe_upload_name(name)
        path.write_bytes(data)
        try:
            ledger = junkan.load(path)
        except JunkanInputError as exc:
            raise JunkanInputError([_rename(p, str(path), name) for p in exc.problems]) from None
    return dataclasses.replace(ledger, origin=name)


def _rename(problem: InputProblem, temp: str, name: str) -> InputProblem:
    if problem.file == temp:
        problem = dataclasses.replace(problem, file=name)
    return dataclasses.replace(problem, message=problem.message.replace(temp, name))


def load_dataset(name_or_path: str) -> Ledger:
    """Load a bundled dataset or a path (read only)."""
    return junkan.load(name_or_path)


__all__ = [
    "DEFAULT_DATASET",
    "MAX_UPLOAD_BYTES",
    "bundled_datasets",
    "dataset_choices",
    "load_dataset",
    "load_upload",
    "safe_upload_name",
    "upload_key",
]
