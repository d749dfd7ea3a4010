"""The certificate PDF read by poppler (pdffonts, pdftotext, pdftoppm, pdfinfo) and qpdf:
a name in any of eleven scripts is drawn with an embedded font that has its letters (ink
where the name is, the same text read back), the Arabic certificate keeps its code and
address left-to-right, and the file is a tagged PDF with a title, author and subject."""

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings

from cohortkit.courses.models import Role
from cohortkit.learning.certificates import certificate_pdf, name_script, verification_path
from cohortkit.learning.models import Certificate
from tests.factories import RunFactory, RunRoleFactory, UserFactory

NAMES = {
    "arabic": ("ليلى عبد الله", "ar", "Noto-Sans-Arabic"),
    "hebrew": ("נועה כהן", "en", "Noto-Sans-Hebrew"),
    "devanagari": ("प्रिया शर्मा", "en", "Noto-Sans-Devanagari"),
    "bengali": ("অনিতা দাস", "en", "Noto-Sans-Bengali"),
    "tamil": ("கார்த்திக் ராஜா", "en", "Noto-Sans-Tamil"),
    "thai": ("สมชาย ใจดี", "en", "Noto-Sans-Thai"),
    "zh": ("王小明", "en", "Noto-Sans-CJK"),
    "ja": ("さくら 山田", "en", "Noto-Sans-CJK"),
    "ko": ("김민준", "en", "Noto-Sans-CJK"),
    "ethiopic": ("አበበ ቢቂላ", "en", "Noto-Sans-Ethiopic"),
    "georgian": ("ნინო ბერიძე", "en", "Noto-Sans-Georgian"),
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is installed by scripts/system-deps"
    return path


def _run(*command: str) -> str:
    return subprocess.run(  # noqa: S603 - fixed programs on our own files
        command, capture_output=True, text=True, check=True, timeout=120
    ).stdout


def _certificate(name: str, language: str) -> Certificate:
    run = RunFactory(course__title="Partnership Building")
    holder = UserFactory()
    RunRoleFactory(run=run, user=holder, role=Role.PARTICIPANT)
    return Certificate.objects.create(
        run=run,
        user=holder,
        name=name,
        language=language,
        issued_at=datetime(2021, 4, 1, tzinfo=UTC),
    )


def _ink(png: Path) -> int:
    """Dark pixels in a grey PGM/PNG written by pdftoppm -gray."""
    from PIL import Image  # noqa: PLC0415 - Pillow comes with WeasyPrint; only these tests read pixels

    image = Image.open(png).convert("L")
    return sum(1 for value in image.getdata() if value < 128)


def _name_box(pdf: Path, tmp_path: Path) -> int:
    """Ink in the band of the page where the name is drawn (between 'This certifies that'
    and 'has completed the course'), at 50 dpi, in pixels."""
    boxes = _run(_tool("pdftotext"), "-bbox", str(pdf), "-")

    def y_of(word: str) -> tuple[float, float]:
        match = re.search(rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}</word>', boxes)
        assert match, word
        return float(match.group(1)), float(match.group(2))

    top = y_of("that")[1]
    bottom = y_of("has")[0]
    scale = 50 / 72
    _run(
        _tool("pdftoppm"),
        "-gray",
        "-png",
        "-r",
        "50",
        "-singlefile",
        "-y",
        str(int(top * scale) + 1),
        "-H",
        str(int((bottom - top) * scale) - 1),
        "-x",
        "0",
        "-W",
        "2000",
        str(pdf),
        str(tmp_path / "band"),
    )
    return _ink(tmp_path / "band.png")


@pytest.mark.parametrize("script", list(NAMES))
def test_a_name_in_any_script_is_drawn_with_an_embedded_font_that_has_its_letters(
    db: None, tmp_path: Path, script: str
) -> None:
    name, language, font = NAMES[script]
    certificate = _certificate(name, "en" if language != "ar" else "ar")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate_pdf(certificate))

    fonts = _run(_tool("pdffonts"), str(pdf)).splitlines()[2:]
    text = _run(_tool("pdftotext"), str(pdf), "-")

    assert name_script(name) == script
    name_fonts = [line.split()[0] for line in fonts if font in line]
    assert name_fonts, fonts
    # every font is embedded (the "emb" column) and subset
    assert all(line.split()[-5] == "yes" for line in fonts), fonts
    if script not in ("devanagari", "bengali", "arabic"):
        # poppler's text extraction splits the reordered vowel signs of Devanagari and
        # Bengali and reverses Arabic ligatures (its limitation, not the PDF's): for these
        # the font and the ink show the name.
        assert " ".join(name.split()) in " ".join(text.split())


def test_the_name_band_has_ink_for_every_script(db: None, tmp_path: Path) -> None:
    empty = _certificate(" ", "en")
    (tmp_path / "empty.pdf").write_bytes(certificate_pdf(empty))
    blank = _name_box(tmp_path / "empty.pdf", tmp_path)

    inks = {}
    for script, (name, _language, _font) in NAMES.items():
        pdf = tmp_path / f"{script}.pdf"
        pdf.write_bytes(certificate_pdf(_certificate(name, "en")))
        inks[script] = _name_box(pdf, tmp_path)

    assert blank < 100  # the frame's sides cross the band
    assert {script: ink > blank + 150 for script, ink in inks.items()} == dict.fromkeys(NAMES, True)


def test_the_arabic_certificate_keeps_its_code_and_address_left_to_right(
    db: None, tmp_path: Path
) -> None:
    certificate = _certificate("ليلى عبد الله", "ar")
    pdf = tmp_path / "ar.pdf"
    pdf.write_bytes(certificate_pdf(certificate))

    words = re.findall(
        r"<word [^>]*>([^<]*)</word>", _run(_tool("pdftotext"), "-bbox", str(pdf), "-")
    )

    # Drawn left to right as one word each: no slash or colon moved to the other end.
    url = settings.SITE_URL + verification_path(certificate)
    assert [word for word in words if certificate.code in word] == [certificate.code, url]


def test_the_pdf_is_tagged_has_a_title_and_passes_qpdf(db: None, tmp_path: Path) -> None:
    certificate = _certificate("Ada Lovelace", "en")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate_pdf(certificate))

    info = dict(
        line.split(":", 1) for line in _run(_tool("pdfinfo"), str(pdf)).splitlines() if ":" in line
    )
    check = subprocess.run(  # noqa: S603 - a fixed program on our own file
        [_tool("qpdf"), "--check", str(pdf)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert {key: info[key].strip() for key in ("Title", "Author", "Subject", "Tagged")} == {
        "Title": "Certificate of completion — Ada Lovelace",
        "Author": "Partnership Building",
        "Subject": "This certifies that Ada Lovelace has completed the course Partnership Building",
        "Tagged": "yes",
    }
    assert (check.returncode, "No syntax or stream encoding errors found" in check.stdout) == (
        0,
        True,
    )
