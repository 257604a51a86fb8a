"""The dashboard face (``junkan serve``): a Streamlit app on the public API.

The Streamlit script is :file:`app.py` (run it with ``junkan serve`` or ``streamlit run``); the logic it calls lives
in small modules that can be tested without Streamlit: :mod:`junkan.app.data` (choosing a dataset, validating an
upload in a temporary folder) and :mod:`junkan.app.filters` (the deal filters of the sidebar).
:mod:`junkan.app.launch` runs ``junkan serve`` in a child process until it answers (for the browser tests and the
screenshot scripts). Importing this package does not import Streamlit.
"""

from __future__ import annotations

from pathlib import Path

#: Environment variable naming the dataset the dashboard opens with (set by ``junkan serve --data``).
DATA_ENV = "JUNKAN_DATA"


def app_path() -> Path:
    """The path of the Streamlit script (what ``streamlit run`` is given)."""
    return Path(__file__).with_name("app.py")


__all__ = ["DATA_ENV", "app_path"]
