"""The dashboard's language: the sidebar's switch (``junkan serve --lang ja`` sets the default) and the message
catalogue of the report (:mod:`junkan.report.i18n`), so the dashboard and the HTML report say the same things in
the same words."""

from __future__ import annotations

import os
from typing import Any

from junkan.report.i18n import LANGUAGES, Lang, get_lang, translate_figure

#: Environment variable naming the dashboard's default language (set by ``junkan serve --lang``).
LANG_ENV = "JUNKAN_LANG"
#: The session-state key of the sidebar's language switch.
LANG_KEY = "lang"


def default_lang() -> str:
    """The language the dashboard opens in: ``$JUNKAN_LANG`` when it names one of :data:`LANGUAGES`, else English."""
    code = (os.environ.get(LANG_ENV) or "en").strip().lower()
    return code if code in LANGUAGES else "en"


def current() -> Lang:
    """The language chosen in the sidebar (the default before the switch is drawn)."""
    import streamlit as st

    code = st.session_state.get(LANG_KEY) or default_lang()
    return get_lang(code if code in LANGUAGES else "en")


def _(message: str) -> str:
    """``message`` in the chosen language."""
    return current().gettext(message)


def money(v: float | None) -> str:
    """US dollars in the chosen language's style (``$30.0B`` / ``300億ドル``)."""
    return current().money(v)


def chart(fig: Any, key: str) -> None:
    """Draw a plotly figure with its titles, axes and legend in the chosen language."""
    import streamlit as st

    st.plotly_chart(translate_figure(fig, current()), key=key)


__all__ = ["LANG_ENV", "LANG_KEY", "chart", "current", "default_lang", "money"]
