"""Helpers for the dashboard's AppTest logic tests."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("streamlit", reason="the dashboard tests need streamlit (pip install 'junkan[app]')")

DATA = Path(__file__).parent / "data"
LOOP_CSV = DATA / "loop.csv"
