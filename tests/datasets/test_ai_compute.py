"""Checks on the bundled ``ai-compute`` deals and entities (src/junkan/datasets/ai-compute/).

The ledger is built from the YAML files with the schema models and :meth:`Ledger.build`, which enforces referential
integrity (unknown parties, legs naming no deal, duplicate ids). When the loader (``junkan.ledger.load``) is present
the same dataset is also loaded through ``junkan.load("ai-compute")`` and must give the same deals.

Exact values are the figures printed in the cited sources, converted to dollars: NVIDIA's letter of intent is "up to
$100 billion" at $10B per GW for 10 GW (openai.com, 22 Sep 2025); AMD's warrant is for 160,000,000 shares at $0.01
(AMD 8-K exhibit 4.1); OpenAI's Oracle contract is $300B (WSJ); Microsoft's 10-Q gives $13B of funding commitments of
which $11.6B was funded at 30 Sep 2025, and $250B of incremental Azure purchases by OpenAI; NVIDIA buys $5B of Intel
stock (Intel 8-K Ex. 99.1); Microsoft rents CoreWeave servers for nearly $10B over 2023-2030 (The Information). xAI's
Series E is recorded with committed 0 because the dataset treats it as the same money as the Colossus 2 SPV legs.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import statistics
from pathlib import Path
from typing import Any

import pytest
import yaml

from junkan.ledger.model import Ledger
from junkan.ledger.schema import (
    Confidence,
    DatasetInfo,
    Deal,
    DealKind,
    Entity,
    Financial,
    Status,
)

ROOT = Path(__file__).resolve().parents[2] / "src" / "junkan" / "datasets" / "ai-compute"

MAIN_IDS = [
    "nvidia", "microsoft", "oracle", "amd", "alphabet", "amazon", "meta", "coreweave", "openai", "anthropic", "xai",
    "softbank", "broadcom", "intel", "nebius", "lambda", "crusoe", "blue-owl", "stargate", "mgx",
    "xai-colossus2-spv", "valor-equity-partners", "cisco",
]  # fmt: skip


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader keeping dates as strings, as junkan's loader does (an unquoted ``period: 2026-02-12`` is a label)."""


_PlainLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader)


def _read(name: str) -> Any:
    return _load(ROOT / name)


def _build() -> Ledger:
    info = DatasetInfo.model_validate(_read("dataset.yaml"))
    entities = [Entity.model_validate(e) for e in _read("entities.yaml")]
    for path in sorted((ROOT / "entities").glob("*.yaml")):
        entities.extend(Entity.model_validate(e) for e in _load(path))
    deals: list[Deal] = []
    for path in sorted((ROOT / "deals").glob("*.yaml")):
        deals.extend(Deal.model_validate(d) for d in _load(path))
    financials: list[Financial] = []
    if (ROOT / "financials.yaml").exists():
        financials = [Financial.model_validate(f) for f in _read("financials.yaml")]
    for path in sorted((ROOT / "financials").glob("*.yaml")):
        financials.extend(Financial.model_validate(f) for f in _load(path))
    return Ledger.build(deals, entities, financials, info=info, origin=str(ROOT))


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return _build()


@pytest.fixture(scope="module")
def deals(ledger: Ledger) -> dict[str, Deal]:
    return {d.id: d for d in ledger.deals}


def _linked(deals: dict[str, Deal], a: str, b: str) -> bool:
    return b in deals[a].legs and a in deals[b].legs


def _text(d: Deal) -> str:
    return " ".join(filter(None, [d.title, d.notes, d.amount.basis, d.schedule.notes if d.schedule else None]))


# --------------------------------------------------------------------------------------------------------- coverage
def test_counts_and_years(ledger: Ledger) -> None:
    parties = {p for d in ledger.deals for p in (d.payer, d.payee)}
    years = {d.date.year for d in ledger.deals}
    assert len(ledger.deals) >= 60
    assert len(parties) >= 25
    assert min(years) == 2019 and max(years) == 2026
    first = ledger.deals[0]
    assert (first.id, first.date, first.amount.value) == ("msft-openai-2019", dt.date(2019, 7, 22), 1e9)


