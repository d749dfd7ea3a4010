"""Certificate addresses and the PDF (WeasyPrint), in the holder's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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
                "language": certificate.language,
                "is_bidi": translation.get_language_bidi(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
