"""The deal ledger: schema, loading with clear errors, and the :class:`Ledger` container."""

from junkan.ledger.asof import Attribution
from junkan.ledger.model import Ledger
from junkan.ledger.schema import (
    DEAL_KINDS,
    Amount,
    Confidence,
    DatasetInfo,
    Deal,
    DealKind,
    Entity,
    EntityEvent,
    Financial,
    FlowNature,
    FxRate,
    Schedule,
    Source,
    Status,
    StatusEvent,
)

__all__ = [
    "DEAL_KINDS",
    "Amount",
    "Attribution",
    "Confidence",
    "DatasetInfo",
    "Deal",
    "DealKind",
    "Entity",
    "EntityEvent",
    "Financial",
    "FlowNature",
    "FxRate",
    "Ledger",
    "Schedule",
    "Source",
    "Status",
    "StatusEvent",
]
