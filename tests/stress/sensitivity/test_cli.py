"""``junkan stress --sensitivity``: a bad engine exits 2 with the field named, nothing printed on stdout."""

from __future__ import annotations

import pytest

from junkan.cli import main


def test_bad_engine_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["stress", "--runs", "5", "--sensitivity", "--samples", "2", "--engine", "dask", "--format", "json"])
    out = capsys.readouterr()
    assert exc.value.code == 2
    assert "engine must be one of local, spark" in out.err
    assert out.out == ""
