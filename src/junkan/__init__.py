"""junkan (循環, "circulation"): follow money around the loop.

``junkan.load(name_or_path)`` returns a :class:`~junkan.ledger.Ledger` from a bundled dataset name
(``"ai-compute"``, ``"lucent-2000"``, ...), a directory of YAML files or a CSV file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from junkan.ledger.model import Ledger


def load(name_or_path: str | Path) -> Ledger:
    """Load a dataset by bundled name or path (see :func:`junkan.ledger.load.load`)."""
    from junkan.ledger.load import load as _load

    return _load(name_or_path)


__all__ = ["__version__", "load"]
