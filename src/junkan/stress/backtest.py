"""Out-of-sample backtest of the ecosystem stress model on a historical case (issue 11: ``lucent-2000``).

The model is run on the ledger *as known* at the dataset's ``known_at`` date (``junkan stress --data lucent-2000``
starts there) with an assumptions file that uses nothing known later; :func:`backtest` then sets each modelled
party's default-or-restructuring probability beside what happened (a ``bankruptcy`` event of the full ledger within
the horizon), and adds what the engine does not carry: the vendor's **credit loss** on the loans it made to its
customers (:func:`lender_credit_loss`).

Why the credit loss is computed here: the engine models a drawn credit deal (``loan``, ``credit_facility``) as
funded debt of the borrower (part of its ``debt``, see :func:`~junkan.stress.ecosystem.model.build_model`), not
as a claim of the lender, so a borrower's default moves no loss to its vendor-lender through clearing. For a vendor
financier that loss is the point, so it is computed from the run's probabilities: expected loss = sum over
borrowers of ``PD_or_restructuring(borrower) * EAD * (1 - alpha)``, with EAD the drawn amount of the lender's
credit deals to the borrower in the ledger (for WinStar, the ~$700M owed at its default) and ``alpha`` the
assumptions' recovery on outside assets (the loss given default of a senior claim, Rogers & Veraart 2013 as used in
the model; rating-agency recovery studies put senior unsecured recovery near 40%). It is an expectation over runs
of independent borrowers' losses only through the marginal PDs: the mean of a sum is the sum of the means whatever
the correlation, so no joint distribution is needed for the expected loss.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from junkan.stress.ecosystem.model import CREDIT_KINDS
from junkan.stress.ecosystem.schedule import quarter_start

__all__ = ["backtest", "lender_credit_loss"]


def lender_credit_loss(
    ledger: Any, p_event: dict[str, float], lender: str, alpha: float, as_of: dt.date | None = None
) -> list[dict[str, Any]]:
    """Expected credit loss of ``lender`` on its drawn credit deals to modelled borrowers (see the module docstring).

    Parameters
    ----------
    ledger
        The full ledger (drawn amounts: exposure at default).
    p_event
        Borrower -> probability of default or restructuring within the horizon (``StressResult``).
    lender
        The vendor-lender (``lucent``).
    alpha
        Recovery on the claim; the loss given default is ``1 - alpha``.
    as_of
        Only deals dated on or before it (the loans that existed when the run starts).

    Returns
    -------
    list of dict
        One row per borrower in ``p_event`` with a drawn line: ``borrower, exposure, p_default_or_restructuring,
        lgd, expected_loss`` (US dollars).
    """
    rows: dict[str, dict[str, Any]] = {}
    for d in ledger.deals:
        if d.kind not in CREDIT_KINDS or d.payer != lender or d.payee not in p_event:
            continue
        if as_of is not None and d.date > as_of:
            continue
        ead = d.amount.drawn_value * ledger.fx_rate(d.amount.currency, d.date.year)
        if ead <= 0:
            continue
        row = rows.setdefault(
            d.payee,
            {"borrower": d.payee, "exposure": 0.0, "p_default_or_restructuring": p_event[d.payee], "lgd": 1 - alpha},
        )
        row["exposure"] += ead
    for row in rows.values():
        row["expected_loss"] = row["exposure"] * row["p_default_or_restructuring"] * row["lgd"]
    return sorted(rows.values(), key=lambda r: -r["expected_loss"])


def backtest(
    ledger: Any, *, runs: int = 2000, seed: int = 42, lender: str | None = None, scenario: str = "baseline"
) -> dict[str, Any]:
    """Run the stress model on ``ledger`` as known at its ``known_at`` date and compare with what happened.

    Returns a JSON-ready dict: ``as_of``, ``horizon``, ``summary`` (the run's :meth:`StressResult.summary`),
    ``parties`` (``party, p_default, p_default_or_restructuring, median_default_quarter, failed, failed_on``:
    ``failed`` is True when the full ledger records a bankruptcy within the horizon, False otherwise), and, with
    ``lender`` (default: the run's focal vendor), ``credit_loss`` (:func:`lender_credit_loss`) and
    ``expected_credit_loss``.
    """
    from junkan.stress.ecosystem import load_assumptions, run_stress

    when = ledger.info.known_at or ledger.info.as_of
    a = load_assumptions(ledger.name)
    res = run_stress(ledger, scenario, runs=runs, seed=seed, as_of=when, focal=lender)
    frame = res.to_frame().set_index("party")
    end = quarter_start(res.start, res.quarters)
    first = quarter_start(res.start, 0)
    parties = []
    for p in res.parties:
        ent = ledger.entities.get(p)
        fails = [e.date for e in (ent.events if ent is not None else []) if e.kind == "bankruptcy"]
        inside = [f for f in fails if first <= f < end]
        parties.append(
            {
                "party": p,
                "p_default": res.p_default[p],
                "p_default_or_restructuring": res.p_default_or_restructuring[p],
                "median_default_quarter": frame.loc[p, "median_default_quarter"],
                "failed": bool(inside),
                "failed_on": inside[0].isoformat() if inside else None,
            }
        )
    out: dict[str, Any] = {
        "as_of": when.isoformat(),
        "horizon": res.summary()["horizon"],
        "runs": runs,
        "seed": res.seed,
        "parties": parties,
        "summary": res.summary(),
    }
    vendor = lender or res.focal
    if vendor is not None:
        loss = lender_credit_loss(ledger, res.p_default_or_restructuring, vendor, a.recovery.alpha, as_of=when)
        out["lender"] = vendor
        out["credit_loss"] = loss
        out["expected_credit_loss"] = sum(r["expected_loss"] for r in loss)
    return out
