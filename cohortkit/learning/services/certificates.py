from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.learning.deadlines import is_self_paced
from cohortkit.learning.models import Certificate
from cohortkit.learning.queries import completion
from cohortkit.learning.services.mail import course_texts, person_mail
from cohortkit.notifications.services import queue_mails
from cohortkit.translations.mail import mail_titles


@transaction.atomic
def issue_certificates(
    run: Run, *, at: datetime, people: list[User] | None = None, notify: bool = True
) -> list[Certificate]:
    """Issue a certificate to every participant (or each of `people`) who meets the run's
    completion rules and has none yet; mail each one the verification address."""
    issued = []
    have = set(Certificate.objects.filter(run=run).values_list("user_id", flat=True))
    for result in completion(run, people):
        if not result.is_complete or result.person.pk in have:
            continue
        for _attempt in range(3):  # a clash of random codes is unlikely but possible
            try:
                with transaction.atomic():
                    certificate = Certificate.objects.create(
                        run=run,
                        user=result.person,
                        name=result.person.display_name or result.person.email,
                        language=result.person.mail_language,
                        issued_at=at,
                    )
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("could not find a free certificate code")
        issued.append(certificate)
    if notify and issued:
        transaction.on_commit(partial(_mail_certificates, run, issued))
    return issued


def _mail_certificates(run: Run, certificates: list[Certificate]) -> None:
    """Mail each holder of one of the run's new certificates, naming the course in the
    language of their mail (the course's texts for every language in one load)."""
    texts = course_texts(run, [certificate.user for certificate in certificates])
    queue_mails(
        person_mail(
            certificate.user,
            "certificate",
            {
                "certificate": certificate,
                **mail_titles(run, texts[certificate.user.mail_language]),
            },
            kind="learning-certificate",
            run=run,
            key=f"learning-certificate-{certificate.pk}",
        )
        for certificate in certificates
    )


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, reason: str, at: datetime) -> Certificate:
    """Mark the certificate revoked; its verification page says so from now on."""
    certificate.revoked_at = at
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


@transaction.atomic
def claim_certificate(run: Run, *, user: User, at: datetime) -> Certificate:
    """Issue a self-paced learner's certificate the moment they meet their completion rules
    (`queries.completion`), with no one on the staff involved; mail them its verification
    address. Returns the certificate they already hold, if any. Refused for people in the
    cohort (the coordinator issues theirs) and for anyone with something still missing."""
    held = Certificate.objects.filter(run=run, user=user).first()
    if held is not None:
        return held
    if not is_self_paced(run, user):
        raise ValidationError(_("The coordinator issues the certificates of this run."))
    [result] = completion(run, [user])
    if not result.is_complete:
        raise ValidationError(
            _("Not complete yet: %(missing)s.") % {"missing": "; ".join(result.missing)}
        )
    [certificate] = issue_certificates(run, at=at, people=[user])
    return certificate
