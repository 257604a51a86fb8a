import numpy as np
import pandas as pd
import pytest

from junkan.errors import JunkanInputError
from junkan.scan import read_ledger


def write(tmp_path, text, name="l.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_csv_roundtrip(tmp_path):
    p = write(
        tmp_path,
        "id,timestamp,src,dst,amount,currency,memo\n"
        "t1,2024-01-01,Acme, Agency ,100.50,eur,advertising fee\n"
        't2,2024-01-02T10:00:00+02:00,Agency,Acme,"1,000",EUR,licence\n',
    )
    led = read_ledger(p)
    assert len(led) == 2
    assert led.ids.to_pylist() == ["t1", "t2"]
    assert sorted(led.accounts.to_pylist()) == ["Acme", "Agency"]  # whitespace trimmed
    names = led.accounts.to_pylist()
    assert [names[i] for i in led.src] == ["Acme", "Agency"]
    assert led.amount.tolist() == [100.5, 1000.0]
    # +02:00 is converted to UTC
    assert led.t[1] == pd.Timestamp("2024-01-02T08:00:00Z").value
    assert led.t[0] == pd.Timestamp("2024-01-01T00:00:00Z").value
    assert led.kind is not None and led.kind.to_pylist() == ["advertising fee", "licence"]  # memo -> kind
    assert led.currencies.to_pylist()[led.currency[0]] == "EUR" and led.currency[0] == led.currency[1]


def test_parquet_and_column_mapping(tmp_path):
    df = pd.DataFrame(
        {
            "txn": ["a", "b"],
            "when": pd.to_datetime(["2024-03-01 09:00", "2024-03-02 09:00"]),
            "payer": ["X", "Y"],
            "payee": ["Y", "X"],
            "value": [10, 9],
        }
    )
    p = tmp_path / "l.parquet"
    df.to_parquet(p)
    led = read_ledger(p, columns={"id": "txn", "timestamp": "when", "src": "payer", "dst": "payee", "amount": "value"})
    assert led.ids.to_pylist() == ["a", "b"]
    assert led.t.tolist() == [pd.Timestamp("2024-03-01 09:00").value, pd.Timestamp("2024-03-02 09:00").value]
    assert led.amount.dtype == np.float64 and led.amount.tolist() == [10.0, 9.0]


def test_bad_rows_reported_by_line(tmp_path):
    p = write(
        tmp_path,
        "id,timestamp,src,dst,amount\n"
        "1,2024-01-01,a,b,100\n"
        "2,yesterday,b,a,99\n"
        "3,2024-01-03,,a,5\n"
        "4,2024-01-04,b,a,abc\n"
        "5,2024-01-05,b,a,-3\n"
        "1,2024-01-06,b,a,4\n",
    )
    with pytest.raises(JunkanInputError) as exc:
        read_ledger(p)
    got = [(pr.line, pr.field, pr.message.split(" (")[0]) for pr in exc.value.problems]
    assert got == [
        (3, "timestamp", "not a date or time"),
        (4, "src", "empty account"),
        (5, "amount", "not a number"),
        (6, "amount", "amount must be positive"),
        (2, "id", "duplicate transaction id"),
        (7, "id", "duplicate transaction id"),
    ]
    assert all(pr.file == str(p) for pr in exc.value.problems)


def test_missing_column_and_file(tmp_path):
    p = write(tmp_path, "id,timestamp,src,amount\n1,2024-01-01,a,3\n")
    with pytest.raises(JunkanInputError, match="missing required column 'dst'"):
        read_ledger(p)
    with pytest.raises(JunkanInputError, match="no such file"):
        read_ledger(tmp_path / "nope.csv")
    with pytest.raises(JunkanInputError, match="unknown ledger format"):
        read_ledger(write(tmp_path, "x", name="l.xlsx"))
    with pytest.raises(JunkanInputError, match="not in the file"):
        read_ledger(p, columns={"dst": "to"})


def test_many_bad_rows_are_capped(tmp_path):
    lines = ["id,timestamp,src,dst,amount"] + [f"{i},2024-01-01,a,b,x" for i in range(80)]
    with pytest.raises(JunkanInputError) as exc:
        read_ledger(write(tmp_path, "\n".join(lines) + "\n"))
    assert len(exc.value.problems) == 51
    assert "30 more problems" in exc.value.problems[-1].message


def test_line_numbers_count_blank_lines_and_multiline_values(tmp_path):
    p = write(
        tmp_path,
        "id,timestamp,src,dst,amount,kind\n"
        "1,2024-01-01,a,b,100,x\n"
        "\n"
        '2,2024-01-02,b,a,99,"two\nlines"\n'
        "3,2024-01-03,a,b,oops,x\n"
        "4,2024-01-04,a,b,5\n"
        "5,nope,a,b,5,x\n",
    )
    with pytest.raises(JunkanInputError) as exc:
        read_ledger(p)
    got = [(pr.line, pr.field, pr.message.split(" (")[0]) for pr in exc.value.problems]
    assert got == [
        (7, None, "row has 5 cells but the header has 6 columns"),
        (8, "timestamp", "not a date or time"),
        (6, "amount", "not a number"),
    ]


def test_well_formed_and_lenient_values_read_alike(tmp_path):
    """The one-cast fast path and the per-value path give the same numbers."""
    plain = write(
        tmp_path,
        "id,timestamp,src,dst,amount\n1,2024-01-01T09:30:00,a,b,1000.25\n2,2024-01-02,b,a,7\n",
        name="plain.csv",
    )
    mixed = write(
        tmp_path,
        'id,timestamp,src,dst,amount\n1,2024-01-01T10:30:00+01:00,a,b,"$1,000.25"\n2,2024-01-02T00:00:00Z,b,a,7\n',
        name="mixed.csv",
    )
    a, b = read_ledger(plain), read_ledger(mixed)
    assert (
        a.t.tolist()
        == b.t.tolist()
        == [pd.Timestamp("2024-01-01T09:30Z").value, pd.Timestamp("2024-01-02T00:00Z").value]
    )
    assert a.amount.tolist() == b.amount.tolist() == [1000.25, 7.0]


@pytest.mark.parametrize(("name", "sep"), [("l.csv", ";"), ("l.tsv", "\t"), ("l.csv", "|")])
def test_other_separators(tmp_path, name, sep):
    text = "id,timestamp,src,dst,amount\n1,2024-01-01,a,b,10\n2,2024-01-02,b,a,9\n".replace(",", sep)
    led = read_ledger(write(tmp_path, text, name=name))
    assert led.ids.to_pylist() == ["1", "2"] and led.amount.tolist() == [10.0, 9.0]


def test_gzip_and_empty_file(tmp_path):
    import gzip

    p = tmp_path / "l.csv.gz"
    p.write_bytes(gzip.compress(b"id,timestamp,src,dst,amount\n1,2024-01-01,a,b,10\n"))
    assert read_ledger(p).amount.tolist() == [10.0]
    with pytest.raises(JunkanInputError, match="empty"):
        read_ledger(write(tmp_path, ""))


def test_not_utf8_names_the_line(tmp_path):
    p = tmp_path / "l.csv"
    p.write_bytes(b"id,timestamp,src,dst,amount\n1,2024-01-01,a,b,10\n2,2024-01-02,Soci\xe9t\xe9,a,9\n")
    with pytest.raises(JunkanInputError) as exc:
        read_ledger(p)
    (problem,) = exc.value.problems
    assert (problem.line, problem.message) == (3, "not UTF-8 text (save the file as UTF-8)")
