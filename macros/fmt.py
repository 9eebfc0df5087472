"""Small, pure formatting helpers shared by tables and figures: labels, numbers, escaping."""

from __future__ import annotations

import html
import re

from .records import Dataset, Model, Variant

LICENCES = {
    "apache-2.0": "Apache 2.0",
    "tongyi-qianwen": "Tongyi Qianwen License",
    "tongyi-qianwen-research": "Tongyi Qianwen Research License",
    "qwen": "Qwen License",
    "qwen-research": "Qwen Research License",
    "qwen3.8-max": "Qwen3.8-Max License",
    "qwen-community-1.0": "Qwen Community License 1.0",
    "proprietary": "Proprietary (API only)",
    "not-verified": "Not verified",
}

TRACKS = {
    "base": "Base LLM",
    "coder": "Code",
    "math": "Math",
    "vision": "Vision-language",
    "audio": "Audio",
    "omni": "Omni",
    "reasoning": "Reasoning",
    "image": "Image generation",
    "embedding": "Embedding & rerank",
    "safety": "Safety",
    "api": "Hosted API",
    "speech": "Speech",
    "translation": "Translation",
    "embodied": "Embodied & driving",
    "agent": "Agents",
    "reward": "Reward models",
}

RELATIONS = {
    "successor": "successor of",
    "update": "update of",
    "specialisation": "specialisation of",
    "multimodal-extension": "multimodal extension of",
    "reasoning": "reasoning model from",
    "long-context": "long-context version of",
    "final-release": "final release of",
    "built-on": "built on",
    "distillation": "distilled from",
    "hosted-counterpart": "hosted counterpart of",
}

OTHER = "Other model lines"  # the generation of a release that descends from no numbered one

# Exactly the characters Markdown (with the site's extensions) lets a backslash escape: escaping any other
# leaves the backslash on the page.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def esc(text: object) -> str:
    """Escape a data string for HTML text or attribute values. Newlines become &#10; (the same white space
    to a browser), so data can never put a blank line, which ends an HTML block for Markdown, into a page."""
    return html.escape(str(text), quote=True).replace("\n", "&#10;")


def md(text: object) -> str:
    """Escape a data string for inline Markdown: no markup, no links, no HTML. Markdown's own characters are
    escaped first, so the entities esc() writes (&#x27;) keep their '#'."""
    return esc(_MD_SPECIAL.sub(r"\\\1", str(text)))


def number(value: float) -> str:
    """Trim a float: 7.0 -> '7', 0.5 -> '0.5'."""
    return f"{value:g}"


def params(value: float) -> str:
    """Parameters in billions as people write them: 0.5B, 72B, 2.4T."""
    return f"{number(value / 1000)}T" if value >= 1000 else f"{number(value)}B"


def size_label(v: Variant) -> str:
    """'72B', '57B-A14B', or '' when undisclosed."""
    if v.params_b is None:
        return ""
    total = params(v.params_b)
    return f"{total}-A{params(v.active_params_b)}" if v.active_params_b is not None else total


def sizes(m: Model) -> str:
    """Distinct disclosed sizes of a release, smallest first."""
    seen = sorted({(v.params_b, v.active_params_b or 0): size_label(v) for v in m.sized}.items())
    return " · ".join(label for _, label in seen)


def tokens(value: int) -> str:
    """Context length as people write it: 32K, 128K, 1M."""
    if value >= 1_000_000:
        return f"{number(round(value / 1_000_000, 2))}M"
    if value >= 1024 and value % 1024 == 0:
        return f"{value // 1024}K"
    return f"{number(round(value / 1000, 1))}K" if value >= 1000 else str(value)


def context(m: Model) -> str:
    """Native context, with the extended maximum when larger."""
    native, longest = m.native_context, m.longest_context
    if native is None:
        return f"up to {tokens(longest)}" if longest else ""
    return tokens(native) if longest in (None, native) else f"{tokens(native)} (up to {tokens(longest)})"


def weights(m: Model) -> str:
    """'Open', 'Closed', or 'Partly open' when variants differ."""
    states = {m.variant_open(v) for v in m.variants}
    return "Partly open" if len(states) > 1 else ("Open" if states == {True} else "Closed")


def licences(m: Model) -> str:
    return "; ".join(LICENCES[code] for code in m.licences)


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def generation(data: Dataset, m: Model, seen: frozenset[str] = frozenset()) -> str:
    """'Qwen3', 'Qwen2.5' … from the id, else the first parent's generation, else 'Other model lines'."""
    found = re.match(r"^(?:code)?qwen(\d+(?:\.\d+)?)", m.id)
    if found:
        return f"Qwen{found.group(1)}"
    if m.id == "qwen" or (m.id.startswith("qwen-") and not m.parents and m.released.value.year == 2023):
        return "Qwen (1.0)"
    by_id = data.by_id
    for p in m.parents:
        if p.id in by_id and p.id not in seen:
            return generation(data, by_id[p.id], seen | {m.id})
    return OTHER
