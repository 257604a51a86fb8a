"""Fast exact work on Arrow string columns for the ledger reader: codes in order of first appearance, duplicate
detection and a no-op check for whitespace trimming, compiled with numba over the Arrow buffers.

Arrow's own hash kernels (``dictionary_encode``, ``unique``) are single-threaded and general. Here:

- :func:`encode` gives every string a 128-bit key: a string of at most 15 bytes (account names, ids, currency
  codes, labels) is its own key (length and bytes), so equal keys mean equal strings; a longer string gets two
  64-bit hashes and is checked byte for byte against the first string with the same key. The keys go into an
  open-addressing table of integers. Where a check fails (a hash collision) Arrow's exact kernel is used instead.
- :func:`all_distinct` sorts 64-bit hashes (FNV-1a with the splitmix64 finaliser): all different means all strings
  different; equal hashes (a real duplicate, or a collision) send the caller to Arrow's exact kernels.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numba import njit

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@njit(cache=True)
def _hash_into(offsets: np.ndarray, data: np.ndarray, out: np.ndarray) -> None:
    for i in range(len(offsets) - 1):
        h = _FNV_OFFSET
        for k in range(offsets[i], offsets[i + 1]):
            h = (h ^ np.uint64(data[k])) * _FNV_PRIME
        # splitmix64 finaliser: spreads FNV's weak low bits over the whole word (the table index uses them)
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        out[i] = h ^ (h >> np.uint64(31))


@njit(cache=True)
def _keys_into(offsets: np.ndarray, data: np.ndarray, k1: np.ndarray, k2: np.ndarray, long: np.ndarray) -> None:
    """A 128-bit key per string: for a string of at most 15 bytes its length and bytes themselves (so equal keys
    mean equal strings), for a longer one a marker and two 64-bit hashes (``long`` is set: to be checked)."""
    for i in range(len(offsets) - 1):
        a, b = offsets[i], offsets[i + 1]
        n = b - a
        if n <= 15:
            x1 = np.uint64(n) << np.uint64(56)
            x2 = np.uint64(0)
            for j in range(min(n, 7)):
                x1 |= np.uint64(data[a + j]) << np.uint64(8 * j)
            for j in range(7, n):
                x2 |= np.uint64(data[a + j]) << np.uint64(8 * (j - 7))
            long[i] = False
        else:
            h = _FNV_OFFSET
            g = np.uint64(0x9E3779B97F4A7C15)
            for j in range(a, b):
                c = np.uint64(data[j])
                h = (h ^ c) * _FNV_PRIME
                g = (g ^ c) * np.uint64(0xFF51AFD7ED558CCD)
                g ^= g >> np.uint64(29)
            x1 = (np.uint64(0xFF) << np.uint64(56)) | (h & np.uint64(0x00FFFFFFFFFFFFFF))
            x2 = g
            long[i] = True
        k1[i] = x1
        k2[i] = x2


@njit(cache=True)
def _first_seen_codes(k1: np.ndarray, k2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Code of each key pair, numbered in order of first appearance, and the position of each code's first pair.

    An open-addressing table kept at most half full; a slot holds both key words and the code + 1 (0: empty) side by
    side, so a probe touches one cache line.
    """
    n = len(k1)
    size = 1024
    while size < min(2 * n, 1 << 16):
        size *= 2
    table = np.zeros((size, 3), dtype=np.uint64)
    codes = np.empty(n, dtype=np.int32)
    first = np.empty(max(n, 1), dtype=np.int64)
    m = 0
    for i in range(n):
        if 2 * (m + 1) > size:  # grow and re-insert
            size *= 2
            grown = np.zeros((size, 3), dtype=np.uint64)
            for j in range(len(table)):
                if table[j, 2] != 0:
                    p = _slot(table[j, 0], table[j, 1], size)
                    while grown[p, 2] != 0:
                        p = (p + 1) & (size - 1)
                    grown[p, 0], grown[p, 1], grown[p, 2] = table[j, 0], table[j, 1], table[j, 2]
            table = grown
        a, b = k1[i], k2[i]
        p = _slot(a, b, size)
        while True:
            v = table[p, 2]
            if v == 0:
                table[p, 0], table[p, 1], table[p, 2] = a, b, np.uint64(m + 1)
                codes[i] = np.int32(m)
                first[m] = i
                m += 1
                break
            if table[p, 0] == a and table[p, 1] == b:
                codes[i] = np.int32(v - np.uint64(1))
                break
            p = (p + 1) & (size - 1)
    return codes, first[:m]