def test_dataset_info(ledger: Ledger) -> None:
    assert ledger.info.name == "ai-compute"
    assert ledger.info.as_of is not None
    assert ledger.info.as_of >= max(d.date for d in ledger.deals)


def test_main_entity_ids_and_aliases(ledger: Ledger) -> None:
    assert set(MAIN_IDS) <= set(ledger.entities)
    alias_to_id = {a.lower(): e.id for e in ledger.entities.values() for a in e.aliases}
    assert alias_to_id["aws"] == "amazon"
    assert alias_to_id["google"] == "alphabet"
    assert alias_to_id["azure"] == "microsoft"
    assert ledger.entities["xai-colossus2-spv"].kind.value == "spv"
    assert ledger.entities["stargate"].kind.value == "joint_venture"


def test_every_deal_has_an_https_source(ledger: Ledger) -> None:
    for d in ledger.deals:
        assert any(s.url.startswith("https://") for s in d.sources), d.id
        for claim in d.claims:
            assert claim.sources and all(s.url.startswith("https://") for s in claim.sources), d.id


def test_legs_are_symmetric(ledger: Ledger, deals: dict[str, Deal]) -> None:
    for d in ledger.deals:
        for leg in d.legs:
            assert d.id in deals[leg].legs, (d.id, leg)


def test_estimates_are_explained_and_not_high_confidence(ledger: Ledger) -> None:
    for d in ledger.deals:
        if d.amount.estimate:
            assert d.amount.basis, d.id
            assert d.confidence is not Confidence.high, d.id
        if d.confidence is Confidence.high:
            assert d.has_primary_source, d.id


def test_primary_source_share(ledger: Ledger) -> None:
    primary = sum(d.has_primary_source for d in ledger.deals)
    assert primary / len(ledger.deals) >= 0.2


# ------------------------------------------------------------------------------------------------- the arrangements
def test_nvidia_openai_letter_of_intent(deals: dict[str, Deal]) -> None:
    loi = deals["nvda-openai-loi-2025"]
    assert (loi.payer, loi.payee, loi.kind) == ("nvidia", "openai", DealKind.equity_investment)
    assert loi.amount.high == 100e9 and loi.amount.up_to and loi.amount.value is None
    assert loi.amount.committed_value == 0 and loi.amount.drawn_value == 0
    # announced -> on hold (10-Q, CFO, WSJ) -> replaced by the $30B equity stake of the February 2026 round
    assert [(e.date, e.status) for e in loi.status_history] == [
        (dt.date(2025, 9, 22), Status.announced),
        (dt.date(2025, 11, 19), Status.on_hold),
        (dt.date(2026, 1, 30), Status.on_hold),
        (dt.date(2026, 2, 27), Status.superseded),
    ]
    assert loi.status is Status.superseded and loi.superseded_by == "nvda-openai-equity-2026"
    assert loi.schedule is not None
    assert (loi.schedule.unit, loi.schedule.unit_amount, loi.schedule.units) == ("GW", 10e9, 10)
    assert loi.schedule.tranches[0].amount == 10e9
    assert loi.schedule.start is not None and loi.schedule.start.year == 2026
    assert any(c.verdict == "wrong" for c in loi.claims)
    purchase = deals["openai-nvda-systems-2025"]
    assert (purchase.payer, purchase.payee, purchase.status) == ("openai", "nvidia", Status.lapsed)
    assert purchase.status_history[-1].date == dt.date(2026, 3, 4) and purchase.superseded_by is None
    assert _linked(deals, "nvda-openai-loi-2025", "openai-nvda-systems-2025")
    assert _linked(deals, "nvda-openai-loi-2025", "nvda-openai-equity-2026")


