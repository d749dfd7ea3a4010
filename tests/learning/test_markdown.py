import re
from html.parser import HTMLParser

import pytest

from cohortkit.learning.markdown import TAGS, render_markdown, sanitise_html
from tests.payloads import naughty_strings, xss_payloads

ALLOWED_TAGS = TAGS
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"attribute {name}")
            if name in {"href", "src"} and value:
                scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    self.problems.append(f"url {value}")


def dangerous_bits(html: str) -> list[str]:
    """Tags, attributes and URL schemes a browser could run; escaped text is harmless."""
    parser = _Tags()
    parser.feed(html)
    return parser.problems


def test_every_xss_payload_renders_without_scripts_handlers_or_javascript_urls() -> None:
    payloads = xss_payloads()
    assert len(payloads) > 100
    for payload in payloads:
        for text in (payload, f"[click]({payload})", f"![x]({payload})", f"**{payload}**"):
            assert dangerous_bits(str(render_markdown(text))) == [], text


def test_naughty_strings_render_and_keep_their_text() -> None:
    for text in naughty_strings():
        html = str(render_markdown(text))
        assert dangerous_bits(html) == [], text


def test_raw_html_is_shown_as_text_not_interpreted() -> None:
    assert (
        str(render_markdown("<b onclick=alert(1)>hi</b>"))
        == "<p>&lt;b onclick=alert(1)&gt;hi&lt;/b&gt;</p>\n"
    )


def test_links_get_rel_and_javascript_urls_are_dropped() -> None:
    assert str(render_markdown("[a](https://example.org) [b](javascript:alert(1))")) == (
        '<p><a href="https://example.org" rel="noopener noreferrer nofollow">a</a> '
        "[b](javascript:alert(1))</p>\n"
    )


def test_table_alignment_styles_are_removed_for_the_csp() -> None:
    html = str(render_markdown("| a |\n|:-|\n| 1 |"))
    assert "style" not in html
    assert "<td>1</td>" in html


@pytest.mark.parametrize(
    "url", ["mailto:a@example.org", "/courses/x/y/learn/files/1/", "#questions"]
)
def test_safe_urls_survive(url: str) -> None:
    assert f'href="{url}"' in str(render_markdown(f"[a]({url})"))


def test_sanitiser_keeps_only_listed_attributes_dropping_htmx_data_and_handlers() -> None:
    html = (
        '<p hx-post="/withdraw/" hx-trigger="load" data-hx-get="/x" data-role="y" id="i" '
        'class="c" style="color:red" onclick="go()">text</p>'
        '<a href="https://example.org/" title="t" hx-get="/x" target="_blank">link</a>'
        '<img src="/media/a.png" alt="a" data-src="/b.png" onerror="go()" width="9">'
    )

    assert sanitise_html(html) == (
        "<p>text</p>"
        '<a href="https://example.org/" title="t" rel="noopener noreferrer nofollow">link</a>'
        '<img src="/media/a.png" alt="a">'
    )


@pytest.mark.parametrize("url", ["//evil.example/x", " //evil.example", "/\\evil.example"])
def test_protocol_relative_urls_are_dropped(url: str) -> None:
    assert sanitise_html(f'<a href="{url}">a</a><img src="{url}" alt="b">') == (
        '<a rel="noopener noreferrer nofollow">a</a><img alt="b">'
    )


def test_protocol_relative_markdown_links_are_dropped() -> None:
    assert str(render_markdown("[a](//evil.example/x) ![b](//evil.example/p.png)")) == (
        '<p><a rel="noopener noreferrer nofollow">a</a> <img alt="b"></p>\n'
    )
