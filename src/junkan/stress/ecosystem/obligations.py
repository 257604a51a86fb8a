"""Real obligations from the ledger: debt recorded after a balance sheet, maturity ladders, the GPU rental trend.

Rules (docs/stress-model.md, "Obligations"):

* **Debt after the balance sheet.** A party's ``debt`` (and ``gpu_debt``) figure is a balance at a date: the period
  end of a ``ledger:`` figure, or the figure's ``as_of``. Debt deals of the ledger (loans, credit facilities,
  GPU-backed debt) that the party borrowed, dated after that date, ``drawn`` or ``closed`` as of the model's start
  and not ended, are added: their ``drawn`` amount, else the committed amount (a closed facility is taken as funded,
  the convention of :func:`~.model.build_model`). GPU-backed debt deals also add to ``gpu_debt``.
* **Maturity ladder.** Every such recorded debt deal of a party (whatever its date) with a maturity
  (``schedule.end``, else ``end_date``) contributes its outstanding amount: a bond or loan repays it in the quarter
  of its maturity (a bullet; a deal that matured before the start was repaid), a GPU-backed facility
  amortises it in equal quarterly parts from the start to its maturity (delayed-draw term loans are repaid from
  their contracts' cash flows: CoreWeave 10-Q, note on debt). The ladder is scaled down if it would exceed the
  party's debt; the rest of the debt (recorded debt without a maturity, debt outside the ledger's deals, and all
  new debt) falls due evenly over ``maturity_years``.
* **GPU rental trend.** :func:`rental_trend` fits ``ln price = a + b * t`` (``t`` in years) by ordinary least
  squares to the ledger's sourced observations of one product known at the start; ``b`` is the annual log drift,
  its standard error the drift's uncertainty.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from junkan.ledger.schema import Deal, DealKind, Status
from junkan.stress.ecosystem.schedule import quarter_of
from junkan.trend import ols_trend

__all__ = ["DEBT_KINDS", "debt_after", "maturity", "maturity_ladder", "recorded_debt", "rental_trend"]

#: Deal kinds that are debt of the payee.
DEBT_KINDS = frozenset({DealKind.loan, DealKind.credit_facility, DealKind.gpu_backed_debt})


def maturity(deal: Deal) -> dt.date | None:
    """The deal's maturity: ``schedule.end``, else ``end_date``, else ``None``."""
    if deal.schedule is not None and deal.schedule.end is not None:
        return deal.schedule.end
    return deal.end_date


def recorded_debt(ledger: Any, party: str) -> list[tuple[Deal, float]]:
    """Debt deals borrowed by ``party`` that are funded (``drawn`` or ``closed``, not ended), with the outstanding
    amount in US dollars (``drawn`` if recorded, else committed)."""
    out = []
    for d in ledger.deals:
        if d.kind not in DEBT_KINDS or d.payee != party or d.is_ended:
            continue
        if d.status not in (Status.drawn, Status.closed):
            continue
        usd = ledger.fx_rate(d.amount.currency, d.date.year)
        amount = d.amount.drawn if d.amount.drawn is not None else d.amount.committed_value
        if amount > 0:
            out.append((d, float(amount) * usd))
    return out


def debt_after(ledger: Any, party: str, after: dt.date) -> tuple[float, float, list[str]]:
    """Debt and GPU-backed debt recorded after the balance-sheet date ``after``, and the deal ids counted."""
    debt = gpu = 0.0
    ids = []
    for d, amount in recorded_debt(ledger, party):
        if d.date > after:
            debt += amount
            if d.kind == DealKind.gpu_backed_debt:
                gpu += amount
            ids.append(d.id)
    return debt, gpu, ids


def maturity_ladder(ledger: Any, party: str, start: str, quarters: int, debt: float) -> tuple[np.ndarray, float]:
    """Principal of the party's recorded debt falling due in each model quarter, and the recorded debt it covers.

    Returns ``(ladder, covered)``: ``ladder`` ``(quarters,)`` (rules above; a deal that matured before the start is
    taken as repaid and left out), ``covered`` the outstanding amount of every recorded debt deal with a maturity
    on or after the start, inside the horizon or not (that debt is not amortised over ``maturity_years``). ``debt``
    caps both: if ``covered`` exceeds it, everything is scaled down by the same factor."""
    out = np.zeros(quarters)
    covered = 0.0
    for d, amount in recorded_debt(ledger, party):
        end = maturity(d)
        if end is None:
            continue
        q = quarter_of(end, start)
        if q < 0:
            continue
        covered += amount
        if d.kind == DealKind.gpu_backed_debt:
            n = q + 1
            out[: min(n, quarters)] += amount / n
        elif q < quarters:
            out[q] += amount
    if covered > max(debt, 0.0):
        f = max(debt, 0.0) / covered
        out *= f
        covered *= f
    return out, covered


def rental_trend(
    ledger: Any, entity: str, metric: str, product: str, exclude: list[str], until: dt.date
) -> tuple[float, float, int]:
    """Annual log drift of a rental-price series and its standard error, by OLS of ``ln price`` on years.

    Observations: the ledger's ``metric`` figures of ``entity`` with a period end on or before ``until`` whose notes
    name ``product`` (case-insensitive) and whose period or notes name none of ``exclude``.

    Returns
    -------
    (slope, standard_error, n)

    Raises
    ------
    ValueError
        Fewer than three observations (no standard error).
    """
    pts = []
    for f in ledger.financials:
        if f.entity != entity or f.metric != metric or f.period_end > until:
            continue
        text = f"{f.period} {f.notes or ''}".casefold()
        if product.casefold() not in text or any(x.casefold() in text for x in exclude):
            continue
        t = f.period_end.year + (f.period_end.timetuple().tm_yday - 1) / 365.25
        pts.append((t, math.log(f.value)))
    if len(pts) < 3:
        raise ValueError(f"the ledger has {len(pts)} {product} observations of {entity}.{metric}; at least 3 needed")
    slope, se = ols_trend([p[0] for p in pts], [p[1] for p in pts])
    assert se is not None  # three or more points
    return slope, se, len(pts)
