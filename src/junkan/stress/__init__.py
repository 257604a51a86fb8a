"""Validated contagion cores: clearing, DebtRank, equity cross-holdings and fire sales.

Every core is exact (an iteration finished by an exact step, not stopped at a tolerance) and batched over scenarios
along a leading axis. Conventions that change numbers are stated in each module; above all, ``liabilities[i, j]`` is
what node ``i`` owes node ``j``.

* :mod:`junkan.stress.clearing`: Eisenberg-Noe (2001) and Rogers-Veraart (2013) greatest clearing vectors.
* :mod:`junkan.stress.debtrank`: DebtRank (Battiston et al. 2012) and differential DebtRank (Bardoscia et al. 2015).
* :mod:`junkan.stress.crossholdings`: equity cross-holdings with failure costs (Elliott, Golub & Jackson 2014).
* :mod:`junkan.stress.firesales`: fire sales with price impact (Cifuentes, Ferrucci & Shin 2005) and the
  Greenwood, Landier & Thesmar (2015) vulnerability measures.
* :mod:`junkan.stress.gai_kapadia`: the Gai & Kapadia (2010) contagion-window experiment, run on the clearing core.
* :mod:`junkan.stress.ecosystem`: the AI ecosystem model, named scenarios and the Monte Carlo runner (``run_stress``).
"""

from __future__ import annotations

from junkan.stress.clearing import ClearingResult, Seniority, eisenberg_noe, rogers_veraart
from junkan.stress.crossholdings import CrossHoldingsResult, cross_holdings, dependency_matrix
from junkan.stress.debtrank import DebtRankResult, debtrank, differential_debtrank, impact_matrix
from junkan.stress.ecosystem import StressResult, attribute_channels, list_scenarios, load_scenario, run_stress
from junkan.stress.firesales import Constraint, FireSaleResult, GLTResult, Impact, fire_sale, glt_vulnerability
from junkan.stress.gai_kapadia import GaiKapadiaResult, gai_kapadia_balance_sheets, gai_kapadia_experiment

__all__ = [
    "ClearingResult",
    "Constraint",
    "CrossHoldingsResult",
    "DebtRankResult",
    "FireSaleResult",
    "GLTResult",
    "GaiKapadiaResult",
    "Impact",
    "Seniority",
    "StressResult",
    "attribute_channels",
    "cross_holdings",
    "debtrank",
    "dependency_matrix",
    "differential_debtrank",
    "eisenberg_noe",
    "fire_sale",
    "gai_kapadia_balance_sheets",
    "gai_kapadia_experiment",
    "glt_vulnerability",
    "impact_matrix",
    "list_scenarios",
    "load_scenario",
    "rogers_veraart",
    "run_stress",
]
