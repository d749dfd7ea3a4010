from collections.abc import Iterable
from typing import Any

from django.conf import settings

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.notifications.services import Mail, queue_mails
from cohortkit.translations.mail import mail_texts
from cohortkit.translations.queries import TextLookup


def course_texts(
    run: Run, people: Iterable[User], *, runs: Iterable[Run] = (), keys: Iterable[str] = ()
) -> dict[str, TextLookup]:
    """The run's course's texts in the language of each person's mail (`User.mail_language`): the
    course's title, the titles of the run and of `runs`, and the units `keys`. Two queries
    however many people (`mail_texts`)."""
    languages = {person.mail_language for person in people}
    return mail_texts(run.course, languages, runs=[run, *runs], keys=keys)


def person_mail(
    user: User,
    template: str,
    context: dict[str, Any],
    *,
    kind: str,
    run: Run,
    key: str | None = None,
) -> Mail:
    """`learning/mail/<template>` for the person, to be rendered in their language and zone."""
    return Mail(
        recipient=user.email,
        kind=kind,
        language=user.mail_language,
        template=f"learning/mail/{template}",
        context={"person": user, "run": run, "site_url": settings.SITE_URL, **context},
        zone=user.timezone or "UTC",
        user=user,
        run=run,
        key=key,
    )


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
    queue_mails([person_mail(user, template, context, kind=kind, run=run, key=key)])
