from typing import Any

from django.conf import settings

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.notifications.services import queue_mail, render_mail


def language_of(user: User) -> str:
    return user.interface_language or "en"


def mail_person(
    user: User,
    template: str,
    context: dict[str, Any],
    *,
    kind: str,
    run: Run,
    key: str | None = None,
) -> None:
    """Render `learning/mail/<template>` in the person's language and zone, and queue it."""

    from django.utils import timezone

    language = language_of(user)
    with timezone.override(user.timezone or "UTC"):
        subject, body = render_mail(
            f"learning/mail/{template}",
            {"person": user, "run": run, "site_url": settings.SITE_URL, **context},
            language=language,
        )
    queue_mail(
        recipient=user.email,
        subject=subject,
        body=body,
        kind=kind,
        language=language,
        user=user,
        run=run,
        key=key,
    )
