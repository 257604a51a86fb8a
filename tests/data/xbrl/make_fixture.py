"""Write ``companyfacts_fixture.json``: a small, SYNTHETIC SEC companyfacts document for the importer's tests.

The company, its CIK (9999999) and every figure are invented; only the structure follows SEC's published schema
(https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json). It contains what real documents contain and the
importer must handle:

* three 10-K filings (FY2022, FY2023, FY2024), each reporting its own year and the prior year as comparatives
  under the *filing's* ``fy`` (so FY2022 figures appear twice, once with fy 2022 and once with fy 2023);
* a restatement: FY2023 revenue is 1,200M in the FY2023 10-K and 1,180M in the FY2024 10-K;
* a tag switch: revenue is ``SalesRevenueNet`` in the FY2022 10-K, then
  ``RevenueFromContractWithCustomerExcludingAssessedTax``;
* a fourth-quarter revenue fact (3-month duration) inside the FY2023 10-K, and 10-Q facts (fp Q1), to be ignored;
* a ``dei`` share count (unit ``shares``) to be ignored; ``frame`` only on the latest fact of a period.

Run ``python tests/data/xbrl/make_fixture.py`` to regenerate; the tests read the JSON only.
"""

from __future__ import annotations

import json
from pathlib import Path

M = 1_000_000
CIK = 9999999
# fiscal year -> (start, end); calendar years
YEARS = {
    2021: ("2021-01-01", "2021-12-31"),
    2022: ("2022-01-01", "2022-12-31"),
    2023: ("2023-01-01", "2023-12-31"),
    2024: ("2024-01-01", "2024-12-31"),
}
FILINGS = {  # filing fiscal year -> (accession, filed, years it reports)
    2022: ("0009999999-23-000005", "2023-02-21", (2022, 2021)),
    2023: ("0009999999-24-000007", "2024-02-20", (2023, 2022)),
    2024: ("0009999999-25-000004", "2025-02-19", (2024, 2023)),
}
# concept -> (kind, {fiscal year: value in $M}); kind "flow" has a start date, "stock" is an instant
DATA = {
    "CostOfRevenue": ("flow", {2021: 480, 2022: 600, 2023: 700, 2024: 900}),
    "SellingGeneralAndAdministrativeExpense": ("flow", {2021: 120, 2022: 150, 2023: 170, 2024: 190}),
    "DepreciationDepletionAndAmortization": ("flow", {2021: 40, 2022: 50, 2023: 60, 2024: 64}),
    "NetIncomeLoss": ("flow", {2021: 60, 2022: 80, 2023: 110, 2024: 160}),
    "NetCashProvidedByUsedInOperatingActivities": ("flow", {2021: 90, 2022: 100, 2023: 95, 2024: 70}),
    "OperatingIncomeLoss": ("flow", {2021: 90, 2022: 120, 2023: 160, 2024: 220}),
    "PaymentsToAcquirePropertyPlantAndEquipment": ("flow", {2021: 70, 2022: 90, 2023: 100, 2024: 80}),
    "ProceedsFromIssuanceOfLongTermDebt": ("flow", {2022: 30, 2023: 50, 2024: 160}),
    "AccountsReceivableNetCurrent": ("stock", {2021: 100, 2022: 130, 2023: 180, 2024: 300}),
    "InventoryNet": ("stock", {2021: 80, 2022: 90, 2023: 120, 2024: 180}),
    "CashAndCashEquivalentsAtCarryingValue": ("stock", {2021: 150, 2022: 160, 2023: 150, 2024: 120}),
    "MarketableSecuritiesCurrent": ("stock", {2021: 50, 2022: 60, 2023: 40, 2024: 30}),
    "AssetsCurrent": ("stock", {2021: 500, 2022: 600, 2023: 700, 2024: 900}),
    "PropertyPlantAndEquipmentNet": ("stock", {2021: 300, 2022: 350, 2023: 400, 2024: 420}),
    "LongTermInvestments": ("stock", {2021: 40, 2022: 45, 2023: 50, 2024: 60}),
    "Assets": ("stock", {2021: 1000, 2022: 1200, 2023: 1400, 2024: 1700}),
    "LiabilitiesCurrent": ("stock", {2021: 250, 2022: 300, 2023: 340, 2024: 420}),
    "LongTermDebtCurrent": ("stock", {2021: 20, 2022: 25, 2023: 30, 2024: 50}),
    "LongTermDebtNoncurrent": ("stock", {2021: 200, 2022: 220, 2023: 260, 2024: 400}),
    "Liabilities": ("stock", {2021: 500, 2022: 560, 2023: 650, 2024: 880}),
}
LABELS = {
    "SalesRevenueNet": "Revenues, Net",
    "RevenueFromContractWithCustomerExcludingAssessedTax": (
        "Revenue from Contract with Customer, Excluding Assessed Tax"
    ),
}


