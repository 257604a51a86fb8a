"""Gai & Kapadia (2010) contagion window, reproduced at reduced scale on the Rogers-Veraart core (seeded)."""

from __future__ import annotations

import numpy as np

from junkan.stress import gai_kapadia_balance_sheets, gai_kapadia_experiment, rogers_veraart


def test_balance_sheets_by_hand() -> None:
    """Bank 0 lends to 1 and 2 (they owe it 10 each); bank 1 lends to 2 (20).

    Interbank assets [20, 20, 0], interbank liabilities [0, 10, 30]; deposits = 80 + assets - liabilities - 4:
    bank 0: 96, bank 1: 86, bank 2: 80 + 0 - 30 - 4 = 46. Every bank's capital is 4.
    """
    lend = np.zeros((3, 3), dtype=bool)
    lend[1, 0] = lend[2, 0] = lend[2, 1] = True
    lmat, ext, dep = gai_kapadia_balance_sheets(lend)
    np.testing.assert_allclose(lmat, [[0, 0, 0], [10, 0, 0], [10, 20, 0]])
    np.testing.assert_allclose(ext, 80.0)
    np.testing.assert_allclose(dep, [96.0, 86.0, 46.0])
    # bank 2 fails: bank 1 loses its only loan (20 > capital 4) and fails; bank 0 loses 10 > 4 and fails too
    shocked = ext.copy()
    shocked[2] = 0.0
    res = rogers_veraart(lmat, shocked, alpha=0, beta=0, external_liabilities=dep)
    assert res.defaulted.tolist() == [True, True, True]
    # bank 1 fails alone: bank 0 loses 10 of 20 (half its debtors, more than a fifth) and fails; bank 2 is untouched
    shocked = ext.copy()
    shocked[1] = 0.0
    res = rogers_veraart(lmat, shocked, alpha=0, beta=0, external_liabilities=dep)
    assert res.defaulted.tolist() == [True, True, False]


def test_contagion_window() -> None:
    """GK's pattern at n = 200 banks, 40 networks per degree: no contagion when the network is sparse (z = 0.5),
    frequent contagion that reaches most banks inside the window (z = 3), none when it is dense (z = 12)."""
    low = gai_kapadia_experiment(200, 0.5, runs=40, seed=2010)
    mid = gai_kapadia_experiment(200, 3.0, runs=40, seed=2010)
    high = gai_kapadia_experiment(200, 12.0, runs=40, seed=2010)
    assert low.frequency <= 0.1
    assert mid.frequency >= 0.5
    assert mid.conditional_extent >= 0.7  # robust-yet-fragile: when it happens, it is system-wide
    assert high.frequency == 0.0
    assert mid.seed == 2010 and mid.summary()["runs"] == 40
    again = gai_kapadia_experiment(200, 3.0, runs=40, seed=2010)
    assert np.array_equal(again.defaults, mid.defaults)
