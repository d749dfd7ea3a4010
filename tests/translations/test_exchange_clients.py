"""Translation files checked by the programs translators use: `msgfmt -c` (GNU gettext)
on PO exports with the right Plural-Forms per language, and XLIFF with a document type
declaration refused before any entity is read."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cohortkit.translations.exchange import FileProblem, export_file, parse_file, plural_forms
from cohortkit.translations.models import State, Translation
from tests.factories import CourseFactory
from tests.factories.translations import SourceUnitFactory, TranslationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "header"),
    [
        (
            "ar",
            "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
            ": n%100>=11 ? 4 : 5);",
        ),
        ("es", "nplurals=2; plural=((n != 1));"),
        ("fr", "nplurals=2; plural=((n > 1));"),
        ("ja", "nplurals=1; plural=(0);"),
        (
            "ru",
            "nplurals=3; plural=((n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
            "(n%100<10 || n%100>=20) ? 1 : 2));",
        ),
        ("pt-BR", "nplurals=2; plural=((n > 1));"),
    ],
)
def test_po_exports_carry_the_languages_plural_forms_and_pass_msgfmt_check(
    tmp_path: Path, language: str, header: str
) -> None:
    course = CourseFactory(language="en")
    for index in range(3):
        unit = SourceUnitFactory(course=course, key=f"unit.{index}", text=f"Text {index}")
        TranslationFactory(unit=unit, language=language, text=f"«{index}»", state=State.TRANSLATED)
    path = tmp_path / f"{language}.po"
    path.write_text(export_file(course, language=language, file_format="po"), encoding="utf-8")
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext is installed by scripts/system-deps"

    checked = subprocess.run(  # noqa: S603 - a fixed program on our own file
        [msgfmt, "-c", "-o", str(tmp_path / "out.mo"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert plural_forms(language) == header
    assert f'"Plural-Forms: {header}\\n"' in path.read_text(encoding="utf-8")
    assert (checked.returncode, checked.stderr) == (0, "")


def test_a_language_without_known_plural_rules_gets_no_plural_header() -> None:
    assert plural_forms("xx") == ""


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
<file original="c" source-language="en" target-language="es" datatype="plaintext"><body>
<trans-unit id="course.title"><source>Title</source><target state="translated">{target}</target></trans-unit>
</body></file></xliff>
"""

REFUSED = (
    "The XLIFF file has a document type declaration (<!DOCTYPE …>), which is refused: its "
    "entities could change the text or read other files. Export the file again without it."
)


@pytest.mark.parametrize(
    ("doctype", "target"),
    [
        ('<!DOCTYPE xliff [<!ENTITY name "Título">]>\n', "&name;"),
        ('<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n', "&secret;"),
        (
            '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n',
            "&c;",
        ),
        ('<!DOCTYPE xliff SYSTEM "http://127.0.0.1:9/xliff.dtd">\n', "Título"),
        ('<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "xliff.dtd">\n', "Título"),
    ],
)
def test_xliff_with_any_doctype_is_refused_with_a_clear_message(doctype: str, target: str) -> None:
    data = XLIFF.format(doctype=doctype, target=target).encode()

    with pytest.raises(FileProblem) as refused:
        parse_file(data, language="es", file_format="xliff")

    assert str(refused.value) == REFUSED


def test_xliff_without_doctype_is_still_read() -> None:
    data = XLIFF.format(doctype="", target="Título").encode()

    entries = parse_file(data, language="es")

    assert [(e.key, e.source, e.text) for e in entries] == [("course.title", "Title", "Título")]


def test_the_command_refuses_a_doctype_and_imports_nothing(tmp_path: Path) -> None:
    course = CourseFactory(slug="c")
    call_command(
        "translations", "export", "c", "--language", "es", "--format", "xliff", stdout=io.StringIO()
    )
    path = tmp_path / "es.xlf"
    path.write_text(
        XLIFF.format(doctype='<!DOCTYPE xliff [<!ENTITY t "Título">]>\n', target="&t;"),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match=re.escape(REFUSED)):
        call_command("translations", "import", str(path), "--course", "c", "--language", "es")
    assert Translation.objects.filter(unit__course=course).count() == 0


def test_the_command_counts_fuzzy_entries_as_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    CourseFactory(slug="c", title="Title")
    exported = io.StringIO()
    call_command(
        "translations", "export", "c", "--language", "es", "--format", "po", stdout=exported
    )
    import polib  # noqa: PLC0415 - only this test edits a PO file

    po = polib.pofile(exported.getvalue())
    for entry in po:
        entry.msgstr = f"ES {entry.msgid}"
    po[0].flags.append("fuzzy")
    path = tmp_path / "es.po"
    po.save(str(path))
    out = io.StringIO()

    call_command(
        "translations", "import", str(path), "--course", "c", "--language", "es", stdout=out
    )

    assert out.getvalue() == f"{len(po) - 1} new, 0 updated, 0 unchanged, 1 skipped.\n"
    assert (
        f"skipped {po[0].msgctxt}: marked fuzzy in the file (not yet confirmed)"
        in capsys.readouterr().err
    )
