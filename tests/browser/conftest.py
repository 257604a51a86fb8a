"""The headless Chromium both browser test modules drive (they skip themselves when it or Playwright is missing).

Waiting: every wait in these tests waits for a *state* (an element visible or attached, a text shown, a chart's
data changed, Streamlit's run finished), never for a time, and all of them use the one suite timeout
:data:`TIMEOUT_MS`: the test modules pass it explicitly to each ``expect(...)`` assertion and ``wait_for*`` call, and
:func:`_suite_timeouts` also makes it Playwright's default for ``expect`` (its own default is 5 s, too short on a busy
machine), as each page's ``set_default_timeout`` does for actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from junkan.app.launch import CHROMIUM_ARGS, find_chromium

#: The one timeout of every browser wait (ms): generous, because waits end as soon as their state is reached.
TIMEOUT_MS = 60_000


@pytest.fixture(scope="session", autouse=True)
def _suite_timeouts() -> None:
    """Make :data:`TIMEOUT_MS` the default of every Playwright ``expect`` assertion (when Playwright is installed)."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # the modules skip themselves
        return
    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, headless, for one test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=find_chromium(), headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield b
        finally:
            b.close()
