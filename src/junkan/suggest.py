""" "Did you mean ...?" hints for error messages that name an unknown id, party or option."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """A hint naming up to three options close to ``name`` (exact case first, then ignoring case), or ``""``.

    The hint starts with a space, so it can be appended to a message: ``f"unknown party {name!r}{did_you_mean(...)}"``
    gives ``unknown party 'nvidai' (did you mean 'nvidia'?)``.
    """
    options = list(options)
    close = difflib.get_close_matches(name, options, n=3, cutoff=0.5)
    if not close:
        lowered = {o.casefold(): o for o in options}
        close = [lowered[c] for c in difflib.get_close_matches(name.casefold(), list(lowered), n=3, cutoff=0.5)]
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
