"""Build the site on synthetic data of 100, 1,000 and 10,000 releases and print wall time and peak memory
(of the MkDocs process) beside a plain Material site with the same number of pages, theme settings,
Markdown extensions and menu, and the ratios; then the CPU seconds each build kept the machine busy, and
the least wall time that leaves on this machine's cores. No assertions.

Usage: .venv/bin/python bench/build_scale.py [sizes ...] [--runs=N] [--images]   (default: 100 1000 10000; the
median of 3 builds up to 1,000 releases, 1 build above). The builds of one size are taken in turns, and each
ratio is the median of the run-by-run ratios. --images adds a build that draws every chart image into an
empty image cache (as CI builds a change to the data), reported beside the page build.
"""
from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.load import read_yaml  # noqa: E402

TRACKS = ["base", "coder", "math", "vision", "audio", "omni", "reasoning", "image", "embedding", "api"]
RELATIONS = ["successor", "update", "specialisation", "multimodal-extension", "built-on"]


def synthetic(n: int, out: Path) -> None:
    """Write a valid data folder with n releases (3 variants each on average), lineage and techniques."""
    rng = random.Random(n)
    techniques = read_yaml(ROOT / "data" / "techniques.yaml", "techniques.yaml").data
    tech_ids = [t["id"] for t in techniques]
    models, first_user = [], {}
    for i in range(n):
        day = f"{2023 + i * 3 // max(n, 1)}-{1 + (i * 7) % 12:02d}-{1 + (i * 11) % 28:02d}"
        sizes = sorted(rng.sample([0.5, 1.5, 3, 7, 14, 32, 72, 235, 480], rng.randint(1, 5)))
        used = rng.sample(tech_ids, rng.randint(0, 4))
        for t in used:
            first_user.setdefault(t, i)
        variants = [{"name": f"Syn-{i}-{s:g}B", "params_b": s, "context": rng.choice([32768, 131072, 262144]),
                     "license": "apache-2.0"} | ({"active_params_b": round(s / 10, 1)} if s > 100 else {}) for s in sizes]
        parents = [{"id": f"syn-{p:05d}", "relation": rng.choice(RELATIONS)} for p in sorted(rng.sample(range(i), min(i, rng.randint(0, 2))))]
        models.append({"id": f"syn-{i:05d}", "name": f"Syn {i}", "released": day, "track": rng.choice(TRACKS),
                       "architecture": "dense-and-moe", "modalities": {"input": ["text"], "output": ["text"]},
                       "open_weights": True, "summary": f"Synthetic release number {i} for the scale benchmark.",
                       "variants": variants, "techniques": used, "parents": parents, "links": {},
                       "sources": [{"url": f"https://example.org/syn/{i}", "kind": "primary"}]})
    models.sort(key=lambda m: m["released"])  # dates must be non-decreasing along the lineage
    order = {m["id"]: k for k, m in enumerate(models)}
    for m in models:
        m["parents"] = [p for p in m["parents"] if order[p["id"]] < order[m["id"]] and
                        models[order[p["id"]]]["released"] <= m["released"]]
    earliest = {}
    for m in models:
        for t in m["techniques"]:
            earliest.setdefault(t, m["id"])
    for t in techniques:
        if t["id"] not in earliest:
            models[0]["techniques"].append(t["id"])
            earliest[t["id"]] = models[0]["id"]
        t["first_release"] = earliest[t["id"]]
    models[0]["deep_dive_rows"] = ["Synthetic"]
    out.mkdir(parents=True)
    dump = lambda name, value: (out / name).write_text(yaml.safe_dump(value, sort_keys=False, allow_unicode=True), encoding="utf-8")  # noqa: E731
    dump("models.yaml", models)
    dump("techniques.yaml", techniques)
    dump("deep-dive-rows.yaml", [{"row": "Synthetic", "date_as_written": "2023", "open_weights_as_written": True}])
    for name in ("people.yaml", "errata.yaml", "milestones.yaml", "ecosystem.yaml"):
        data = read_yaml(ROOT / "data" / name, name).data
        strip = lambda entry: {k: v for k, v in entry.items() if k not in ("releases", "deep_dive_row")}  # noqa: E731
        if isinstance(data, list):
            data = [strip(e) for e in data]
            if name == "people.yaml":
                for e in data:
                    e["releases"] = []
            if name == "errata.yaml":
                data = [e | {"releases": [models[0]["id"]]} if not (e.get("people") or e.get("techniques")) else e for e in data]
        else:
            data = {k: ([strip(e) for e in v] if isinstance(v, list) else v) for k, v in data.items()}
        dump(name, data)


