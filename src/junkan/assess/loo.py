"""Does a case's placement depend on thresholds set from it? The leave-one-case-out check of the scorecard.

The first release (2026-04) set several bands at the reference cases' own values (:data:`CASE_FITTED_FROM`):
a scorecard tuned that way recognises its own cases and proves nothing. The defaults now come from outside the
cases (:data:`junkan.assess.thresholds.THRESHOLD_NOTES`: SEC rules, accounting standards, rating-agency criteria and
default studies). This module checks, for every reference case, that its region does not hinge on them:

* ``region`` under the default thresholds and ``region_case_fitted`` under the 2026-04 ones
  (:data:`~junkan.assess.thresholds.CASE_FITTED_2026_04`);
* every band is moved by ``shift`` (25%) either way at each end (``good`` and ``bad`` scaled by ``1 +- shift``;
  for a band starting at 0 the shift is taken of its other end), one at a time, and the case rescored: the bands whose
  move changes the region are its ``sensitive`` bands;
* ``depends_on_own`` is true when a band that the 2026-04 release set from this case is among them: removing the
  case's influence from its own thresholds would move it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from junkan.assess.scorecard import REFERENCE, scorecard
from junkan.assess.thresholds import CASE_FITTED_2026_04, CASE_FITTED_FROM, Band, Thresholds
from junkan.ledger.model import Ledger

BAND_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Thresholds) if f.type in ("Band", Band))


@dataclass(frozen=True)
class LooRow:
    """One reference case: its regions under both threshold sets and the bands its region hinges on."""

    case: str
    region: str
    region_case_fitted: str
    fitted_from_it: tuple[str, ...]
    sensitive: tuple[str, ...]
    depends_on_own: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready row."""
        return {
            "case": self.case,
            "region": self.region,
            "region_case_fitted": self.region_case_fitted,
            "fitted_from_it": list(self.fitted_from_it),
            "sensitive": list(self.sensitive),
            "depends_on_own": self.depends_on_own,
        }


def _moved(band: Band, shift: float) -> list[Band]:
    out = []
    for end in ("good", "bad"):
        v = getattr(band, end)
        other = band.bad if end == "good" else band.good
        step = abs(v) * shift if v != 0 else abs(other) * shift
        for sign in (-1.0, 1.0):
            nv = v + sign * step
            if nv != other:
                out.append(Band(nv, band.bad) if end == "good" else Band(band.good, nv))
    return out


def leave_one_out(
    data: Sequence[Ledger | str] = REFERENCE,
    *,
    shift: float = 0.25,
    known_at: bool = False,
    basis: str = "committed",
) -> tuple[LooRow, ...]:
    """The leave-one-case-out check for each dataset-level case of ``data`` (see the module docstring).

    Parameters
    ----------
    data
        Reference datasets (default: :data:`~junkan.assess.scorecard.REFERENCE`, failures and controls).
    shift
        Relative move of each band end (0.25: 25% either way).
    known_at
        Score each case as known on its ``known_at`` date (:func:`junkan.assess.scorecard`).
    basis
        Deal amounts (see :func:`junkan.assess.scorecard`).
    """
    base = Thresholds()

    def region(name: Ledger | str, t: Thresholds) -> str | None:
        sc = scorecard(name, levels=("dataset",), thresholds=t, known_at=known_at, basis=basis)
        return sc.cases[0].region if sc.cases else None

    rows = []
    for item in data:
        now = region(item, base)
        if now is None:
            continue
        name = item if isinstance(item, str) else item.name
        fitted = region(item, CASE_FITTED_2026_04) or now
        sensitive = []
        for b in BAND_NAMES:
            band: Band = getattr(base, b)
            moves = [
                Thresholds.from_mapping({f"{b}.good": m.good, f"{b}.bad": m.bad}, base) for m in _moved(band, shift)
            ]
            if any(region(item, t) != now for t in moves):
                sensitive.append(b)
        own = tuple(b for b, cases in CASE_FITTED_FROM.items() if name in cases)
        rows.append(LooRow(name, now, fitted, own, tuple(sensitive), any(b in sensitive for b in own)))
    return tuple(rows)
