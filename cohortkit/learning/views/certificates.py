from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from cohortkit.accounts import page_cache
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role
from cohortkit.courses.permissions import (
    require_coordinator,
    require_role,
    require_staff,
    run_for,
)
from cohortkit.learning.certificates import absolute, certificate_pdf, pdf_path, verification_path
from cohortkit.learning.forms import RevokeForm
from cohortkit.learning.models import Certificate
from cohortkit.learning.queries import completion, policy_for
from cohortkit.learning.services.certificates import (
    claim_certificate,
    issue_certificates,
    revoke_certificate,
)


@require_safe
def completion_list(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    certificates = {c.user_id: c for c in Certificate.objects.filter(run=the_run)}
    rows = [(item, certificates.get(item.person.pk)) for item in completion(the_run)]
    return render(
        request,
        "learning/completion.html",
        {"run": the_run, "course": the_run.course, "rows": rows, "policy": policy_for(the_run),
         "revoke_form": RevokeForm()},
    )  # fmt: skip


@require_POST
def issue(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    issued = issue_certificates(the_run, at=timezone.now())
    messages.success(
        request,
        ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", len(issued))
        % {"count": len(issued)},
    )
    return redirect("learning:completion", slug=slug, run=run)


@require_POST
def claim(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """A self-paced learner who completed takes their certificate, no staff involved."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    try:
        certificate = claim_certificate(the_run, user=signed_in_person(request), at=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learning:modules", slug=slug, run=run)
    messages.success(request, _("Congratulations: your certificate is ready."))
    return redirect("certificates:verify", code=certificate.code)


@require_POST
def revoke(request: HttpRequest, slug: str, run: str, code: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    certificate = get_object_or_404(Certificate, run=the_run, code=code)
    form = RevokeForm(request.POST)
    if form.is_valid():
        revoke_certificate(certificate, reason=form.cleaned_data["reason"], at=timezone.now())
        messages.success(request, _("The certificate is revoked."))
    else:
        messages.error(request, _("Give a reason for revoking."))
    return redirect("learning:completion", slug=slug, run=run)


def _certificate(code: str, slug: str | None = None, run: str | None = None) -> Certificate:
    found = Certificate.objects.select_related("run__course")
    if slug is not None:
        found = found.filter(run__course__slug=slug, run__slug=run)
    return get_object_or_404(found, code=code.strip().upper())


@login_not_required
@page_cache.public_page
@require_safe
def verify(
    request: HttpRequest, code: str, slug: str | None = None, run: str | None = None
) -> HttpResponse:
    """Public: whether a certificate code is valid, and for whom."""
    certificate = _certificate(code, slug, run)
    return render(
        request,
        "learning/certificate_verify.html",
        {
            "certificate": certificate,
            "run": certificate.run,
            "course": certificate.run.course,
            "pdf_url": pdf_path(certificate),
            "verify_url": absolute(verification_path(certificate)),
        },
    )


@login_not_required
@require_safe
def pdf(
    request: HttpRequest, code: str, slug: str | None = None, run: str | None = None
) -> HttpResponse:
    """Public: the certificate as PDF (404 once revoked)."""
    certificate = _certificate(code, slug, run)
    if not certificate.is_valid:
        return render(request, "learning/certificate_verify.html",
                      {"certificate": certificate, "run": certificate.run,
                       "course": certificate.run.course}, status=410)  # fmt: skip
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response
