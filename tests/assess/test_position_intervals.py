"""Position intervals: amounts drawn in their ranges, estimates and weakly sourced figures varied; seeded."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from junkan.assess.uncertainty import ESTIMATE_WIDTH, perturbed, position_intervals
from junkan.ledger import Amount, Deal, Entity, Financial, Ledger, Source

SRC = [Source(url="https://example.org/t", kind="filing")]


def ledger(low: float | None, high: float | None, ocf_confidence: str = "high") -> Ledger:
    amount = Amount(low=low, high=high) if low is not None else Amount(value=100.0)
    deals = [
        Deal(
            id="line",
            date=dt.date(2025, 1, 1),
            kind="loan",
            payer="v",
            payee="c",
            amount=amount,
            status="signed",
            confidence="high",
            sources=SRC,
        )
    ]
    fin = Financial(
        entity="v",
        period="FY2025",
        period_end=dt.date(2025, 12, 31),
        metric="operating_cash_flow",
        value=200.0,
        confidence=ocf_confidence,
        sources=SRC,
    )
    return Ledger.build(deals, [Entity(id="v", name="V"), Entity(id="c", name="C")], [fin])


def test_amounts_are_drawn_in_their_range_and_estimates_within_their_width() -> None:
    led = ledger(50.0, 150.0)
    rng = np.random.default_rng(0)
    values = [perturbed(led, rng).deal("line").amount.committed_value for _ in range(300)]
    assert 50.0 <= min(values) < 60.0 and 140.0 < max(values) <= 150.0
    est = Amount(value=100.0, estimate=True, basis="hand")
    led2 = Ledger.build(
        [led.deal("line").model_copy(update={"amount": est})], list(led.entities.values()), list(led.financials)
    )
    drawn = [perturbed(led2, rng).deal("line").amount.headline for _ in range(300)]
    assert 100 * (1 - ESTIMATE_WIDTH) <= min(drawn) < 75 and 125 < max(drawn) <= 100 * (1 + ESTIMATE_WIDTH)


def test_interval_of_a_position_that_straddles_the_strain_cut() -> None:
    # v lends X ~ U(50, 150) against an operating cash flow of 200: vendor funding X / 200, sub-score
    # (X/200 - 0.25) / 0.75 from 0 to 2/3, the only strain indicator with evidence: F's 5-95% range is that of the
    # sub-score at X = 55 and X = 145 (uniform quantiles), and it crosses the strain cut 0.5 (at X = 125)
    u = position_intervals([ledger(50.0, 150.0)], draws=2000, seed=7)
    (iv,) = u.intervals
    lo, hi = iv.strain  # type: ignore[misc]
    assert lo == pytest.approx((55 / 200 - 0.25) / 0.75, abs=0.02)
    assert hi == pytest.approx((145 / 200 - 0.25) / 0.75, abs=0.02)
    assert iv.straddles
    assert u.seed == 7 and u.draws == 2000
    again = position_intervals([ledger(50.0, 150.0)], draws=2000, seed=7)
    assert again.intervals == u.intervals  # the seed fixes the draws


def test_nothing_uncertain_gives_a_point() -> None:
    u = position_intervals([ledger(None, None)], draws=20, seed=1)
    (iv,) = u.intervals
    point = (100 / 200 - 0.25) / 0.75
    assert iv.strain == pytest.approx((point, point))
    assert not iv.straddles and list(iv.regions.values()) == [1.0]
    # a medium-confidence cash flow (+-10%) spreads it: 100 / (200 * U(0.9, 1.1))
    (wide,) = position_intervals([ledger(None, None, "medium")], draws=500, seed=1).intervals
    assert wide.strain[0] < point < wide.strain[1]  # type: ignore[index]
    assert wide.strain[1] <= (100 / 180 - 0.25) / 0.75 + 1e-9  # type: ignore[index]


def test_draws_must_be_positive() -> None:
    with pytest.raises(ValueError, match="draws"):
        position_intervals([ledger(None, None)], draws=0)
