r"""Unit texts in the message syntax of JSON bundles (banana-i18n, MediaWiki), and back.

Pure functions, no Django. A unit's text carries its links as `<aN>words</aN>` and its
images as `<imgN/>` (see `markdown_units`); banana-i18n, the library that reads these
bundles, cannot parse those and stops at the first one. In a bundle they are written in
the bundle's own syntax, numbered as the unit's targets are, so a reader passes target N
as parameter N:

- a link, `<a1>talk page</a1>`, is an external link on a parameter: `[$1 talk page]`
  (an empty label is written `[$1 $1]`, the address as its own words);
- an image, `<img2/>`, is the parameter itself: `$2`.

Every other character is text. The ones banana's grammar reads as markup (`$ { } [ ] < \`)
are written as HTML character references (`&#36;`, `&lt;`, ...), which read the same
whether the parser takes its full grammar or the plain `$N` path and whether a reader
turns wiki links on or not; an `&` that would start a reference is written `&amp;`.
`from_bundle(to_bundle(text)) == text` for every text.

Reading a translator's message is lenient where banana's plain path is: a `[` that does
not open `[$N words]` is a bracket, a `<` a less-than sign.
"""

import html
import re

_TAG = re.compile(r"<a(\d+)>(.*?)</a\1>|<img(\d+)/>", re.DOTALL)
_MARKUP = {"$": "&#36;", "{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"}
_MARKUP |= {"<": "&lt;", "\\": "&#92;"}
# JavaScript's \s: banana skips these after a link's target.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_LINK_START = re.compile(rf"\[\$(\d+)[{_JS_SPACE}]+")
_PARAMETER = re.compile(r"\$(\d+)")
# Python's html module (and a browser) reads these as character references.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


def _decode_reference(match: re.Match[str]) -> str:
    body = match.group(1)
    if body.startswith("#"):
        digits = body[1:].rstrip(";")
        number = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
        if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF:
            return chr(number)
        return match.group(0)
    return html.unescape(match.group(0))


def decode_references(text: str) -> str:
    """`text` with its character references read, numeric ones exactly (`&#11;` is a
    vertical tab, where HTML would drop it)."""
    return _CHARREF.sub(_decode_reference, text)


def _escape_text(text: str) -> str:
    out = []
    for index, char in enumerate(text):
        if char == "&":
            end = text.find("&", index + 1)
            rest = text[index : end if end >= 0 else len(text)]
            out.append("&amp;" if decode_references(rest) != rest else "&")
        else:
            out.append(_MARKUP.get(char, char))
    return "".join(out)


def _escape_label_start(label: str) -> str:
    # banana skips every space after `[$N`; a label's own leading spaces are references.
    stripped = re.sub(rf"^[{_JS_SPACE}]+", "", label)
    leading = label[: len(label) - len(stripped)]
    return "".join(f"&#{ord(char)};" for char in leading) + stripped


def to_bundle(text: str) -> str:
    """A unit's text as a bundle message."""
    out: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        out.append(_escape_text(text[position : match.start()]))
        link, label, image = match.groups()
        if image:
            out.append(f"${image}")
        elif label:
            out.append(f"[${link} {_escape_label_start(to_bundle(label))}]")
        else:
            out.append(f"[${link} ${link}]")
        position = match.end()
        # A digit right after `$N` would join its number.
        if image and text[position : position + 1].isdigit():
            out.append(f"&#{ord(text[position])};")
            position += 1
    out.append(_escape_text(text[position:]))
    return "".join(out)


def _read(message: str, position: int, *, in_label: bool) -> tuple[str, int] | None:
    """Read from `position` to the end (or, in a link's label, to its `]`); None when a
    label has no `]`."""
    out: list[str] = []
    text_start = position

    def flush(end: int) -> None:
        out.append(decode_references(message[text_start:end]))

    while position < len(message):
        char = message[position]
        if in_label and char == "]":
            flush(position)
            return "".join(out), position + 1
        if char == "[" and (start := _LINK_START.match(message, position)):
            number = start.group(1)
            read = _read(message, start.end(), in_label=True)
            if read is not None:
                flush(position)
                label, position = read
                out.append(f"<a{number}>{'' if label == f'<img{number}/>' else label}</a{number}>")
                text_start = position
                continue
        if char == "$" and (parameter := _PARAMETER.match(message, position)):
            flush(position)
            out.append(f"<img{parameter.group(1)}/>")
            position = text_start = parameter.end()
            continue
        position += 1
    if in_label:
        return None
    flush(position)
    return "".join(out), position


def from_bundle(message: str) -> str:
    """A bundle message as a unit's text."""
    read = _read(message, 0, in_label=False)
    assert read is not None  # noqa: S101 - only a label can lack its end
    return read[0]
