"""Markdown to safe HTML: the one sanitiser for every text that may carry formatting.

Topics, instructions, submissions, feedback and the talk pages go through
`render_markdown`. markdown-it-py's "js-default" preset escapes raw HTML; `sanitise_html`
(nh3) then keeps only the tags listed here and, on them, only the attributes listed here:
every other attribute goes, among them htmx's `hx-*` (and `data-hx-*`), every `data-*`,
`id`, `class`, `style` (the CSP forbids it) and the `on*` event handlers. URLs keep only
http, https and mailto (or a same-site path), never a protocol-relative `//host` address;
every link gets a rel. Everything else a person types (help texts, labels, notices) is
plain text, escaped by the templates: see docs/security.md.
"""

from functools import cache, lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_ATTRIBUTES = {"href", "src"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def is_protocol_relative(url: str) -> bool:
    """`//host/path` (and `/\\host`, `\\\\host`, which browsers read the same way): a
    link to another site that looks like a path on this one."""
    squeezed = "".join(url.split())
    return len(squeezed) > 1 and squeezed[0] in "/\\" and squeezed[1] in "/\\"


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and is_protocol_relative(value):
        return None
    return value


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("js-default")


def sanitise_html(html: str) -> str:
    """`html` with only the allowed tags, attributes and URLs left."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        generic_attribute_prefixes=set(),
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


# Texts longer than this are rendered every time rather than kept (the cache holds at most
# RENDERED_KEPT of them per process, so a few megabytes).
RENDERED_KEPT = 2048
LONGEST_KEPT = 65_536


@lru_cache(maxsize=RENDERED_KEPT)
def _rendered(text: str) -> str:
    return sanitise_html(_parser().render(text))


def render_markdown(text: str) -> SafeString:
    """Safe HTML for Markdown `text`; raw HTML is shown as text, never interpreted.

    Rendering a topic costs about a millisecond, so the HTML is kept per process, keyed by
    the text itself: an edited source or translation is a different text, so a page never
    shows an old rendering (the same Markdown always gives the same HTML)."""
    text = str(text or "")
    cleaned = _rendered(text) if len(text) <= LONGEST_KEPT else _rendered.__wrapped__(text)
    return mark_safe(cleaned)  # noqa: S308 - sanitise_html has just removed everything unsafe
