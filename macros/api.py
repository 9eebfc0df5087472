"""Pure serialisers for the data downloads: JSON API documents, the per-variant CSV and the Atom feed."""
from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from . import fmt
from .records import Dataset, Erratum, Model, Person, Source, Technique

SCHEMA_VERSION = "1.0"
CSV_COLUMNS = ("release_id", "release_name", "released", "date_precision", "track", "architecture", "variant",
               "params_b", "active_params_b", "context", "context_max", "license", "open_weights", "variant_released",
               "flavours", "page")


def _sources(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    return [{k: v for k, v in (("url", s.url), ("kind", s.kind), ("title", s.title), ("note", s.note)) if v} for s in sources]


def model_doc(m: Model, site_url: str) -> dict[str, Any]:
    """One release as the API publishes it (computed fields included, empty ones omitted)."""
    variants = []
    for v in m.variants:
        item: dict[str, Any] = {"name": v.name, "license": v.license, "open_weights": m.variant_open(v),
                                "released": m.variant_released(v).iso}
        for key in ("params_b", "active_params_b", "context", "context_max"):
            if getattr(v, key) is not None:
                item[key] = getattr(v, key)
        if v.flavours:
            item["flavours"] = list(v.flavours)
        if v.note:
            item["note"] = v.note
        variants.append(item)
    doc: dict[str, Any] = {
        "id": m.id, "name": m.name, "released": m.released.iso, "date_precision": m.released.precision,
        "track": m.track, "architecture": m.architecture, "modalities": {"input": list(m.inputs), "output": list(m.outputs)},
        "open_weights": m.open_weights, "summary": m.summary, "variants": variants, "techniques": list(m.techniques),
        "parents": [{"id": p.id, "relation": p.relation} for p in m.parents], "links": dict(m.links),
        "secondary_sources_only": m.secondary_only, "sources": _sources(m.sources),
        "url": f"{site_url}models/{m.id}/", "api_url": f"{site_url}api/v1/models/{m.id}.json",
    }
    if m.date_note:
        doc["date_note"] = m.date_note
    if m.deep_dive_rows:
        doc["deep_dive_rows"] = list(m.deep_dive_rows)
    return doc


def person_doc(p: Person) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "aliases": list(p.aliases), "name_zh": p.name_zh, "name_zh_status": p.name_zh_status,
            "role": p.role, "group": p.group, "areas": list(p.areas), "background": list(p.background),
            "releases": list(p.releases),
            "status": [{"date": s.date.iso, "event": s.event, "sources": _sources(s.sources)} for s in p.status],
            "sources": _sources(p.sources)}


def technique_doc(t: Technique, data: Dataset) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": t.id, "name": t.name, "short": t.short, "category": t.category, "summary": t.summary,
                           "origin": t.origin, "first_release": t.first_release,
                           "used_by": [m.id for m in data.models_using(t.id)],
                           "key_figures": [{"label": k, "value": v} for k, v in t.key_figures], "sources": _sources(t.sources)}
    if t.introduced_by:
        p = t.introduced_by
        doc["introduced_by"] = {k: v for k, v in (("title", p.title), ("authors", p.authors), ("organisation", p.organisation),
                                                  ("year", p.year), ("arxiv", p.arxiv), ("url", p.url)) if v}
    return doc


def erratum_doc(e: Erratum) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": e.id, "section": e.section, "claim": e.claim, "correction": e.correction, "verdict": e.verdict,
                           "releases": list(e.releases), "people": list(e.people), "techniques": list(e.techniques),
                           "sources": _sources(e.sources)}
    if e.deep_dive_row:
        doc["deep_dive_row"] = e.deep_dive_row
    return doc


def envelope(key: str, items: Any, generated_at: str, version: str) -> dict[str, Any]:
    """The common wrapper of every API document."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "generated_at": generated_at, "data_version": version}
    if isinstance(items, list):
        out["count"] = len(items)
    out[key] = items
    return out


def dumps(doc: dict[str, Any]) -> bytes:
    """Stable JSON (sorted keys, UTF-8). Not indented: Python's C encoder runs only without indent, and
    is about ten times faster over thousands of documents; browsers and `jq` indent it for reading."""
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def api_documents(data: Dataset, site_url: str, generated_at: str, version: str) -> dict[str, bytes]:
    """Every file under /api/v1/, keyed by site-relative path."""
    models = [model_doc(m, site_url) for m in sorted(data.models, key=lambda m: (m.released.value, m.id))]
    out = {"api/v1/models.json": dumps(envelope("models", models, generated_at, version)),
           "api/v1/people.json": dumps(envelope("people", [person_doc(p) for p in data.people], generated_at, version)),
           "api/v1/techniques.json": dumps(envelope("techniques", [technique_doc(t, data) for t in data.techniques],
                                                    generated_at, version)),
           "api/v1/errata.json": dumps(envelope("errata", [erratum_doc(e) for e in data.errata], generated_at, version))}
    for doc in models:
        out[f"api/v1/models/{doc['id']}.json"] = dumps(envelope("model", doc, generated_at, version))
    return out


def models_csv(data: Dataset, site_url: str) -> bytes:
    """One row per variant, oldest release first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in sorted(data.models, key=lambda m: (m.released.value, m.id)):
        for v in m.variants:
            writer.writerow([m.id, m.name, m.released.iso, m.released.precision, m.track, m.architecture, v.name,
                             "" if v.params_b is None else fmt.number(v.params_b),
                             "" if v.active_params_b is None else fmt.number(v.active_params_b),
                             v.context or "", v.context_max or "", v.license, str(m.variant_open(v)).lower(),
                             m.variant_released(v).iso, " ".join(v.flavours), f"{site_url}models/{m.id}/"])
    return out.getvalue().encode("utf-8")


def atom_feed(data: Dataset, site_url: str, site_name: str, updated: str) -> bytes:
    """An Atom feed (RFC 4287) of releases, newest first."""
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
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>\n"
            f"    <published>{m.released.value.isoformat()}T00:00:00Z</published>\n"
            f"    <updated>{m.released.value.isoformat()}T00:00:00Z</updated>\n"
            f"    <category term={quoteattr(m.track)} label={quoteattr(fmt.TRACKS[m.track])}/>\n"
            f"    <summary type=\"text\">{escape(summary + ' (' + detail + ')')}</summary>\n"
            "  </entry>\n")
    head = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"  <id>{escape(site_url)}</id>\n  <title>{escape(site_name)}: Qwen releases</title>\n"
            f"  <subtitle>Every release of Alibaba's Qwen model family, newest first, with its sources.</subtitle>\n"
            f"  <updated>{escape(updated)}</updated>\n  <author><name>{escape(site_name)} contributors</name></author>\n"
            f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(site_url + 'feed.xml')}/>\n"
            f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(site_url)}/>\n"
            f"  <rights>Data and text CC BY 4.0</rights>\n")
    return (head + "".join(entries) + "</feed>\n").encode("utf-8")
