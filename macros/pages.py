"""Pure renderers for the page of each release (/models/<id>/) and the releases index (/models/)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import fmt
from .architecture import release_table
from .fmt import esc, md
from .records import Dataset, Model, Parent
from .tables import secondary_badge, sources_list

LINKS = {"blog": "Announcement", "repo": "Repository", "weights": "Weights", "paper": "Paper", "docs": "Documentation"}
ARCHITECTURES = {
    "dense": "Dense",
    "moe": "Mixture of experts",
    "dense-and-moe": "Dense and mixture-of-experts sizes",
    "hybrid": "Hybrid linear/full attention",
    "diffusion": "Diffusion (image generation)",
    "undisclosed": "Not disclosed",
}


def model_href(root: str, model_id: str) -> str:
    return f"{root}models/{esc(model_id)}/"


def _link(root: str, m: Model) -> str:
    return f'<a href="{model_href(root, m.id)}">{esc(m.name)}</a>'


def models_index(data: Dataset, root: str) -> str:
    """Every release grouped by generation, newest generation first."""
    groups: dict[str, list[Model]] = {}
    for m in sorted(data.models, key=lambda x: (x.released.value, x.id)):
        groups.setdefault(fmt.generation(data, m), []).append(m)
    order = sorted(groups, key=lambda g: (g == fmt.OTHER, -max(m.released.value.toordinal() for m in groups[g])))
    parts = []
    for g in order:
        slug = re.sub(r"[^a-z0-9]+", "-", g.lower()).strip("-")
        items = "".join(
            f'<li>{_link(root, m)} <span class="ql-muted">{esc(m.released.label)} · {esc(fmt.TRACKS[m.track])}'
            f" · {esc(fmt.weights(m).lower())}</span>{secondary_badge(m.secondary_only)}</li>"
            for m in groups[g]
        )
        parts.append(f'## {md(g)} {{#{slug}}}\n\n<ul class="ql-models">{items}</ul>')
    return "\n\n".join(parts)


def _section(title: str, anchor: str) -> str:
    """A section heading of a release page, out of search: the release's own entry is the lead and facts;
    parents, children, techniques, people and errata each have their own page and entry."""
    return f"## {title} {{#{anchor} data-search-exclude=1}}"


def release_page(data: Dataset, m: Model, root: str, edit_url: str) -> str:
    """The Markdown page of one release: the title and headings as Markdown, each block as escaped HTML. Its
    text comes from data, so the macros plugin must never render it as a template."""
    sources = (
        f"<div data-search-exclude>{sources_list(m.sources)}</div>"
        f'<p class="ql-edit"><a href="{esc(edit_url)}">Edit this entry</a> '
        f"(data/models.yaml, line {m.line}): correct a fact or add a source.</p>"
    )
    return (
        "\n\n".join(
            [
                "---\nrender_macros: false\n---",
                f"# {md(m.name)}",
                _lead(m) + _facts(m),
                _section("Sizes and versions", "sizes"),
                _variants(m),
                *((_section("Architecture", "architecture"), architecture) if (architecture := release_table(m)) else ()),
                _section("Lineage", "lineage"),
                f'<div class="ql-release-lineage">{lineage_diagram(data, m, root)}{_relations(data, m, root)}</div>',
                _section("Techniques", "techniques"),
                _techniques(data, m, root),
                _section("People", "people"),
                _people(data, m, root),
                _section("Corrections to the deep-dive", "errata"),
                _errata(data, m, root),
                _section("Sources", "sources"),
                sources,
            ]
        )
        + "\n"
    )


def _lead(m: Model) -> str:
    summary = esc(m.summary) if m.summary else ""
    return f'<p class="ql-lead">{summary}{secondary_badge(m.secondary_only)}</p>'


def _facts(m: Model) -> str:
    note = f' <span class="ql-muted">({esc(m.date_note)})</span>' if m.date_note else ""
    links = " · ".join(f'<a href="{esc(url)}" rel="noopener">{esc(LINKS[k])}</a>' for k, url in m.links.items())
    rows = [
        ("Released", f'<time datetime="{esc(m.released.iso)}">{esc(m.released.label)}</time>{note}'),
        ("Track", esc(fmt.TRACKS[m.track])),
        ("Architecture", esc(ARCHITECTURES[m.architecture])),
        ("Modalities", f"{esc(', '.join(m.modalities.input))} in → {esc(', '.join(m.modalities.output))} out"),
        ("Weights", esc(fmt.weights(m))),
        ("Licence", esc(fmt.licences(m))),
        ("Sizes", esc(fmt.sizes(m)) or "not disclosed"),
        ("Context", esc(fmt.context(m)) or "not stated"),
    ]
    if links:
        rows.append(("Links", links))
    return '<dl class="ql-facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _variants(m: Model) -> str:
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Name", "Parameters", "Active", "Context", "Longest context", "Licence", "Weights", "Released", "Flavours")
    )
    body = []
    for v in m.variants:
        cells = [
            f'<th scope="row">{esc(v.name)}</th>',
            f'<td data-label="Parameters">{esc(fmt.params(v.params_b)) if v.params_b else "–"}</td>',
            f'<td data-label="Active">{esc(fmt.params(v.active_params_b)) if v.active_params_b else "–"}</td>',
            f'<td data-label="Context">{esc(fmt.tokens(v.context)) if v.context else "–"}</td>',
            f'<td data-label="Longest context">{esc(fmt.tokens(v.context_max)) if v.context_max else "–"}</td>',
            f'<td data-label="Licence">{esc(fmt.LICENCES[v.license])}</td>',
            f'<td data-label="Weights">{"open" if m.variant_open(v) else "closed"}</td>',
            f'<td data-label="Released">{esc(m.variant_released(v).iso)}</td>',
            f'<td data-label="Flavours">{esc(", ".join(v.flavours)) or "–"}</td>',
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
        if v.note:
            body.append(f'<tr class="ql-note-row"><td colspan="9">{esc(v.note)}</td></tr>')
    return (
        f'<div class="ql-table-wrap" data-search-exclude><table class="ql-table ql-table--cards"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def compare_href(root: str, *ids: str) -> str:
    """The compare view of releases, side by side: /compare/?a=qwen2.5&b=qwen3."""
    keys = "abcdefgh"
    return f"{root}compare/?" + "&amp;".join(f"{keys[i]}={esc(i_d)}" for i, i_d in enumerate(ids))


def _relations(data: Dataset, m: Model, root: str) -> str:
    by_id = data.by_id
    parents = [
        f"<li>{esc(fmt.RELATIONS[p.relation])} {_link(root, by_id[p.id])}{_note(p)} · "
        f'<a class="ql-compare-link" href="{compare_href(root, p.id, m.id)}">compare the two</a></li>'
        for p in m.parents
        if p.id in by_id
    ]
    children = [
        f"<li>{_link(root, c)}: {esc(fmt.RELATIONS[p.relation])} this release{_note(p)}</li>"
        for c, p in sorted(data.children(m.id), key=lambda cp: (cp[0].released.value, cp[0].id))
    ]
    out = [
        f"<p><strong>Comes from</strong></p><ul>{''.join(parents)}</ul>"
        if parents
        else "<p>No parent release is recorded: sources name none.</p>"
    ]
    out.append(
        f"<p><strong>Led to</strong></p><ul>{''.join(children)}</ul>" if children else "<p>No later release names it as a parent yet.</p>"
    )
    return "".join(out)


def _note(p: Parent) -> str:
    return f' <span class="ql-muted">({esc(p.note)})</span>' if p.note else ""


def _techniques(data: Dataset, m: Model, root: str) -> str:
    by_id = {t.id: t for t in data.techniques}
    items = [
        f'<li><a href="{root}techniques/#{esc(t)}">{esc(by_id[t].name)}</a>'
        + (" (first used here)" if by_id[t].first_release == m.id else "")
        + "</li>"
        for t in m.techniques
        if t in by_id
    ]
    return f"<ul>{''.join(items)}</ul>" if items else "<p>No technique from the techniques page is recorded for this release.</p>"


def _people(data: Dataset, m: Model, root: str) -> str:
    people = [p for p in data.people if m.id in p.releases]
    items = "".join(
        f'<li><a href="{root}team/#{esc(p.id)}">{esc(p.name)}</a> <span lang="zh-Hans">{esc(p.name_zh)}</span>: {esc(p.role)}</li>'
        for p in people
    )
    return f"<ul>{items}</ul>" if items else "<p>No profile on the team page is tied to this release.</p>"


def _errata(data: Dataset, m: Model, root: str) -> str:
    errata = [e for e in data.errata if m.id in e.releases]
    rows = "".join(f'<li><a href="{root}errata/#{esc(e.id)}">{esc(e.claim)}</a> — {esc(e.correction)}</li>' for e in errata)
    accounted = ", ".join(f"“{esc(r)}”" for r in m.deep_dive_rows)
    lead = f"<p>This release accounts for the deep-dive's timeline row(s) {accounted}.</p>" if accounted else ""
    return lead + (f"<ul>{rows}</ul>" if rows else "<p>The deep-dive makes no claim about this release that sources refute.</p>")


# ---------------------------------------------------------------- the small lineage diagram


def lineage_diagram(data: Dataset, m: Model, root: str) -> str:
    """An inline SVG: parents on the left, the release in the middle, children on the right."""
    by_id = data.by_id
    left = [(by_id[p.id], p.relation) for p in m.parents if p.id in by_id]
    right = [(c, p.relation) for c, p in sorted(data.children(m.id), key=lambda cp: (cp[0].released.value, cp[0].id))]
    rows = max(len(left), len(right), 1)
    row_h, width, box_w, box_h = 46, 720, 200, 30
    height = rows * row_h + 20
    centre_y = height / 2
    parts = [
        f'<svg class="ql-lineage" data-search-exclude viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{esc(m.name)}: {len(left)} parent(s), {len(right)} child release(s)">'
    ]

    def node(x: float, y: float, model: Model, current: bool = False) -> str:
        label = model.name if len(model.name) <= 26 else model.name[:25] + "…"
        box = (
            f'<rect x="{x:.0f}" y="{y - box_h / 2:.0f}" width="{box_w}" height="{box_h}" rx="6" '
            f'class="ql-lineage__node{" ql-lineage__node--current" if current else ""}"/>'
            f'<text x="{x + box_w / 2:.0f}" y="{y + 5:.0f}" text-anchor="middle">{esc(label)}</text>'
        )
        # href, not xlink:href: Lighthouse's crawlable-anchors audit counts only href as a link.
        return box if current else f'<a href="{model_href(root, model.id)}">{box}</a>'

    def column(items: Iterable[tuple[Model, str]], x: float, edge_x: float, to_x: float, anchor: str) -> None:
        items = list(items)
        label_x = edge_x + (6 if anchor == "start" else -6)
        for i, (other, relation) in enumerate(items):
            y = (i + 0.5) * (height - 20) / len(items) + 10
            parts.append(
                f'<path d="M{edge_x:.0f},{y:.0f} C{(edge_x + to_x) / 2:.0f},{y:.0f} {(edge_x + to_x) / 2:.0f},'
                f'{centre_y:.0f} {to_x:.0f},{centre_y:.0f}" class="ql-lineage__edge"/>'
            )
            parts.append(
                f'<text x="{label_x:.0f}" y="{y - 6:.0f}" text-anchor="{anchor}" '
                f'class="ql-lineage__relation">{esc(relation.replace("-", " "))}</text>'
            )
            parts.append(node(x, y, other))

    column(left, 10, 10 + box_w, width / 2 - box_w / 2, "start")
    column(right, width - 10 - box_w, width - 10 - box_w, width / 2 + box_w / 2, "end")
    parts.append(node(width / 2 - box_w / 2, centre_y, m, current=True))
    parts.append("</svg>")
    return "".join(parts)
