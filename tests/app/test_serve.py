"""``junkan serve``: option checks, the Streamlit command line, and a real server answering its health check."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from junkan.app import app_path
from junkan.app.launch import DashboardNotStarted, free_port, serve_dashboard, wait_healthy
from junkan.cli import main
from junkan.cli.serve import parse_port, streamlit_command
from junkan.errors import JunkanInputError

LOOP_CSV = Path(__file__).parent / "data" / "loop.csv"


def test_parse_port() -> None:
    assert parse_port("8501") == 8501
    assert parse_port(" 1 ") == 1
    assert parse_port("65535") == 65535
    for bad, msg in (("0", "between 1 and 65535, got 0"), ("65536", "got 65536"), ("http", "whole number")):
        with pytest.raises(JunkanInputError, match=msg):
            parse_port(bad)


def test_streamlit_command() -> None:
    cmd = streamlit_command(9000)
    assert cmd[:5] == [sys.executable, "-m", "streamlit", "run", str(app_path())]
    assert set(cmd[5:]) == {
        "--server.headless=true",
        "--server.port=9000",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--global.developmentMode=false",
        "--client.toolbarMode=minimal",
    }
    assert "--server.address=0.0.0.0" in streamlit_command(9000, "0.0.0.0")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "ai-compte"], "did you mean 'ai-compute'?"),
        (["--data", "missing/deals.csv"], "no such file or directory"),
        (["--port", "0"], "port must be between 1 and 65535"),
        (["--port", "eighty"], "port must be a whole number"),
    ],
)
def test_bad_options_exit_2_before_starting(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_server(*a: object, **k: object) -> int:
        raise AssertionError("the server must not start on bad input")

    monkeypatch.setattr(subprocess, "call", no_server)
    with pytest.raises(SystemExit) as info:
        main(["serve", *args])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_serve_starts_a_dashboard_that_answers() -> None:
    with serve_dashboard(str(LOOP_CSV), capture_output=True, seconds=60) as served:
        with urllib.request.urlopen(f"{served.url}_stcore/health", timeout=5) as r:
            health = r.read().decode()
        assert health == "ok", "the dashboard did not answer its health check"
        with urllib.request.urlopen(served.url, timeout=5) as r:
            assert r.status == 200
            assert b"<html" in r.read().lower()
    assert f"junkan dashboard on http://127.0.0.1:{served.port}" in served.output


def test_wait_healthy_reports_a_server_that_exited() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait(timeout=20)
    with pytest.raises(DashboardNotStarted, match="junkan serve exited with status 3"):
        wait_healthy(free_port(), proc, seconds=5)


def test_wait_healthy_gives_up_on_a_port_that_never_answers() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(DashboardNotStarted, match="did not answer its health check"):
            wait_healthy(free_port(), proc, seconds=1)
    finally:
        proc.kill()
        proc.wait(timeout=20)
