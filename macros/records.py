"""Typed, frozen records for everything under data/. Computed values are properties.

Each record's fields are the properties of its JSON Schema, under the same names: load.build fills them
from a checked entry by their types, so a field added to a schema and here reaches every record (and the
API, which serialises records field by field) without another list to keep. Fields marked LOADER come
from where the entry sits in its file, not from its keys.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

T = TypeVar("T")

LOADER = {"from": "loader"}  # field metadata: the loader fills this field (line, section), not a YAML key


def loader_field(default: T) -> T:
    """A field that the loader fills from the entry's place in its file."""
    return field(default=default, metadata=LOADER, compare=False)


def from_loader(item: Field[Any]) -> bool:
    """Whether a record field is the loader's (its place in the file) rather than a key of the entry."""
    return item.metadata.get("from") == LOADER["from"]


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where a fact comes from; primary sources are the Qwen team's own."""

    url: str
    kind: str
    title: str = ""
    note: str = ""

    @property
    def primary(self) -> bool:
        return self.kind == "primary"


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class Shape:
    """A variant's shape as its config.json states it; absent values stay None."""

    source: str
    layers: int | None = None
    hidden_size: int | None = None
    intermediate_size: int | None = None
    attention_heads: int | None = None
    kv_heads: int | None = None
    head_dim: int | None = None
    vocab_size: int | None = None
    rope_theta: float | None = None
    max_position_embeddings: int | None = None
    tie_word_embeddings: bool | None = None
    experts: int | None = None
    experts_per_token: int | None = None
    shared_experts: int | None = None
    moe_intermediate_size: int | None = None
    full_attention_interval: int | None = None
    layer_pattern: str = ""
    note: str = ""

    # Derived values: computed from the fields above, never typed; None where an input is not given.
    @property
    def head_size(self) -> int | None:
        """The size of one attention head: head_dim where the config states it, else hidden_size / attention_heads
        (what the model code computes when the config leaves it out)."""
        if self.head_dim is not None:
            return self.head_dim
        if self.hidden_size is not None and self.attention_heads and self.hidden_size % self.attention_heads == 0:
            return self.hidden_size // self.attention_heads
        return None

    @property
    def kv_layers(self) -> int | None:
        """Layers that keep keys and values for every token: all of them, or in a hybrid stack only the
        full-attention ones (every full_attention_interval-th; the linear-attention layers keep a fixed state)."""
        if self.layers is None:
            return None
        return self.layers // self.full_attention_interval if self.full_attention_interval else self.layers

    @property
    def kv_bytes_per_token(self) -> int | None:
        """Bytes of key-value cache one token takes at bf16: keys and values (2) x layers that keep them x KV heads
        x head size x 2 bytes."""
        if self.kv_layers is None or self.kv_heads is None or self.head_size is None:
            return None
        return 2 * self.kv_layers * self.kv_heads * self.head_size * 2

    @property
    def query_per_kv_head(self) -> float | None:
        """Query heads per key-value head: 1 without grouped-query attention, 7 for 28 query heads over 4."""
        if self.attention_heads is None or not self.kv_heads:
            return None
        return self.attention_heads / self.kv_heads


@dataclass(frozen=True, kw_only=True)
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
    shape: Shape | None = None

    @property
    def is_moe(self) -> bool:
        return self.active_params_b is not None

    @property
    def params_per_layer_m(self) -> float | None:
        """Millions of parameters per layer: the total less the embeddings (vocab x hidden, twice when the input
        and output embeddings are separate), over the layers. None where an input is not given."""
        s = self.shape
        if s is None or self.params_b is None or None in (s.layers, s.vocab_size, s.hidden_size, s.tie_word_embeddings):
            return None
        embeddings = (s.vocab_size or 0) * (s.hidden_size or 0) * (1 if s.tie_word_embeddings else 2)
        return round((self.params_b * 1e9 - embeddings) / (s.layers or 1) / 1e6, 1)


@dataclass(frozen=True, kw_only=True)
class Parent:
    """A typed lineage edge from a release to an older one."""

    id: str
    relation: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Modalities:
    """What a release takes in and gives out."""

    input: tuple[str, ...]
    output: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Links:
    """A release's own pages; empty strings where there is none."""

    blog: str = ""
    repo: str = ""
    weights: str = ""
    paper: str = ""
    docs: str = ""

    def items(self) -> tuple[tuple[str, str], ...]:
        """(kind, url) of the links present, in field order."""
        return tuple((name, url) for name, url in vars(self).items() if url)


@dataclass(frozen=True, kw_only=True)
class Model(Sourced):
    """A release: one model line under one name."""

    id: str
    name: str
    released: PartialDate
    track: str
    architecture: str
    modalities: Modalities
    open_weights: bool
    variants: tuple[Variant, ...]
    techniques: tuple[str, ...] = ()
    parents: tuple[Parent, ...] = ()
    links: Links = Links()
    deep_dive_rows: tuple[str, ...] = ()
    summary: str = ""
    date_note: str = ""
    line: int = loader_field(0)

    def __hash__(self) -> int:
        # Ids are unique (the validator sees to it). The generated hash would walk every field each time a
        # release is a dict key or in a set.
        return hash(self.id)

    @property
    def sized(self) -> tuple[Variant, ...]:
        """Variants whose parameter count is disclosed."""
        return tuple(v for v in self.variants if v.params_b is not None)

    @property
    def largest_params_b(self) -> float | None:
        return max((v.params_b for v in self.sized if v.params_b is not None), default=None)

    @property
    def longest_context(self) -> int | None:
        return max((v.context_max or v.context or 0 for v in self.variants if v.context or v.context_max), default=None)

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


