"""The synthetic generator: seeded, consistent ground truth, and detection quality on held-out seeds."""

import numpy as np
import pyarrow as pa
import pytest

from junkan.scan import ScanParams, evaluate, ledger_from_table, parse_duration, read_ledger, scan, synth_ledger


def test_seeded_and_consistent(tmp_path):
    a = synth_ledger(2000, seed=5)
    b = synth_ledger(2000, seed=5)
    c = synth_ledger(2000, seed=6)
    assert a.transactions.equals(b.transactions) and a.truth.equals(b.truth)
    assert not a.transactions.equals(c.transactions)
    assert a.seed == 5
    df = a.transactions
    assert df["id"].is_unique and df["timestamp"].is_monotonic_increasing
    assert (df["src"] != df["dst"]).all() and (df["amount"] > 0).all()
    # business hours: almost all payments between 07:00 and 20:00 UTC
    hours = df["timestamp"].dt.hour
    assert ((hours >= 7) & (hours < 20)).mean() > 0.99
    # every planted pattern is in the ledger, in the expected numbers
    assert set(a.truth["transaction"]) <= set(df["id"])
    assert a.truth.groupby("typology")["pattern_id"].nunique().to_dict() == {
        t: 10 for t in ("carousel", "cycle", "gather_scatter", "orts", "scatter_gather", "vendor_financing")
    }
    # planted cycles close: the last payee is the first payer, timestamps rise, within the window
    for _, g in a.truth[a.truth["expected_pattern"] == "cycle"].groupby("pattern_id"):
        rows = df.set_index("id").loc[g.sort_values("position")["transaction"]]
        assert rows["dst"].iloc[-1] == rows["src"].iloc[0]
        assert list(rows["src"].iloc[1:]) == list(rows["dst"].iloc[:-1])
        assert rows["timestamp"].is_monotonic_increasing
        assert (rows["timestamp"].iloc[-1] - rows["timestamp"].iloc[0]).days <= 90
    # written atomically with the truth beside it, readable back
    led_path, truth_path = a.write(tmp_path / "s.parquet")
    assert truth_path.name == "s.truth.csv" and truth_path.exists()
    assert len(read_ledger(led_path)) == len(df)
    led_csv, _ = a.write(tmp_path / "s.csv")
    assert np.array_equal(read_ledger(led_csv).amount, df["amount"].to_numpy())


@pytest.mark.parametrize(
    ("seed", "kwargs", "params"),
    [
        (101, {}, {}),  # defaults, a held-out seed
        (202, {"max_cycle_len": 8, "window_days": 180}, {"max_len": 8, "window_ns": parse_duration("180d")}),
        (303, {"hop_noise": 0.09}, {"tolerance": 0.1}),  # noisier amounts
    ],
)
def test_precision_and_recall_on_held_out_settings(seed, kwargs, params):
    s = synth_ledger(20_000, seed=seed, plants={"orts": 10, "carousel": 10, "vendor_financing": 10, "cycle": 10,
                                                "scatter_gather": 10}, **kwargs)  # fmt: skip
    p = ScanParams(patterns=("cycle", "scatter-gather"), **params)
    res = scan(ledger_from_table(pa.Table.from_pandas(s.transactions, preserve_index=False)), p)
    ev = evaluate(res.alerts, s.truth, p.patterns)
    assert ev.planted == 50
    assert ev.recall >= 0.95, ev
    assert ev.precision >= 0.95, ev


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown typologies"):
        synth_ledger(100, plants={"ponzi": 1})
    with pytest.raises(ValueError):
        synth_ledger(100, hop_noise=1.5)


def test_uniform_background():
    a = synth_ledger(3000, seed=4, background="uniform")
    assert a.transactions.equals(synth_ledger(3000, seed=4, background="uniform").transactions)
    df = a.transactions
    assert (df["src"] != df["dst"]).all() and df["timestamp"].is_monotonic_increasing
    # no busy hubs: the busiest payer of the background makes few payments (uniform among 600 accounts: mean 5)
    bg = df[~df["id"].isin(a.truth["transaction"])]
    assert bg["src"].value_counts().max() < 20
    assert a.truth["pattern_id"].nunique() == 60
    with pytest.raises(ValueError, match="background"):
        synth_ledger(100, background="ring")