def test_amd_warrant_and_mi450_commitment(deals: dict[str, Deal]) -> None:
    warrant = deals["amd-openai-warrant-2025"]
    assert (warrant.payer, warrant.payee, warrant.kind) == ("amd", "openai", DealKind.warrant_grant)
    assert "160M shares" in _text(warrant) or "160,000,000" in _text(warrant)
    assert warrant.schedule is not None and warrant.schedule.capacity_gw == 6
    mi450 = deals["openai-amd-mi450-2025"]
    assert (mi450.payer, mi450.payee, mi450.kind) == ("openai", "amd", DealKind.purchase_commitment)
    assert (mi450.amount.low, mi450.amount.high, mi450.confidence) == (10e9, 99e9, Confidence.low)
    assert _linked(deals, "amd-openai-warrant-2025", "openai-amd-mi450-2025")


def test_microsoft_openai_committed_and_drawn(deals: dict[str, Deal]) -> None:
    invest = [d for d in deals.values() if (d.payer, d.payee) == ("microsoft", "openai")]
    assert {d.id for d in invest} == {"msft-openai-2019", "msft-openai-2021-2023"}
    assert sum(d.amount.committed_value for d in invest) == pytest.approx(13e9)
    assert sum(d.amount.drawn_value for d in invest) == pytest.approx(11.6e9)
    azure = deals["openai-azure-250b-2025"]
    assert (azure.payer, azure.payee, azure.amount.value) == ("openai", "microsoft", 250e9)
    assert all(_linked(deals, d.id, "openai-azure-250b-2025") for d in invest)
    claim = deals["msft-openai-2021-2023"].claims[0]
    assert claim.verdict == "wrong" and "11.6B" in (claim.note or "")


def test_xai_spv_legs(deals: dict[str, Deal]) -> None:
    spv = "xai-colossus2-spv"
    legs = {
        "nvda-xai-spv-2025": ("nvidia", spv, DealKind.equity_investment),
        "valor-xai-spv-2025": ("valor-equity-partners", spv, DealKind.equity_investment),
        "lenders-xai-spv-2025": ("xai-spv-lenders", spv, DealKind.gpu_backed_debt),
        "spv-nvda-gpus-2025": (spv, "nvidia", DealKind.hardware_purchase),
        "xai-spv-lease-2025": ("xai", spv, DealKind.lease),
    }
    for deal_id, expected in legs.items():
        d = deals[deal_id]
        assert (d.payer, d.payee, d.kind) == expected
        assert set(legs) - {deal_id} <= set(d.legs), deal_id
    assert deals["nvda-xai-spv-2025"].amount.high == 2e9
    assert deals["lenders-xai-spv-2025"].amount.high == 12.5e9
    assert deals["xai-series-e-2026"].amount.value == 20e9
    assert deals["xai-series-e-2026"].date == dt.date(2026, 1, 6)


def test_xai_series_e_is_not_counted_twice(deals: dict[str, Deal]) -> None:
    """The Series E is treated as the close of the SPV round (Bloomberg Oct 2025, RTTNews Jan 2026): headline kept,
    committed 0, linked to the SPV's funding legs, so committed flows into xAI and its SPV total $20B, not $40B."""
    series_e = deals["xai-series-e-2026"]
    assert (series_e.amount.headline, series_e.amount.committed_value) == (20e9, 0)
    for leg in ("nvda-xai-spv-2025", "valor-xai-spv-2025", "lenders-xai-spv-2025"):
        assert _linked(deals, "xai-series-e-2026", leg)
    # the round's money, counted once: the SPV's three funding legs carry it, the Series E record carries 0
    round_ids = {"xai-series-e-2026", "nvda-xai-spv-2025", "valor-xai-spv-2025", "lenders-xai-spv-2025"}
    into_round = [d for d in deals.values() if d.id in round_ids]
    assert sum(d.amount.committed_value for d in into_round) == pytest.approx(2e9 + 5.5e9 + 12.5e9)
    # Tesla's $2B of Series E preferred stock (16 Jan 2026) is its own leg of the round
    tesla = deals["tesla-xai-equity-2026"]
    assert (tesla.payer, tesla.payee, tesla.amount.committed_value) == ("tesla", "xai", 2e9)
    assert _linked(deals, "xai-series-e-2026", "tesla-xai-equity-2026")
    assert series_e.claims[0].verdict == "disputed"


