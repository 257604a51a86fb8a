"""The scorecard replay: positions as known at each year end, drawn one frame per year."""

from __future__ import annotations

import pandas as pd
import pytest

from junkan.assess.playback import PLAYBACK_COLUMNS, scorecard_playback, year_ends
from junkan.ledger.load import load
from junkan.report.figures import MISSING_AXIS
from junkan.report.figures import scorecard_playback as playback_figure


def test_year_ends_of_a_dataset() -> None:
    led = load("global-crossing-qwest-2001")  # deals in 2001, as_of 2005-05-12
    ends = year_ends(led)
    assert [d.isoformat() for d in ends] == ["2001-12-31", "2002-12-31", "2003-12-31", "2004-12-31", "2005-05-12"]


def test_playback_rows_follow_known_at_scoring() -> None:
    df = scorecard_playback(["lucent-2000"])
    assert list(df.columns) == list(PLAYBACK_COLUMNS)
    by = {r.date: r for r in df.itertuples()}
    # end of 1999: only the financing commitments are known; end of 2000: the FY2000 10-K's reserves are
    assert by["1999-12-31"].region == "insufficient evidence"
    assert by["2000-12-31"].region == "vendor financing of customers that cannot pay"


def test_figure_has_one_frame_per_year_with_the_latest_known_position() -> None:
    frame = pd.DataFrame(
        [
            ("2000-12-31", "a", "a", 0.2, None, 0.3, "insufficient evidence", "x"),
            ("2001-12-31", "a", "a", 0.8, 0.1, 0.6, "round trip without real demand", "y"),
            ("2001-12-31", "b", "b", 0.1, 0.9, 0.6, "vendor financing of customers that cannot pay", "z"),
        ],
        columns=list(PLAYBACK_COLUMNS),
    )
    fig = playback_figure(frame, round_trip_cut=0.5, strain_cut=0.5)
    assert [f.name for f in fig.frames] == ["2000", "2001"]
    first, last = fig.frames[0].data[0], fig.frames[1].data[0]
    assert list(first.text) == ["a"] and list(first.y) == [MISSING_AXIS]  # no strain evidence yet: the strip
    assert list(last.text) == ["a", "b"]
    assert list(last.x) == pytest.approx([0.8, 0.1]) and list(last.y) == pytest.approx([0.1, 0.9])
    assert fig.layout.sliders[0].active == 1


def test_scorecard_map_draws_position_intervals_on_the_datasets() -> None:
    from junkan.report.figures import scorecard_map

    cases = pd.DataFrame(
        [
            {
                "case": "d",
                "dataset": "d",
                "level": "dataset",
                "label": "d",
                "round_trip": 0.4,
                "strain": 0.6,
                "coverage": 0.5,
                "region": "insufficient evidence",
                "reasons": ["r"],
                "rt_lo": 0.3,
                "rt_hi": 0.7,
                "f_lo": 0.55,
                "f_hi": 0.6,
            }
        ]
    )
    fig = scorecard_map(cases, round_trip_cut=0.5, strain_cut=0.5)
    (whole,) = [t for t in fig.data if t.name == "dataset as a whole"]
    assert list(whole.error_x.array) == pytest.approx([0.3]) and list(whole.error_x.arrayminus) == pytest.approx([0.1])
    assert list(whole.error_y.array) == pytest.approx([0.0]) and list(whole.error_y.arrayminus) == pytest.approx([0.05])
