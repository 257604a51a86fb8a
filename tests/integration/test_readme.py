"""The README's examples run as written (the Python API block, and the command-line examples' exit status)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_python_api_block_runs() -> None:
    (block,) = [b for b in _blocks("python") if "junkan.load" in b]
    namespace: dict[str, object] = {}
    exec(compile(block, str(README), "exec"), namespace)  # the README's own code, unchanged
    assert "ledger" in namespace


def _example_commands() -> list[str]:
    (block,) = [b for b in _blocks("bash") if "junkan trace NVIDIA" in b]
    lines = [ln.split("#", 1)[0].strip() for ln in block.splitlines()]
    return [ln for ln in lines if ln.startswith("junkan ") and "&&" not in ln]


@pytest.mark.parametrize("command", _example_commands())
def test_cli_examples_exit_0(command: str) -> None:
    args = shlex.split(command)[1:]
    proc = subprocess.run(
        [sys.executable, "-c", "from junkan.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


def test_bad_party_message_is_as_the_readme_says() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from junkan.cli import main; main()", "trace", "NVDIA"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "unknown party 'NVDIA' in ai-compute (did you mean 'NVIDIA'?)" in " ".join(proc.stderr.split())
