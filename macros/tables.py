"""Pure renderers: records in, Markdown/HTML strings out. Every data string is escaped."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import fmt
from .fmt import esc, md
from .records import Checked, Dataset, Erratum, Model, Person, Source, Technique

GROUPS = {"leadership": "Leadership", "core-research": "Core research and engineering", "specialised-leads": "Specialised technical leads"}
VERDICTS = {"corrected": "Corrected", "removed": "Removed", "unverifiable": "Unverifiable", "overstated": "Overstated"}
SECTIONS = {
    "timeline": "Release timeline",
    "architecture": "Architecture",
    "training": "Training",
    "team": "Team",
    "performance": "Performance",
    "ecosystem": "Ecosystem",
    "adoption": "Adoption",
}
ORIGINS = {"qwen": "Introduced by Qwen", "external": "Adopted from outside", "joint": "Joint work with Alibaba authors"}
ZH_STATUS = {"verified": "", "corrected": "corrected", "unverified": "unverified"}


def release_href(root: str, model_id: str) -> str:
    """Where a release is shown: its own page."""
    return f"{root}models/{esc(model_id)}/"


def release_link(root: str, m: Model) -> str:
    return f'<a href="{release_href(root, m.id)}">{esc(m.name)}</a>'


def sources_html(sources: Iterable[Source]) -> str:
    """Numbered source links, primary and secondary told apart by label, text and class (full list on the
    entry's page). Lean markup, as /timeline/ repeats it for every source of every release: the span styles
    its links, and only a secondary link carries a class."""
    items = []
    for n, s in enumerate(sources, 1):
        mark = "" if s.primary else ' class="ql-src--secondary"'
        items.append(f'<a{mark} href="{esc(s.url)}" aria-label="source {n}, {esc(s.kind)}">{n}{"" if s.primary else "s"}</a>')
    return '<span class="ql-srcs">' + " ".join(items) + "</span>"


def sources_list(sources: Iterable[Source]) -> str:
    """A full list of sources with kind, title and note."""
    rows = []
    for s in sources:
        note = f" — {esc(s.note)}" if s.note else ""
        rows.append(
            f'<li><span class="ql-kind ql-kind--{esc(s.kind)}">{esc(s.kind)}</span> '
            f'<a href="{esc(s.url)}" rel="noopener">{esc(s.title or s.url)}</a>{note}</li>'
        )
    return '<ul class="ql-sources">' + "".join(rows) + "</ul>"


def secondary_badge(entry_secondary_only: bool) -> str:
    return ' <span class="ql-badge ql-badge--secondary">secondary sources only</span>' if entry_secondary_only else ""


# ---------------------------------------------------------------- home


def headline_figures(data: Dataset) -> dict[str, str]:
    """The home page's figures, computed from the data."""
    models = sorted(data.models, key=lambda m: m.released.value)
    open_count = sum(1 for m in models if any(m.variant_open(v) for v in m.variants))
    sized = [(v, m) for m in models for v in m.sized]
    biggest, biggest_m = max(sized, key=lambda vm: vm[0].params_b or 0)
    longest_m = max((m for m in models if m.longest_context), key=lambda m: (m.longest_context, m.released.value))
    return {
        "releases": str(len(models)),
        "variants": str(sum(len(m.variants) for m in models)),
        "open_share": f"{open_count} of {len(models)} ({fmt.percent(open_count, len(models))})",
        "largest": f"{biggest.name} ({fmt.size_label(biggest)}, {biggest_m.variant_released(biggest).label})",
        "longest_context": f"{fmt.tokens(longest_m.longest_context or 0)} tokens ({longest_m.name})",
        "first": f"{models[0].name} ({models[0].released.label})",
        "latest": f"{models[-1].name} ({models[-1].released.label})",
        "people": str(len(data.people)),
        "techniques": str(len(data.techniques)),
        "errata": str(len(data.errata)),
    }


def checked_text(checked: Checked) -> str:
    """'6 Dec 2026 (sources read reach Oct 2026)': how current the data is."""
    return f"{checked.data_checked.label} (sources read reach {checked.checked_through.label})"


def currency_note(data: Dataset, root: str) -> str:
    """When the data was last checked against its sources, how far those sources reach, and what was checked."""
    if data.checked is None:
        return "<p>The data carries no date of its last check.</p>"
    c = data.checked
    return (
        f'<p class="ql-currency">Checked against its sources on <time datetime="{esc(c.data_checked.iso)}">'
        f"{esc(c.data_checked.label)}</time>; the sources that could be read reach "
        f'<time datetime="{esc(c.checked_through.iso)}">{esc(c.checked_through.label)}</time>. {esc(c.note)}</p>'
    )


LATEST = 5  # releases the home page lists


def first_sentence(text: str, at_least: int = 60) -> str:
    """A summary's short form: its first sentence, with the next ones while it is shorter than `at_least`
    characters ("An open driving model." says too little on its own)."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9“\"])", text.strip())
    out = sentences[0]
    for sentence in sentences[1:]:
        if len(out) >= at_least:
            break
        out += " " + sentence
    return out


def latest_releases(data: Dataset, root: str) -> str:
    """The newest releases, newest first: date, name, one line on each; then how current the data is."""
    latest = sorted(data.models, key=lambda m: (m.released.value, m.id), reverse=True)[:LATEST]
    items = "".join(
        f'<li><time datetime="{esc(m.released.iso)}">{esc(m.released.label)}</time>'
        f'<span class="ql-latest__what"><a href="{release_href(root, m.id)}">{esc(m.name)}</a>{secondary_badge(m.secondary_only)} '
        f'<span class="ql-latest__track">{esc(fmt.TRACKS[m.track])}</span></span>'
        f'<span class="ql-latest__summary">{esc(first_sentence(m.summary))}</span></li>'
        for m in latest
    )
    checked = (
        f'<p class="ql-currency">Data checked through <a href="{root}sources/#currency">'
        f'<time datetime="{esc(data.checked.data_checked.iso)}">{esc(data.checked.data_checked.label)}</time></a>; '
        f"the sources read reach {esc(data.checked.checked_through.label)}. "
        f'<a href="{root}timeline/">All {len(data.models)} releases</a> · <a href="{root}feed.xml">Atom feed of new releases</a></p>'
        if data.checked is not None
        else ""
    )
    return f'<ul class="ql-latest">{items}</ul>{checked}'


def headline_table(data: Dataset, root: str) -> str:
    """The home page's figures as a definition grid."""
    f = headline_figures(data)
    rows = [
        ("Releases tracked", f"{f['releases']} releases, {f['variants']} sizes and versions", f"{root}timeline/"),
        ("With open weights", f["open_share"], f"{root}timeline/"),
        ("Largest disclosed model", f["largest"], f"{root}timeline/"),
        ("Longest context", f["longest_context"], f"{root}timeline/"),
        ("First release", f["first"], f"{root}timeline/"),
        ("Latest release", f["latest"], f"{root}timeline/"),
        ("Techniques explained", f["techniques"], f"{root}techniques/"),
        ("Team profiles", f["people"], f"{root}team/"),
        ("Deep-dive claims corrected", f["errata"], f"{root}errata/"),
    ]
    if data.checked is not None:
        rows.append(("Data checked through", checked_text(data.checked), f"{root}sources/#currency"))
    cells = "".join(
        f'<div class="ql-figure"><dt><a href="{href}">{esc(label)}</a></dt><dd>{esc(value)}</dd></div>' for label, value, href in rows
    )
    return f'<dl class="ql-figures">{cells}</dl>'


# ---------------------------------------------------------------- timeline


def timeline_table(data: Dataset, root: str) -> str:
    """Every release, newest first, sortable and filterable by the site's own script."""
    errata_by_release: dict[str, list[Erratum]] = {}
    for e in data.errata:
        for r in e.releases:
            errata_by_release.setdefault(r, []).append(e)
    tracks = sorted({m.track for m in data.models}, key=lambda t: fmt.TRACKS[t])
    options = "".join(f'<option value="{esc(t)}">{esc(fmt.TRACKS[t])}</option>' for t in tracks)
    years = [m.released.value.year for m in data.models] or [0]
    year = f'type="number" inputmode="numeric" min="{min(years)}" max="{max(years)}" step="1"'
    size = 'type="number" inputmode="decimal" min="0" step="any"'
    # Each control's data-ql-filter is its query parameter (tables.js keeps them in the URL); data-ql-filters-chart
    # names the chart that follows the filter (charts.js, "ql-filter"). The rows carry what the filters read
    # (_timeline_row). Hidden until tables.js runs: without scripts every row shows, and no control that could do nothing.
    controls = (
        '<div class="ql-controls" data-ql-controls="timeline" data-ql-filters-chart="release-timeline" hidden>'
        '<label>Search <input type="search" data-ql-filter="search" placeholder="Name, size, licence…"></label>'
        f'<label>Track <select data-ql-filter="track"><option value="">All tracks</option>{options}</select></label>'
        '<label>Weights <select data-ql-filter="weights"><option value="">All</option><option value="Open">Open</option>'
        '<option value="Closed">Closed</option><option value="Partly open">Partly open</option></select></label>'
        f'<label>Min size (B) <input {size} data-ql-filter="min"></label>'
        f'<label>Max size (B) <input {size} data-ql-filter="max"></label>'
        f'<label>From year <input {year} data-ql-filter="from"></label>'
        f'<label>To year <input {year} data-ql-filter="to"></label>'
        '<span class="ql-controls__actions"><button type="button" class="ql-button" data-ql-clear>Clear filters</button>'
        '<button type="button" class="ql-button" data-ql-copy-link>Copy link</button></span>'
        '<output data-ql-count></output><span role="status" data-ql-copy-status></span></div>'
    )
    head = "".join(
        f'<th scope="col" data-ql-sort="{key}">{label}</th>'
        for key, label in (
            ("date", "Released"),
            ("text", "Release"),
            ("text", "Track"),
            ("num", "Sizes"),
            ("num", "Context"),
            ("text", "Weights"),
            ("text", "Licence"),
            ("none", "Sources"),
        )
    )
    rows = [
        _timeline_row(m, root, errata_by_release.get(m.id, []))
        for m in sorted(data.models, key=lambda m: (m.released.value, m.id), reverse=True)
    ]
    table = (
        f'<table class="ql-table ql-table--cards" data-ql-table="timeline"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    # Each release has its own searchable page: the table stays out of the search index, which every page loads.
    return f'{controls}\n\n<div class="ql-table-wrap" data-search-exclude>{table}</div>'


def _timeline_row(m: Model, root: str, errata: list[Erratum]) -> str:
    note = (
        f' <a class="ql-note" href="{release_href(root, m.id)}" aria-label="About the date of {esc(m.name)}">note</a>'
        if m.date_note
        else ""
    )  # the release page explains the date
    label = "erratum" if len(errata) == 1 else f"{len(errata)} errata"
    marks = (
        (
            f' <a class="ql-badge ql-badge--erratum" href="{root}errata/#{esc(errata[0].id)}" '
            f'title="The deep-dive got this release wrong; see the correction">{label}</a>'
        )
        if errata
        else ""
    )
    weights = fmt.weights(m)
    cells = [
        f'<td data-label="Released"><time datetime="{esc(m.released.iso)}">{esc(m.released.iso)}</time>{note}</td>',
        f'<th scope="row"><a href="{release_href(root, m.id)}">{esc(m.name)}</a>{secondary_badge(m.secondary_only)}{marks}</th>',
        f'<td data-label="Track">{esc(fmt.TRACKS[m.track])}</td>',
        f'<td data-label="Sizes" data-value="{m.largest_params_b or 0}">{esc(fmt.sizes(m)) or "undisclosed"}</td>',
        f'<td data-label="Context" data-value="{m.longest_context or 0}">{esc(fmt.context(m)) or "–"}</td>',
        f'<td data-label="Weights">{esc(weights)}</td>',
        f'<td data-label="Licence">{esc(fmt.licences(m))}</td>',
        f'<td data-label="Sources">{sources_html(m.sources)}</td>',
    ]
    # What tables.js filters on: track, weights, the release year and the largest disclosed size in billions
    # (0 when undisclosed: the schema keeps params_b above 0, and a size bound leaves such a release out).
    attrs = (
        f'data-track="{esc(m.track)}" data-weights="{esc(weights)}" data-year="{m.released.value.year}" '
        f'data-params="{m.largest_params_b or 0:g}"'
    )
    return f'<tr id="{esc(m.id)}" {attrs}>{"".join(cells)}</tr>'


# ---------------------------------------------------------------- techniques


def corrected_claims(errata: Iterable[Erratum], root: str) -> str:
    """Links to the errata that correct the deep-dive about an entry, or nothing."""
    links = ", ".join(f'<a href="{root}errata/#{esc(e.id)}">{esc(e.claim)}</a>' for e in errata)
    return f"<p><strong>Corrected claims:</strong> {links}</p>" if links else ""


def technique_sections(data: Dataset, root: str) -> str:
    """A Markdown section per technique with a stable anchor (its id)."""
    return "\n\n".join(_technique_section(t, data, root) for t in data.techniques)


def technique_index(data: Dataset, root: str) -> str:
    """A compact table of all techniques linking to their sections."""
    rows = "".join(
        f'<tr><th scope="row"><a href="#{esc(t.id)}">{esc(t.name)}</a></th><td>{esc(t.short)}</td>'
        f"<td>{esc(ORIGINS[t.origin])}</td><td>{len(data.models_using(t.id))}</td></tr>"
        for t in data.techniques
    )
    return (
        '<div class="ql-table-wrap"><table class="ql-table"><thead><tr><th scope="col">Technique</th>'
        '<th scope="col">Short</th><th scope="col">Origin</th><th scope="col">Releases using it</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _technique_section(t: Technique, data: Dataset, root: str) -> str:
    users = data.models_using(t.id)
    first = data.by_id.get(t.first_release)
    facts = [f"<dt>Origin</dt><dd>{esc(ORIGINS[t.origin])}</dd>"]
    if t.introduced_by:
        p = t.introduced_by
        title = f'<a href="{esc(p.url)}" rel="noopener">{esc(p.title)}</a>' if p.url else esc(p.title)
        who = ", ".join(esc(x) for x in (p.authors, p.organisation) if x)
        facts.append(
            f"<dt>Introduced in</dt><dd>{title} ({esc(who + ', ' if who else '')}{p.year}"
            f"{', arXiv ' + esc(p.arxiv) if p.arxiv else ''})</dd>"
        )
    if first:
        facts.append(f"<dt>First Qwen release</dt><dd>{release_link(root, first)} ({esc(first.released.label)})</dd>")
    facts.extend(f"<dt>{esc(k.label)}</dt><dd>{esc(k.value)}</dd>" for k in t.key_figures)
    used = ", ".join(release_link(root, m) for m in users) or "none recorded"
    errata = [e for e in data.errata if t.id in e.techniques]
    errata_html = corrected_claims(errata, root)
    return (
        f"## {md(t.name)} {{#{t.id}}}\n\n"
        f'<div class="ql-technique"><p>{esc(t.summary)}{secondary_badge(t.secondary_only)}</p>'
        f'<dl class="ql-facts">{"".join(facts)}</dl>'
        f"<p><strong>Used by {len(users)} release{'s' if len(users) != 1 else ''}:</strong> {used}</p>{errata_html}"
        f"<details data-search-exclude><summary>Sources</summary>{sources_list(t.sources)}</details></div>"
    )


# ---------------------------------------------------------------- team


def team_sections(data: Dataset, root: str) -> str:
    """Profiles grouped as the deep-dive groups them, each with a stable anchor."""
    parts = []
    for group, title in GROUPS.items():
        people = [p for p in data.people if p.group == group]
        if people:
            parts.append(f"## {title} {{#{group}}}\n\n" + "\n\n".join(_person(p, data, root) for p in people))
    return "\n\n".join(parts)


def _person(p: Person, data: Dataset, root: str) -> str:
    status = ZH_STATUS[p.name_zh_status]
    zh_mark = f' <span class="ql-badge ql-badge--{status}">{status}</span>' if status else ""
    aliases = f" · also known as {', '.join(esc(a) for a in p.aliases)}" if p.aliases else ""
    releases = ", ".join(release_link(root, data.by_id[r]) for r in p.releases if r in data.by_id)
    changes = "".join(
        f'<li><time datetime="{esc(s.date.iso)}">{esc(s.date.label)}</time>: {esc(s.event)} {sources_html(s.sources)}</li>'
        for s in p.status
    )
    errata = [e for e in data.errata if p.id in e.people]
    errata_html = corrected_claims(errata, root)
    return (
        f"### {md(p.name)} {{#{p.id}}}\n\n"
        f'<div class="ql-person"><p class="ql-person__names"><span lang="zh-Hans">{esc(p.name_zh)}</span>{zh_mark}{aliases}</p>'
        f'<p class="ql-person__role">{esc(p.role)}{secondary_badge(p.secondary_only)}</p>'
        f'<dl class="ql-facts"><dt>Areas</dt><dd>{esc(", ".join(p.areas))}</dd>'
        + (f"<dt>Releases</dt><dd>{releases}</dd>" if releases else "")
        + "</dl>"
        + "<ul>"
        + "".join(f"<li>{esc(b)}</li>" for b in p.background)
        + "</ul>"
        + (f'<p><strong>Status changes</strong></p><ul class="ql-status">{changes}</ul>' if changes else "")
        + errata_html
        + f"<details data-search-exclude><summary>Sources</summary>{sources_list(p.sources)}</details></div>"
    )


# ---------------------------------------------------------------- errata


def errata_sections(data: Dataset, root: str) -> str:
    """The deep-dive's refuted claims beside the verified facts, by section."""
    parts = []
    for section, title in SECTIONS.items():
        items = [e for e in data.errata if e.section == section]
        if items:
            parts.append(f"## {title} {{#section-{section}}}\n\n" + "".join(_erratum(e, data, root) for e in items))
    return "\n\n".join(parts)


def _erratum(e: Erratum, data: Dataset, root: str) -> str:
    concerns = [release_link(root, data.by_id[r]) for r in e.releases if r in data.by_id]
    concerns += [
        f'<a href="{root}team/#{esc(p)}">{esc(next(x.name for x in data.people if x.id == p))}</a>'
        for p in e.people
        if any(x.id == p for x in data.people)
    ]
    concerns += [
        f'<a href="{root}techniques/#{esc(t)}">{esc(next(x.name for x in data.techniques if x.id == t))}</a>'
        for t in e.techniques
        if any(x.id == t for x in data.techniques)
    ]
    row = f'<p class="ql-erratum__row">Deep-dive timeline row: “{esc(e.deep_dive_row)}”</p>' if e.deep_dive_row else ""
    return (
        f'<article class="ql-erratum" id="{esc(e.id)}">'
        f'<p class="ql-erratum__head"><span class="ql-badge ql-badge--{esc(e.verdict)}">{esc(VERDICTS[e.verdict])}</span> '
        f'<a class="ql-anchor" href="#{esc(e.id)}" aria-label="Link to this erratum">#</a></p>{row}'
        f'<div class="ql-erratum__pair"><div><p class="ql-label">The deep-dive says</p><p>{esc(e.claim)}</p></div>'
        f'<div><p class="ql-label">Verified</p><p>{esc(e.correction)}</p></div></div>'
        f'<p class="ql-erratum__meta">Concerns: {", ".join(concerns)} · Sources: {sources_html(e.sources)}</p></article>'
    )


def deep_dive_rows_table(data: Dataset, root: str) -> str:
    """Each deep-dive timeline row, its own date and weights claim, and where the site accounts for it."""
    body = []
    for entry in data.deep_dive:
        label = entry.row
        model = next((m for m in data.models if label in m.deep_dive_rows), None)
        erratum = next((e for e in data.errata if e.deep_dive_row == label), None)
        where = (
            f"release {release_link(root, model)}"
            if model
            else f'erratum <a href="#{esc(erratum.id)}">{esc(VERDICTS[erratum.verdict].lower())}</a>'
            if erratum
            else "<strong>not accounted for</strong>"
        )
        claimed = "open" if entry.open_weights_as_written else "closed"
        body.append(f"<tr><td>{esc(label)}</td><td>{esc(entry.date_as_written)}</td><td>{claimed}</td><td>{where}</td></tr>")
    return (
        '<div class="ql-table-wrap"><table class="ql-table"><thead><tr><th scope="col">Deep-dive row</th>'
        '<th scope="col">Date it gives</th><th scope="col">Weights it gives</th>'
        f'<th scope="col">On this site</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


# ---------------------------------------------------------------- sources


def sourcing_summary(data: Dataset, root: str) -> str:
    """How many entries rest on primary sources, and which rest on secondary ones only."""
    groups: list[tuple[str, Sequence[Any], str, Callable[[Any], str]]] = [
        ("Releases", data.models, "timeline/", lambda m: m.name),
        ("People", data.people, "team/", lambda p: p.name),
        ("Techniques", data.techniques, "techniques/", lambda t: t.name),
        ("Errata", data.errata, "errata/", lambda e: e.id),
    ]
    rows, weak = [], []
    for title, entries, page, name in groups:
        total = len(entries)
        secondary = [e for e in entries if e.secondary_only]
        urls = sum(len(e.sources) for e in entries)
        rows.append(
            f'<tr><th scope="row">{title}</th><td>{total}</td><td>{total - len(secondary)}</td>'
            f"<td>{len(secondary)}</td><td>{urls}</td></tr>"
        )
        weak += [f'<li><a href="{root}{page}#{esc(e.id)}">{esc(name(e))}</a> ({title.lower()[:-1]})</li>' for e in secondary]
    table = (
        '<div class="ql-table-wrap"><table class="ql-table"><thead><tr><th scope="col">Entries</th><th scope="col">Total</th>'
        '<th scope="col">With a primary source</th><th scope="col">Secondary sources only</th><th scope="col">Source links</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return table + ("<p><strong>Resting on secondary sources only:</strong></p><ul>" + "".join(weak) + "</ul>" if weak else "")


# ---------------------------------------------------------------- adoption and ecosystem

METRICS = {
    "cumulative-downloads": "Cumulative downloads",
    "monthly-downloads": "Monthly downloads",
    "period-downloads": "Downloads in a period",
    "download-share": "Share of open-model downloads",
    "download-rank": "Download rankings",
    "derivative-models": "Derivative models",
    "derivative-share": "Share of derivative models",
    "new-derivatives-per-day": "New derivatives per day",
    "gguf-conversions": "GGUF conversions",
    "open-models": "Open models published",
    "enterprise-customers": "Enterprise customers",
    "users": "Users",
    "arena-elo": "Arena Elo standings",
    "award": "Awards",
    "lead-change": "Overtaking Llama",
    "comparison": "Comparisons",
}
SECTIONS_ECO = {
    "tools": "Qwen's own tools",
    "integrations": "Inference and fine-tuning integrations",
    "partners": "Partners by sector",
    "events": "Events",
    "modelscope": "ModelScope",
    "landscape": "China's open model families",
}


def _verdict(verdict: str) -> str:
    """A visible mark for figures resting on secondary sources or on the deep-dive alone."""
    if verdict == "primary":
        return ""
    text = "secondary sources only" if verdict == "secondary" else "deep-dive only, unconfirmed"
    return f' <span class="ql-badge ql-badge--secondary">{text}</span>'


def milestone_tables(data: Dataset, root: str) -> str:
    """Every dated adoption figure, by metric, with its scope kept visible."""
    parts = []
    for metric, title in METRICS.items():
        items = sorted((m for m in data.milestones if m.metric == metric), key=lambda m: (m.date.value, m.id))
        if not items:
            continue
        rows = []
        for m in items:
            when = esc(m.date.label) + (" (approx.)" if m.approximate else "")
            note = " ".join(x for x in (m.caveat, m.note) if x)
            rows.append(
                f'<tr id="{esc(m.id)}"><td data-label="As of"><time datetime="{esc(m.date.iso)}">{when}</time></td>'
                f'<th scope="row">{esc(m.label)}{_verdict(m.verdict)}</th>'
                f'<td data-label="As stated">{esc(m.value_text)}</td>'
                f'<td data-label="Scope"><abbr title="{esc(m.scope_note)}">{esc(m.scope.replace("-", " "))}</abbr></td>'
                f'<td data-label="Sources">{sources_html(m.sources)}'
                + (f'<br><span class="ql-muted">{esc(note)}</span>' if note else "")
                + "</td></tr>"
            )
        head = "".join(f'<th scope="col">{h}</th>' for h in ("As of", "Figure", "As stated", "Scope", "Sources and caveats"))
        parts.append(
            f"## {title} {{#{metric}}}\n\n" + f'<div class="ql-table-wrap"><table class="ql-table ql-table--cards">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
    return "\n\n".join(parts)


def ecosystem_sections(data: Dataset, root: str) -> str:
    """Tools, integrations, partners, events, ModelScope figures and the landscape, each entry sourced."""
    parts = []
    models = {m.id: m for m in data.models}
    for section, title in SECTIONS_ECO.items():
        items = [e for e in data.ecosystem if e.section == section]
        if not items:
            continue
        cards = []
        for e in items:
            name = f'<a href="{esc(e.url)}" rel="noopener">{esc(e.title)}</a>' if e.url else esc(e.title)
            releases = ", ".join(release_link(root, models[r]) for r in e.releases if r in models)
            details = " · ".join(f"{esc(k)}: {esc(v)}" for k, v in e.details)
            cards.append(
                f'<li class="ql-eco" id="{esc(section)}-{esc(e.id)}"><p><strong>{name}</strong>'
                f' <span class="ql-muted">{esc(e.what.replace("-", " "))}</span>{_verdict(e.verdict)}</p>'
                + (f"<p>{esc(e.summary)}</p>" if e.summary else "")
                + (f'<p class="ql-muted">{details}</p>' if details else "")
                + (f"<p>Releases: {releases}</p>" if releases else "")
                + f'<p class="ql-muted">Sources: {sources_html(e.sources)}</p></li>'
            )
        lead = f"<p>{esc(data.modelscope_summary)}</p>" if section == "modelscope" and data.modelscope_summary else ""
        after = _conflicts(data) if section == "modelscope" else ""
        parts.append(f'## {title} {{#{section}}}\n\n{lead}<ul class="ql-eco-list">{"".join(cards)}</ul>{after}')
    return "\n\n".join(parts)


def _conflicts(data: Dataset) -> str:
    """Where sources disagree on a ModelScope figure, linked to the figures concerned."""
    items = "".join(
        f'<li id="modelscope-{esc(c.id)}">{esc(c.summary)} Figures: '
        + ", ".join(f'<a href="#modelscope-{esc(f)}">{esc(f)}</a>' for f in c.figures)
        + f" · Sources: {sources_html(c.sources)}</li>"
        for c in data.conflicts
    )
    return f'<p><strong>Where sources disagree</strong></p><ul class="ql-conflicts">{items}</ul>' if items else ""
