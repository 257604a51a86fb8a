"""The AI ecosystem stress model: a quarterly, multi-party model built from a ledger and sourced assumptions,
named scenarios and a vectorised Monte Carlo runner (``run_stress``). See docs/stress-model.md."""

from junkan.stress.ecosystem.assumptions import Assumptions, load_assumptions
from junkan.stress.ecosystem.calibration import calibrate
from junkan.stress.ecosystem.model import EcosystemModel, build_model
from junkan.stress.ecosystem.montecarlo import attribute_channels, default_focal, run_stress
from junkan.stress.ecosystem.result import StressResult
from junkan.stress.ecosystem.scenarios import CHANNELS, Scenario, list_scenarios, load_scenario

__all__ = [
    "CHANNELS",
    "Assumptions",
    "EcosystemModel",
    "Scenario",
    "StressResult",
    "attribute_channels",
    "build_model",
    "calibrate",
    "default_focal",
    "list_scenarios",
    "load_assumptions",
    "load_scenario",
    "run_stress",
]
