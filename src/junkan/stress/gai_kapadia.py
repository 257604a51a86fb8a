"""The Gai & Kapadia (2010) contagion experiment, run on the Rogers-Veraart core with zero recovery.

Gai and Kapadia (2010, Proc. R. Soc. A 466, 2401-2423) simulate default cascades on directed Erdős-Rényi interbank
networks and find a *contagion window*: contagion (a cascade that takes down at least 5% of banks after one random
bank fails) is absent when the average degree ``z`` is small (the network is fragmented), frequent for intermediate
``z``, and absent again when ``z`` is large (each bank's interbank assets are spread so thin that one counterparty's
failure cannot wipe out its capital); when it occurs it tends to reach almost every bank ("robust-yet-fragile").

This module reproduces the experiment with :func:`junkan.stress.rogers_veraart` at ``alpha = beta = 0`` (a failed
bank repays nothing, GK's zero-recovery assumption). Balance sheets follow GK's calibration: every bank has total
interbank assets ``interbank_share`` (20%) of a nominal balance sheet of 100, spread evenly over the banks it lends
to, and capital ``capital_buffer`` (4%) of 100, so a bank fails when more than ``capital_buffer / interbank_share``
(a fifth) of its debtors fail. Interbank liabilities follow from the network; external liabilities (deposits) are
the residual. Where a bank's interbank liabilities exceed what the nominal balance sheet can carry, its external
assets are topped up so that its capital is still 4 (GK leave this case implicit; it changes no default condition).
The initial shock wipes out the external assets of one bank chosen at random.

Orientation: ``liabilities[i, j]`` is what bank ``i`` owes bank ``j``; a link ``i -> j`` means ``j`` lent to ``i``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from junkan.errors import JunkanInputError
from junkan.random import SeedLike, make_rng
from junkan.stress.clearing import rogers_veraart

__all__ = ["GaiKapadiaResult", "gai_kapadia_balance_sheets", "gai_kapadia_experiment"]

_NOMINAL = 100.0
_MAX_BATCH_BYTES = 64 * 2**20


@dataclass(frozen=True, eq=False)
class GaiKapadiaResult:
    """Outcome of one Gai-Kapadia experiment at one average degree.

    Attributes
    ----------
    n, avg_degree, runs, seed
        Network size, average degree ``z``, number of runs and the recorded seed.
    capital_buffer, interbank_share, threshold
        Calibration, and the share of banks that must fail for a run to count as contagion (GK: 5%).
    defaults
        Banks in default at the end of each run (the initially shocked bank included).
    """

    n: int
    avg_degree: float
    runs: int
    seed: int
    capital_buffer: float
    interbank_share: float
    threshold: float
    defaults: np.ndarray = field(repr=False)

    @property
    def contagion(self) -> np.ndarray:
        """Runs in which at least ``threshold * n`` banks defaulted."""
        return self.defaults >= self.threshold * self.n

    @property
    def frequency(self) -> float:
        """Share of runs with contagion."""
        return float(self.contagion.mean())

    @property
    def conditional_extent(self) -> float:
        """Mean share of banks in default, over the runs with contagion (``nan`` if there were none)."""
        hit = self.contagion
        return float(self.defaults[hit].mean() / self.n) if hit.any() else float("nan")

    def summary(self) -> dict[str, Any]:
        """Parameters, seed, frequency and conditional extent of contagion."""
        return {
            "model": "gai_kapadia_2010",
            "n": self.n,
            "avg_degree": self.avg_degree,
            "runs": self.runs,
            "seed": self.seed,
            "capital_buffer": self.capital_buffer,
            "interbank_share": self.interbank_share,
            "frequency": self.frequency,
            "conditional_extent": self.conditional_extent,
        }


def gai_kapadia_balance_sheets(
    lend: np.ndarray, *, capital_buffer: float = 0.04, interbank_share: float = 0.2
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Liabilities, external assets and external liabilities for one GK network.

    Parameters
    ----------
    lend
        ``(n, n)`` boolean: ``lend[i, j]`` means ``j`` lent to ``i`` (``i`` owes ``j``).
    capital_buffer, interbank_share
        Capital and total interbank assets as shares of a nominal balance sheet of 100.

    Returns
    -------
    tuple
        ``liabilities`` (``[i, j]`` = what ``i`` owes ``j``), ``external_assets``, ``external_liabilities``.
    """
    lend = np.asarray(lend, dtype=bool)
    debtors = lend.sum(axis=0)  # how many banks each creditor lent to
    loan = np.divide(interbank_share * _NOMINAL, debtors, out=np.zeros(debtors.shape), where=debtors > 0)
    liabilities = lend * loan[None, :]
    ib_assets = liabilities.sum(axis=0)
    ib_liab = liabilities.sum(axis=1)
    capital = capital_buffer * _NOMINAL
    ext_assets = np.full(lend.shape[0], (1.0 - interbank_share) * _NOMINAL)
    deposits = ext_assets + ib_assets - ib_liab - capital
    top_up = np.maximum(0.0, -deposits)
    return liabilities, ext_assets + top_up, deposits + top_up


