"""The ``junkan`` entry point: exit statuses and no tracebacks for usage errors or odd input."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from junkan.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("deals", "list", "--bogus"), "No such option: --bogus"),
        (("trace", "[/]"), "unknown party '[/]'"),
        (("deals", "show", "no-such-deal"), "no deal 'no-such-deal'"),
    ],
)
def test_bad_usage_exits_2_without_traceback(args: tuple[str, ...], needle: str) -> None:
    proc = _run(*args)
    assert proc.returncode == 2, proc.stderr
    out = proc.stdout + proc.stderr
    assert needle in out
    assert "Traceback" not in out


def test_success_exits_0() -> None:
    proc = _run("deals", "list", "--format", "csv", "--kind", "warrant_grant")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("id,date,kind,payer,payee,amount")
    assert "amd-openai-warrant-2025" in proc.stdout
