"""Pure serialisers for the data downloads: JSON API documents, the per-variant CSV and the Atom feed.

Records are written field by field (`as_json`), so every field of every schema reaches the API without a
list kept here; a release adds what the site computes (resolved per-variant weights and dates, its pages).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields, is_dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from . import fmt
from .records import Checked, Dataset, Model, PartialDate, Shape, Technique, Variant, from_loader

SCHEMA_VERSION = "1.1"  # 1.1: every schema field is published; milestones, ecosystem and deep-dive rows added
CSV_RELEASE = ("release_id", "release_name", "released", "date_precision", "track", "architecture")
CSV_RENAMED = {"name": "variant", "released": "variant_released"}  # Variant fields whose CSV column says more
# What the site computes from a variant's shape (records.py), published beside it as "derived" and in the CSV.
DERIVED = (
    ("head_size", ("shape", "head_size")),
    ("kv_bytes_per_token", ("shape", "kv_bytes_per_token")),
    ("query_per_kv_head", ("shape", "query_per_kv_head")),
    ("params_per_layer_m", ("params_per_layer_m",)),
)


def as_json(value: Any) -> Any:
    """A record (or a value inside one) as JSON data: fields by name, dates as ISO text; absent values
    (None, empty text) are left out, and the loader's bookkeeping (source line, section) too."""
    if isinstance(value, PartialDate):
        return value.iso
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if not from_loader(f) and item is not None and item != "":
                out[f.name] = as_json(item)
        return out
    if isinstance(value, tuple):
        return [as_json(item) for item in value]
    return value


def model_doc(m: Model, site_url: str) -> dict[str, Any]:
    """One release as the API publishes it: its fields, plus what the site computes from them."""
    doc: dict[str, Any] = as_json(m)
    for item, v in zip(doc["variants"], m.variants, strict=True):
        item["open_weights"] = m.variant_open(v)
        item["released"] = m.variant_released(v).iso
        derived = {name: variant_value(m, v, path) for name, path in DERIVED}
        if any(value is not None for value in derived.values()):
            item["derived"] = {name: value for name, value in derived.items() if value is not None}
    doc.update(
        date_precision=m.released.precision,
        secondary_sources_only=m.secondary_only,
        url=f"{site_url}models/{m.id}/",
        api_url=f"{site_url}api/v1/models/{m.id}.json",
    )
    return doc


def technique_doc(t: Technique, data: Dataset) -> dict[str, Any]:
    doc: dict[str, Any] = as_json(t)
    doc["used_by"] = [m.id for m in data.models_using(t.id)]
    if t.introduced_by and t.introduced_by.url:
        doc["introduced_by"]["url"] = t.introduced_by.url
    return doc


def envelope(key: str, items: Any, generated_at: str, version: str, checked: Checked | None = None) -> dict[str, Any]:
    """The common wrapper of every API document: its layout's version, the data's version, and when the data was
    last checked against its sources."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "generated_at": generated_at, "data_version": version}
    if checked is not None:
        out.update(data_checked=checked.data_checked.iso, checked_through=checked.checked_through.iso)
    if isinstance(items, list):
        out["count"] = len(items)
    out[key] = items
    return out


def dumps(doc: dict[str, Any]) -> bytes:
    """Stable JSON (sorted keys, UTF-8), one line: browsers and `jq` indent it for reading."""
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def api_documents(data: Dataset, site_url: str, generated_at: str, version: str) -> dict[str, bytes]:
    """Every file under /api/v1/, keyed by site-relative path."""
    models = [model_doc(m, site_url) for m in sorted(data.models, key=lambda m: (m.released.value, m.id))]
    lists: dict[str, list[Any]] = {
        "models": models,
        "people": [as_json(p) for p in data.people],
        "techniques": [technique_doc(t, data) for t in data.techniques],
        "errata": [as_json(e) for e in data.errata],
        "milestones": [as_json(m) for m in data.milestones],
        "deep-dive-rows": [as_json(r) for r in data.deep_dive],
    }
    out = {
        f"api/v1/{name}.json": dumps(envelope(name.replace("-", "_"), items, generated_at, version, data.checked))
        for name, items in lists.items()
    }
    ecosystem = {
        "entries": [{"section": e.section, **as_json(e)} for e in data.ecosystem],
        "conflicts": [as_json(c) for c in data.conflicts],
        "modelscope_summary": data.modelscope_summary,
    }
    out["api/v1/ecosystem.json"] = dumps(envelope("ecosystem", ecosystem, generated_at, version, data.checked))
    for doc in models:
        out[f"api/v1/models/{doc['id']}.json"] = dumps(envelope("model", doc, generated_at, version, data.checked))
    return out


def _cell(value: Any) -> str:
    """A CSV cell: numbers trimmed, lists space-separated, absent values empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return fmt.number(value)
    if isinstance(value, tuple):
        return " ".join(map(str, value))
    return value.iso if isinstance(value, PartialDate) else str(value)


