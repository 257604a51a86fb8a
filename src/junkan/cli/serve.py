"""``junkan serve``: start the dashboard (the Streamlit app in :mod:`junkan.app`).

Usage::

    junkan serve [--port 8501] [--data NAME|PATH] [--address 127.0.0.1] [--lang en|ja]

``--data`` is the dataset the dashboard opens with (a bundled name or a path; checked before the server starts, so a
bad name exits with status 2 and the closest names). ``--lang ja`` opens the dashboard in Japanese (the sidebar's
language switch changes it; English is the default). The server runs headless (no browser is opened) until
interrupted. Needs the ``app`` extra: ``pip install 'junkan[app]'`` (without it: a message and exit status 1).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from junkan.cli._common import DEFAULT_DATA, DataOption, console, console_err
from junkan.errors import JunkanInputError

PortOption = Annotated[str, typer.Option("--port", "-p", help="Port to listen on (1-65535).")]
AddressOption = Annotated[
    str, typer.Option("--address", help="Address to listen on (default: this machine only; 0.0.0.0 for all).")
]


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    """The command line that runs the dashboard script with Streamlit (headless, no usage statistics)."""
    from junkan.app import app_path

    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path()),
        "--server.headless=true",
        f"--server.port={port}",
        f"--server.address={address}",
        "--browser.gatherUsageStats=false",
        "--global.developmentMode=false",
        "--client.toolbarMode=minimal",
    ]


def parse_port(text: str) -> int:
    """A TCP port number from ``--port``; anything but an integer in 1..65535 is bad input (exit status 2)."""
    try:
        port = int(text.strip())
    except ValueError:
        raise JunkanInputError.single(f"port must be a whole number, got {text!r}", field="--port") from None
    if not 1 <= port <= 65535:
        raise JunkanInputError.single(f"port must be between 1 and 65535, got {port}", field="--port")
    return port


def serve(
    port: PortOption = "8501",
    data: DataOption = DEFAULT_DATA,
    address: AddressOption = "127.0.0.1",
    lang: Annotated[str, typer.Option("--lang", help="Language the dashboard opens in: en (default) or ja.")] = "en",
) -> None:
    """Start the dashboard at http://ADDRESS:PORT (Ctrl-C stops it)."""
    from junkan.app import DATA_ENV
    from junkan.app.lang import LANG_ENV
    from junkan.ledger.load import load
    from junkan.report.i18n import check_lang

    port_no = parse_port(port)
    lang = check_lang(lang)
    if importlib.util.find_spec("streamlit") is None:
        console_err.print("error: the dashboard needs Streamlit: pip install 'junkan[app]'")
        raise typer.Exit(1)
    load(data)  # fail early, with the loader's messages, on a bad --data
    if Path(data).exists():
        data = str(Path(data).resolve())  # the app reads it from the environment: make it independent of the cwd
    env = {**os.environ, DATA_ENV: data, LANG_ENV: lang}
    console.print(f"junkan dashboard on http://{address}:{port_no} (data: {data}); Ctrl-C stops it", highlight=False)
    try:
        rc = subprocess.call(streamlit_command(port_no, address), env=env)
    except KeyboardInterrupt:
        rc = 0
    if rc != 0:
        console_err.print(f"streamlit exited with status {rc}")
        raise typer.Exit(1)