def test_coreweave_web(deals: dict[str, Deal]) -> None:
    backstop = deals["nvda-crwv-backstop-2025"]
    assert (backstop.kind, backstop.payer, backstop.amount.value) == (DealKind.capacity_backstop, "nvidia", 6.3e9)
    osprey = deals["nvda-crwv-osprey-2023"]
    assert (osprey.kind, osprey.payer, osprey.payee, osprey.amount.value) == (
        DealKind.lease,
        "nvidia",
        "coreweave",
        1.3e9,
    )
    assert _linked(deals, "crwv-nvda-gpus-2023", "crwv-ddtl1-2023")
    assert _linked(deals, "crwv-nvda-gpus-2023", "nvda-crwv-osprey-2023")
    debt = [d for d in deals.values() if d.payee == "coreweave" and d.kind is DealKind.gpu_backed_debt]
    assert {d.payer for d in debt} >= {"blackstone"} and len(debt) >= 3
    assert deals["crwv-ddtl1-2023"].amount.value == 2.3e9
    equity = [
        d for d in deals.values() if (d.payer, d.payee, d.kind) == ("nvidia", "coreweave", DealKind.equity_investment)
    ]
    assert sorted(d.amount.value or 0 for d in equity) == [100e6, 250e6, 2e9]
    jan_2026 = deals["nvda-crwv-2b-2026"]
    assert (jan_2026.date, jan_2026.amount.value) == (dt.date(2026, 1, 26), 2e9)
    customers = {d.payer for d in deals.values() if d.payee == "coreweave" and d.kind is DealKind.purchase_commitment}
    assert customers == {"openai", "microsoft", "meta"}
    openai_total = sum(d.amount.headline for d in deals.values() if (d.payer, d.payee) == ("openai", "coreweave"))
    assert openai_total == pytest.approx(22.4e9)
    assert deals["crwv-openai-stock-2025"].amount.value == 350e6


def test_core_scientific_cancelled(deals: dict[str, Deal]) -> None:
    d = deals["crwv-corz-2025"]
    assert d.status is Status.cancelled
    assert d.end_date == dt.date(2025, 10, 30)


def test_oracle_chain(deals: dict[str, Deal]) -> None:
    contract = deals["openai-oracle-300b-2025"]
    assert (contract.payer, contract.payee, contract.amount.value) == ("openai", "oracle", 300e9)
    assert contract.schedule is not None and contract.schedule.start == dt.date(2027, 1, 1)
    assert contract.schedule.capacity_gw == 4.5
    gpus = deals["oracle-nvda-40b-2025"]
    assert (gpus.payer, gpus.payee, gpus.amount.value) == ("oracle", "nvidia", 40e9)
    assert (deals["oracle-amd-mi450-2025"].payer, deals["oracle-amd-mi450-2025"].payee) == ("oracle", "amd")
    assert _linked(deals, "openai-oracle-300b-2025", "oracle-nvda-40b-2025")
    assert _linked(deals, "openai-oracle-300b-2025", "oracle-amd-mi450-2025")


def test_stargate_contributions(deals: dict[str, Deal]) -> None:
    jv = [d for d in deals.values() if d.payee == "stargate"]
    assert {d.payer for d in jv} == {"softbank", "openai", "oracle", "mgx"}
    assert all(d.kind is DealKind.joint_venture for d in jv)
    assert sum(d.amount.headline for d in jv) == pytest.approx(52e9)


def test_hyperion_joint_venture(deals: dict[str, Deal]) -> None:
    assert deals["blue-owl-hyperion-2025"].amount.value == 7e9
    assert _linked(deals, "blue-owl-hyperion-2025", "meta-hyperion-2025")
    assert deals["meta-hyperion-2025"].amount.estimate