def variant_columns() -> list[tuple[str, tuple[str, ...]]]:
    """(CSV column, path of fields inside a Variant) for every variant field, shape fields flattened."""
    columns: list[tuple[str, tuple[str, ...]]] = []
    for f in fields(Variant):
        if f.name == "shape":
            columns += [(f"shape_{g.name}", ("shape", g.name)) for g in fields(Shape)]
        else:
            columns.append((CSV_RENAMED.get(f.name, f.name), (f.name,)))
    return columns + [(f"derived_{name}", path) for name, path in DERIVED]


def variant_value(m: Model, v: Variant, path: tuple[str, ...]) -> Any:
    """A variant's value at `path`; its weights and date resolved from the release where it has none."""
    if path == ("open_weights",):
        return m.variant_open(v)
    if path == ("released",):
        return m.variant_released(v)
    value: Any = v
    for step in path:
        value = None if value is None else getattr(value, step)
    return value


def models_csv(data: Dataset, site_url: str) -> bytes:
    """One row per variant, oldest release first: the release's identity, then every field of the variant
    (its weights and date resolved from the release where it has none of its own), then its page."""
    columns = variant_columns()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_RELEASE, *(name for name, _ in columns), "page"])
    for m in sorted(data.models, key=lambda m: (m.released.value, m.id)):
        for v in m.variants:
            cells = [_cell(variant_value(m, v, path)) for _, path in columns]
            writer.writerow(
                [m.id, m.name, m.released.iso, m.released.precision, m.track, m.architecture, *cells, f"{site_url}models/{m.id}/"]
            )
    return out.getvalue().encode("utf-8")


def atom_feed(data: Dataset, site_url: str, site_name: str, updated: str) -> bytes:
    """An Atom feed (RFC 4287) of releases, newest first; every data string is XML-escaped."""
    models = sorted(data.models, key=lambda m: (m.released.value, m.id), reverse=True)
    entries = []
    for m in models:
        url = f"{site_url}models/{m.id}/"
        summary = m.summary or f"{m.name}: {fmt.sizes(m) or 'size not disclosed'}"
        detail = f"{fmt.TRACKS[m.track]} · {fmt.weights(m)} weights · {fmt.licences(m)}"
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(url)}</id>\n"
            f"    <title>{escape(m.name)}</title>\n"
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>\n'
            f"    <published>{m.released.value.isoformat()}T00:00:00Z</published>\n"
            f"    <updated>{m.released.value.isoformat()}T00:00:00Z</updated>\n"
            f"    <category term={quoteattr(m.track)} label={quoteattr(fmt.TRACKS[m.track])}/>\n"
            f'    <summary type="text">{escape(summary + " (" + detail + ")")}</summary>\n'
            "  </entry>\n"
        )
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{escape(site_url)}</id>\n  <title>{escape(site_name)}: Qwen releases</title>\n"
        f"  <subtitle>Every release of Alibaba's Qwen model family, newest first, with its sources.</subtitle>\n"
        f"  <updated>{escape(updated)}</updated>\n  <author><name>{escape(site_name)} contributors</name></author>\n"
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(site_url + "feed.xml")}/>\n'
        f'  <link rel="alternate" type="text/html" href={quoteattr(site_url)}/>\n'
        f"  <rights>Data and text CC BY 4.0</rights>\n"
    )
    return (head + "".join(entries) + "</feed>\n").encode("utf-8")
