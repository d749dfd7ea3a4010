import io
import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from translate.storage import xliff

from cohortkit.courses.demo import load_demo
from cohortkit.translations.bundle_markup import to_bundle
from cohortkit.translations.exchange import (
    FileProblem,
    ImportRejected,
    export_file,
    import_translations,
    parse_file,
)
from cohortkit.translations.models import LanguageVersion, SourceUnit, State, Translation
from cohortkit.translations.services import save_translation, sync_units
from tests.factories import CourseFactory, UserFactory
from tests.factories.translations import SourceUnitFactory, TranslationFactory
from tests.payloads import DATA

pytestmark = pytest.mark.django_db

NAUGHTY: list[str] = [s for s in json.loads((DATA / "blns.json").read_text()) if s.strip()]
XSS = [line for line in (DATA / "patt-xss-polyglots.txt").read_text().splitlines() if line.strip()]
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _course_with_naughty_units(*, xml_safe: bool) -> tuple[object, list[tuple[str, str, str]]]:
    course = CourseFactory(slug="naughty")
    expected = []
    texts = [t for t in NAUGHTY + XSS if not (xml_safe and NOT_XML.search(t))]
    for index, text in enumerate(texts):
        unit = SourceUnitFactory(course=course, key=f"unit.{index}", text=text, position=index)
        target = f"«{text}»"
        TranslationFactory(unit=unit, language="es", text=target, state=State.TRANSLATED)
        expected.append((unit.key, text, target))
    return course, expected


def test_po_round_trip_through_polib_loses_no_unit_key_or_text(tmp_path: Path) -> None:
    course, expected = _course_with_naughty_units(xml_safe=False)
    text = export_file(course, language="es", file_format="po")
    path = tmp_path / "es.po"
    path.write_text(text, encoding="utf-8")
    # From a file: polib splits a string at \x1c-\x1e, \x85 and U+2028/9 as well.
    po = polib.pofile(str(path))
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in po] == expected
    assert [(i.key, i.source, i.text) for i in parse_file(text.encode(), language="es")] == expected


def test_xliff_round_trip_through_translate_toolkit_loses_no_unit_key_or_text() -> None:
    course, expected = _course_with_naughty_units(xml_safe=True)
    data = export_file(course, language="es", file_format="xliff").encode()
    store = xliff.xlifffile.parsestring(data)
    read = [(u.xmlelement.get("id"), u.source, u.target) for u in store.units if not u.isheader()]
    assert read == expected
    assert [(i.key, i.source, i.text) for i in parse_file(data, language="es")] == expected
    assert b'version="1.2"' in data
    assert b"urn:oasis:names:tc:xliff:document:1.2" in data


def test_xliff_export_names_units_with_characters_xml_cannot_carry() -> None:
    course = CourseFactory()
    SourceUnitFactory(course=course, key="bell", text="ring \x07 ring")
    with pytest.raises(FileProblem, match="bell"):
        export_file(course, language="es", file_format="xliff")


def test_bundle_round_trip_keeps_every_translated_message_and_the_metadata() -> None:
    course, expected = _course_with_naughty_units(xml_safe=False)
    data = export_file(course, language="es", file_format="bundle")
    bundle = json.loads(data)
    assert bundle.pop("@metadata") == {"authors": [], "course": "naughty", "language": "es"}
    # In banana-i18n's syntax (test_bundle_clients.py renders them with banana-i18n itself).
    assert bundle == {key: to_bundle(target) for key, _, target in expected}
    parsed = parse_file(data.encode(), language="es")
    assert [(i.key, i.text) for i in parsed] == [(k, t) for k, _, t in expected]


def test_source_bundle_lists_every_source_text() -> None:
    course = CourseFactory(language="en")
    SourceUnitFactory(course=course, key="a", text="Hello")
    assert json.loads(export_file(course, language="en", file_format="bundle")) == {
        "@metadata": {"authors": [], "course": course.slug, "language": "en"},
        "a": "Hello",
    }


