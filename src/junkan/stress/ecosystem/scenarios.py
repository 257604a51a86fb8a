"""Named stress scenarios: validated YAML files of shocks, combinable, and user-writable.

A scenario file::

    name: gpu-price-collapse
    description: GPU rental prices halve over a year from mid-2026.
    include: [rate-shock]                 # optional: other scenarios whose shocks are added
    shocks:
      - {type: gpu_price, start: 2026Q3, change: -0.5, ramp_quarters: 4}
    channels: {firesale: false}           # optional: switch contagion channels off
    realisation: {on_hold: 0.1}           # optional: probability that deals of a status are carried out
    deals: {nvda-openai-loi-2025: 0.0}    # optional: per-deal realisation probability

Shock types (``start``/``end`` are quarters ``YYYYQn``; ``parties`` empty = every modelled party):

``gpu_price``  (``change``, ``ramp_quarters``) multiplies the GPU price / rental index by ``1 + change``, reached
linearly over the ramp.
``demand``     (``growth_delta``, ``level``, ``parties``) adds ``growth_delta`` to the annual growth of end-customer
revenue from ``start`` and multiplies its level by ``level``.
``valuation``  (``change``, ``parties``) multiplies valuations by ``1 + change`` from ``start``.
``sentiment``  (``level``) sets exogenous funding sentiment to ``level`` (1 = normal) from ``start``.
``funding_freeze`` (``parties``, ``start``, ``end``) no new money (equity or refinancing) for these parties.
``rate``       (``delta``) adds ``delta`` to every party's annual interest rate from ``start``.
``capex``      (``change``, ``parties``) multiplies planned capex by ``1 + change`` from ``start``.
``funding_regime`` (``state``: ``open``, ``tight`` or ``closed``) holds the shared funding-market state from
``start`` to ``end`` (the Markov chain continues from it afterwards).

A shock dated before the model's first quarter (the as-of quarter) starts in the first quarter: its ramp begins
there (scenarios describe what happens next, not history).

Unknown keys, unknown parties, unknown channels and impossible values (a price change below -100%, a probability
above 1) are rejected with the file, line and key.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.schema import Status
from junkan.stress.ecosystem._yamlio import read_model, read_model_file

__all__ = [
    "CHANNELS",
    "NAMED_SCENARIOS",
    "Scenario",
    "Shock",
    "list_scenarios",
    "load_scenario",
    "quarter_index",
]

#: Contagion channels that can be switched off (all on by default).
CHANNELS = ("clearing", "backlog", "cancel", "equity", "firesale", "sentiment", "backstop")

#: The scenarios shipped in ``stress/scenarios/``.
NAMED_SCENARIOS = (
    "baseline",
    "gpu-price-collapse",
    "openai-funding-freeze",
    "agi-disappointment",
    "rate-shock",
    "hyperscaler-capex-cut",
    "ai-winter",
    "funding-market-closure",
)

Quarter = Annotated[str, Field(pattern=r"^\d{4}Q[1-4]$")]


def quarter_index(label: str, start: str) -> int:
    """Quarters from ``start`` to ``label`` (``quarter_index("2026Q3", "2026Q1") == 2``)."""
    y, q = int(label[:4]), int(label[5])
    y0, q0 = int(start[:4]), int(start[5])
    return (y - y0) * 4 + (q - q0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Shock(_Strict):
    start: Quarter
    end: Quarter | None = None
    parties: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _order(self) -> _Shock:
        if self.end is not None and quarter_index(self.end, self.start) < 0:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


def _finite(v: float) -> float:
    if not math.isfinite(v):
        raise ValueError("must be a finite number")
    return v


class GpuPriceShock(_Shock):
    type: Literal["gpu_price"]
    change: float = Field(ge=-1, le=10)
    ramp_quarters: int = Field(default=1, ge=1, le=80)


class DemandShock(_Shock):
    type: Literal["demand"]
    growth_delta: float = Field(default=0.0, ge=-1, le=10)
    level: float = Field(default=1.0, ge=0, le=100)


class ValuationShock(_Shock):
    type: Literal["valuation"]
    change: float = Field(ge=-1, le=10)


class SentimentShock(_Shock):
    type: Literal["sentiment"]
    level: float = Field(ge=0, le=1)


class FundingFreeze(_Shock):
    type: Literal["funding_freeze"]


class RateShock(_Shock):
    type: Literal["rate"]
    delta: float = Field(ge=-0.2, le=1)


class CapexShock(_Shock):
    type: Literal["capex"]
    change: float = Field(ge=-1, le=10)


class FundingRegimeShock(_Shock):
    type: Literal["funding_regime"]
    state: Literal["open", "tight", "closed"]


Shock = Annotated[
    GpuPriceShock
    | DemandShock
    | ValuationShock
    | SentimentShock
    | FundingFreeze
    | RateShock
    | CapexShock
    | FundingRegimeShock,
    Field(discriminator="type"),
]


class Scenario(_Strict):
    """A validated scenario: shocks, channel switches and realisation overrides (see the module docstring)."""

    name: str = Field(min_length=1)
    description: str = ""
    include: list[str] = Field(default_factory=list)
    shocks: list[Shock] = Field(default_factory=list)
    channels: dict[str, bool] = Field(default_factory=dict)
    realisation: dict[Status, float] = Field(default_factory=dict)
    deals: dict[str, float] = Field(default_factory=dict)
    _file: str = PrivateAttr(default="<memory>")

    @field_validator("channels")
    @classmethod
    def _channels(cls, v: dict[str, bool]) -> dict[str, bool]:
        bad = sorted(set(v) - set(CHANNELS))
        if bad:
            raise ValueError(f"unknown channel {bad[0]!r}; channels are {', '.join(CHANNELS)}")
        return v

    @field_validator("realisation", "deals")
    @classmethod
    def _probs(cls, v: dict[Any, float]) -> dict[Any, float]:
        for k, p in v.items():
            if not 0 <= p <= 1 or not math.isfinite(p):
                raise ValueError(f"{getattr(k, 'value', k)}: a probability must lie between 0 and 1, got {p:g}")
        return v

    @property
    def file(self) -> str:
        """The file the scenario was read from."""
        return self._file

    def channel_switches(self) -> dict[str, bool]:
        """Every channel with its state (on unless switched off here)."""
        return {c: self.channels.get(c, True) for c in CHANNELS}

    def check(self, parties: list[str], deal_ids: set[str] | None = None) -> None:
        """Reject shocks naming parties that are not modelled, and deal overrides naming no deal."""
        problems = []
        for i, s in enumerate(self.shocks):
            for j, p in enumerate(s.parties):
                if p not in parties:
                    problems.append(
                        InputProblem(
                            f"unknown party {p!r}; modelled parties are {', '.join(parties)}",
                            file=self.file,
                            field=f"shocks[{i}].parties[{j}]",
                        )
                    )
        if deal_ids is not None:
            for d in self.deals:
                if d not in deal_ids:
                    problems.append(InputProblem(f"no deal {d!r} in the ledger", file=self.file, field=f"deals.{d}"))
        if problems:
            raise JunkanInputError(problems)


def _bundled(name: str) -> Any:
    return resources.files("junkan.stress").joinpath("scenarios", f"{name}.yaml")


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios."""
    root = resources.files("junkan.stress").joinpath("scenarios")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def load_scenario(source: str | Path | Scenario, _seen: tuple[str, ...] = ()) -> Scenario:
    """Load a scenario by bundled name or path, resolving ``include`` into one flat scenario.

    Included scenarios' shocks come first, then this file's; channel switches and realisation overrides of this file
    win over included ones. Cycles of includes are an error.

    Raises
    ------
    JunkanInputError
        Unknown scenario name, bad key or value (naming file, line and key), or an include cycle.
    """
    if isinstance(source, Scenario):
        sc = source
        key = sc.name
    else:
        text = str(source)
        key = text
        if text.endswith((".yaml", ".yml")) or "/" in text:
            sc = read_model_file(text, Scenario)
            sc._file = text
        else:
            trav = _bundled(text)
            if not trav.is_file():
                names = ", ".join(list_scenarios())
                raise JunkanInputError.single(
                    f"unknown scenario {text!r}; bundled scenarios are {names} (or pass a YAML path)", field="scenario"
                )
            file = f"stress/scenarios/{text}.yaml"
            sc = read_model(trav.read_bytes(), file, Scenario)
            sc._file = file
    if key in _seen:
        raise JunkanInputError.single(f"scenarios include each other in a cycle: {' -> '.join((*_seen, key))}")
    if not sc.include:
        return sc
    shocks: list[Any] = []
    channels: dict[str, bool] = {}
    realisation: dict[Status, float] = {}
    deals: dict[str, float] = {}
    base_dir = Path(sc.file).parent if sc.file.endswith((".yaml", ".yml")) and "/" in sc.file else None
    for inc in sc.include:
        target: str | Path = inc
        if base_dir is not None and inc.endswith((".yaml", ".yml")):
            target = base_dir / inc
        sub = load_scenario(target, (*_seen, key))
        shocks.extend(sub.shocks)
        channels.update(sub.channels)
        realisation.update(sub.realisation)
        deals.update(sub.deals)
    shocks.extend(sc.shocks)
    channels.update(sc.channels)
    realisation.update(sc.realisation)
    deals.update(sc.deals)
    flat = Scenario(
        name=sc.name,
        description=sc.description,
        shocks=shocks,
        channels=channels,
        realisation=realisation,
        deals=deals,
    )
    flat._file = sc.file
    return flat
