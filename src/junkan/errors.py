"""Errors that junkan reports to users.

Every problem with user input is an :class:`InputProblem` that names where it is (file, line or row, field) and
what is wrong. Loaders collect *all* problems of a file before raising one :class:`JunkanInputError`, so a user
fixes a file in one pass. The command-line face prints ``str(error)`` and exits with status 2; no traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One problem in user input.

    Parameters
    ----------
    message
        What is wrong, in words a user understands.
    file
        The file (or dataset name) the problem is in, if any.
    line
        1-based line (YAML) or row (CSV, counting the header as row 1) number, if known.
    field
        The field, column or key, dotted for nested keys (``amount.low``), if known.
    """

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class JunkanInputError(Exception):
    """Bad input: one or more :class:`InputProblem` found in one pass.

    The command-line interface turns this into a readable list and exit status 2.
    """

    problems: list[InputProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    @classmethod
    def single(
        cls, message: str, *, file: str | None = None, line: int | None = None, field: str | None = None
    ) -> JunkanInputError:
        """Build an error from one problem."""
        return cls([InputProblem(message, file=file, line=line, field=field)])

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in input:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class ProblemCollector:
    """Accumulates problems so a loader can report all of them at once."""

    def __init__(self) -> None:
        self.problems: list[InputProblem] = []

    def add(self, message: str, *, file: str | None = None, line: int | None = None, field: str | None = None) -> None:
        """Record one problem."""
        self.problems.append(InputProblem(message, file=file, line=line, field=field))

    def extend(self, problems: Iterable[InputProblem]) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        """Raise :class:`JunkanInputError` if any problem was recorded."""
        if self.problems:
            raise JunkanInputError(list(self.problems))
