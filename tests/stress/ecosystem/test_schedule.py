"""Payment schedules: the delivery ramp, per-unit steps with dated tranches, published windows, and ledger periods."""

from __future__ import annotations

import numpy as np
import pytest

from junkan.errors import JunkanInputError
from junkan.ledger.model import Ledger
from junkan.ledger.schema import Deal
from junkan.stress.ecosystem import load_assumptions
from junkan.stress.ecosystem.model import build_model
from junkan.stress.ecosystem.schedule import ramp_weights, schedule_amounts

from .helpers import SRC, assumptions_dict, est, make_assumptions, party


def _deal(schedule: dict, value: float = 160.0, kind: str = "purchase_commitment") -> Deal:
    return Deal.model_validate(
        {
            "id": "x",
            "date": "2025-09-10",
            "kind": kind,
            "payer": "a",
            "payee": "b",
            "amount": {"value": value},
            "status": "signed",
            "confidence": "high",
            "sources": SRC,
            "schedule": schedule,
        }
    )


def test_ramp_weights_by_hand():
    # 2-year ramp over 20 quarters: (k + 1/2) / 8 for k < 8, then 1; the sum is 4 + 12 = 16
    w = ramp_weights(20, 2.0)
    np.testing.assert_allclose(w[:8], (np.arange(8) + 0.5) / 8 / 16, rtol=1e-15)
    np.testing.assert_allclose(w[8:], 1 / 16, rtol=1e-15)
    np.testing.assert_allclose(ramp_weights(5, 0.0), 0.2)


def test_commitment_paid_on_the_delivery_ramp():
    """$160 over 2027Q1-2031Q4 with a 2-year ramp: 10 a quarter at full rate, 0.625 in the first quarter, 1.875 in
    the second, ..., 9.375 in the eighth; the model (2026Q1, 20 quarters) sees 2027Q1-2030Q4: 40 + 80 = 120."""
    d = _deal({"start": "2027-01-01", "end": "2031-12-31"})
    out = schedule_amounts(d, 1.0, "2026Q1", 20, 5.0, ramp_years=2.0)
    assert out[:4].tolist() == [0.0] * 4
    np.testing.assert_allclose(out[4:12], (np.arange(8) + 0.5) * 10 / 8, rtol=1e-14)
    np.testing.assert_allclose(out[12:], 10.0, rtol=1e-14)
    np.testing.assert_allclose(out.sum(), 120.0, rtol=1e-14)
    flat = schedule_amounts(d, 1.0, "2026Q1", 20, 5.0)
    np.testing.assert_allclose(flat[4:], 8.0)  # evenly: 160 / 20


def test_window_override_replaces_the_end():
    d = _deal({})  # no dates: deal date 2025-09-10 + 5 years by default
    out = schedule_amounts(d, 1.0, "2025Q3", 40, 5.0, window=(None, __import__("datetime").date(2027, 6, 30)))
    # 2025Q3..2027Q2 = 8 quarters of 20
    np.testing.assert_allclose(out[:8], 20.0)
    assert out[8:].sum() == 0


def test_per_unit_steps_keep_their_dated_first_tranche():
    """Four $10 steps over 2026-07-01..2028-07-01 (731 days): the first is dated 2026-12-31 (2026Q4), the others fall
    at +365 days (2027-07-01, 2027Q3) and +548 days (2027-12-31, 2027Q4) after the start, and step 1 at +182 days
    (2026-12-30, 2026Q4). Before the fix the dated tranche alone was paid (10 of 40)."""
    d = _deal(
        {
            "unit": "GW",
            "unit_amount": 10.0,
            "units": 4,
            "start": "2026-07-01",
            "end": "2028-07-01",
            "tranches": [{"amount": 10.0, "date": "2026-12-31", "condition": "first GW"}],
        },
        value=40.0,
        kind="equity_investment",
    )
    out = schedule_amounts(d, 1.0, "2026Q1", 12, 1.0)
    expected = np.zeros(12)
    expected[3], expected[6], expected[7] = 20.0, 10.0, 10.0
    np.testing.assert_allclose(out, expected)


def test_quarterly_ledger_figure_is_not_read_as_a_year():
    import junkan

    ledger = junkan.load("ai-compute")
    base = assumptions_dict({"oracle": party(cash=1.0)})
    # the ledger's latest Oracle revenue is now FY2026 (annual), so the quarter is named: a quarterly period read
    # with scale 1 is rejected
    base["parties"]["oracle"]["revenue"] = {"ledger": "revenue", "period": "Q1FY2026"}
    with pytest.raises(JunkanInputError, match="Q1FY2026, not a year"):
        build_model(ledger, make_assumptions(base))
    base["parties"]["oracle"]["revenue"] = {"ledger": "revenue", "period": "FY2025"}
    assert build_model(ledger, make_assumptions(base)).revenue_annual[0] == pytest.approx(57.4e9)
    base["parties"]["oracle"]["revenue"] = {"ledger": "revenue", "period": "Q1FY2026", "scale": 4}
    assert build_model(ledger, make_assumptions(base)).revenue_annual[0] == pytest.approx(4 * 14.9e9)


def test_deal_schedules_must_name_ledger_deals(tmp_path):
    import yaml

    d = assumptions_dict({"a": party(cash=1.0), "b": party()})
    d["deal_schedules"] = {"nope": {"end": "2030-01-01", **{k: v for k, v in est(0).items() if k != "value"}}}
    p = tmp_path / "a.yaml"
    p.write_text(yaml.safe_dump(d, sort_keys=False))
    ledger = Ledger.build([_deal({})], create_missing_entities=True)
    with pytest.raises(JunkanInputError) as ei:
        load_assumptions(p, ledger)
    assert ei.value.problems[0].field == "deal_schedules.nope"
