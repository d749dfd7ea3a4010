"""Certificate addresses and the PDF (WeasyPrint), in the holder's language.

The PDF is tagged (PDF/UA-1: structure, language, title) and carries a title, author and
subject. Names are drawn in the Noto face of their own script (Debian's fonts-noto-core
and fonts-noto-cjk, installed by scripts/system-deps); codes and addresses are isolated
left-to-right so a right-to-left certificate does not reorder them (`<bdi dir="ltr">` for
the tags, and the isolate characters U+2066 ... U+2069 in the text, since WeasyPrint
ignores `unicode-bidi: isolate` while Pango applies the isolates).
"""

import unicodedata

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from cohortkit.courses.models import Role
from cohortkit.learning.models import Certificate
from cohortkit.translations.queries import translated_text


def verification_path(certificate: Certificate) -> str:
    """The public check: /certificates/<code>/."""
    return reverse("certificates:verify", kwargs={"code": certificate.code})


def pdf_path(certificate: Certificate) -> str:
    return reverse("certificates:pdf", kwargs={"code": certificate.code})


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# The first word of a character's Unicode name, for the scripts that have their own face.
_SCRIPTS = {
    "ARABIC": "arabic",
    "HEBREW": "hebrew",
    "DEVANAGARI": "devanagari",
    "BENGALI": "bengali",
    "TAMIL": "tamil",
    "THAI": "thai",
    "ETHIOPIC": "ethiopic",
    "GEORGIAN": "georgian",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "CJK": "zh",
}


def name_script(name: str) -> str:
    """The script a name is written in, as the certificate's CSS class names it
    (`latin` for any script the default face draws). Kana make Han characters Japanese
    and Hangul Korean; Han alone is drawn with the Chinese (simplified) face."""
    found = set()
    for character in name:
        first_word = unicodedata.name(character, "").split(" ", 1)[0]
        if first_word in _SCRIPTS:
            found.add(_SCRIPTS[first_word])
    for script in ("ja", "ko"):
        if script in found:
            return script
    for script in _SCRIPTS.values():
        if script in found:
            return script
    return "latin"


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF, written in the holder's language: the course's title too,
    when the course is published in that language."""
    from weasyprint import HTML  # noqa: PLC0415 — loading pango is slow and only needed here

    run = certificate.run
    course_title, _fallback = translated_text(
        run.course, "course.title", run.course.title, certificate.language
    )
    coordinator = (
        run.roles.filter(role=Role.COORDINATOR).select_related("user").order_by("pk").first()
    )
    with translation.override(certificate.language):
        html = render_to_string(
            "learning/certificate_pdf.html",
            {
                "certificate": certificate,
                "run": run,
                "course": run.course,
                "course_title": course_title,
                "coordinator": coordinator.user if coordinator else None,
                "verify_url": absolute(verification_path(certificate)),
                "verify_url_ltr": format_html(
                    '<bdi dir="ltr">\u2066{}\u2069</bdi>', absolute(verification_path(certificate))
                ),
                "code_ltr": format_html('<bdi dir="ltr">\u2066{}\u2069</bdi>', certificate.code),
                "name_script": name_script(certificate.name),
                "language": certificate.language,
                "is_bidi": translation.get_language_bidi(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
