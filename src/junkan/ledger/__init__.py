"""The deal ledger: schema, loading with clear errors, and the :class:`Ledger` container."""

from junkan.ledger.model import Ledger
from junkan.ledger.schema import (
    DEAL_KINDS,
    Amount,
    Confidence,
    DatasetInfo,
    Deal,
    DealKind,
    Entity,
    Financial,
    FlowNature,
    FxRate,
    Schedule,
    Source,
    Status,
)

__all__ = [
    "DEAL_KINDS",
    "Amount",
    "Confidence",
    "DatasetInfo",
    "Deal",
    "DealKind",
    "Entity",
    "Financial",
    "FlowNature",
    "FxRate",
    "Ledger",
    "Schedule",
    "Source",
    "Status",
]
