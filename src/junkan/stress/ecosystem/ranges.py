"""Input ranges of the sensitivity analysis, each with a source: the ``NAME.sensitivity.yaml`` file beside an
assumptions file.

The Sobol indices of :mod:`junkan.stress.sensitivity` are only as meaningful as the ranges the inputs are varied
over: with a blanket ``+-25%`` an input with a wide range it could never reach (Amazon's cash cost ratio of 0.805
varied up to 1.0, a year with no operating cash flow at all) ranks first for no reason but the range. The ranges file
gives an input its range and where that range comes from, keyed by the model input (``cost_ratio.amazon``,
``regime_stay.open``; :mod:`~junkan.stress.ecosystem.params`)::

    dataset: ai-compute
    convention: {spread: 0.25, basis: "..."}   # the range of every input the file does not name
    ranges:
      cost_ratio.amazon:
        basis: filings                          # min..max over fiscal years of the ledger's sourced financials
        filings: {numerator: operating_cash_flow, denominator: revenue, one_minus: true,
                  periods: [FY2023, FY2024, FY2025]}
      drift_mean: {basis: fitted, sd_multiple: 2.571, source: "..."}      # estimate +- k standard errors
      regime_stay.open: {basis: calibration, wilson: {trials: 39.6}, source: "..."}
      alpha: {basis: published, low: 0.3, high: 0.5, source: https://..., confidence: low}

``basis`` is one of :data:`BASES`:

* ``filings``: the ratio ``numerator / denominator`` (or ``1 -`` it) of the party's ledger financials in each listed
  period where both exist; the range is the smallest interval holding every year's ratio and the model's nominal
  value (so the point value is always inside). The source is the financials' own URLs.
* ``published``: ``low`` and ``high`` read in a source (a URL and a ``confidence``).
* ``fitted``: the nominal value ``+- sd_multiple`` standard errors of the fit that produced it (the GPU drift's
  OLS trend of the rental-price series, :func:`~junkan.stress.ecosystem.obligations.rental_trend`); for a 95%
  interval of a two-parameter fit to ``n`` points, ``sd_multiple`` is the Student t quantile ``t(0.975, n - 2)``.
* ``calibration``: a transition probability ``p`` estimated from ``trials`` quarters in its state: the Wilson
  (1927) score interval ``(p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``z`` (default 1.96),
  the binomial interval that stays inside [0, 1] (Anderson & Goodman 1957: the maximum-likelihood estimate of a
  Markov transition probability is a binomial proportion of the visits to its state).
* ``stated``: the ``mean +- sd`` of a normal input of the assumptions file (growth), the uncertainty it states.
* ``convention``: no source: ``nominal * (1 +- spread)``, clipped to the field's domain (probabilities and shares
  to [0, 1]). Every input the file does not name gets this, or ``stated`` for a normal input's mean.

A ``published``, ``fitted`` or ``calibration`` entry needs a ``source`` (a URL or the sentence it rests on); a
``filings`` range takes the URLs of the ledger figures it is computed from. A range from the file must be feasible
(``low < high``; inside [0, 1] for a probability or share, positive where the field must be), must hold the
model's nominal value (the point the model runs at), and its key must be an input the analysis varies; otherwise
loading fails with the file, the line and the key (``ranges.KEY``).

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. JASA 22, 209-212.
Anderson, T. W. and Goodman, L. A. (1957). Statistical inference about Markov chains. Ann. Math. Stat. 28, 89-110.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from junkan.errors import JunkanInputError
from junkan.ledger.schema import FINANCIAL_METRICS
from junkan.ledger.yaml_lines import parse_yaml
from junkan.stress.ecosystem._yamlio import model_hash, read_model

__all__ = [
    "BASES",
    "Filings",
    "RangeSpec",
    "SensitivityRanges",
    "Wilson",
    "filings_range",
    "load_ranges",
    "problem",
    "ranges_hash",
    "ranges_path",
    "wilson_interval",
]

#: Where a range comes from (see the module docstring).
BASES = ("filings", "published", "fitted", "calibration", "stated", "convention")

_NEEDS_SOURCE = frozenset({"published", "fitted", "calibration"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Filings(_Strict):
    """A ratio of two ledger metrics over fiscal periods: ``numerator / denominator``, or ``1 -`` it."""

    numerator: str
    denominator: str
    periods: list[str] = Field(min_length=1)
    one_minus: bool = False

    @model_validator(mode="after")
    def _metrics(self) -> Filings:
        for m in (self.numerator, self.denominator):
            if m not in FINANCIAL_METRICS:
                raise ValueError(f"unknown ledger metric {m!r}")
        return self


class Wilson(_Strict):
    """Quarters observed in the state (``trials``, may be fractional: a long-run share times the years) and ``z``."""

    trials: float = Field(gt=0)
    z: float = Field(default=1.96, gt=0)


class RangeSpec(_Strict):
    """The range of one input and its provenance (see the module docstring)."""

    basis: Literal["filings", "published", "fitted", "calibration", "stated", "convention"]
    source: str | None = None
    confidence: Literal["low", "medium", "high"] | None = None
    note: str | None = None
    low: float | None = None
    high: float | None = None
    filings: Filings | None = None
    sd_multiple: float | None = Field(default=None, gt=0)
    wilson: Wilson | None = None
    spread: float | None = Field(default=None, gt=0, lt=1)

    @model_validator(mode="after")
    def _consistent(self) -> RangeSpec:
        b = self.basis
        if b in _NEEDS_SOURCE and not (self.source or "").strip():
            raise ValueError(f"a {b} range needs a source (a URL or the sentence it rests on)")
        if b == "filings" and self.filings is None:
            raise ValueError("a filings range needs 'filings' (numerator, denominator, periods)")
        if b == "published":
            if self.low is None or self.high is None:
                raise ValueError("a published range needs 'low' and 'high'")
            if not (math.isfinite(self.low) and math.isfinite(self.high)) or self.low >= self.high:
                raise ValueError(f"low must be below high, got {self.low!r} .. {self.high!r}")
            if self.confidence is None:
                raise ValueError("a published range needs a confidence (low, medium or high)")
        elif self.low is not None or self.high is not None:
            raise ValueError("'low' and 'high' are given only with basis: published")
        if b == "fitted" and self.sd_multiple is None:
            raise ValueError("a fitted range needs 'sd_multiple' (standard errors either side)")
        if b == "calibration" and self.wilson is None:
            raise ValueError("a calibration range needs 'wilson' (trials, z)")
        if self.spread is not None and b != "convention":
            raise ValueError("'spread' goes with basis: convention")
        return self


class SensitivityRanges(_Strict):
    """A ranges file: the dataset, the convention for inputs it does not name, and the named ranges."""

    dataset: str
    convention: dict[str, Any] = Field(default_factory=dict)
    ranges: dict[str, RangeSpec] = Field(default_factory=dict)
    _file: str = PrivateAttr(default="<ranges>")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _convention(self) -> SensitivityRanges:
        extra = set(self.convention) - {"spread", "basis"}
        if extra:
            raise ValueError(f"convention takes 'spread' and 'basis', not {', '.join(sorted(extra))}")
        s = self.convention.get("spread", 0.25)
        if isinstance(s, bool) or not isinstance(s, (int, float)) or not 0 < s < 1:
            raise ValueError(f"convention.spread must lie in (0, 1), got {s!r}")
        return self

    @property
    def spread(self) -> float:
        """Relative half-width of a convention range."""
        return float(self.convention.get("spread", 0.25))

    @property
    def file(self) -> str:
        """Where the ranges were read from."""
        return self._file

    def line(self, key: str) -> int | None:
        """The line of ``ranges.KEY`` in the file (``None`` for ranges built in memory)."""
        return self._lines.get(key)


def ranges_path(assumptions_file: str) -> tuple[Path, str] | None:
    """The ranges file beside an assumptions file (``X.yaml`` -> ``X.sensitivity.yaml``) and the name errors give
    it, or ``None`` if there is none. A bundled assumptions file (``stress/assumptions/NAME.yaml``, not a file on
    disk) looks in the package."""
    if assumptions_file.startswith("stress/assumptions/") and not Path(assumptions_file).is_file():
        name = assumptions_file.removeprefix("stress/assumptions/").removesuffix(".yaml")
        trav = resources.files("junkan.stress").joinpath("assumptions", f"{name}.sensitivity.yaml")
        return (Path(str(trav)), f"stress/assumptions/{name}.sensitivity.yaml") if trav.is_file() else None
    p = Path(assumptions_file)
    cand = p.with_name(p.name.rsplit(".", 1)[0] + ".sensitivity.yaml")
    return (cand, str(cand)) if cand.is_file() else None


def ranges_hash(ranges: SensitivityRanges) -> str:
    """A short SHA-256 of the ranges' content (as :func:`~junkan.stress.ecosystem.assumptions.assumptions_hash`),
    recorded in a sensitivity result so that a stored run can tell when its ranges file changed."""
    return model_hash(ranges)


def load_ranges(source: str | Path, label: str | None = None) -> SensitivityRanges:
    """Read and validate a ranges file (``label``: the name errors give it; default the path). Its keys are checked
    against the model's inputs later, by :func:`junkan.stress.sensitivity.candidate_inputs`; the line of every key
    is kept for those messages.

    Raises
    ------
    JunkanInputError
        A missing file, an unknown key, a range without a source or with ``low >= high`` (file, line and key).
    """
    p = Path(source)
    name = label if label is not None else str(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise JunkanInputError.single(f"cannot read file: {exc.strerror or exc}", file=name) from None
    out = read_model(data, name, SensitivityRanges)
    doc = parse_yaml(data, name)
    out._file = name
    out._lines = {k: line for k in out.ranges if (line := doc.line(("ranges", k))) is not None}
    return out


def filings_range(ledger: Any, entity: str, spec: Filings) -> tuple[list[tuple[str, float]], list[str]]:
    """The ratio of ``spec`` in each of its periods where the ledger has both metrics of ``entity`` (its own totals,
    no counterparty; both in one currency, a non-zero denominator).

    Returns
    -------
    (ratios, urls)
        ``[(period, ratio)]`` in the order of ``spec.periods`` and the source URLs of the figures used (in order,
        without repeats).
    """
    figs: dict[tuple[str, str], Any] = {}
    for f in ledger.financials:
        # the party's own totals: a figure with a counterparty is a slice of them (revenue from one customer)
        if f.entity == entity and f.counterparty is None and f.metric in (spec.numerator, spec.denominator):
            figs[(f.metric, f.period)] = f
    ratios: list[tuple[str, float]] = []
    urls: list[str] = []
    for period in spec.periods:
        num, den = figs.get((spec.numerator, period)), figs.get((spec.denominator, period))
        if num is None or den is None or den.value == 0 or num.currency != den.currency:
            continue
        r = num.value / den.value
        ratios.append((period, 1.0 - r if spec.one_minus else r))
        for f in (num, den):
            for s in f.sources:
                url = str(getattr(s, "url", s))
                if url not in urls:
                    urls.append(url)
    return ratios, urls


def wilson_interval(p: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson (1927) score interval of a binomial proportion ``p`` observed over ``n`` trials (inside [0, 1])."""
    if not 0.0 <= p <= 1.0 or n <= 0:
        raise ValueError(f"need 0 <= p <= 1 and n > 0, got p={p!r}, n={n!r}")
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def problem(ranges: SensitivityRanges, key: str, msg: str) -> JunkanInputError:
    """An error naming the ranges file, the line of ``KEY`` and the key ``ranges.KEY``."""
    return JunkanInputError.single(msg, file=ranges.file, line=ranges.line(key), field=f"ranges.{key}")
