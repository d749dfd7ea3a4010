"""Split Markdown into translatable units and put translated units back.

Pure functions, no Django. A unit is the inline text of a heading, a paragraph or a list
item; block structure (the `## `, `- `, `> ` markers, code blocks) stays out of the text to
translate, and so do link targets: `[talk page](#questions)` becomes `<a1>talk page</a1>`,
and an image `![alt](src)` becomes `<img1/>`. `join_units` restores both.

(The learning app may grow its own splitter for rendering; this one is what translation
keys are built from, so its output must stay stable.)
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark")
_LINK = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*(<[^>]*>|[^\s)]*)(\s+\"[^\"]*\")?\s*\)")
_TAG = re.compile(r"<a(\d+)>(.*?)</a\1>|<img(\d+)/>", re.DOTALL)
_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]")


@dataclass(frozen=True)
class MarkdownUnit:
    kind: str  # "heading", "paragraph" or "list-item"
    text: str  # what a translator sees: inline Markdown with links as <aN>…</aN>
    first_line: int
    content_lines: int
    end_line: int
    prefix: str
    targets: tuple[str, ...]  # link and image targets, numbered from 1


def protect_links(inline: str) -> tuple[str, tuple[str, ...]]:
    """Replace link and image targets by numbered tags; return the text and the targets."""
    targets: list[str] = []

    def replace(match: re.Match[str]) -> str:
        bang, label, target, title = match.groups()
        targets.append(target + (title or ""))
        number = len(targets)
        if bang:
            # The alt text stays with the target: it describes the same picture.
            targets[-1] = f"{label}\0{targets[-1]}"
            return f"<img{number}/>"
        return f"<a{number}>{label}</a{number}>"

    return _LINK.sub(replace, inline), tuple(targets)


def restore_links(text: str, targets: tuple[str, ...]) -> str:
    """The inverse of `protect_links` (tags whose number has no target are left as they are)."""

    def replace(match: re.Match[str]) -> str:
        link_number, label, image_number = match.groups()
        number = int(link_number or image_number)
        if not 1 <= number <= len(targets):
            return match.group(0)
        target = targets[number - 1]
        if image_number:
            alt, _, src = target.partition("\0")
            return f"![{alt}]({src})"
        return f"[{label}]({target})"

    return _TAG.sub(replace, text)


def split_units(markdown: str) -> list[MarkdownUnit]:
    """The translatable units of a Markdown text, in reading order.

    Kept per process keyed by the text (a page shows the same topics over and over, and
    parsing is most of the cost of showing a translated one): the same text always splits
    the same way, so an edit, being a new text, is split afresh."""
    if len(markdown) > _LONGEST_KEPT:
        return list(_split.__wrapped__(markdown))
    return list(_split(str(markdown)))


_LONGEST_KEPT = 65_536


@lru_cache(maxsize=2048)
def _split(markdown: str) -> tuple[MarkdownUnit, ...]:
    lines = markdown.split("\n")
    tokens = _PARSER.parse(markdown)
    units: list[MarkdownUnit] = []
    open_items = 0
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            open_items += 1
        elif token.type == "list_item_close":
            open_items -= 1
        if token.type not in {"heading_open", "paragraph_open"} or token.map is None:
            continue
        inline = tokens[index + 1]
        content = inline.content
        if not content.strip():
            continue
        start, end = token.map
        first = content.split("\n")[0]
        position = lines[start].find(first)
        prefix = lines[start][: max(position, 0)]
        kind = (
            "heading"
            if token.type == "heading_open"
            else "list-item"
            if open_items
            else "paragraph"
        )
        text, targets = protect_links(content)
        units.append(
            MarkdownUnit(
                kind=kind,
                text=text,
                first_line=start,
                content_lines=content.count("\n") + 1,
                end_line=end,
                prefix=prefix,
                targets=targets,
            )
        )
    return tuple(units)


def join_units(markdown: str, texts: list[str | None]) -> str:
    """`markdown` with unit i's text replaced by texts[i] (None keeps the source's)."""
    units = split_units(markdown)
    if len(texts) != len(units):
        raise ValueError(f"expected {len(units)} texts, got {len(texts)}")
    lines = markdown.split("\n")
    for unit, text in reversed(list(zip(units, texts, strict=True))):
        if text is None:
            continue
        restored = restore_links(text, unit.targets)
        if unit.kind == "heading":
            new = [unit.prefix + " ".join(restored.split())]
        else:
            indent = _MARKER.sub(lambda m: " " * len(m.group()), unit.prefix)
            parts = [part.strip() for part in restored.strip().split("\n")]
            new = [unit.prefix + parts[0], *(indent + part for part in parts[1:])]
        start = unit.first_line
        lines[start : start + unit.content_lines] = new
    return "\n".join(lines)
