"""Named model inputs that ``overrides={"set": {...}}`` can replace, for sensitivity analysis and calibration.

A key names a field of :class:`~.model.EcosystemModel` after :func:`~.model.build_model`:

* a scalar field: ``"alpha"``, ``"drift_mean"``, ``"residual_value"``, ``"sentiment_sensitivity"`` ...;
* a per-party field with the party: ``"funding_success.oracle"``, ``"funding_sensitivity.coreweave"``,
  ``"ltv_max.coreweave"``, ``"cash.openai"`` ...; ``"funding_success.*"`` sets every party;
* the funding regime: ``"regime_access.tight"`` (multiplier in a state), ``"regime_stay.closed"`` (the
  probability of staying in a state a quarter; the other transitions of that row are rescaled to keep their
  ratio), ``"regime_initial"`` (0 open, 1 tight, 2 closed);
* ``"take_or_pay"`` (every deal's share of a cancelled payment still owed) or ``"take_or_pay.DEAL_ID"``.

Values are in the model's units (money in US dollars, rates annual, flows annual where the field name says so).
Every key and value is checked: an unknown key or party, or a probability outside [0, 1], is an error naming the
key (``overrides.set.KEY``). The result records the overrides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from junkan.errors import JunkanInputError
from junkan.stress.ecosystem.assumptions import REGIMES
from junkan.stress.ecosystem.model import EcosystemModel

__all__ = ["PROBABILITY_FIELDS", "apply_settings", "settable_keys"]

#: Fields whose values are probabilities or shares in [0, 1].
PROBABILITY_FIELDS = frozenset(
    {
        "cost_ratio",
        "capex_flex",
        "gpu_share",
        "refinance",
        "ltv_max",
        "new_debt_gpu_share",
        "funding_access",
        "funding_success",
        "funding_debt_share",
        "contract_cost_ratio",
        "contract_price_exposure",
        "funding_sensitivity",
        "alpha",
        "beta",
        "demand_correlation",
        "residual_value",
        "regime_access",
        "regime_stay",
        "take_or_pay",
    }
)
_SCALARS = (
    "drift_mean",
    "drift_sd",
    "volatility",
    "impact",
    "market_depth",
    "depreciation_years",
    "alpha",
    "beta",
    "sentiment_sensitivity",
    "demand_correlation",
    "funding_buffer_quarters",
    "residual_value",
)


def _party_fields(m: EcosystemModel) -> list[str]:
    return [
        f.name
        for f in dataclasses.fields(m)
        if isinstance(getattr(m, f.name), np.ndarray) and getattr(m, f.name).shape == (m.n,) and f.name != "ladder"
    ]


def settable_keys(model: EcosystemModel) -> list[str]:
    """Every key :func:`apply_settings` accepts for ``model`` (per-party fields with each party)."""
    keys = list(_SCALARS)
    keys += [f"{f}.{p}" for f in _party_fields(model) for p in model.parties]
    keys += [f"regime_access.{s}" for s in REGIMES] + [f"regime_stay.{s}" for s in REGIMES]
    keys += ["regime_initial", "take_or_pay"] + [f"take_or_pay.{d}" for d in model.deal_ids]
    return keys


def apply_settings(model: EcosystemModel, settings: Mapping[str, float]) -> EcosystemModel:
    """``model`` with the named inputs replaced (keys in the module docstring); the model itself is not changed.

    Raises
    ------
    JunkanInputError
        An unknown key, party, state or deal, or a value out of range (field ``overrides.set.KEY``).
    """
    if not settings:
        return model
    changes: dict[str, object] = {}
    per_party = set(_party_fields(model))

    def bad(key: str, msg: str) -> JunkanInputError:
        return JunkanInputError.single(msg, field=f"overrides.set.{key}")

    def arr(name: str) -> np.ndarray:
        if name not in changes:
            changes[name] = np.array(getattr(model, name), dtype=float, copy=True)
        out = changes[name]
        assert isinstance(out, np.ndarray)
        return out

    for key, raw in settings.items():
        value = float(raw)
        if not np.isfinite(value):
            raise bad(key, f"{key}: the value must be a finite number, got {raw!r}")
        name, _, sub = key.partition(".")
        if name in PROBABILITY_FIELDS and not 0.0 <= value <= 1.0:
            raise bad(key, f"{key} is a probability or share and must lie between 0 and 1, got {value:g}")
        if name in _SCALARS and not sub:
            if name in ("depreciation_years", "market_depth") and value <= 0:
                raise bad(key, f"{key} must be positive, got {value:g}")
            changes[name] = value
        elif name in per_party and sub:
            a = arr(name)
            if sub == "*":
                a[:] = value
            elif sub in model.parties:
                a[model.parties.index(sub)] = value
            else:
                raise bad(key, f"unknown party {sub!r}; modelled parties are {', '.join(model.parties)}")
        elif name == "regime_access" and sub in REGIMES:
            arr("regime_access")[REGIMES.index(sub)] = value
        elif name == "regime_stay" and sub in REGIMES:
            t = arr("regime_transition")
            k = REGIMES.index(sub)
            others = [j for j in range(3) if j != k]
            rest = t[k, others].sum()
            t[k, others] = (1.0 - value) * (t[k, others] / rest if rest > 0 else np.full(2, 0.5))
            t[k, k] = value
        elif name == "regime_initial" and not sub:
            if value not in (0.0, 1.0, 2.0):
                raise bad(key, f"regime_initial is 0 (open), 1 (tight) or 2 (closed), got {value:g}")
            changes[name] = int(value)
        elif name == "take_or_pay":
            a = arr("deal_take_or_pay")
            if not sub:
                a[:] = value
            elif sub in model.deal_ids:
                a[model.deal_ids.index(sub)] = value
            else:
                raise bad(key, f"no modelled deal {sub!r}")
        else:
            raise bad(key, f"unknown input {key!r}; see junkan.stress.ecosystem.params.settable_keys(model)")
    return dataclasses.replace(model, **changes)  # type: ignore[arg-type]
