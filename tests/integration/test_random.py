"""One seed, normalised once: junkan.random."""

from __future__ import annotations

import numpy as np
import pytest

from junkan.random import make_rng, normalize_seed


def test_fresh_seed_is_recorded_and_short() -> None:
    s = normalize_seed(None)
    assert isinstance(s, int) and 0 <= s < 2**63
    a = make_rng(s)[1].random(3)
    b = make_rng(s)[1].random(3)
    np.testing.assert_array_equal(a, b)  # the recorded seed replays the run


def test_explicit_seeds() -> None:
    assert normalize_seed(42) == 42
    assert normalize_seed(np.int64(7)) == 7
    assert normalize_seed(np.random.SeedSequence(123)) == 123
    assert make_rng(5)[0] == 5


@pytest.mark.parametrize("bad", [-1, True, 1.5, "3"])
def test_bad_seeds_are_rejected(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        normalize_seed(bad)  # type: ignore[arg-type]