def _our_config() -> dict:
    """mkdocs.yml as data (!ENV values take their default)."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def plain_site(n: int, out: Path) -> int:
    """A plain Material project with as many pages as ours at n releases: the same theme settings, Markdown
    extensions, search and menu, one hand-written page per page of ours (same headings, a paragraph of text
    each) and one per release. No macros, hooks or generated files. Returns the page count."""
    ours = _our_config()
    docs = out / "docs"
    text = ("Some text about a model family: its releases, their sizes and context windows, the licences, and "
            "the sources each fact rests on, written by hand in Markdown.")
    pages = 0
    for page in sorted((ROOT / "docs").rglob("*.md")):
        rel = page.relative_to(ROOT / "docs")
        heads = [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("#")] or ["# Page"]
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("\n\n".join(f"{h}\n\n{text}" for h in heads) + "\n", encoding="utf-8")
        pages += 1
    (docs / "contributing.md").write_text(f"# Contributing\n\n{text}\n", encoding="utf-8")
    pages += 1
    (docs / "models").mkdir(parents=True, exist_ok=True)
    sections = ["Sizes and versions", "Lineage", "Techniques", "People", "Corrections to the deep-dive", "Sources"]
    for i in range(n):
        body = "\n\n".join(f"## {h}\n\n{text}" for h in sections)
        (docs / "models" / f"syn-{i:05d}.md").write_text(f"# Syn {i}\n\n{text}\n\n{body}\n", encoding="utf-8")
    pages += n
    config = {"site_name": "Plain", "site_url": "https://example.org/", "theme": {**ours["theme"], "custom_dir": None},
              "plugins": ["search"], "markdown_extensions": ours["markdown_extensions"], "nav": ours["nav"],
              "not_in_nav": "/models/syn-*"}
    config["theme"].pop("custom_dir")
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return pages


Run = tuple[float, float, float]  # wall seconds, peak resident MB, busy CPU seconds


def busy_cpu() -> float:
    """Seconds all CPUs of the machine have been busy since boot (Linux /proc/stat; 0 elsewhere). Counted
    machine-wide because Chromium's processes are not all children the build waits for, so anything else
    running during the bench counts too: run it on an otherwise idle machine."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()[1:8]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def timed_build(cwd: Path, site: Path, env: dict[str, str]) -> Run:
    """(wall seconds, peak resident MB of the MkDocs process, CPU seconds the machine was busy) of one
    `mkdocs build`."""
    cpu, start = busy_cpu(), time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                            cwd=cwd, env=env, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - start, busy_cpu() - cpu
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return wall, int(result.stderr.strip().splitlines()[-1]) / 1024, cpu


def interleaved_builds(builds: dict[str, tuple[Path, Path, dict[str, str], Path | None]], runs: int) -> dict[str, list[Run]]:
    """`runs` builds of each of `builds` (name -> project folder, site folder, environment, a folder to empty
    first), taken in turns (plain, ours, ours, plain, …) so that the machine speeding up or slowing down
    between runs (this VM does, by a third within minutes) hits every build alike and the ratios hold."""
    results: dict[str, list[Run]] = {name: [] for name in builds}
    for _ in range(runs):
        for name, (cwd, site, env, fresh) in builds.items():
            if fresh is not None:
                shutil.rmtree(fresh, ignore_errors=True)
            results[name].append(timed_build(cwd, site, env))
            shutil.rmtree(site, ignore_errors=True)
    return results


