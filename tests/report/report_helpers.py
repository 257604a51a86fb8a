"""A small hand-made ledger for the report tests, with values worked out by hand.

Deals (US dollars)::

    inv   2024-03-01  v -> c  equity investment  100 (40 drawn)
    buy   2025-02-01  c -> v  hardware purchase  150 (150 drawn, closed)
    loan  2025-06-01  l -> c  loan                30 (nothing drawn; low confidence; a claim judged wrong)
    gone  2025-07-01  c -> x  hardware purchase  500 (cancelled: left out of the money)

Hand calculations:

* committed = 100 + 150 + 30 = 280; drawn = 40 + 150 + 0 = 190 (the cancelled deal is left out).
* One cycle, v -> c -> v, bottleneck min(100, 150) = 100, time-respecting (2024-03 before 2025-02).
* Own-money share (proportional tracing, no outside money): l lends 30 with nothing that can reach it, so its loan is
  unfunded; c receives 130 and pays 150, so 20 more is unfunded (c's pool is 150), all of it paid to v. Every dollar
  v sends c comes back: v gets 100 of its 150 receipts back and the other 50 (20 + 30) are unfunded: own-money share
  100 / (150 - 50) = 1 (2/3 of all receipts). v's pool is 150, 100 of which goes to c, so 100 of what c sends comes
  back to c; c's payments are funded 130/150, so 260/3 is c's own money and 40/3 its unfunded promise; with l's 30:
  own-money share (260/3) / (130 - 40/3 - 30) = 1 (2/3 of c's receipts). (Before unfunded money was separated, the
  20 counted as c's "own funds" and l's 30 as l's, and the shares were 2/3 for v and 10/13 for c.)
"""

from __future__ import annotations

import datetime as dt

from junkan.ledger import Amount, Deal, Ledger, Source
from junkan.ledger.schema import Claim

SRC = [Source(url="https://example.org/filing", title="A filing", kind="filing")]
NEWS = [Source(url="https://news.example.com/story", title="A story", kind="news")]

COMMITTED = 280.0
DRAWN = 190.0
SHARE_V = 1.0
SHARE_C = 1.0
SHARE_OF_RECEIPTS_V = 2 / 3


def _deal(did: str, payer: str, payee: str, value: float, when: str, kind: str, **kw: object) -> Deal:
    amount = Amount(value=value, drawn=kw.pop("drawn", None))
    base = {
        "id": did,
        "date": dt.date.fromisoformat(when),
        "kind": kind,
        "payer": payer,
        "payee": payee,
        "amount": amount,
        "status": "signed",
        "confidence": "high",
        "sources": SRC,
        "title": f"deal {did}",
    }
    base.update(kw)
    return Deal.model_validate(base)


def small_ledger() -> Ledger:
    """The ledger of the module docstring."""
    deals = [
        _deal("inv", "v", "c", 100, "2024-03-01", "equity_investment", drawn=40, legs=["buy"]),
        _deal("buy", "c", "v", 150, "2025-02-01", "hardware_purchase", drawn=150, status="closed"),
        _deal(
            "loan",
            "l",
            "c",
            30,
            "2025-06-01",
            "loan",
            confidence="low",
            sources=NEWS,
            claims=[Claim(text="L lent C a billion.", verdict="wrong", note="It was 30.")],
        ),
        _deal("gone", "c", "x", 500, "2025-07-01", "hardware_purchase", status="cancelled"),
    ]
    return Ledger.build(deals, create_missing_entities=True)
