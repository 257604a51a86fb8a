"""One seed, normalised once, recorded in every result (the Mesa / scikit-learn convention)."""

from __future__ import annotations

import numpy as np

SeedLike = int | np.random.SeedSequence | None

#: The seed the command line and the report use when none is given, so two builds of the same data print the same
#: numbers (``junkan report``, ``junkan stress``, ``junkan cycles --null``; the dashboard starts from it too). 42 is
#: the seed of the published results in docs/stress-model.md. The Python API keeps ``seed=None`` = fresh entropy
#: (recorded in the result), the numpy convention; pass ``seed=DEFAULT_SEED`` to reproduce the CLI.
DEFAULT_SEED = 42


def normalize_seed(seed: SeedLike) -> int:
    """Return the integer seed a result records.

    ``None`` draws fresh entropy once (63 bits; that is what gets recorded, so the run can be repeated);
    an ``int`` must be non-negative; a ``SeedSequence`` contributes its entropy.
    """
    if seed is None:
        # fresh OS entropy, kept to 63 bits so the recorded seed is short enough to retype (``--seed``)
        return int(np.random.SeedSequence().entropy) % 2**63  # type: ignore[arg-type]
    if isinstance(seed, np.random.SeedSequence):
        return int(seed.entropy)  # type: ignore[arg-type]
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be a non-negative integer or None, not {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return int(seed)


def make_rng(seed: SeedLike) -> tuple[int, np.random.Generator]:
    """Normalise ``seed`` and return it with a ``numpy.random.Generator`` built from it."""
    s = normalize_seed(seed)
    return s, np.random.default_rng(np.random.SeedSequence(s))
