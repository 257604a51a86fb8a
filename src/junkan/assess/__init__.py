"""Assessment: forensic accounting metrics and the SEC XBRL "companyfacts" importer."""

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
from junkan.assess.xbrl import CompanyFacts, fetch_companyfacts, load_companyfacts, parse_companyfacts

__all__ = [
    "BeneishResult",
    "CompanyFacts",
    "DechowResult",
    "DsoTrend",
    "Metric",
    "Statement",
    "accruals_ratio",
    "beneish_mscore",
    "cash_conversion",
    "days_sales_outstanding",
    "dechow_fscore",
    "dso_trend",
    "fetch_companyfacts",
    "load_companyfacts",
    "parse_companyfacts",
]
