"""Shared pieces of the dashboard's AppTest tests: the loop dataset and a started app."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from junkan.app import DATA_ENV, app_path
from junkan.app.lang import LANG_ENV

LOOP_CSV = Path(__file__).parent / "data" / "loop.csv"


def start(
    monkeypatch: pytest.MonkeyPatch, data: str | None = None, lang: str | None = None, timeout: float = 60
) -> AppTest:
    """The dashboard run once on ``data`` (``None``: the default dataset) in ``lang`` (``None``: the default),
    with no exception."""
    for env, value in ((DATA_ENV, data), (LANG_ENV, lang)):
        if value is None:
            monkeypatch.delenv(env, raising=False)
        else:
            monkeypatch.setenv(env, value)
    at = AppTest.from_file(str(app_path()), default_timeout=timeout)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The dashboard's metrics, label to value."""
    return {m.label: m.value for m in at.metric}
