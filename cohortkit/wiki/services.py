"""Every change the wiki app makes: linking a verified wiki identity, storing what the wikis
said (only ever from a background task, never inside a request), a run's wikis, and a
participant's choice about sharing their edits."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.wiki import client
from cohortkit.wiki.models import (
    EditSharing,
    RunWikis,
    Wiki,
    WikiEdit,
    WikiFigures,
    WikiIdentity,
    WikiRead,
)
from cohortkit.wiki.signals import figures_read, identity_unlinked


class IdentityTaken(Exception):
    """That wiki account is already linked to another person here."""


class PasswordNeeded(Exception):
    """Without a password the person could no longer sign in once the wiki account goes."""


class NotLinked(Exception):
    """The person has no linked wiki account."""


@dataclass
class ReadReport:
    """What one read did: the wikis read, and a clear message for each that failed."""

    read: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _options() -> dict[str, object]:
    return {
        "timeout": float(settings.WIKI_API_TIMEOUT),
        "user_agent": settings.WIKI_USER_AGENT,
    }


def link_identity(person: User, *, central_id: str, username: str, at: datetime) -> WikiIdentity:
    """Record the person's verified wiki account (from the wiki's OAuth 2.0 profile) and make
    it their wiki username, which they can then no longer edit; queues a read of their
    figures on every wiki after commit. Raises IdentityTaken, changing nothing, when the
    account belongs to someone else here."""
    from cohortkit.wiki.tasks import task_read_wiki_figures  # noqa: PLC0415 — tasks import services

    with transaction.atomic():
        taken = WikiIdentity.objects.filter(central_id=central_id).exclude(person=person)
        if taken.exists():
            raise IdentityTaken(
                _("The wiki account %(name)s is already linked to another account here.")
                % {"name": username}
            )
        identity, _created = WikiIdentity.objects.update_or_create(
            person=person,
            defaults={"central_id": central_id, "username": username, "verified_at": at},
        )
        person.wiki_username = username
        person.save(update_fields=["wiki_username"])
        transaction.on_commit(lambda: task_read_wiki_figures.enqueue(person.pk, None))
    return identity


def note_renamed_identity(identity: WikiIdentity, username: str) -> bool:
    """The verified account's name as the wiki gives it at sign-in, when it was renamed
    there since: stored on the identity and as the person's wiki username, and a read of
    their figures queued after commit (the wikis are read by name, so reads under the old
    one would find no such user). Returns whether the name changed; changes nothing
    otherwise."""
    from cohortkit.wiki.tasks import task_read_wiki_figures  # noqa: PLC0415 — tasks import services

    if not username or username == identity.username:
        return False
    person = identity.person
    with transaction.atomic():
        identity.username = username
        identity.save(update_fields=["username"])
        person.wiki_username = username
        person.save(update_fields=["wiki_username"])
        transaction.on_commit(lambda: task_read_wiki_figures.enqueue(person.pk, None))
    return True


def unlink_identity(person: User) -> str:
    """Forget the person's verified wiki account and everything read for it: the identity,
    the figures and edits read from the wikis. Their wiki username stays as text, unverified
    and editable again; wiki eligibility rules are then not met (applications check again on
    `identity_unlinked`, sent after commit). Returns the account's name. Raises NotLinked
    without an account, and PasswordNeeded, changing nothing, when the person has no
    password to sign in with afterwards."""
    with transaction.atomic():
        identity = WikiIdentity.objects.select_for_update().filter(person=person).first()
        if identity is None:
            raise NotLinked(_("You have no linked wiki account."))
        if not person.has_usable_password():
            raise PasswordNeeded(
                _(
                    "Set a password first: without the wiki account, you sign in with your "
                    "e-mail address and a password."
                )
            )
        WikiFigures.objects.filter(person=person).delete()
        WikiEdit.objects.filter(person=person).delete()
        WikiRead.objects.filter(person=person).delete()
        identity.delete()
        transaction.on_commit(
            lambda: identity_unlinked.send(sender=WikiIdentity, person_id=person.pk)
        )
    return identity.username


def read_wiki_figures(person: User, wikis: Iterable[Wiki], *, at: datetime) -> ReadReport:
    """Read the person's edit count, registration, groups and recent edits (the last
    `WIKI_RECENT_DAYS` days) from each wiki, for their verified wiki account, and store them
    with the instant `at`. A wiki that fails (no answer, an error, an unknown user, an answer
    we cannot read) changes nothing of what is stored for it; its message is in the report.
    Records the attempt and its problems (`WikiRead`), and sends `figures_read` after commit
    when anything was stored. Call from a task only."""
    report = ReadReport()
    identity = WikiIdentity.objects.filter(person=person).first()
    if identity is None:
        report.problems.append(
            _("%(person)s has no verified wiki account.") % {"person": person.display_name}
        )
        _record_read(report, at=at, person=person)
        return report
    since = at - timedelta(days=int(settings.WIKI_RECENT_DAYS))
    for wiki in wikis:
        try:
            facts = client.read_user(wiki.api_url, identity.username, **_options())  # type: ignore[arg-type]
            edits = client.read_contributions(
                wiki.api_url,
                identity.username,
                start_at=since,
                end_at=at,
                **_options(),  # type: ignore[arg-type]
            )
        except client.WikiError as error:
            report.problems.append(str(error))
            continue
        with transaction.atomic():
            if not _still_linked(identity):
                report.problems.append(_unlinked_message(person))
                return report  # nothing stored, nothing recorded: they unlinked meanwhile
            WikiFigures.objects.update_or_create(
                person=person,
                wiki=wiki,
                defaults={
                    "username": facts.username,
                    "edit_count": facts.edit_count,
                    "registered_at": facts.registered_at,
                    "groups": list(facts.groups),
                    "read_at": at,
                },
            )
            _store_edits(person, wiki, edits, at=at)
        report.read.append(wiki.name)
    _record_read(report, at=at, person=person)
    if report.read:
        transaction.on_commit(lambda: figures_read.send(sender=Wiki, person_id=person.pk))
    return report


def _still_linked(identity: WikiIdentity) -> bool:
    """Whether the identity read for is still linked (a wiki answers slowly, and the person
    may unlink meanwhile). Call inside the transaction that stores: the row stays locked, so
    an unlink waits until the figures are stored and then deletes them."""
    return (
        WikiIdentity.objects.select_for_update()
        .filter(pk=identity.pk, central_id=identity.central_id)
        .exists()
    )


def _unlinked_message(person: User) -> str:
    return _("%(person)s unlinked their wiki account while it was read; nothing was stored.") % {
        "person": person.display_name
    }


def _record_read(
    report: ReadReport, *, at: datetime, person: User | None = None, run: Run | None = None
) -> None:
    """Keep when the read was tried and what went wrong, and when one last went well."""
    defaults: dict[str, object] = {"attempted_at": at, "problems": list(report.problems)}
    if not report.problems:
        defaults["succeeded_at"] = at
    WikiRead.objects.update_or_create(person=person, run=run, defaults=defaults)


def _store_edits(
    person: User, wiki: Wiki, edits: list[client.Contribution], *, at: datetime
) -> None:
    known = set(
        WikiEdit.objects.filter(
            wiki=wiki, revision_id__in=[e.revision_id for e in edits]
        ).values_list("revision_id", flat=True)
    )
    WikiEdit.objects.bulk_create(
        [
            WikiEdit(
                person=person,
                wiki=wiki,
                revision_id=edit.revision_id,
                title=edit.title[:512],
                at=edit.at,
                size_change=edit.size_change,
                read_at=at,
            )
            for edit in edits
            if edit.revision_id not in known
        ],
        ignore_conflicts=True,  # a second task reading the same edits at once
    )


def read_run_edits(run: Run, *, at: datetime) -> ReadReport:
    """Read every sharing participant's edits on the run's wikis from the run's first day
    until `at` (or the run's end) and store the new ones. A wiki that fails for someone, or
    has no account of their name, changes nothing for them there; its message is in the
    report, and the attempt is recorded (`WikiRead`). Call from a task only."""
    from cohortkit.wiki.queries import sharing_participants  # noqa: PLC0415 — queries import models only

    report = ReadReport()
    wikis = run_wikis(run)
    if not wikis or at <= run.starts_at:
        return report
    end_at = min(at, run.ends_at)
    for person in sharing_participants(run).select_related("wiki_identity"):
        identity = person.wiki_identity
        for wiki in wikis:
            try:
                edits = client.read_contributions(
                    wiki.api_url,
                    identity.username,
                    start_at=run.starts_at,
                    end_at=end_at,
                    **_options(),  # type: ignore[arg-type]
                )
                if not edits:
                    # The wiki lists no edits for a name it does not know either (an account
                    # renamed or deleted there): that is a problem to show, not zero edits.
                    client.read_user(wiki.api_url, identity.username, **_options())  # type: ignore[arg-type]
            except client.WikiError as error:
                report.problems.append(str(error))
                continue
            with transaction.atomic():
                if not _still_linked(identity):
                    report.problems.append(_unlinked_message(person))
                    break
                _store_edits(person, wiki, edits, at=at)
            report.read.append(f"{wiki.name}: {identity.username}")
    _record_read(report, at=at, run=run)
    return report


def run_wikis(run: Run) -> list[Wiki]:
    settings_row = RunWikis.objects.filter(run=run).first()
    return list(settings_row.wikis.all()) if settings_row is not None else []


def save_run_wikis(run: Run, *, wikis: Iterable[Wiki], page_prefix: str) -> RunWikis:
    """Set the wikis the run reads and the page prefix of its course edits. Sends nothing."""
    with transaction.atomic():
        row, _created = RunWikis.objects.update_or_create(
            run=run, defaults={"page_prefix": page_prefix}
        )
        row.wikis.set(list(wikis))
    return row


def set_edit_sharing(run: Run, person: User, *, is_shared: bool, at: datetime) -> None:
    """Record whether the participant's wiki edits are shown to the run's facilitators."""
    EditSharing.objects.update_or_create(
        run=run, person=person, defaults={"is_shared": is_shared, "changed_at": at}
    )