def fact(fy_filing: int, year: int, value: float, kind: str, frame: bool) -> dict[str, object]:
    accn, filed, _ = FILINGS[fy_filing]
    start, end = YEARS[year]
    out: dict[str, object] = {}
    if kind == "flow":
        out["start"] = start
    out.update(
        {"end": end, "val": int(value * M), "accn": accn, "fy": fy_filing, "fp": "FY", "form": "10-K", "filed": filed}
    )
    if frame:
        out["frame"] = f"CY{year}" if kind == "flow" else f"CY{year}Q4I"
    return out


def series(
    values: dict[int, float], kind: str, filings: tuple[int, ...] = (2022, 2023, 2024)
) -> list[dict[str, object]]:
    """Facts of every filing for every year it reports; ``frame`` on the latest filing of each year."""
    rows = []
    latest = {
        y: max(f for f in filings if y in FILINGS[f][2]) for y in values if any(y in FILINGS[f][2] for f in filings)
    }
    for f in filings:
        for y in FILINGS[f][2]:
            if y in values:
                rows.append(fact(f, y, values[y], kind, frame=latest.get(y) == f))
    return rows


def build() -> dict[str, object]:
    gaap: dict[str, object] = {}
    for concept, (kind, values) in DATA.items():
        gaap[concept] = {
            "label": concept,
            "description": f"Synthetic fixture values for {concept}.",
            "units": {"USD": series(values, kind)},
        }
    # revenue: SalesRevenueNet in the FY2022 10-K only; ASC 606 tag afterwards, with FY2023 restated in the FY2024 10-K
    gaap["SalesRevenueNet"] = {
        "label": LABELS["SalesRevenueNet"],
        "description": "Synthetic.",
        "units": {"USD": series({2021: 800, 2022: 1000}, "flow", filings=(2022,))},
    }
    asc606 = series({2022: 1000, 2023: 1200}, "flow", filings=(2023,))
    restated = series({2023: 1180, 2024: 1500}, "flow", filings=(2024,))
    for r in asc606:  # frame belongs to the latest filing of FY2023 (the restatement)
        if r["end"] == "2023-12-31":
            r.pop("frame", None)
    q4 = {
        "start": "2023-10-01",
        "end": "2023-12-31",
        "val": 350 * M,
        "accn": FILINGS[2023][0],
        "fy": 2023,
        "fp": "FY",
        "form": "10-K",
        "filed": FILINGS[2023][1],
        "frame": "CY2023Q4",
    }
    q1 = {
        "start": "2024-01-01",
        "end": "2024-03-31",
        "val": 340 * M,
        "accn": "0009999999-24-000011",
        "fy": 2024,
        "fp": "Q1",
        "form": "10-Q",
        "filed": "2024-05-02",
        "frame": "CY2024Q1",
    }
    gaap["RevenueFromContractWithCustomerExcludingAssessedTax"] = {
        "label": LABELS["RevenueFromContractWithCustomerExcludingAssessedTax"],
        "description": "Synthetic.",
        "units": {"USD": [*asc606, q4, *restated, q1]},
    }
    # a 10-Q balance (not a fiscal-year end) to be ignored
    ar = gaap["AccountsReceivableNetCurrent"]["units"]["USD"]  # type: ignore[index]
    ar.append(
        {
            "end": "2024-03-31",
            "val": 210 * M,
            "accn": "0009999999-24-000011",
            "fy": 2024,
            "fp": "Q1",
            "form": "10-Q",
            "filed": "2024-05-02",
            "frame": "CY2024Q1I",
        }
    )
    dei = {
        "EntityCommonStockSharesOutstanding": {
            "label": "Entity Common Stock, Shares Outstanding",
            "description": "Synthetic.",
            "units": {
                "shares": [
                    {
                        "end": "2025-02-10",
                        "val": 250_000_000,
                        "accn": FILINGS[2024][0],
                        "fy": 2024,
                        "fp": "FY",
                        "form": "10-K",
                        "filed": FILINGS[2024][1],
                    }
                ]
            },
        }
    }
    return {"cik": CIK, "entityName": "Junkan Fixture Corp", "facts": {"dei": dei, "us-gaap": gaap}}


if __name__ == "__main__":
    out = Path(__file__).with_name("companyfacts_fixture.json")
    out.write_text(json.dumps(build(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