def test_anthropic_commitments_and_equity(deals: dict[str, Deal]) -> None:
    azure, tpu, aws = (
        deals[i] for i in ("anthropic-azure-30b-2025", "anthropic-google-tpu-2025", "anthropic-aws-100b-2026")
    )
    assert (azure.payee, azure.amount.value) == ("microsoft", 30e9)
    assert (tpu.payee, tpu.amount.low, tpu.amount.high) == ("alphabet", 10e9, 99e9)
    # "tens of billions": committed at the floor, not the (10 + 99) / 2 = 54.5B midpoint
    assert tpu.amount.committed_value == 10e9 and tpu.amount.headline == 54.5e9
    assert tpu.confidence is Confidence.low
    assert (aws.payee, aws.amount.low) == ("amazon", 100e9)
    sellers = {d.payee for d in deals.values() if d.payer == "anthropic"}
    assert sellers == {"microsoft", "alphabet", "amazon", "broadcom", "fluidstack", "spacex", "akamai"}
    investors = {d.payer for d in deals.values() if d.payee == "anthropic" and d.kind is DealKind.equity_investment}
    rounds = {f"anthropic-series-{x}-investors" for x in "efgh"}
    assert investors == {"nvidia", "microsoft", "amazon", "alphabet"} | rounds
    assert deals["nvda-anthropic-2025"].amount.high == 10e9
    assert _linked(deals, "anthropic-azure-30b-2025", "nvda-anthropic-2025")


def test_anthropic_2026_release_corrections(deals: dict[str, Deal]) -> None:
    """Amazon's $1.25B (Sep 2023) + $2.75B (27 Mar 2024) = $4B drawn; Broadcom's $10B + $11B TPU rack orders."""
    amzn = deals["amzn-anthropic-2023"]
    assert (amzn.status, amzn.amount.drawn_value) == (Status.drawn, 4e9)
    events = [(e.date, e.status, e.drawn) for e in amzn.status_history]
    assert events == [(dt.date(2023, 9, 25), Status.closed, 1.25e9), (dt.date(2024, 3, 27), Status.drawn, 4e9)]
    racks = [
        d for d in deals.values() if (d.payer, d.payee, d.kind) == ("anthropic", "broadcom", DealKind.hardware_purchase)
    ]
    assert sorted(d.amount.headline for d in racks) == [10e9, 11e9]
    # Series H: $65B of which $15B is Amazon's $5B and Google's $10B, recorded in their own legs
    h = deals["anthropic-series-h-2026"]
    assert (h.amount.value, h.amount.committed_value) == (65e9, 50e9)
    assert deals["amzn-anthropic-2026"].amount.drawn_value == 5e9
    assert deals["goog-anthropic-2026"].amount.committed_value == 10e9
    assert deals["anthropic-fluidstack-2025"].amount.committed_value == 0


def test_google_backstops_and_warrants(deals: dict[str, Deal]) -> None:
    """Google backstops Fluidstack's site leases and gets the landlords' warrants at $0.01 a share."""
    wulf = deals["goog-fluidstack-wulf-backstop-2025"]
    assert [e.value for e in wulf.status_history] == [1.8e9, 3.2e9] and wulf.amount.value == 3.2e9
    assert deals["goog-fluidstack-cifr-backstop-2025"].amount.value == pytest.approx(1.4e9 + 0.333e9)
    # 41,011,803 + 32,568,197 = 73,580,000 TeraWulf warrant shares at $7.50 - $0.01
    assert deals["wulf-google-warrant-2025"].amount.value == pytest.approx(73_580_000 * 7.49, rel=1e-5)
    # 24,178,576 Cipher warrant shares (10-Q) at $12.20 - $0.01
    cifr = deals["cifr-google-warrant-2025"]
    assert cifr.amount.value == pytest.approx(24_178_576 * 12.19, rel=1e-5) and cifr.amount.high == 435e6
    assert {deals[i].kind for i in ("wulf-google-warrant-2025", "cifr-google-warrant-2025")} == {DealKind.warrant_grant}
    lease = deals["fluidstack-cifr-barber-lake-2025"]  # $3B (Sep 2025) + $0.83B (Nov 2025)
    assert [e.value for e in lease.status_history] == [3e9, 3.83e9]
    hut8 = deals["fluidstack-hut8-river-bend-2025"]
    assert (hut8.amount.value, hut8.amount.high, hut8.confidence) == (7e9, 17.7e9, Confidence.high)
    assert any("sec.gov" in s.url and s.is_primary for s in hut8.sources)


