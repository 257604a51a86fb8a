"""The headless Chromium both browser test modules drive (they skip themselves when it or Playwright is missing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from junkan.app.launch import CHROMIUM_ARGS, find_chromium


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
