"""Helpers shared by the test folders: run the ``junkan`` command line in-process.

Test modules import this as ``_helpers``: ``tests/conftest.py`` makes pytest put this folder on ``sys.path`` (the
default ``prepend`` import mode adds the folder of every ``conftest.py`` that is not in a package).
"""

from __future__ import annotations

import pytest

from junkan.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``junkan`` in-process; return (exit status, stdout, stderr)."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