def test_meta_2026_compute(deals: dict[str, Deal]) -> None:
    """Meta-Nebius "up to $27B" = $12B dedicated + up to $15B backstop; NVIDIA "tens of billions" at its floor."""
    dedicated, backstop = deals["meta-nebius-2026"], deals["meta-nebius-backstop-2026"]
    assert dedicated.amount.headline + backstop.amount.headline == 27e9
    assert backstop.kind is DealKind.capacity_backstop and backstop.amount.up_to
    nv = deals["meta-nvidia-2026"]
    assert (nv.amount.low, nv.amount.high, nv.amount.committed_value) == (10e9, 99e9, 10e9)
    assert deals["meta-oracle-cloud-2025"].status is Status.rumoured
    assert deals["meta-oracle-cloud-2025"].amount.committed_value == 0


def test_other_named_deals(deals: dict[str, Deal]) -> None:
    intel = deals["nvda-intel-2025"]
    assert (intel.payee, intel.amount.value) == ("intel", 5e9)
    # stated in the joint release filed by Intel as 8-K Exhibit 99.1 on sec.gov
    assert intel.confidence is Confidence.high and any("sec.gov" in s.url and s.is_primary for s in intel.sources)
    msft = deals["msft-crwv-2023"]  # "nearly $10 billion between 2023 and 2030" (The Information, via rewrites)
    assert msft.amount.value == 10e9 and msft.schedule is not None and msft.schedule.end == dt.date(2030, 12, 31)
    assert msft.confidence is Confidence.medium and "The Information" in _text(msft)
    nebius = deals["msft-nebius-2025"]
    assert (nebius.amount.value, nebius.amount.high) == (17.4e9, 19.4e9)
    lambda_leases = [d for d in deals.values() if (d.payer, d.payee, d.kind) == ("nvidia", "lambda", DealKind.lease)]
    assert sum(d.amount.headline for d in lambda_leases) == pytest.approx(1.5e9)
    aws = deals["openai-aws-38b-2025"]
    assert aws.amount.value == 38e9 and aws.schedule is not None
    assert aws.schedule.start is not None and aws.schedule.end is not None
    assert round((aws.schedule.end - aws.schedule.start).days / 365.25) == 7


def test_meta_nebius_six_k(deals: dict[str, Deal]) -> None:
    """Nebius 6-K (sec.gov, 12 Nov 2025): first order ~$2.9B, five years, as of 1 Nov 2025."""
    nb = deals["meta-nebius-2025"]
    assert (nb.payer, nb.payee, nb.kind, nb.status) == ("meta", "nebius", DealKind.purchase_commitment, Status.signed)
    assert (nb.amount.value, nb.amount.committed_value, nb.date) == (2.9e9, 2.9e9, dt.date(2025, 11, 12))
    assert nb.schedule is not None and nb.schedule.start == dt.date(2025, 11, 1)
    assert nb.confidence is Confidence.high
    assert any("sec.gov" in s.url and s.kind.value == "filing" and "2.9 billion" in (s.quote or "") for s in nb.sources)


def _zero_strike_barrier(s0: float, h: float, r: float, sigma: float, t: float) -> float:
    """Value of a zero-strike, no-dividend claim on one share that vests when the price first reaches ``h``.

    ``s0 * P(max S >= h by t)`` with the probability under the share measure (log drift ``r + sigma**2 / 2``), the
    first-passage formula for drifted Brownian motion (e.g. Shreve, *Stochastic Calculus for Finance II*, 7.2.1).
    """
    if h <= s0:
        return s0
    b, m, sd = math.log(h / s0), r + sigma**2 / 2, sigma * math.sqrt(t)
    n = statistics.NormalDist().cdf
    return s0 * (n((-b + m * t) / sd) + math.exp(2 * m * b / sigma**2) * n((-b - m * t) / sd))


