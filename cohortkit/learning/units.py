"""Translatable units of a Markdown body: one per heading, paragraph, list item or quote.

`split_units(markdown)` returns the units in order; each has a key that does not depend on
its text (`paragraph-2` is the second paragraph), so a corrected typo keeps its key.
Markdown structure (`## `, `- `, `1. `, `> `, indentation) stays out of the text, and so
do link and image targets: `see [the talk page](#questions)` becomes
`see <1>the talk page</1>` (image alt text too: `<2>a diagram</2>`). Code blocks, tables
and thematic breaks are not translated and are kept as they are.

`join_units(markdown, translations)` rebuilds the body from the source's structure with
each unit's text replaced by `translations[key]` when given; missing keys keep the source
text. `placeholder_problems(source, translated)` names placeholders a translation lost or
invented, for the translation editor to refuse.

Pure Python, no Django: the translations app and the tests call it directly.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

HEADING = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)([ \t]+#+[ \t]*)?$")
ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)(.*)$")
QUOTE = re.compile(r"^( {0,3}>[ \t]?)(.*)$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
BREAK = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
TABLE = re.compile(r"^ {0,3}\|")
LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)((?:\s+\"[^\"]*\")?)\)"
)
TAG = re.compile(r"<(\d+)>(.*?)</\1>", re.DOTALL)


@dataclass(frozen=True)
class Unit:
    key: str
    text: str
    kind: str  # "heading", "paragraph", "item" or "quote"


@dataclass
class _Piece:
    raw: str = ""  # kept verbatim when `kind` is empty
    kind: str = ""
    key: str = ""
    prefixes: list[str] = field(default_factory=list)  # one per line of the unit
    suffix: str = ""
    text: str = ""
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)  # n -> (bang, target)


def _extract_links(text: str) -> tuple[str, dict[str, tuple[str, str]]]:
    targets: dict[str, tuple[str, str]] = {}

    def replace(match: re.Match[str]) -> str:
        number = str(len(targets) + 1)
        targets[number] = (match.group(1), match.group(3) + match.group(4))
        return f"<{number}>{match.group(2)}</{number}>"

    return LINK.sub(replace, text), targets


def _restore_links(text: str, targets: Mapping[str, tuple[str, str]]) -> str:
    def replace(match: re.Match[str]) -> str:
        target = targets.get(match.group(1))
        if target is None:
            return match.group(0)
        return f"{target[0]}[{match.group(2)}]({target[1]})"

    return TAG.sub(replace, text)


def _parse(markdown: str) -> list[_Piece]:
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pieces: list[_Piece] = []
    counts: dict[str, int] = {}
    fence: str | None = None
    current: _Piece | None = None

    def start(kind: str, prefix: str, text: str, suffix: str = "") -> _Piece:
        counts[kind] = counts.get(kind, 0) + 1
        piece = _Piece(kind=kind, key=f"{kind}-{counts[kind]}", prefixes=[prefix], suffix=suffix)
        piece.text = text
        pieces.append(piece)
        return piece

    for line in lines:
        if fence is not None:
            pieces.append(_Piece(raw=line))
            if line.strip().startswith(fence):
                fence = None
            continue
        if opening := FENCE.match(line):
            fence = opening.group(1)[0] * 3
            current = None
            pieces.append(_Piece(raw=line))
            continue
        if not line.strip() or BREAK.match(line) or TABLE.match(line):
            current = None
            pieces.append(_Piece(raw=line))
            continue
        if (heading := HEADING.match(line)) and heading.group(2):
            start("heading", heading.group(1), heading.group(2), heading.group(3) or "")
            current = None
            continue
        if item := ITEM.match(line):
            current = start("item", item.group(1), item.group(2))
            continue
        if quote := QUOTE.match(line):
            if current is not None and current.kind == "quote":
                current.prefixes.append(quote.group(1))
                current.text += "\n" + quote.group(2)
            else:
                current = start("quote", quote.group(1), quote.group(2))
            continue
        if current is not None and current.kind in {"paragraph", "item"}:
            indent = line[: len(line) - len(line.lstrip())]
            current.prefixes.append(indent)
            current.text += "\n" + line.lstrip()
            continue
        indent = line[: len(line) - len(line.lstrip())]
        current = start("paragraph", indent, line.lstrip())
    for piece in pieces:
        if piece.kind:
            piece.text, piece.targets = _extract_links(piece.text)
    return pieces


def _continuation(piece: _Piece) -> str:
    """The prefix for a line a translation adds beyond the source's lines."""
    if piece.kind == "quote":
        return piece.prefixes[0]
    if len(piece.prefixes) > 1:
        return piece.prefixes[-1]
    if piece.kind == "item":
        return " " * len(piece.prefixes[0])
    return piece.prefixes[0]


def split_units(markdown: str) -> list[Unit]:
    """The translatable units of `markdown`, in order (see the module docstring)."""
    return [Unit(p.key, p.text, p.kind) for p in _parse(markdown) if p.kind]


def join_units(markdown: str, translations: Mapping[str, str]) -> str:
    """`markdown` with each unit's text replaced by `translations[unit.key]` when present."""
    out: list[str] = []
    for piece in _parse(markdown):
        if not piece.kind:
            out.append(piece.raw)
            continue
        text = _restore_links(translations.get(piece.key, piece.text), piece.targets)
        text_lines = text.replace("\r\n", "\n").split("\n")
        if piece.kind == "heading":
            text_lines = [" ".join(part.strip() for part in text_lines)]
        for index, line in enumerate(text_lines):
            prefix = piece.prefixes[index] if index < len(piece.prefixes) else _continuation(piece)
            out.append(prefix + line + (piece.suffix if index == len(text_lines) - 1 else ""))
    return "\n".join(out)


def placeholder_problems(source: str, translated: str) -> list[str]:
    """Placeholders (`<1>…</1>`) in one text and not the other, described for a person."""
    wanted = {match.group(1) for match in TAG.finditer(source)}
    found = {match.group(1) for match in TAG.finditer(translated)}
    problems = [f"missing <{n}>…</{n}>" for n in sorted(wanted - found, key=int)]
    problems += [f"unknown <{n}>…</{n}>" for n in sorted(found - wanted, key=int)]
    return problems
