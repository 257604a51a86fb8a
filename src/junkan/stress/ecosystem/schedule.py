"""Turn a deal's schedule into amounts due per model quarter.

Rules (documented in docs/stress-model.md; amounts in US dollars at the deal date's FX rate):

* Explicit ``tranches``: each dated tranche falls in the quarter of its date; tranches that are ``drawn`` or
  ``cancelled`` are skipped (already paid, or never to be); undated tranches (conditions such as "each GW deployed")
  are spread evenly over the deal's window.
* ``per_unit`` schedules (``unit_amount`` for each of ``units`` units): one step of ``unit_amount`` per unit, the
  steps evenly spaced over the window (step ``k`` at ``start + k * length / units``); a fractional last unit pays
  its fraction.
* Otherwise the remaining amount (``committed - drawn``) is spread evenly over the quarters of the window.
* The window is ``schedule.start`` (else the deal date) to ``schedule.end`` (else the deal's ``end_date``, else the
  date plus the assumptions' default tenor: ``default_tenor_years`` for payments, ``equity_tenor_years`` for
  equity). Only the part that falls on or after the model's start counts: what was
  due before is taken as paid; what falls after the horizon is outside the model.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from junkan.ledger.schema import Deal, Status

__all__ = ["past_amount", "quarter_of", "quarter_start", "schedule_amounts"]

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


def _spread(out: np.ndarray, amount: float, first: dt.date, last: dt.date, start: str, horizon: int) -> None:
    """Spread ``amount`` evenly over the quarters from ``first`` to ``last`` (inclusive), keeping the in-model part."""
    q0, q1 = quarter_of(first, start), quarter_of(last, start)
    if q1 < q0:
        q1 = q0
    n = q1 - q0 + 1
    per = amount / n
    lo, hi = max(q0, 0), min(q1, horizon - 1)
    if lo <= hi:
        out[lo : hi + 1] += per


def schedule_amounts(deal: Deal, usd: float, start: str, horizon: int, default_tenor_years: float) -> np.ndarray:
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

    Returns
    -------
    numpy.ndarray
        ``(horizon,)`` amounts due; they sum to what of the deal falls inside the horizon.
    """
    out = np.zeros(horizon)
    sch = deal.schedule
    first = sch.start if sch is not None and sch.start is not None else deal.date
    if sch is not None and sch.end is not None:
        last = sch.end
    elif deal.end_date is not None:
        last = deal.end_date
    else:
        last = _add_years(first, default_tenor_years)
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
            _spread(out, undated, first, last, start, horizon)
        return out
    if sch is not None and sch.unit_amount is not None and sch.units is not None:
        units = sch.units
        steps = math.ceil(units)
        length = (last - first).days
        for k in range(steps):
            frac = min(1.0, units - k)
            day = first + dt.timedelta(days=length * k / units if units > 0 else 0)
            q = quarter_of(day, start)
            if 0 <= q < horizon:
                out[q] += sch.unit_amount * frac * usd
        return out
    remaining = max(0.0, deal.amount.committed_value - deal.amount.drawn_value) * usd
    if remaining > 0:
        _spread(out, remaining, first, last, start, horizon)
    return out


def past_amount(deal: Deal, usd: float, start: str, default_tenor_years: float) -> float:
    """What of ``deal``'s schedule fell due before ``start`` (up to 20 years back), in US dollars."""
    y, q = int(start[:4]), int(start[5])
    k = y * 4 + (q - 1) - _PAST_QUARTERS
    early = f"{k // 4}Q{k % 4 + 1}"
    return float(schedule_amounts(deal, usd, early, _PAST_QUARTERS, default_tenor_years).sum())
