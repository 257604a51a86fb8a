"""Where would each case have stood, year by year? The scorecard replayed as known at each year end.

:func:`scorecard_playback` scores each dataset as a whole as known at the end of every year from its first deal to
its ``as_of`` (or today), with known-at scoring (:func:`junkan.assess.scorecard.scorecard` ``as_of``): only the
deals and figures published by then. It is what the report's scorecard animation draws, and it answers the
question the scorecard must answer to be useful: would it have warned before the outcome?
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from junkan.assess.scorecard import DEFAULT_DATASETS, scorecard
from junkan.assess.thresholds import Thresholds
from junkan.ledger.load import load
from junkan.ledger.model import Ledger

if TYPE_CHECKING:
    import pandas as pd

PLAYBACK_COLUMNS = ("date", "dataset", "case", "round_trip", "strain", "coverage", "region", "reason")


def year_ends(ledger: Ledger, *, until: dt.date | None = None) -> list[dt.date]:
    """31 December of every year from the ledger's first deal to its ``as_of`` (or ``until``), then that date."""
    if not ledger.deals:
        return []
    end = until or ledger.info.as_of or max(d.date for d in ledger.deals)
    end = min(end, dt.date.today())
    out = [dt.date(y, 12, 31) for y in range(ledger.deals[0].date.year, end.year) if dt.date(y, 12, 31) < end]
    return [*out, end]


def scorecard_playback(
    data: Sequence[Ledger | str] = DEFAULT_DATASETS,
    *,
    thresholds: Thresholds | None = None,
    basis: str = "committed",
) -> pd.DataFrame:
    """Each dataset's position as known at each year end (columns :data:`PLAYBACK_COLUMNS`).

    Parameters
    ----------
    data
        Ledgers or dataset names (default: ``ai-compute`` and the historical cases).
    thresholds, basis
        As for :func:`junkan.assess.scorecard`.

    Returns
    -------
    pandas.DataFrame
        One row per dataset and date with a known deal: the date, the position, coverage, region and its reason.
    """
    import pandas as pd

    rows = []
    for item in data:
        lg = item if isinstance(item, Ledger) else load(item)
        for when in year_ends(lg):
            sc = scorecard(lg, levels=("dataset",), thresholds=thresholds, basis=basis, as_of=when)
            for c in sc.cases:
                rows.append(
                    {
                        "date": when.isoformat(),
                        "dataset": lg.name,
                        "case": c.id,
                        "round_trip": c.round_trip,
                        "strain": c.strain,
                        "coverage": c.coverage,
                        "region": c.region,
                        "reason": c.reasons[0] if c.reasons else "",
                    }
                )
    return pd.DataFrame(rows, columns=list(PLAYBACK_COLUMNS))
