"""Run ``junkan serve`` in a child process until it answers, and find Chromium to look at it.

Shared by the real-browser tests (``tests/browser``, ``tests/app/test_serve.py``) and the README screenshot scripts
(``scripts/screenshot_dashboard.py``, ``scripts/screenshots.py``), so that all of them start, wait for and stop the
dashboard the same way. Only the standard library is used: importing this module imports neither Streamlit nor
Playwright.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

#: Chromium switches for a headless run on a machine without a display, GPU or network.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class DashboardNotStarted(RuntimeError):
    """``junkan serve`` exited, or did not answer its health check in time."""


def find_chromium() -> str | None:
    """The path of Debian's Chromium (``chromium`` or ``chromium-browser`` on ``PATH``); ``None`` if neither."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(port: int, proc: subprocess.Popen[bytes], seconds: float = 90) -> None:
    """Poll Streamlit's ``/_stcore/health`` on ``port`` until it answers ``ok``.

    Raises
    ------
    DashboardNotStarted
        If ``proc`` exits first, or no ``ok`` comes within ``seconds``.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DashboardNotStarted(f"junkan serve exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().decode() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise DashboardNotStarted("the dashboard did not answer its health check")


@dataclass
class ServedDashboard:
    """A running ``junkan serve``: its port, its process, and (once stopped, if captured) what it printed."""

    port: int
    process: subprocess.Popen[bytes]
    output: str = ""

    @property
    def url(self) -> str:
        """The dashboard's address, ``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self.port}/"


@contextmanager
def serve_dashboard(
    data: str | None = None, *, capture_output: bool = False, seconds: float = 90, lang: str | None = None
) -> Iterator[ServedDashboard]:
    """Start ``junkan serve`` on a free port, wait until it is healthy, and stop it on leaving the block.

    Parameters
    ----------
    data
        ``--data`` of ``junkan serve`` (a bundled name or a path); ``None`` keeps the command's default.
    capture_output
        Keep the server's stdout and stderr; they are in ``ServedDashboard.output`` after the block. Otherwise
        they are discarded.
    seconds
        How long to wait for the health check (:func:`wait_healthy`).
    lang
        ``--lang`` of ``junkan serve`` (``en`` or ``ja``); ``None`` keeps the command's default (English).

    The server runs in its own process group; leaving the block sends the group SIGTERM, and SIGKILL if it has not
    ended 20 seconds later.
    """
    port = free_port()
    cmd = [sys.executable, "-c", "from junkan.cli import main; main()", "serve", "--port", str(port)]
    if data is not None:
        cmd += ["--data", data]
    if lang is not None:
        cmd += ["--lang", lang]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE if capture_output else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if capture_output else subprocess.DEVNULL,
        start_new_session=True,
    )
    served = ServedDashboard(port=port, process=proc)
    try:
        wait_healthy(port, proc, seconds)
        yield served
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
        served.output = (out or b"").decode(errors="replace")