def median(runs: list[Run]) -> Run:
    """Median wall time, peak memory and busy CPU, each on its own."""
    wall, memory, cpu = (statistics.median(column) for column in zip(*runs))
    return wall, memory, cpu


def ratio(ours: list[Run], plain: list[Run]) -> float:
    """The median of the run-by-run ratios (each run of ours against the plain build taken just before it)."""
    return statistics.median(a[0] / b[0] for a, b in zip(ours, plain))


def main() -> None:
    images = "--images" in sys.argv[1:]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs_given = [int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--runs=")]
    sizes = [int(a) for a in args] or [100, 1000, 10000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            runs = runs_given[0] if runs_given else (3 if n <= 1000 else 1)
            base = Path(tmp) / str(n)
            synthetic(n, base / "data")
            pages = plain_site(n, base / "plain")
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "QWEN_LINEAGE_DATA": str(base / "data")}
            # Ours without chart images (as `make serve` builds it), then with all 56 exported into an empty image
            # cache (as CI builds a change to the data; a warm cache costs nothing). Both keep the theme's compiled
            # templates in the cache folder, as every build after the first does (the first run compiles them,
            # and CI restores them with the images).
            cache = {**env, "QWEN_LINEAGE_CACHE": str(base / "cache")}
            builds = {
                "plain": (base / "plain", base / "plain-site", {**os.environ, "NO_MKDOCS_2_WARNING": "1"}, None),
                "bare": (ROOT, base / "site", {**cache, "QWEN_LINEAGE_IMAGES": "off"}, None),
                # The same, with the finished HTML going through Markdown's and the search index's parsers
                # (macros/rawhtml.py off): what holding it back saves.
                "parsed": (ROOT, base / "site", {**cache, "QWEN_LINEAGE_IMAGES": "off", "QWEN_LINEAGE_PLAIN_HTML": "1"}, None),
            }
            if images:
                builds["full"] = (ROOT, base / "site", cache, base / "cache" / "charts")
            results = interleaved_builds(builds, runs)
            plain, bare = median(results["plain"]), median(results["bare"])
            full = median(results["full"]) if images else None
            rows.append((n, bare, full, plain))
            parsed = median(results["parsed"])
            line = (f"{n:>6} releases, {pages} pages, median of {runs} | plain Material {plain[0]:6.1f} s {plain[1]:5.0f} MB"
                    f" | ours, pages only {bare[0]:6.1f} s {bare[1]:5.0f} MB ({ratio(results['bare'], results['plain']):.2f}x)"
                    f" | without rawhtml {parsed[0]:6.1f} s ({ratio(results['parsed'], results['plain']):.2f}x)")
            if full is not None:
                line += (f" | ours, with a cold image export {full[0]:6.1f} s {full[1]:5.0f} MB"
                         f" ({ratio(results['full'], results['plain']):.2f}x)")
            print(line, flush=True)
            cores = os.cpu_count() or 1
            print(f"{'':>6} busy CPU, all processes | plain {plain[2]:5.1f} s | pages only {bare[2]:5.1f} s"
                  + (f" | with a cold image export {full[2]:5.1f} s (at least {full[2] / cores:.1f} s on {cores} cores)"
                     if full is not None else ""), flush=True)
            shutil.rmtree(base, ignore_errors=True)
    for (n1, a, b, p1), (n2, c, d, p2) in zip(rows, rows[1:]):
        print(f"growth {n1} -> {n2} releases ({n2 / n1:.0f}x data): pages only {c[0] / a[0]:.1f}x time"
              + (f", with images {d[0] / b[0]:.1f}x" if b is not None and d is not None else "")
              + f", plain Material {p2[0] / p1[0]:.1f}x")

if __name__ == "__main__":
    main()