def test_amd_meta_warrant_and_gpu_commitment(deals: dict[str, Deal]) -> None:
    """AMD-Meta (24 Feb 2026) is modelled like AMD-OpenAI: a 160M-share warrant linked to a 6 GW purchase.

    Warrant value: the grant-date fair value of the price targets, six equal tranches of 160M/6 shares with targets
    evenly spaced from S0 = $213.84 (AMD's close on 24 Feb 2026) to $600, each worth S0 x P(max S >= H) over T = 5
    years (sigma 50%, r 3.7%): $25.95B; all 160M at $600: $20.90B (low); 160M x $600 = $96B (high); below the
    intrinsic value at grant, 160M x $213.84 = $34.2144B; committed 0. Purchase: reported at "up to $60 billion"
    over five years to "more than $100 billion", stored as 60B-100B; only the first GW is committed, at least $10B
    ("double-digit billions per GW").
    """
    warrant, gpus = deals["amd-meta-warrant-2026"], deals["meta-amd-gpus-2026"]
    assert (warrant.payer, warrant.payee, warrant.kind) == ("amd", "meta", DealKind.warrant_grant)
    targets = [213.84 + (600 - 213.84) * k / 6 for k in range(1, 7)]
    fair = sum(160e6 / 6 * _zero_strike_barrier(213.84, h, 0.037, 0.5, 5.0) for h in targets)
    assert warrant.amount.value == pytest.approx(fair, abs=0.005e9)  # stored rounded to $0.01B
    assert warrant.amount.low == pytest.approx(160e6 * _zero_strike_barrier(213.84, 600, 0.037, 0.5, 5.0), abs=0.05e9)
    assert warrant.amount.headline < 160e6 * 213.84  # the market condition costs value against the intrinsic $34.2144B
    assert warrant.amount.high == pytest.approx(160e6 * 600, rel=1e-12)
    assert (warrant.amount.committed_value, warrant.amount.drawn_value) == (0.0, 0.0)
    assert warrant.amount.estimate and warrant.confidence is Confidence.low
    assert (gpus.payer, gpus.payee, gpus.kind) == ("meta", "amd", DealKind.purchase_commitment)
    assert (gpus.amount.low, gpus.amount.high, gpus.amount.committed_value) == (60e9, 100e9, 10e9)
    assert gpus.amount.estimate and gpus.confidence is Confidence.low
    for d in (warrant, gpus):
        assert d.date == dt.date(2026, 2, 24) and d.schedule is not None and d.schedule.capacity_gw == 6
    assert _linked(deals, "amd-meta-warrant-2026", "meta-amd-gpus-2026")
    assert [c.verdict for c in warrant.claims] == ["disputed"]
    # the same shape as the OpenAI pair: equal share count and the same $600 top threshold
    assert warrant.amount.high == deals["amd-openai-warrant-2025"].amount.high


def test_february_2026_openai_round(deals: dict[str, Deal]) -> None:
    round_ = [d for d in deals.values() if d.payee == "openai" and d.date == dt.date(2026, 2, 27)]
    assert {d.payer: d.amount.value for d in round_} == {"amazon": 50e9, "nvidia": 30e9, "softbank": 30e9}
    assert deals["amzn-openai-equity-2026"].amount.committed == 15e9


def test_loader_agrees_when_present() -> None:
    if importlib.util.find_spec("junkan.ledger.load") is None:
        pytest.skip("junkan.ledger.load is not written yet")
    import junkan

    loaded = junkan.load("ai-compute")
    built = _build()
    assert [d.id for d in loaded.deals] == [d.id for d in built.deals]
    assert set(loaded.entities) == set(built.entities)
