"""The interface catalogues: complete, compiled, and right to left for Arabic."""

import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "cohortkit" / "locale"


@pytest.mark.parametrize("language", ["es", "fr", "ar"])
def test_every_interface_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []


@pytest.mark.parametrize("language", ["es", "fr", "ar"])
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    wanted = {(e.msgctxt, e.msgid) for e in po if not e.obsolete and e.translated()}
    assert {(e.msgctxt, e.msgid) for e in mo if e.msgid} == wanted


def test_interface_strings_render_in_each_language() -> None:
    expected = {"es": "Cursos", "fr": "Cours", "ar": "الدورات", "en": "Courses"}
    rendered = {}
    for language in expected:
        with translation.override(language):
            rendered[language] = translation.gettext("Courses")
    assert rendered == expected


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left_and_spanish_ones_left_to_right() -> None:
    client = Client()
    client.cookies["django_language"] = "ar"
    arabic = client.get("/").content.decode()
    client.cookies["django_language"] = "es"
    spanish = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="es" dir="ltr">' in spanish


@pytest.mark.parametrize(
    "path",
    sorted(
        str(p)
        for p in (Path(__file__).resolve().parents[2] / "cohortkit" / "translations").rglob("*.css")
    ),
)
def test_translation_styles_use_logical_properties_only(path: str) -> None:
    physical = re.compile(
        r"(?<![\w-])(margin|padding|border)-(left|right)|(?<![\w-])(left|right)\s*:"
        r"|text-align:\s*(left|right)|float:\s*(left|right)"
    )
    assert physical.findall(Path(path).read_text()) == []