@dataclass(frozen=True, kw_only=True)
class StatusChange(Sourced):
    """A dated change in a person's position that sources report."""

    date: PartialDate
    event: str


@dataclass(frozen=True, kw_only=True)
class Person(Sourced):
    """A team profile."""

    id: str
    name: str
    name_zh: str
    name_zh_status: str
    role: str
    group: str
    aliases: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    background: tuple[str, ...] = ()
    releases: tuple[str, ...] = ()
    status: tuple[StatusChange, ...] = ()
    line: int = loader_field(0)


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class KeyFigure:
    """A labelled number that characterises a technique."""

    label: str
    value: str


@dataclass(frozen=True, kw_only=True)
class Technique(Sourced):
    """An architecture or training technique used in the family."""

    id: str
    name: str
    category: str
    summary: str
    origin: str
    first_release: str
    short: str = ""
    introduced_by: Paper | None = None
    key_figures: tuple[KeyFigure, ...] = ()
    line: int = loader_field(0)


@dataclass(frozen=True, kw_only=True)
class Erratum(Sourced):
    """A claim of the deep-dive that sources refute or cannot support."""

    id: str
    section: str
    claim: str
    correction: str
    verdict: str
    deep_dive_row: str = ""
    releases: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    line: int = loader_field(0)


@dataclass(frozen=True, kw_only=True)
class DeepDiveRow:
    """A row of the deep-dive's release table, with its own (possibly wrong) claims."""

    row: str
    date_as_written: str
    open_weights_as_written: bool
    line: int = loader_field(0)


@dataclass(frozen=True, kw_only=True)
class Milestone(Sourced):
    """A dated adoption figure; `scope` keeps figures measured differently apart."""

    id: str
    date: PartialDate
    metric: str
    value_text: str
    scope: str
    scope_note: str
    subject: str
    label: str
    verdict: str
    date_precision: str = ""
    date_note: str = ""
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    value: float | None = None
    value_max: float | None = None
    qualifier: str = "exact"
    versus: tuple[str, ...] = ()
    share_of: str = ""
    award_year: int | None = None
    verdict_note: str = ""
    charted: bool = True
    caveat: str = ""
    note: str = ""
    releases: tuple[str, ...] = ()
    line: int = loader_field(0)

    @property
    def approximate(self) -> bool:
        return self.date_precision == "approximate"


@dataclass(frozen=True, kw_only=True)
class EcosystemEntry(Sourced):
    """A tool, integration, partner, event, ModelScope figure or open model family around Qwen. The fields
    are those of every section of data/ecosystem.yaml; each section uses its own subset."""

    id: str
    section: str = loader_field("")
    name: str = ""
    summary: str = ""
    kind: str = ""
    sector: str = ""
    maker: str = ""
    place: str = ""
    metric: str = ""
    url: str = ""
    verdict: str = ""
    verdict_note: str = ""
    claimed_by: str = ""
    released: PartialDate | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    date: PartialDate | None = None
    date_note: str = ""
    value: float | None = None
    value_text: str = ""
    qualifier: str = ""
    disputed: bool = False
    note: str = ""
    releases: tuple[str, ...] = ()
    line: int = loader_field(0)

    @property
    def title(self) -> str:
        """What the entry is called on the page: its name, else its figure, else its id."""
        return self.name or self.value_text or self.id

    @property
    def what(self) -> str:
        """What kind of thing it is, whichever field its section uses for that."""
        return self.kind or self.sector or self.maker or self.place or self.metric

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        """The secondary facts of an entry, as (label, text), for its card."""
        values = (
            ("released", self.released),
            ("start", self.start),
            ("end", self.end),
            ("date", self.date),
            ("value", self.value_text if self.name else ""),
            ("qualifier", self.qualifier),
            ("claimed by", self.claimed_by),
            ("verdict note", self.verdict_note),
            ("date note", self.date_note),
            ("note", self.note),
            ("disputed", "yes" if self.disputed else ""),
        )
        return tuple((label, value.label if isinstance(value, PartialDate) else value) for label, value in values if value)


@dataclass(frozen=True, kw_only=True)
class Conflict(Sourced):
    """Where sources disagree on an ecosystem figure."""

    id: str
    figures: tuple[str, ...]
    summary: str
    line: int = loader_field(0)


@dataclass(frozen=True, kw_only=True)
class Checked:
    """When the data as a whole was last checked against its sources, and how far those sources reach."""

    data_checked: PartialDate
    checked_through: PartialDate
    note: str = ""
    line: int = loader_field(0)


@dataclass(frozen=True, kw_only=True)
class Dataset:
    """Everything under data/, validated and cross-referenced."""

    models: tuple[Model, ...] = ()
    people: tuple[Person, ...] = ()
    techniques: tuple[Technique, ...] = ()
    errata: tuple[Erratum, ...] = ()
    deep_dive: tuple[DeepDiveRow, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    ecosystem: tuple[EcosystemEntry, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    modelscope_summary: str = ""
    checked: Checked | None = None

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
