"""Turn a deal's schedule into amounts due per model quarter.

Rules (documented in docs/stress-model.md; amounts in US dollars at the deal date's FX rate):

* ``per_unit`` schedules (``unit_amount`` for each of ``units`` units, e.g. $10B per GW deployed): one step of
  ``unit_amount`` per unit, the steps evenly spaced over the window (step ``k`` at ``start + k * length / units``);
  a fractional last unit pays its fraction. Dated tranches of such a schedule are its first steps (they fix those
  steps' dates and amounts; the rest keep their places), so a record that dates only the first of ten per-GW
  steps still pays ten steps.
* Otherwise explicit ``tranches``: each dated tranche falls in the quarter of its date; tranches that are ``drawn``
  or ``cancelled`` are skipped (already paid, or never to be); undated tranches (conditions such as "each GW
  deployed") are spread over the deal's window like an undated amount (next rule).
* Otherwise the remaining amount (``committed - drawn``) is spread over the quarters of the window: evenly, or, for
  compute bought as it is delivered (``ramp_years > 0``), in proportion to the capacity online, which ramps
  linearly from the window's start to full after ``ramp_years`` (quarter ``k`` of the window weighs
  ``min(1, (k + 1/2) / (4 * ramp_years))``), the whole amount still falling within the window.
* The window is ``schedule.start`` (else the deal date) to ``schedule.end`` (else the deal's ``end_date``, else the
  date plus the assumptions' default tenor: ``default_tenor_years`` for payments, ``equity_tenor_years`` for
  equity); a ``window`` override (a published start/end the record lacks) replaces either end. Only the part that
  falls on or after the model's start counts: what was due before is taken as paid; what falls after the horizon
  is outside the model.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from junkan.ledger.schema import Deal, Status

__all__ = ["past_amount", "quarter_of", "quarter_start", "ramp_weights", "schedule_amounts", "shift_start"]

_PAST_QUARTERS = 80  # how far back past_amount looks


def quarter_start(start: str, q: int) -> dt.date:
    """First day of quarter ``q`` counted from ``start`` (``"2026Q1"``)."""
    y0, q0 = int(start[:4]), int(start[5]) - 1
    k = y0 * 4 + q0 + q
    return dt.date(k // 4, (k % 4) * 3 + 1, 1)


def quarter_of(day: dt.date, start: str) -> int:
    """Model quarter index of ``day`` (negative before the start)."""
    y0, q0 = int(start[:4]), int(start[5]) - 1
    return (day.year * 4 + (day.month - 1) // 3) - (y0 * 4 + q0)


def _add_years(day: dt.date, years: float) -> dt.date:
    return day + dt.timedelta(days=round(years * 365.25))


def ramp_weights(n: int, ramp_years: float) -> np.ndarray:
    """Share of an amount paid in each of ``n`` quarters when delivery ramps linearly to full over ``ramp_years``.

    Quarter ``k`` weighs ``min(1, (k + 1/2) / (4 * ramp_years))`` (the capacity online at mid-quarter); the weights
    are normalised to sum to 1. ``ramp_years <= 0`` gives equal weights.
    """
    k = np.arange(n, dtype=float)
    w = np.minimum(1.0, (k + 0.5) / (4.0 * ramp_years)) if ramp_years > 0 else np.ones(n)
    return np.asarray(w / w.sum())


def _spread(
    out: np.ndarray,
    amount: float,
    first: dt.date,
    last: dt.date,
    start: str,
    horizon: int,
    ramp_years: float = 0.0,
) -> None:
    """Spread ``amount`` over the quarters from ``first`` to ``last`` (inclusive), evenly or on a delivery ramp,
    keeping the in-model part."""
    q0, q1 = quarter_of(first, start), quarter_of(last, start)
    if q1 < q0:
        q1 = q0
    n = q1 - q0 + 1
    per = amount * ramp_weights(n, ramp_years)
    lo, hi = max(q0, 0), min(q1, horizon - 1)
    if lo <= hi:
        out[lo : hi + 1] += per[lo - q0 : hi - q0 + 1]


def schedule_amounts(
    deal: Deal,
    usd: float,
    start: str,
    horizon: int,
    default_tenor_years: float,
    ramp_years: float = 0.0,
    window: tuple[dt.date | None, dt.date | None] = (None, None),
) -> np.ndarray:
    """Amounts (US dollars) of ``deal`` due in each of ``horizon`` quarters from ``start``.

    Parameters
    ----------
    deal
        The deal.
    usd
        US dollars per unit of the deal's currency.
    start
        First model quarter, ``"YYYYQn"``.
    horizon
        Number of quarters.
    default_tenor_years
        Length of the window when neither the schedule nor the deal gives an end.
    ramp_years
        Delivery ramp for amounts spread over the window (0: evenly); see the module docstring.
    window
        ``(start, end)`` overrides of the window (``None`` keeps the record's).

    Returns
    -------
    numpy.ndarray
        ``(horizon,)`` amounts due; they sum to what of the deal falls inside the horizon.
    """
    out = np.zeros(horizon)
    sch = deal.schedule
    first = sch.start if sch is not None and sch.start is not None else deal.date
    if window[0] is not None:
        first = window[0]
    if window[1] is not None:
        last = window[1]
    elif sch is not None and sch.end is not None:
        last = sch.end
    elif deal.end_date is not None:
        last = deal.end_date
    else:
        last = _add_years(first, default_tenor_years)
    if sch is not None and sch.unit_amount is not None and sch.units is not None:
        units = sch.units
        steps = math.ceil(units)
        length = (last - first).days
        dated = sorted((t for t in sch.tranches if t.date is not None), key=lambda t: t.date)  # type: ignore[arg-type, return-value]
        for k in range(steps):
            if k < len(dated):
                t = dated[k]
                if t.status in (Status.drawn, Status.cancelled):
                    continue
                day, amount = t.date, t.amount
            else:
                day = first + dt.timedelta(days=length * k / units if units > 0 else 0)
                amount = sch.unit_amount * min(1.0, units - k)
            q = quarter_of(day, start)  # type: ignore[arg-type]
            if 0 <= q < horizon:
                out[q] += amount * usd
        return out
    if sch is not None and sch.tranches:
        undated = 0.0
        for t in sch.tranches:
            if t.status in (Status.drawn, Status.cancelled):
                continue
            if t.date is None:
                undated += t.amount * usd
                continue
            q = quarter_of(t.date, start)
            if 0 <= q < horizon:
                out[q] += t.amount * usd
        if undated > 0:
            _spread(out, undated, first, last, start, horizon, ramp_years)
        return out
    remaining = max(0.0, deal.amount.committed_value - deal.amount.drawn_value) * usd
    if remaining > 0:
        _spread(out, remaining, first, last, start, horizon, ramp_years)
    return out


def shift_start(start: str, quarters: int) -> str:
    """The quarter label ``quarters`` after ``start`` (negative: before)."""
    y, q = int(start[:4]), int(start[5])
    k = y * 4 + (q - 1) + quarters
    return f"{k // 4}Q{k % 4 + 1}"


def past_amount(deal: Deal, usd: float, start: str, default_tenor_years: float) -> float:
    """What of ``deal``'s schedule fell due before ``start`` (up to 20 years back), in US dollars."""
    early = shift_start(start, -_PAST_QUARTERS)
    return float(schedule_amounts(deal, usd, early, _PAST_QUARTERS, default_tenor_years).sum())