def test_import_reports_new_updated_unchanged_and_skipped_units(coordinator: object) -> None:
    course = CourseFactory()
    new = SourceUnitFactory(course=course, key="new", text="One")
    old = SourceUnitFactory(course=course, key="old", text="Two")
    same = SourceUnitFactory(course=course, key="same", text="Three")
    TranslationFactory(unit=old, text="Dos viejo")
    TranslationFactory(unit=same, text="Tres")
    entries = parse_file(
        _po("es", [("new", "One", "Uno"), ("old", "Two", "Dos"), ("same", "Three", "Tres"),
                   ("gone", "Four", "Cuatro"), ("moved", "Five", "Cinco")]),
        language="es",
    )  # fmt: skip
    SourceUnitFactory(course=course, key="moved", text="Five, changed")

    report = import_translations(course, language="es", entries=entries, by=coordinator, at=_AT)  # type: ignore[arg-type]

    assert (report.created, report.updated, report.unchanged) == (["new"], ["old"], ["same"])
    assert [key for key, _ in report.skipped] == ["gone", "moved"]
    assert dict(Translation.objects.values_list("unit__key", "text")) == {
        "new": "Uno", "old": "Dos", "same": "Tres",
    }  # fmt: skip
    assert new.translations.get().state == State.TRANSLATED


def test_import_never_replaces_reviewed_text_unless_forced(coordinator: object) -> None:
    course = CourseFactory()
    unit = SourceUnitFactory(course=course, key="k", text="One")
    TranslationFactory(unit=unit, text="Uno", state=State.REVIEWED)
    entries = parse_file(_po("es", [("k", "One", "Un")]), language="es")

    kept = import_translations(course, language="es", entries=entries, by=coordinator, at=_AT)  # type: ignore[arg-type]
    assert [key for key, _ in kept.skipped] == ["k"]
    assert Translation.objects.get().text == "Uno"

    forced = import_translations(
        course,
        language="es",
        entries=entries,
        by=coordinator,
        at=_AT,
        force=True,  # type: ignore[arg-type]
    )
    assert forced.updated == ["k"]
    assert Translation.objects.values_list("text", "state").get() == ("Un", State.TRANSLATED)


def test_import_is_all_or_nothing_when_one_translation_breaks_markup(coordinator: object) -> None:
    course = CourseFactory()
    SourceUnitFactory(course=course, key="a", text="Plain")
    SourceUnitFactory(course=course, key="b", text="Hello {name}, see the <a1>guide</a1>")
    entries = parse_file(
        _po("es", [("a", "Plain", "Llano"), ("b", "Hello {name}, see the <a1>guide</a1>",
                                              "Hola {nombre}, mira la guía")]),
        language="es",
    )  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        import_translations(course, language="es", entries=entries, by=coordinator, at=_AT)  # type: ignore[arg-type]
    assert rejected.value.problems == [
        "b: Missing link markup: </a1>, <a1> (keep each link's <aN>…</aN> around its words).",
        "b: Missing placeholder: {name} (copy it exactly, braces included).",
        "b: Placeholder not in the source, or misspelt: {nombre}.",
    ]
    assert Translation.objects.count() == 0


@pytest.mark.parametrize("file_format", ["po", "xliff", "bundle"])
def test_import_refuses_links_to_other_sites_the_source_does_not_have(
    coordinator: object, file_format: str
) -> None:
    course = CourseFactory()
    SourceUnitFactory(course=course, key="help", text="A few sentences are enough.")
    SourceUnitFactory(course=course, key="guide", text="Read [the guide](https://example.org/g).")
    TranslationFactory(
        unit=SourceUnit.objects.get(key="help"), language="es", text="Bastan unas frases."
    )
    data = export_file(course, language="es", file_format=file_format)
    hostile = 'Bastan <a href="//evil.example/x">unas frases</a>.'
    # The translator's file, as each format quotes the text.
    quoted = (
        escape(hostile, {'"': "&quot;"}) if file_format == "xliff" else json.dumps(hostile)[1:-1]
    )
    data = data.replace("Bastan unas frases.", quoted)
    entries = parse_file(data.encode(), language="es")
    assert [e.text for e in entries if e.key == "help"] == [hostile]

    with pytest.raises(ImportRejected) as rejected:
        import_translations(course, language="es", entries=entries, by=coordinator, at=_AT)  # type: ignore[arg-type]

    assert rejected.value.problems == [
        "help: Link to another site not in the source: //evil.example/x (an address starting "
        "with // leads off this site; a translation may not add links of its own)."
    ]
    assert Translation.objects.values_list("text", flat=True).get() == "Bastan unas frases."


