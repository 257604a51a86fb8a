"""The reader's string kernels give exactly what Arrow's kernels give, also when a hash collides."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junkan.scan import strings


def _arrow_codes(col: pa.Array | pa.ChunkedArray) -> tuple[list[int], list[str]]:
    enc = pc.dictionary_encode(pa.chunked_array([col]) if isinstance(col, pa.Array) else col).unify_dictionaries()
    return [c for ch in enc.chunks for c in ch.indices.to_pylist()], enc.chunk(0).dictionary.to_pylist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=24), min_size=1, max_size=60), st.integers(1, 4))
def test_encode_matches_arrow(values: list[str], n_chunks: int) -> None:
    cut = np.array_split(np.arange(len(values)), n_chunks)
    col = pa.chunked_array([pa.array([values[i] for i in part], pa.string()) for part in cut], type=pa.string())
    codes, dictionary = strings.encode(col)
    want_codes, want_dict = _arrow_codes(col)
    assert codes.tolist() == want_codes and dictionary.to_pylist() == want_dict


def test_encode_short_long_and_unicode() -> None:
    values = ["ACC1", "", "a" * 15, "a" * 16, "Société Générale SA", "ACC1", "a" * 16, "\x00", "ab\x00", "ab"]
    codes, dictionary = strings.encode(pa.array(values))
    assert [dictionary[c].as_py() for c in codes] == values
    assert dictionary.to_pylist() == list(dict.fromkeys(values))


def test_encode_survives_a_hash_collision(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every long string gets the same key: the byte check fails and Arrow's exact encoding is used."""
    real = strings._keys_into

    def colliding(offsets, data, k1, k2, long):  # type: ignore[no-untyped-def]
        real(offsets, data, k1, k2, long)
        k1[long] = np.uint64(7)
        k2[long] = np.uint64(7)

    monkeypatch.setattr(strings, "_keys_into", colliding)
    values = ["a long account name 1", "short", "a long account name 2", "a long account name 1"]
    codes, dictionary = strings.encode(pa.array(values))
    assert [dictionary[c].as_py() for c in codes] == values
    assert codes.tolist() == [0, 1, 2, 0]


def test_all_distinct_and_trim() -> None:
    assert strings.all_distinct(pa.array(["a", "b", "c"]))
    assert not strings.all_distinct(pa.array(["a", "b", "a"]))
    assert strings.all_distinct(pa.array(["a", "b", "a"]), np.array([True, True, False]))
    col = pa.array(["a", "b"])
    assert strings.trim(col) is col  # nothing to trim: the same array back
    assert strings.trim(pa.array([" a", "b\u00a0"])).to_pylist() == ["a", "b"]
