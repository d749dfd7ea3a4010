"""A hostile course text and a check that none of it is live on a rendered page.

`HOSTILE` carries everything a translator or coordinator could try to bring to life: an
htmx element that posts on load, an image with an event handler, a script, a javascript:
link, a protocol-relative link. Each live part names `MARKER`, so that a page's own
`hx-post` forms are never mistaken for the payload.

`live_elements(html)` parses the page (Python's html.parser, which tokenises tags and
attributes like a browser) and returns every element that came from the payload and could
act: a script, or an element with an `hx-*`, `data-*` or `on*` attribute, or with a
javascript: or protocol-relative URL. Escaped text is never an element, so a page that shows
the payload as text has none.
"""

from html.parser import HTMLParser

MARKER = "PWNED"
HOSTILE = (
    f'<div hx-post="/{MARKER}/withdraw/" hx-trigger="load" hx-target="body">{MARKER}</div>'
    f'<img src="x" onerror="alert(\'{MARKER}\')">'
    f'<script>alert("{MARKER}")</script>'
    f"<a href=\"javascript:alert('{MARKER}')\">{MARKER} link</a>"
    f'<a href="//evil.example/{MARKER}" data-hx-post="/{MARKER}">{MARKER} away</a>'
    f"[{MARKER} md](javascript:alert('{MARKER}'))"
)
# The same attacks in fewer characters, for fields with a length limit (PostgreSQL enforces
# a CharField's max_length; SQLite does not, so a test must fit the payload to the field).
HOSTILE_SHORT = (
    f'<div hx-post="/{MARKER}/" hx-trigger="load">{MARKER}</div>'
    f"<img src=x onerror=\"alert('{MARKER}')\">"
    f'<script>alert("{MARKER}")</script>'
    f'<a href="//evil.example/{MARKER}" data-hx-get="/{MARKER}">{MARKER}</a>'
)


def hostile_for(model: type, field: str) -> str:
    """The hostile string that fits `model.field` (the whole one where there is no limit)."""
    limit = model._meta.get_field(field).max_length  # type: ignore[attr-defined]
    if limit is None or len(HOSTILE) <= limit:
        return HOSTILE
    assert len(HOSTILE_SHORT) <= limit, f"{model.__name__}.{field} is too short for the payload"
    return HOSTILE_SHORT


ACTIVE_TAGS = {"script", "iframe", "object", "embed", "base", "meta", "link", "form", "svg"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}


def _is_active_attribute(name: str, value: str) -> bool:
    if name.startswith(("hx-", "data-", "on")):
        return True
    if name in URL_ATTRIBUTES:
        squeezed = "".join(value.split()).lower()
        return squeezed.startswith(("javascript:", "//", "vbscript:", "data:"))
    return False


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        from_payload = any(MARKER in value for value in values.values())
        if tag == "script":
            self._in_script = True
            if from_payload:
                self.live.append(self.get_starttag_text() or tag)
            return
        if from_payload and (
            tag in ACTIVE_TAGS
            or any(_is_active_attribute(name, value) for name, value in values.items())
        ):
            self.live.append(self.get_starttag_text() or tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and MARKER in data:
            self.live.append(f"<script>{data}</script>")


def live_elements(html: str) -> list[str]:
    """The payload's elements that are live in `html` (an empty list when it is all text)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.live