@pytest.mark.parametrize(
    ("data", "file_format", "message"),
    [
        (b'msgid "a"\nmsgstr "b\n', "po", "not a readable PO file"),
        (b"<xliff><file><body><trans-unit", "xliff", "not a readable XLIFF file"),
        (b'{"k": ', "bundle", "not a readable JSON bundle"),
        (b'["k"]', "bundle", "one JSON object"),
        (b'{"k": 3}', "bundle", "“k” is not a string"),
        (b"\xff\xfe\x00garbage", "po", "not UTF-8"),
        (b'msgid ""\nmsgstr "Language: fr\\n"\n\nmsgctxt "k"\nmsgid "a"\nmsgstr "b"\n', "po",
         "for language “fr”, not “es”"),
        (b'msgid ""\nmsgstr "Language: es\\n"\n\nmsgid "a"\nmsgstr "b"\n', "po", "no msgctxt"),
        (b'{"k": "a", "k": "b"}', "bundle", "Keys appear twice: k"),
    ],
)  # fmt: skip
def test_malformed_files_are_refused_with_a_message(
    data: bytes, file_format: str, message: str
) -> None:
    with pytest.raises(FileProblem, match=re.escape(message)):
        parse_file(data, language="es", file_format=file_format)


def test_command_exports_demo_course_and_reads_the_file_back(tmp_path: Path) -> None:
    load_demo()
    out = io.StringIO()
    call_command("translations", "export", "partnership-building", "--language", "fr",
                 "--format", "po", stdout=out)  # fmt: skip
    po = polib.pofile(out.getvalue())
    assert (
        len(po) == SourceUnit.objects.current().filter(course__slug="partnership-building").count()
    )
    for entry in po:
        entry.msgstr = f"FR {entry.msgid}"
    path = tmp_path / "fr.po"
    po.save(str(path))
    result = io.StringIO()
    call_command("translations", "import", str(path), "--course", "partnership-building",
                 "--language", "fr", stdout=result)  # fmt: skip
    assert result.getvalue() == f"{len(po)} new, 0 updated, 0 unchanged, 0 skipped.\n"
    assert LanguageVersion.objects.filter(language="fr", is_published=False).exists()


def test_command_refuses_a_malformed_file_and_changes_nothing(tmp_path: Path) -> None:
    course = CourseFactory(slug="c")
    sync_units(course)
    path = tmp_path / "broken.po"
    path.write_text('msgctxt "course.title"\nmsgid "x\nmsgstr "y"\n')
    with pytest.raises(CommandError, match="not a readable PO file"):
        call_command("translations", "import", str(path), "--course", "c", "--language", "es")
    assert (Translation.objects.count(), LanguageVersion.objects.count()) == (0, 0)


def test_command_refuses_unknown_course_and_language() -> None:
    with pytest.raises(CommandError, match="No course"):
        call_command("translations", "export", "nope", "--language", "es", "--format", "po")
    CourseFactory(slug="c")
    with pytest.raises(CommandError, match="not a language code"):
        call_command("translations", "export", "c", "--language", "xx-yy", "--format", "po")


def test_outdated_units_export_as_fuzzy_with_the_previous_source(coordinator: object) -> None:
    course = CourseFactory()
    unit = SourceUnitFactory(course=course, key="k", text="Old")
    save_translation(unit, language="es", text="Viejo", by=coordinator, at=_AT)  # type: ignore[arg-type]
    Translation.objects.update(state=State.OUTDATED)
    unit.text = "New"
    unit.save()
    entry = polib.pofile(export_file(course, language="es", file_format="po"))[0]
    assert (entry.msgid, entry.msgstr, entry.flags, entry.previous_msgid) == (
        "New", "Viejo", ["fuzzy"], "Old",
    )  # fmt: skip
    # Fuzzy entries are read flagged, and not imported back: the report counts them.
    entries = parse_file(
        str(polib.pofile(export_file(course, language="es", file_format="po"))).encode(),
        language="es",
    )
    assert [(e.key, e.is_fuzzy) for e in entries] == [("k", True)]
    report = import_translations(
        course,
        language="es",
        entries=entries,
        by=coordinator,
        at=_AT,  # type: ignore[arg-type]
    )
    assert (report.created, report.updated, report.skipped) == (
        [],
        [],
        [("k", "marked fuzzy in the file (not yet confirmed)")],
    )
    assert Translation.objects.get(unit=unit).text == "Viejo"


def _po(language: str, rows: list[tuple[str, str, str]]) -> bytes:
    po = polib.POFile()
    po.metadata = {"Language": language, "Content-Type": "text/plain; charset=UTF-8"}
    for key, source, target in rows:
        po.append(polib.POEntry(msgctxt=key, msgid=source, msgstr=target))
    return str(po).encode()


_AT = __import__("datetime").datetime(2021, 2, 1, tzinfo=__import__("datetime").UTC)


@pytest.fixture
def coordinator(db: None) -> object:
    return UserFactory()
