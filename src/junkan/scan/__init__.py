"""Round trips in transaction ledgers: time-ordered cycles, scatter-gather, gather-scatter and fans.

>>> from junkan.scan import read_ledger, scan, ScanParams, parse_duration
>>> result = scan(read_ledger("ledger.csv"), ScanParams(window_ns=parse_duration("90d")))  # doctest: +SKIP
>>> result.to_frame()  # doctest: +SKIP

Definitions of cycle, tolerance, window, grouping and score: :mod:`junkan.scan.params`, :mod:`junkan.scan.patterns`,
:mod:`junkan.scan.alerts` and ``docs/scan.md``.
"""

from junkan.scan.alerts import Alert
from junkan.scan.detect import ENGINES, ScanResult, scan
from junkan.scan.evaluate import Evaluation, evaluate
from junkan.scan.params import DEFAULT_PATTERNS, PATTERNS, ScanParams, parse_duration
from junkan.scan.reader import TxnLedger, ledger_from_records, ledger_from_table, read_ledger
from junkan.scan.synth import SynthLedger, synth_ledger

__all__ = [
    "DEFAULT_PATTERNS",
    "ENGINES",
    "PATTERNS",
    "Alert",
    "Evaluation",
    "ScanParams",
    "ScanResult",
    "SynthLedger",
    "TxnLedger",
    "evaluate",
    "ledger_from_records",
    "ledger_from_table",
    "parse_duration",
    "read_ledger",
    "scan",
    "synth_ledger",
]
