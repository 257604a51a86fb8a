"""Records read from files, with where each came from, turned into a :class:`Ledger` or one error.

Both readers (YAML directory, CSV file) fill a :class:`Collected`: the records that validated, the problems found so
far, and for every record a function that gives the file and line of any of its fields. :meth:`Collected.to_ledger`
adds the cross-record problems (duplicate ids, unknown parties, legs naming no deal, missing exchange rates) with
their lines, and raises one :class:`~junkan.errors.JunkanInputError` listing every problem in file order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from junkan.errors import InputProblem, JunkanInputError
from junkan.ledger.model import Ledger, integrity_problems
from junkan.ledger.schema import DatasetInfo, Deal, Entity, Financial, FxRate
from junkan.ledger.successions import restatement_warnings, succession_warnings
from junkan.suggest import did_you_mean

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class RowProblem(InputProblem):
    """An :class:`InputProblem` in a CSV file, where ``line`` is the spreadsheet row (header = row 1)."""

    def __str__(self) -> str:
        text = InputProblem.__str__(self)
        return text.replace(f", line {self.line}", f", row {self.line}", 1) if self.line is not None else text


#: ``field -> (file, line)`` for one record.
FieldLocator = Callable[[str], tuple[str | None, int | None]]


@dataclass
class Collected:
    """What a reader produced: valid records, their locations, and the problems met."""

    origin: str
    info: DatasetInfo | None = None
    entities: list[Entity] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    financials: list[Financial] = field(default_factory=list)
    fx: list[FxRate] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    invalid_entity_ids: set[str] = field(default_factory=set)
    invalid_deal_ids: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    check_fx: bool = True
    entities_readable: bool = True
    deals_readable: bool = True
    row_files: set[str] = field(default_factory=set)
    invalid_deals: list[tuple[dict[str, Any], FieldLocator]] = field(default_factory=list)
    _where: dict[int, FieldLocator] = field(default_factory=dict)

    def place(self, record: object, locator: FieldLocator) -> None:
        """Remember where ``record`` was read."""
        self._where[id(record)] = locator

    def locate(self, record: object, fld: str) -> tuple[str | None, int | None]:
        """File and line of ``record``'s field ``fld`` (the origin and no line if unknown)."""
        fn = self._where.get(id(record))
        return fn(fld) if fn is not None else (self.origin, None)

    def add(self, message: str, record: object, fld: str) -> None:
        """Record a problem about ``record``'s field ``fld``."""
        file, line = self.locate(record, fld)
        self.problems.append(InputProblem(message, file=file, line=line, field=fld))

    def cross_checks(self) -> None:
        """Cross-record problems: integrity (see :func:`integrity_problems`), FX coverage, duplicate figures."""
        self.problems.extend(
            integrity_problems(
                self.entities,
                self.deals,
                self.financials,
                origin=self.origin,
                locate=self.locate,
                invalid_entity_ids=self.invalid_entity_ids,
                invalid_deal_ids=self.invalid_deal_ids,
                check_parties=self.entities_readable,
                check_legs=self.deals_readable,
            )
        )
        self._check_invalid_deals()
        focal = self.info.focal_vendor if self.info is not None else None
        ids = {e.id for e in self.entities} | self.invalid_entity_ids
        if focal is not None and self.entities_readable and focal not in ids:
            msg = f"focal_vendor names unknown entity {focal!r}{did_you_mean(focal, ids)}"
            self.add(msg, self.info, "focal_vendor")
        seen_fx: set[tuple[str, int]] = set()
        for r in self.fx:
            if (r.currency, r.year) in seen_fx:
                self.add(f"duplicate exchange rate for {r.currency} in {r.year}", r, "year")
            seen_fx.add((r.currency, r.year))
        if self.check_fx:
            have = {c for c, _ in seen_fx} | {"USD"}
            for d in self.deals:
                if d.amount.currency not in have:
                    self.add(
                        f"deal {d.id!r} is in {d.amount.currency}, but fx.yaml has no {d.amount.currency} rate",
                        d,
                        "amount.currency",
                    )
            for f in self.financials:
                if f.currency not in have:
                    self.add(f"figure is in {f.currency}, but fx.yaml has no {f.currency} rate", f, "currency")
        seen_fig: dict[tuple[str, str, str], Financial] = {}
        for f in self.financials:
            key = (f.entity, f.metric, f.period)
            if key in seen_fig:
                _, first = self.locate(seen_fig[key], "metric")
                at = f" (first at line {first})" if first is not None else ""
                self.add(f"duplicate figure: {f.entity} {f.metric} for {f.period} is given twice{at}", f, "metric")
            seen_fig.setdefault(key, f)
        if not self.deals and not self.invalid_deal_ids and not self.problems:
            self.problems.append(InputProblem("the dataset has no deals", file=self.origin))

    def _check_invalid_deals(self) -> None:
        """References in deals that failed validation: their ids, parties and legs are still checked."""
        entity_ids = {e.id for e in self.entities}
        known_entities = entity_ids | self.invalid_entity_ids
        deal_ids = {d.id for d in self.deals}
        seen: set[str] = set()
        for raw, where in self.invalid_deals:
            did = raw.get("id") if isinstance(raw.get("id"), str) else None
            label = repr(did) if did is not None else "(without a valid id)"
            others = deal_ids - {did} if did is not None else deal_ids

            def problem(message: str, fld: str, where: FieldLocator = where) -> None:
                file, line = where(fld)
                self.problems.append(InputProblem(message, file=file, line=line, field=fld))

            if did is not None:
                if did in deal_ids or did in seen:
                    problem(f"duplicate deal id {did!r}", "id")
                seen.add(did)
            for role in ("payer", "payee"):
                pid = raw.get(role)
                if self.entities_readable and isinstance(pid, str) and _ID_RE.match(pid) and pid not in known_entities:
                    problem(f"deal {label} names unknown entity {pid!r}{did_you_mean(pid, entity_ids)}", role)
            legs = raw.get("legs")
            if isinstance(legs, list):
                for i, leg in enumerate(legs):
                    if self.deals_readable and isinstance(leg, str) and leg not in deal_ids | self.invalid_deal_ids:
                        problem(
                            f"deal {label} lists leg {leg!r}, which names no deal{did_you_mean(leg, others)}",
                            f"legs[{i}]",
                        )

    def sorted_problems(self) -> list[InputProblem]:
        """Problems in file order, then line order (stable)."""
        rank = {f: i for i, f in enumerate(self.files)}
        out = sorted(self.problems, key=lambda p: (rank.get(p.file or "", len(rank)), p.line or 0))
        return [
            RowProblem(p.message, file=p.file, line=p.line, field=p.field)
            if p.file in self.row_files and type(p) is InputProblem
            else p
            for p in out
        ]

    def to_ledger(self) -> Ledger:
        """Run the cross checks and build the ledger, or raise one error with every problem."""
        self.cross_checks()
        if self.problems:
            raise JunkanInputError(self.sorted_problems())
        return Ledger.build(
            self.deals,
            self.entities,
            self.financials,
            self.fx,
            info=self.info,
            origin=self.origin,
            warnings=sorted(
                succession_warnings(self.entities, self.deals, self._problem_at)
                + restatement_warnings(self.deals, self._problem_at),
                key=lambda p: (self.files.index(p.file) if p.file in self.files else len(self.files), p.line or 0),
            ),
        )

    def _problem_at(self, message: str, record: object, fld: str) -> InputProblem:
        file, line = self.locate(record, fld)
        return InputProblem(message, file=file, line=line, field=fld)
