"""The contributor's path end to end: scaffold an entry, fill it in, validate, build, find it everywhere."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ROOT, mkdocs_build

pytestmark = pytest.mark.build
NEW_ID, NEW_NAME = "qwen9-example", "Qwen9-Example"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _fill(models: Path) -> None:
    """What a contributor does by hand after scaffolding: replace the placeholders with facts."""
    text = models.read_text(encoding="utf-8")
    entry_at = text.index(f"- id: {NEW_ID}")
    head, entry = text[:entry_at], text[entry_at:]
    replacements = [
        ("    TODO: say what the release is and what is new about it.", "    A test release that walks the contributor path."),
        ("  open_weights: false ", "  open_weights: true "),
        ("      license: not-verified ", "      license: apache-2.0\n      params_b: 9\n      context: 262144 "),
        ("  parents: [] ", "  parents: [{id: qwen3.8, relation: successor}] "),
        ("    - url: https://github.com/QwenLM  ", "    - url: https://github.com/QwenLM/Qwen9-Example  "),
    ]
    for old, new in replacements:
        assert old in entry, f"the scaffold no longer contains {old!r}: update this test with the template"
        entry = entry.replace(old, new, 1)
    kept = []
    for line in entry.splitlines():
        value, _, comment = line.partition("  # ")
        if "TODO" in comment:
            kept.append(value.rstrip())  # the contributor deletes the reminder
        elif "TODO" not in line:
            kept.append(line)
    models.write_text(head + "\n".join(kept) + "\n", encoding="utf-8")


def test_contributor_path(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    scaffold = _run("-m", "macros.new", "--id", NEW_ID, "--name", NEW_NAME, "--date", "2026-11-20", "--data", str(data))
    assert scaffold.returncode == 0, scaffold.stdout + scaffold.stderr
    _fill(data / "models.yaml")
    check = _run("-m", "macros.validate", str(data))
    assert check.returncode == 0, check.stderr
    os.environ["QWEN_LINEAGE_IMAGES"] = "off"  # images are tested elsewhere; this test is about the path
    try:
        result = mkdocs_build(tmp_path / "site", data)
    finally:
        del os.environ["QWEN_LINEAGE_IMAGES"]
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    timeline = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert f'<tr id="{NEW_ID}"' in timeline and NEW_NAME in timeline, "the release must be on the timeline"
    page = (site / "models" / NEW_ID / "index.html").read_text(encoding="utf-8")
    assert NEW_NAME in page and "A test release that walks the contributor path." in page and "successor of" in page
    listed = json.loads((site / "api" / "v1" / "models.json").read_text(encoding="utf-8"))["models"]
    assert any(m["id"] == NEW_ID and m["variants"][0]["params_b"] == 9 for m in listed), "the API must list it"
    assert (site / "api" / "v1" / "models" / f"{NEW_ID}.json").is_file()
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "models.csv").read_text(encoding="utf-8"))))
    assert any(r["release_id"] == NEW_ID and r["license"] == "apache-2.0" for r in rows), "the CSV must have its variant"
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert f"models/{NEW_ID}/" in feed and feed.index(NEW_NAME) < feed.index("<entry>") + 400, "newest entry first in the feed"
