"""Typed, frozen records for everything under data/. Computed values are properties."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property


@dataclass(frozen=True)
class Source:
    """Where a fact comes from; primary sources are the Qwen team's own."""

    url: str
    kind: str
    title: str = ""
    note: str = ""

    @property
    def primary(self) -> bool:
        return self.kind == "primary"


@dataclass(frozen=True)
class Sourced:
    """Mixin for entries that carry sources."""

    sources: tuple[Source, ...] = ()

    @property
    def secondary_only(self) -> bool:
        """True when no source is primary: the site shows a visible mark."""
        return not any(s.primary for s in self.sources)


@dataclass(frozen=True)
class PartialDate:
    """An ISO date known to the day, or only to the month."""

    value: date
    precision: str  # "day" or "month"

    @property
    def iso(self) -> str:
        return self.value.isoformat() if self.precision == "day" else self.value.strftime("%Y-%m")

    @property
    def label(self) -> str:
        """Human form: '3 Aug 2023' or 'Sep 2026'."""
        if self.precision == "day":
            return f"{self.value.day} {self.value.strftime('%b %Y')}"
        return self.value.strftime("%b %Y")


@dataclass(frozen=True)
class Variant:
    """One published size or flavour of a release."""

    name: str
    license: str
    params_b: float | None = None
    active_params_b: float | None = None
    context: int | None = None
    context_max: int | None = None
    released: PartialDate | None = None
    open_weights: bool | None = None
    flavours: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_moe(self) -> bool:
        return self.active_params_b is not None


@dataclass(frozen=True)
class Parent:
    """A typed lineage edge from a release to an older one."""

    id: str
    relation: str
    note: str = ""


@dataclass(frozen=True)
class Model(Sourced):
    """A release: one model line under one name."""

    id: str = ""
    name: str = ""
    released: PartialDate = PartialDate(date(1970, 1, 1), "day")
    track: str = ""
    architecture: str = ""
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    open_weights: bool = False
    variants: tuple[Variant, ...] = ()
    techniques: tuple[str, ...] = ()
    parents: tuple[Parent, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    deep_dive_rows: tuple[str, ...] = ()
    summary: str = ""
    date_note: str = ""
    line: int = 0

    def __hash__(self) -> int:
        # Ids are unique (the validator sees to it), so equal releases have equal ids. The generated hash
        # walks every field, variants and sources included, each time a release is a dict key or in a set.
        return hash(self.id)

    @property
    def sized(self) -> tuple[Variant, ...]:
        """Variants whose parameter count is disclosed."""
        return tuple(v for v in self.variants if v.params_b is not None)

    @property
    def largest_params_b(self) -> float | None:
        return max((v.params_b for v in self.sized), default=None)

    @property
    def longest_context(self) -> int | None:
        return max((v.context_max or v.context for v in self.variants if v.context or v.context_max), default=None)

    @property
    def native_context(self) -> int | None:
        return max((v.context for v in self.variants if v.context), default=None)

    @property
    def licences(self) -> tuple[str, ...]:
        """Distinct licences in variant order."""
        return tuple(dict.fromkeys(v.license for v in self.variants))

    def variant_open(self, variant: Variant) -> bool:
        return self.open_weights if variant.open_weights is None else variant.open_weights

    def variant_released(self, variant: Variant) -> PartialDate:
        return variant.released or self.released


@dataclass(frozen=True)
class StatusChange(Sourced):
    """A dated change in a person's position that sources report."""

    date: PartialDate = PartialDate(date(1970, 1, 1), "day")
    event: str = ""


@dataclass(frozen=True)
class Person(Sourced):
    """A team profile."""

    id: str = ""
    name: str = ""
    name_zh: str = ""
    name_zh_status: str = ""
    role: str = ""
    group: str = ""
    aliases: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    background: tuple[str, ...] = ()
    releases: tuple[str, ...] = ()
    status: tuple[StatusChange, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Paper:
    """The publication that introduced a technique."""

    title: str
    year: int
    authors: str = ""
    organisation: str = ""
    arxiv: str = ""

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else ""


@dataclass(frozen=True)
class Technique(Sourced):
    """An architecture or training technique used in the family."""

    id: str = ""
    name: str = ""
    short: str = ""
    category: str = ""
    summary: str = ""
    origin: str = ""
    introduced_by: Paper | None = None
    first_release: str = ""
    key_figures: tuple[tuple[str, str], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Erratum(Sourced):
    """A claim of the deep-dive that sources refute or cannot support."""

    id: str = ""
    section: str = ""
    claim: str = ""
    correction: str = ""
    verdict: str = ""
    deep_dive_row: str = ""
    releases: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class DeepDiveRow:
    """A row of the deep-dive's release table, with its own (possibly wrong) claims."""

    row: str
    date_as_written: str
    open_weights_as_written: bool
    line: int = 0


@dataclass(frozen=True)
class Milestone(Sourced):
    """A dated adoption figure; `scope` keeps figures measured differently apart."""

    id: str = ""
    date: PartialDate = PartialDate(date(1970, 1, 1), "day")
    approximate: bool = False
    metric: str = ""
    value: float | None = None
    value_text: str = ""
    qualifier: str = ""
    scope: str = ""
    scope_note: str = ""
    subject: str = ""
    label: str = ""
    verdict: str = ""
    charted: bool = True
    caveat: str = ""
    note: str = ""
    date_note: str = ""
    releases: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class EcosystemEntry(Sourced):
    """A tool, integration, partner, event, ModelScope figure or open model family around Qwen."""

    section: str = ""
    id: str = ""
    name: str = ""
    kind: str = ""
    summary: str = ""
    url: str = ""
    verdict: str = ""
    details: tuple[tuple[str, str], ...] = ()
    releases: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Dataset:
    """Everything under data/, validated and cross-referenced."""

    models: tuple[Model, ...] = ()
    people: tuple[Person, ...] = ()
    techniques: tuple[Technique, ...] = ()
    errata: tuple[Erratum, ...] = ()
    deep_dive: tuple[DeepDiveRow, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    ecosystem: tuple[EcosystemEntry, ...] = ()

    # Indexes are built once per dataset: per-page lookups stay O(1) however many releases there are.
    @cached_property
    def by_id(self) -> dict[str, Model]:
        return {m.id: m for m in self.models}

    @cached_property
    def _children(self) -> dict[str, tuple[tuple[Model, Parent], ...]]:
        index: dict[str, list[tuple[Model, Parent]]] = {}
        for m in self.models:
            for p in m.parents:
                index.setdefault(p.id, []).append((m, p))
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def _users(self) -> dict[str, tuple[Model, ...]]:
        index: dict[str, list[Model]] = {}
        for m in self.models:
            for t in m.techniques:
                index.setdefault(t, []).append(m)
        return {k: tuple(sorted(v, key=lambda m: m.released.value)) for k, v in index.items()}

    def model(self, model_id: str) -> Model:
        return self.by_id[model_id]

    def models_using(self, technique_id: str) -> tuple[Model, ...]:
        """Releases listing a technique, oldest first."""
        return self._users.get(technique_id, ())

    def children(self, model_id: str) -> tuple[tuple[Model, Parent], ...]:
        return self._children.get(model_id, ())