@njit(cache=True)
def _slot(a: np.uint64, b: np.uint64, size: int) -> np.int64:
    h = (a ^ (b * np.uint64(0x9E3779B97F4A7C15))) * np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(31)
    return np.int64(h & np.uint64(size - 1))


@njit(cache=True)
def _long_equal_to_codes(
    offsets: np.ndarray, data: np.ndarray, long: np.ndarray, codes: np.ndarray, first: np.ndarray
) -> bool:
    """Whether every long string (``long``) equals the first string of its code (short ones need no check)."""
    for i in range(len(offsets) - 1):
        if not long[i]:
            continue
        r = first[codes[i]]
        a, b = offsets[i], offsets[i + 1]
        ra, rb = offsets[r], offsets[r + 1]
        if b - a != rb - ra:
            return False
        for k in range(b - a):
            if data[a + k] != data[ra + k]:
                return False
    return True


@njit(cache=True)
def _edge_bytes_need_trim(offsets: np.ndarray, data: np.ndarray) -> bool:
    for i in range(len(offsets) - 1):
        a, b = offsets[i], offsets[i + 1]
        if b > a:
            c, d = data[a], data[b - 1]
            # ASCII space and control characters, or any non-ASCII byte (Unicode whitespace is multi-byte)
            if c <= 32 or c >= 128 or d <= 32 or d >= 128:
                return True
    return False


def _chunks(col: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return list(col.chunks) if isinstance(col, pa.ChunkedArray) else [col]


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (sliced to the array) and the data bytes of a string or large_string array."""
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=off_type)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(1, dtype=np.uint8)
    return offsets, data


def _one_array(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One array (chunks copied together: a call per chunk costs more than the copy)."""
    if isinstance(col, pa.ChunkedArray):
        return col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    return col


def hash_strings(col: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of every string (nulls hash like ``""``)."""
    arr = _one_array(col)
    out = np.empty(len(arr), dtype=np.uint64)
    if len(arr):
        _hash_into(*_buffers(arr), out)
    return out


def trim(col: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``pc.utf8_trim_whitespace``, skipped where no string starts or ends with a byte it could remove."""
    for chunk in _chunks(col):
        if len(chunk) and _edge_bytes_need_trim(*_buffers(chunk)):
            return pc.utf8_trim_whitespace(col)
    return col


def encode(col: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """``(codes, values)``: int32 codes into the distinct values, numbered in order of first appearance (as
    ``pc.dictionary_encode`` numbers them). The column must hold no nulls (a null would read as ``""``)."""
    if len(col) == 0:
        return np.zeros(0, dtype=np.int32), pa.array([], col.type)
    arr = _one_array(col)
    n = len(arr)
    k1, k2 = np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.uint64)
    long = np.empty(n, dtype=np.bool_)
    offsets, data = _buffers(arr)
    _keys_into(offsets, data, k1, k2, long)
    codes, first = _first_seen_codes(k1, k2)
    if not long.any() or _long_equal_to_codes(offsets, data, long, codes, first):
        return codes, arr.take(pa.array(first))
    enc = pc.dictionary_encode(arr)  # two long strings with the same hashes: Arrow's exact hash table
    return np.asarray(enc.indices.to_numpy(), dtype=np.int32), enc.dictionary


def all_distinct(col: pa.Array | pa.ChunkedArray, keep: np.ndarray | None = None) -> bool:
    """Whether the strings (those where ``keep``) are all distinct; ``False`` may also mean a hash collision."""
    h = hash_strings(col)
    h = np.sort(h if keep is None else h[keep])
    return not bool((h[1:] == h[:-1]).any())
