"""JSON message bundles read by banana-i18n, the library their readers use (from the npm
registry, installed into node_modules by scripts/system-deps and run with node).

Every message of the demo course and of the hostile strings must parse, with wiki links
on and off, and render back to the unit's text: links as <a href> on the parameter of the
same number, images as their parameter, every other character as itself.
"""

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortkit.courses.demo import load_demo
from cohortkit.courses.models import Course
from cohortkit.translations.bundle_markup import decode_references, from_bundle, to_bundle
from cohortkit.translations.exchange import (
    ImportRejected,
    export_file,
    import_translations,
    parse_file,
)
from cohortkit.translations.models import SourceUnit, State, Translation
from tests.factories import CourseFactory
from tests.factories.translations import SourceUnitFactory, TranslationFactory
from tests.payloads import naughty_strings

ROOT = Path(__file__).resolve().parents[2]
BANANA = ROOT / "node_modules" / "banana-i18n" / "package.json"
RENDER = Path(__file__).with_name("banana_render.mjs")
_AT = datetime(2026, 1, 5, 12, tzinfo=UTC)
_NUMBER = re.compile(r"<a(\d+)>|<img(\d+)/>")


def _parameters(text: str) -> list[str]:
    """Target N as parameter N: a marker banana passes through, read back below."""
    numbers = [int(a or image) for a, image in _NUMBER.findall(text)]
    return [f"\ue000{n}\ue001" for n in range(1, max(numbers, default=0) + 1)]


