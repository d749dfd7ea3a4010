"""Markdown to safe HTML for topics, instructions, submissions and the talk pages.

markdown-it-py's "js-default" preset escapes raw HTML; nh3 then keeps only the tags and
attributes listed here, only http/https/mailto (and relative) URLs, and adds a rel to
every link. Nothing typed can bring a script, an event handler, a style attribute (the
CSP forbids them) or a javascript: URL to a page.
"""

from functools import cache

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
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("js-default")


def render_markdown(text: str) -> SafeString:
    """Safe HTML for Markdown `text`; raw HTML is shown as text, never interpreted."""
    html = _parser().render(text or "")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just removed everything unsafe
