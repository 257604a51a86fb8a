"""The leave-one-case-out check: no reference case's region hinges on thresholds set from it."""

from __future__ import annotations

from junkan.assess.loo import BAND_NAMES, _moved, leave_one_out
from junkan.assess.thresholds import CASE_FITTED_FROM, Band


def test_band_moves_are_25_percent_at_each_end() -> None:
    assert _moved(Band(0.25, 1.0), 0.25) == [Band(0.1875, 1.0), Band(0.3125, 1.0), Band(0.25, 0.75), Band(0.25, 1.25)]
    # a band starting at 0 moves by a quarter of its other end
    assert _moved(Band(0.0, 0.10), 0.25)[:2] == [Band(-0.025, 0.10), Band(0.025, 0.10)]
    assert "round_trip_share" in BAND_NAMES and "credit_losses" in BAND_NAMES


def test_lucent_and_qwest_do_not_depend_on_their_own_thresholds() -> None:
    rows = {r.case: r for r in leave_one_out(["lucent-2000", "global-crossing-qwest-2001"])}
    lucent, gcq = rows["lucent-2000"], rows["global-crossing-qwest-2001"]
    assert lucent.fitted_from_it == tuple(b for b, c in CASE_FITTED_FROM.items() if "lucent-2000" in c)
    assert lucent.region == lucent.region_case_fitted == "vendor financing of customers that cannot pay"
    assert gcq.region == gcq.region_case_fitted == "round trip without real demand"
    assert lucent.sensitive == () and gcq.sensitive == ()
    assert not lucent.depends_on_own and not gcq.depends_on_own
