"""Read a YAML file into a pydantic model, turning every problem into one error naming the file, line and key; and
the content hash such a model is recorded by."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.yaml_lines import dotted, parse_yaml

M = TypeVar("M", bound=BaseModel)


def read_model(data: bytes | str, file: str, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Parse ``data`` (the text of ``file``) as YAML and validate it as ``model``.

    Raises
    ------
    JunkanInputError
        With one problem per bad key: the file, the line of the key and the dotted key (``parties.openai.cash``).
        Unknown keys are rejected (the models forbid extras).
    """
    doc = parse_yaml(data, file)
    if doc.problems:
        raise JunkanInputError(list(doc.problems))
    if not isinstance(doc.value, dict):
        raise JunkanInputError.single("expected a mapping of keys at the top of the file", file=file, line=1)
    try:
        return model.model_validate(doc.value, context=context)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown key (not allowed here)"
            msg = msg.removeprefix("Value error, ")
            problems.append(InputProblem(msg, file=file, line=doc.line(loc), field=dotted(loc) or None))
        raise JunkanInputError(problems) from None


def read_model_file(path: str | Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model`` (see :func:`read_model`); a missing file is a clear error."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise JunkanInputError.single(f"cannot read file: {exc.strerror or exc}", file=str(p)) from None
    return read_model(data, str(p), model)


def model_hash(model: BaseModel) -> str:
    """A short SHA-256 (16 hex digits) of a model's content (its JSON dump, keys sorted): the same content, the same
    hash, wherever the file was read from."""
    blob = json.dumps(model.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
