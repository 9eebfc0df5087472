"""The API, the CSV download and the Atom feed agree with the data; the feed follows RFC 4287."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from macros import api
from macros.dataset import load_dataset

from .conftest import DATA

pytestmark = pytest.mark.build
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATASET = load_dataset(DATA)


def _json(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text(encoding="utf-8"))


ORDER = {"models": lambda d: [m.id for m in sorted(d.models, key=lambda m: (m.released.value, m.id))],
         "people": lambda d: [p.id for p in d.people], "techniques": lambda d: [t.id for t in d.techniques],
         "errata": lambda d: [e.id for e in d.errata], "milestones": lambda d: [m.id for m in d.milestones],
         "deep_dive_rows": lambda d: [r.row for r in d.deep_dive]}


@pytest.mark.parametrize("key", list(ORDER))
def test_api_document_envelope_and_order(built_site: Path, key: str) -> None:
    path = f"api/v1/{key.replace('_', '-')}.json"
    doc = _json(built_site, path)
    assert doc["schema_version"] == api.SCHEMA_VERSION and RFC3339.match(doc["generated_at"]), "schema_version and generated_at"
    expected = ORDER[key](DATASET)
    assert doc["count"] == len(expected) == len(doc[key]), f"{path} must hold every entry"
    assert [item.get("id") or item.get("row") for item in doc[key]] == expected, \
        f"{path}: releases oldest first (ties by id); everything else in file order"


def test_api_ecosystem_holds_every_entry_and_conflict(built_site: Path) -> None:
    doc = _json(built_site, "api/v1/ecosystem.json")["ecosystem"]
    assert [(e["section"], e["id"]) for e in doc["entries"]] == [(e.section, e.id) for e in DATASET.ecosystem]
    assert [c["id"] for c in doc["conflicts"]] == [c.id for c in DATASET.conflicts]
    assert doc["modelscope_summary"] == DATASET.modelscope_summary


def test_api_models_agree_with_the_data(built_site: Path) -> None:
    listed = {m["id"]: m for m in _json(built_site, "api/v1/models.json")["models"]}
    assert set(listed) == {m.id for m in DATASET.models}
    for m in DATASET.models:
        doc = listed[m.id]
        assert (doc["name"], doc["released"], doc["track"], doc["open_weights"]) == (m.name, m.released.iso, m.track, m.open_weights)
        assert [v["name"] for v in doc["variants"]] == [v.name for v in m.variants]
        assert [v.get("params_b") for v in doc["variants"]] == [v.params_b for v in m.variants]
        assert [(p["id"], p["relation"], p.get("note", "")) for p in doc["parents"]] == [(p.id, p.relation, p.note) for p in m.parents]
        assert [v.get("context") for v in doc["variants"]] == [v.context for v in m.variants]
        assert [v["open_weights"] for v in doc["variants"]] == [m.variant_open(v) for v in m.variants], "weights resolved"
        assert doc["secondary_sources_only"] == m.secondary_only
        single = _json(built_site, f"api/v1/models/{m.id}.json")
        assert single["model"] == doc, f"/api/v1/models/{m.id}.json must equal its entry in models.json"


def test_api_techniques_list_their_users(built_site: Path) -> None:
    for doc in _json(built_site, "api/v1/techniques.json")["techniques"]:
        assert doc["used_by"] == [m.id for m in DATASET.models_using(doc["id"])]


def test_csv_has_one_row_per_variant(built_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((built_site / "downloads" / "models.csv").read_text(encoding="utf-8"))))
    expected = [(m.id, v.name) for m in sorted(DATASET.models, key=lambda m: (m.released.value, m.id)) for v in m.variants]
    assert [(r["release_id"], r["variant"]) for r in rows] == expected
    for row in rows:
        model = DATASET.model(row["release_id"])
        variant = next(v for v in model.variants if v.name == row["variant"])
        assert row["license"] == variant.license and row["open_weights"] == str(model.variant_open(variant)).lower()
        assert row["params_b"] == ("" if variant.params_b is None else f"{variant.params_b:g}")


def _feed(site: Path) -> ET.Element:
    return ET.fromstring((site / "feed.xml").read_bytes())


def test_feed_is_valid_atom(built_site: Path) -> None:
    """The RFC 4287 rules: one id, title and updated per feed and entry, an author, dates in RFC 3339."""
    feed = _feed(built_site)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, f"atom:feed needs exactly one atom:{name} (RFC 4287 4.1.1)"
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None, "atom:feed needs an author when entries have none"
    self_links = [l for l in feed.findall(f"{ATOM}link") if l.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href").endswith("/feed.xml")
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, f"atom:entry needs exactly one atom:{name}"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated")) and RFC3339.match(entry.findtext(f"{ATOM}published"))
        alternates = [l for l in entry.findall(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1, "an entry without content needs exactly one alternate link (RFC 4287 4.1.2)"
        assert entry.find(f"{ATOM}summary") is not None
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)), "entry ids must be unique"


def test_feed_lists_every_release_newest_first(built_site: Path) -> None:
    entries = _feed(built_site).findall(f"{ATOM}entry")
    got = [e.findtext(f"{ATOM}id").rstrip("/").rsplit("/", 1)[1] for e in entries]
    want = [m.id for m in sorted(DATASET.models, key=lambda m: (m.released.value, m.id), reverse=True)]
    assert got == want


def test_every_page_announces_the_feed(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        if "charts" in page.relative_to(built_site).parts[:1] and page.parent.name != "charts":
            continue  # the standalone chart pages are for iframes
        html = page.read_text(encoding="utf-8")
        link = re.search(r'<link rel="([^"]*)" type="application/atom\+xml"[^>]* href="[^"]*feed\.xml"', html)
        assert link, f"{page.relative_to(built_site)} must link the feed"
        # Feed readers look for the "alternate" token; Material takes a rel of exactly "alternate" for another
        # language of the site and fetches and parses sitemap.xml for it on every page load.
        assert "alternate" in link.group(1).split() and link.group(1).lower() != "alternate", link.group(0)