def gai_kapadia_experiment(
    n: int,
    avg_degree: float,
    *,
    runs: int,
    seed: SeedLike = None,
    capital_buffer: float = 0.04,
    interbank_share: float = 0.2,
    threshold: float = 0.05,
) -> GaiKapadiaResult:
    """Run GK's experiment: ``runs`` fresh Erdős-Rényi networks, one random bank fails, count the defaults.

    Each run draws a directed Erdős-Rényi graph on ``n`` banks with link probability ``avg_degree / (n - 1)``,
    builds GK balance sheets (:func:`gai_kapadia_balance_sheets`), wipes out one random bank's external assets and
    clears the network with :func:`junkan.stress.rogers_veraart` at ``alpha = beta = 0`` (batched over runs).

    Parameters
    ----------
    n
        Number of banks (GK: 1000).
    avg_degree
        Average in- (and out-) degree ``z``.
    runs
        Number of independent networks (GK: 1000).
    seed
        One seed for the whole experiment, recorded in the result.
    capital_buffer, interbank_share
        GK's baseline: 4% and 20%.
    threshold
        Share of banks that must default for a run to count as contagion (GK: 5%).

    Returns
    -------
    GaiKapadiaResult
    """
    if n < 2 or runs < 1:
        raise JunkanInputError.single("need n >= 2 banks and runs >= 1", field="n")
    if not 0 <= avg_degree <= n - 1:
        raise JunkanInputError.single(f"must lie in [0, n - 1], got {avg_degree}", field="avg_degree")
    if not (0 < capital_buffer < 1 and 0 < interbank_share < 1):
        raise JunkanInputError.single("capital_buffer and interbank_share must lie in (0, 1)", field="capital_buffer")
    seed_used, rng = make_rng(seed)
    prob = avg_degree / (n - 1)
    chunk = max(1, min(runs, _MAX_BATCH_BYTES // (8 * n * n)))
    defaults = np.empty(runs, dtype=int)
    done = 0
    while done < runs:
        b = min(chunk, runs - done)
        lmat = np.empty((b, n, n))
        ext = np.empty((b, n))
        dep = np.empty((b, n))
        for k in range(b):
            lend = rng.random((n, n)) < prob
            np.fill_diagonal(lend, False)
            lmat[k], ext[k], dep[k] = gai_kapadia_balance_sheets(
                lend, capital_buffer=capital_buffer, interbank_share=interbank_share
            )
            ext[k, rng.integers(n)] = 0.0
        res = rogers_veraart(lmat, ext, alpha=0.0, beta=0.0, external_liabilities=dep)
        defaults[done : done + b] = res.defaulted.sum(axis=1)
        done += b
    return GaiKapadiaResult(
        n=n,
        avg_degree=float(avg_degree),
        runs=runs,
        seed=seed_used,
        capital_buffer=capital_buffer,
        interbank_share=interbank_share,
        threshold=threshold,
        defaults=defaults,
    )
