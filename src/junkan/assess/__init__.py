"""Assessment: the circular-trading scorecard, forensic accounting metrics and the SEC XBRL "companyfacts" importer."""

from junkan.assess.cases import Case, arrangements, dataset_case, party_cases
from junkan.assess.forensic import (
    BeneishResult,
    DechowResult,
    DsoTrend,
    Metric,
    Statement,
    accruals_ratio,
    beneish_mscore,
    cash_conversion,
    days_sales_outstanding,
    dechow_fscore,
    dso_trend,
)
from junkan.assess.indicators import Indicator
from junkan.assess.scorecard import (
    CANNOT_PAY,
    HISTORICAL,
    INSUFFICIENT,
    MARKET,
    REGIONS,
    ROUND_TRIP,
    CaseScore,
    Scorecard,
    score_case,
    scorecard,
)
from junkan.assess.thresholds import THRESHOLD_NOTES, Band, Thresholds, Weights
from junkan.assess.xbrl import CompanyFacts, fetch_companyfacts, load_companyfacts, parse_companyfacts

__all__ = [
    "CANNOT_PAY",
    "HISTORICAL",
    "INSUFFICIENT",
    "MARKET",
    "REGIONS",
    "ROUND_TRIP",
    "THRESHOLD_NOTES",
    "Band",
    "BeneishResult",
    "Case",
    "CaseScore",
    "CompanyFacts",
    "DechowResult",
    "DsoTrend",
    "Indicator",
    "Metric",
    "Scorecard",
    "Statement",
    "Thresholds",
    "Weights",
    "accruals_ratio",
    "arrangements",
    "beneish_mscore",
    "cash_conversion",
    "dataset_case",
    "days_sales_outstanding",
    "dechow_fscore",
    "dso_trend",
    "fetch_companyfacts",
    "load_companyfacts",
    "parse_companyfacts",
    "party_cases",
    "score_case",
    "scorecard",
]
