"""Precision and recall of alerts against a synthetic ledger's ground truth.

Matching rule: a planted pattern is **recalled** when some alert contains at least half of its transactions; an alert
is a **true positive** when at least half of its transactions belong to one planted pattern. Precision = true-positive
alerts / alerts; recall = recalled patterns / planted patterns. Restricted to the patterns scanned for (``patterns``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from junkan.scan.alerts import Alert


@dataclass(frozen=True)
class Evaluation:
    """Counts and rates of one comparison, overall and per typology (recall) / pattern (precision)."""

    alerts: int
    true_alerts: int
    planted: int
    recalled: int
    recall_by_typology: dict[str, float]
    precision_by_pattern: dict[str, float]

    @property
    def precision(self) -> float:
        """True-positive alerts / alerts (1.0 when there are no alerts)."""
        return self.true_alerts / self.alerts if self.alerts else 1.0

    @property
    def recall(self) -> float:
        """Recalled planted patterns / planted patterns (1.0 when none were planted)."""
        return self.recalled / self.planted if self.planted else 1.0


def evaluate(alerts: Sequence[Alert], truth: pd.DataFrame, patterns: Iterable[str]) -> Evaluation:
    """Compare ``alerts`` with ``truth`` (columns ``pattern_id, typology, expected_pattern, transaction``)."""
    wanted = set(patterns)
    truth = truth[truth["expected_pattern"].isin(wanted)]
    owner = dict(zip(truth["transaction"], truth["pattern_id"], strict=True))
    size = {int(k): int(v) for k, v in truth.groupby("pattern_id").size().items()}  # type: ignore[call-overload]
    typology = {int(k): str(v) for k, v in truth.groupby("pattern_id")["typology"].first().items()}  # type: ignore[call-overload]
    alerts = [a for a in alerts if a.pattern in wanted]
    best: dict[int, int] = {}
    true_alerts = 0
    tp_by: Counter[str] = Counter()
    n_by: Counter[str] = Counter()
    for a in alerts:
        n_by[a.pattern] += 1
        hits = Counter(owner[x] for x in a.transactions if x in owner)
        for pid, c in hits.items():
            best[pid] = max(best.get(pid, 0), c)
        if hits and 2 * max(hits.values()) >= len(a.transactions):
            true_alerts += 1
            tp_by[a.pattern] += 1
    recalled = {pid for pid, n in size.items() if 2 * best.get(pid, 0) >= n}
    rec_by: dict[str, list[int]] = {}
    for pid, typ in typology.items():
        rec_by.setdefault(typ, []).append(int(pid in recalled))
    return Evaluation(
        alerts=len(alerts),
        true_alerts=true_alerts,
        planted=len(size),
        recalled=len(recalled),
        recall_by_typology={k: sum(v) / len(v) for k, v in sorted(rec_by.items())},
        precision_by_pattern={k: tp_by[k] / n_by[k] for k in sorted(n_by)},
    )