def banana(messages: dict[str, str], texts: dict[str, str], *, locale: str, wikilinks: bool):
    node = shutil.which("node")
    assert node, "node is needed to run banana-i18n (Debian's nodejs, with npm)"
    assert BANANA.exists(), "banana-i18n is installed by scripts/system-deps (npm ci)"
    request = {
        "locale": locale,
        "wikilinks": wikilinks,
        "messages": messages,
        "parameters": {key: _parameters(text) for key, text in texts.items()},
    }
    done = subprocess.run(  # noqa: S603 - a fixed program on our own data
        [node, str(RENDER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


class _Reader(HTMLParser):
    """banana's HTML back into a unit's text: <a href=marker N> is <aN>, a bare marker
    <imgN/>, text with its character references read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "a", tag
        number = re.fullmatch("\ue000(\\d+)\ue001", dict(attrs)["href"] or "")
        assert number, attrs
        self.links.append(number.group(1))
        self.out.append(f"<a{number.group(1)}>")

    def handle_endtag(self, tag: str) -> None:
        assert tag == "a", tag
        number = self.links.pop()
        label = f"<img{number}/>"
        if self.out[-1] == label and self.out[-2] == f"<a{number}>":
            self.out.pop()  # [$N $N]: a link with no words of its own
        self.out.append(f"</a{number}>")

    def handle_data(self, data: str) -> None:
        parts = re.split("\ue000(\\d+)\ue001", data)
        for index, part in enumerate(parts):
            if part:
                self.out.append(f"<img{part}/>" if index % 2 else part)

    def handle_entityref(self, name: str) -> None:
        self.out.append(decode_references(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.out.append(decode_references(f"&#{name};"))


def read_html(rendered: str) -> str:
    reader = _Reader()
    # HTMLParser would read "<" + letter in text as a tag; banana's text has none (&lt;).
    reader.feed(rendered)
    reader.close()
    return "".join(reader.out)


def check_with_banana(messages: dict[str, str], texts: dict[str, str], *, locale: str) -> None:
    """Every message parses with wiki links off, and renders to its text with them on."""
    plain = banana(messages, texts, locale=locale, wikilinks=False)
    assert {key: result for key, result in plain.items() if "error" in result} == {}
    linked = banana(messages, texts, locale=locale, wikilinks=True)
    assert {key: result for key, result in linked.items() if "error" in result} == {}
    rendered = {key: read_html(result["html"]) for key, result in linked.items()}
    assert {k: v for k, v in rendered.items() if v != texts[k]} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_demo_message_parses_and_renders_with_banana_i18n(language: str) -> None:
    load_demo()
    course = Course.objects.get(slug="partnership-building")
    bundle = json.loads(export_file(course, language=language, file_format="bundle"))
    bundle.pop("@metadata")
    units = SourceUnit.objects.current().filter(course=course)
    if language == course.language:
        texts = dict(units.values_list("key", "text"))
    else:
        texts = {
            unit.key: translation.text
            for unit in units.prefetch_related("translations")
            for translation in unit.translations.all()
            if translation.language == language and translation.state != State.OUTDATED
        }
    linked = [key for key, text in texts.items() if "<a1>" in text]

    check_with_banana(bundle, texts, locale=language)

    assert len(bundle) == len(texts) > 500
    assert len(linked) > 50  # the messages banana could not parse before
    assert [
        (e.key, e.text) for e in parse_file(json.dumps(bundle).encode(), language=language)
    ] == [(key, texts[key]) for key in bundle]


def test_hostile_texts_with_links_and_images_parse_and_render_with_banana_i18n() -> None:
    texts = {}
    for index, hostile in enumerate(naughty_strings()):
        texts[f"plain.{index}"] = hostile
        texts[f"link.{index}"] = f"<a1>{hostile}</a1> and <img2/>{hostile}<a3>x</a3>"
    messages = {key: to_bundle(text) for key, text in texts.items()}

    check_with_banana(messages, texts, locale="ar")

    assert {key: from_bundle(message) for key, message in messages.items()} == texts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("See the <a1>talk page</a1>.", "See the [$1 talk page]."),
        ("<img1/> Map", "$1 Map"),
        ("<img1/>2021", "$1&#50;021"),
        ("Costs $5 {{ name }} [x] <b> a\\b", "Costs &#36;5 &#123;&#123; name &#125;&#125; &#91;x&#93; &lt;b> a&#92;b"),
        ("Q&A &amp; &copy 2021", "Q&A &amp;amp; &amp;copy 2021"),
        ("<a1></a1>", "[$1 $1]"),
        ("<a1> padded</a1>", "[$1 &#32;padded]"),
        ("<a1>see <img2/></a1>", "[$1 see $2]"),
        ("<a1>unclosed", "&lt;a1>unclosed"),
    ],
)  # fmt: skip
def test_unit_texts_are_written_in_banana_syntax(text: str, message: str) -> None:
    assert (to_bundle(text), from_bundle(message)) == (message, text)


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ("[$1   talk page]", "<a1>talk page</a1>"),
        ("a [b] c [$1 d", "a [b] c [<img1/> d"),
        ("US$ 5 <b>", "US$ 5 <b>"),
        ("$12", "<img12/>"),
        ("&lt;&#x24;&#0;", "<$&#0;"),
    ],
)
def test_a_translators_message_is_read_as_bananas_plain_path_reads_it(
    message: str, text: str
) -> None:
    assert from_bundle(message) == text


_PIECES = st.one_of(
    st.text(),
    st.sampled_from(["$", "&", "&amp", "&#36", "[", "]", "{{", "}}", "<", "\\", "1", " ", "\v"]),
    st.builds(lambda n, label: f"<a{n}>{label}</a{n}>", st.integers(1, 3), st.text()),
    st.builds(lambda n: f"<img{n}/>", st.integers(4, 6)),
)


@given(st.lists(_PIECES, max_size=8).map("".join))
def test_every_text_survives_the_bundle_syntax(text: str) -> None:
    assert from_bundle(to_bundle(text)) == text


@pytest.mark.django_db
def test_a_bundle_import_rejects_a_link_lost_in_translation() -> None:
    course = CourseFactory()
    unit = SourceUnitFactory(course=course, key="k", text="Read the <a1>guide</a1>.")
    TranslationFactory(unit=unit, language="es", text="Lee la <a1>guía</a1>.", state="translated")
    data = export_file(course, language="es", file_format="bundle")
    assert json.loads(data)["k"] == "Lee la [$1 guía]."

    entries = parse_file(data.replace("[$1 guía]", "guía").encode(), language="es")

    with pytest.raises(ImportRejected) as rejected:
        import_translations(course, language="es", entries=entries, by=None, at=_AT)

    assert [(e.key, e.text) for e in entries] == [("k", "Lee la guía.")]
    assert rejected.value.problems == [
        "k: Missing link markup: </a1>, <a1> (keep each link's <aN>…</aN> around its words)."
    ]
    assert Translation.objects.get().text == "Lee la <a1>guía</a1>."
