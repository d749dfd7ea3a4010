"""What a course team changes without the admin: runs (created empty or copied from an
earlier run), roles and invitations, modules and topics.

Other apps take part in creating and copying a run through a module `<app>/run_copy.py`
(found through the app registry, as navigation.py finds `run_links`), so this app never
imports them by name. Such a module may define:

- `copy_run(source, target) -> Mapping[str, str]`: copy the app's set-up of `source` into
  the new `target` (in the caller's transaction) and return how the keys of its
  translation units move, as prefix → prefix (`{"learning.2021.assignment.7.":
  "learning.2022.assignment.31."}`);
- `set_up_run(run)`: what every new run needs (the scheduling app adds the onboarding
  call as a live session);
- `copy_translations(source, target, prefixes)`: the translations app copies the language
  versions of the source run's units to the moved keys. It runs after every `copy_run`.
"""

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from types import ModuleType
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.accounts.discovery import discover
from cohortkit.accounts.models import User
from cohortkit.courses.models import Course, Invitation, Module, Role, Run, RunRole, Topic
from cohortkit.notifications.services import Mail, queue_mails

ROLE_KIND = "courses-role"
INVITATION_KIND = "courses-invitation"


class CourseTeamError(ValueError):
    """A change that cannot be made; the message says why, for the person who asked."""


@cache
def run_copy_modules() -> tuple[ModuleType, ...]:
    """Each app's `run_copy` module, in INSTALLED_APPS order (this app's own first)."""
    return discover("run_copy")


def _hooks(name: str) -> list[Callable[..., Any]]:
    return [getattr(module, name) for module in run_copy_modules() if hasattr(module, name)]


# ---- runs ------------------------------------------------------------------------------------

RUN_FIELDS = (
    "title",
    "slug",
    "timezone",
    "capacity",
    "applications_open_at",
    "applications_close_at",
    "notification_at",
    "onboarding_at",
    "starts_on",
    "weeks",
    "is_self_paced",
)


def create_run(
    course: Course,
    *,
    title: str,
    slug: str,
    timezone: str,
    capacity: int,
    applications_open_at: datetime,
    applications_close_at: datetime,
    notification_at: datetime,
    onboarding_at: datetime | None,
    starts_on: date,
    weeks: int,
    copy_from: Run | None = None,
    by: User | None = None,
) -> Run:
    """Create a run of the course, empty or as a copy of `copy_from`'s set-up.

    Changes: the Run; with `copy_from`, its modules and topics and, through each app's
    `run_copy.copy_run`, assignments and completion rules (learning), the application
    form, questions, eligibility rules, quotas and review rubric (applications), the
    peer-review set-up, rubric and feedback questions (reviews), then the language versions
    of every copied unit (translations). Every app's `set_up_run` runs for the new run (the
    onboarding call becomes a live session at `onboarding_at`). The person creating it
    becomes its coordinator. One transaction; sends nothing.
    """
    if Run.objects.filter(course=course, slug=slug).exists():
        raise CourseTeamError(_("This course already has a run with that short name."))
    with transaction.atomic():
        run = Run.objects.create(
            course=course,
            title=title,
            slug=slug,
            timezone=timezone,
            capacity=capacity,
            applications_open_at=applications_open_at,
            applications_close_at=applications_close_at,
            notification_at=notification_at,
            onboarding_at=onboarding_at,
            starts_on=starts_on,
            weeks=weeks,
        )
        if by is not None:
            RunRole.objects.get_or_create(run=run, user=by, role=Role.COORDINATOR)
        if copy_from is not None:
            prefixes: dict[str, str] = {}
            for copy in _hooks("copy_run"):
                prefixes.update(copy(copy_from, run))
            for copy_translations in _hooks("copy_translations"):
                copy_translations(copy_from, run, prefixes)
        for set_up in _hooks("set_up_run"):
            set_up(run)
    return run


def update_run(run: Run, **fields: Any) -> Run:
    """Change a run's title, dates, seats or zone (the names in RUN_FIELDS).

    Changes: the Run; each app's `run_changed(run, before)` follows (the scheduling app
    moves the onboarding call, which mails the people invited). One transaction.
    """
    unknown = set(fields) - set(RUN_FIELDS)
    if unknown:
        raise TypeError(f"not run fields: {sorted(unknown)}")
    before = Run.objects.get(pk=run.pk)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(run, name, value)
        run.save()
        for changed in _hooks("run_changed"):
            changed(run, before)
    return run


def copy_outline(source: Run, target: Run) -> dict[str, str]:
    """Copy the modules and topics (this app's `copy_run`). Returns the unit-key prefix map."""
    for module in source.modules.prefetch_related("topics").order_by("position"):
        copied = Module.objects.create(
            run=target,
            position=module.position,
            title=module.title,
            summary=module.summary,
            release_week=module.release_week,
        )
        Topic.objects.bulk_create(
            Topic(module=copied, position=topic.position, title=topic.title, body=topic.body)
            for topic in module.topics.all()
        )
    return {f"run.{source.slug}.": f"run.{target.slug}."}


# ---- roles -----------------------------------------------------------------------------------


def _language(person: User | None, course: Course) -> str:
    fallback = course.language or "en"
    return person.mail_language_or(fallback) if person is not None else fallback


def invite_to_role(
    run: Run, *, email: str, role: str, by: User, at: datetime
) -> RunRole | Invitation:
    """Give the person with this e-mail address the role in the run, or invite the address.

    An existing account gets the role at once and a mail saying so (in their language). An
    unknown address gets an Invitation and a mail with its link, which grants the role once
    the person has signed up and verified that address (`accept_invitation`). Inviting
    again for a role already held or already invited changes nothing and mails nothing.
    One transaction; the mail is queued (sent after commit).
    """
    email = email.strip()
    course = run.course
    person = User.objects.filter(email__iexact=email).first()
    run_url = settings.SITE_URL + run.get_absolute_url()
    context = {
        "course_title": course.title,
        "run_title": run.title,
        "role": Role(role).label,
        "by": by.display_name or by.email,
        "run_url": run_url,
    }
    with transaction.atomic():
        if person is not None:
            granted, created = RunRole.objects.get_or_create(run=run, user=person, role=role)
            if created:
                language = _language(person, course)
                queue_mails(
                    [
                        Mail(
                            recipient=person.email,
                            kind=ROLE_KIND,
                            language=language,
                            template="courses/mail/role_granted",
                            context={**context, "person": person},
                            user=person,
                            run=run,
                            key=f"{ROLE_KIND}:{granted.pk}",
                            send_at=at,
                        )
                    ]
                )
            return granted
        invitation = Invitation.objects.filter(
            run=run, email__iexact=email, role=role, accepted_at__isnull=True
        ).first()
        if invitation is not None:
            return invitation
        invitation = Invitation.objects.create(
            run=run, email=email, role=role, invited_by=by, created_at=at
        )
        queue_mails(
            [
                Mail(
                    recipient=email,
                    kind=INVITATION_KIND,
                    language=_language(None, course),
                    template="courses/mail/invitation",
                    context={
                        **context,
                        "email": email,
                        "invitation_url": settings.SITE_URL
                        + reverse("courses:invitation", kwargs={"token": invitation.token}),
                        "signup_url": settings.SITE_URL + reverse("accounts:signup"),
                    },
                    run=run,
                    key=f"{INVITATION_KIND}:{invitation.pk}",
                    send_at=at,
                )
            ]
        )
    return invitation


def accept_invitation(invitation: Invitation, *, user: User, at: datetime) -> RunRole:
    """Grant the invitation's role to the signed-in person whose verified address it was
    sent to. Changes: the RunRole, the invitation's accepted_at/by (it works once)."""
    if invitation.accepted_at is not None:
        raise CourseTeamError(_("This invitation has already been used."))
    if user.email.casefold() != invitation.email.casefold():
        raise CourseTeamError(
            _("This invitation was sent to another e-mail address: sign in with that one.")
        )
    if not user.is_email_verified:
        raise CourseTeamError(_("Verify your e-mail address first (see the mail we sent)."))
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=at, accepted_by=user
        )
        if not claimed:
            raise CourseTeamError(_("This invitation has already been used."))
        role, _created = RunRole.objects.get_or_create(
            run=invitation.run, user=user, role=invitation.role
        )
    return role


def accept_invitations_for(user: User, *, at: datetime) -> list[RunRole]:
    """Accept every open invitation to the person's address, once it is verified (called
    when they sign in, so the role is theirs right after they confirm their address).
    Returns the roles granted."""
    if not user.is_email_verified:
        return []
    granted = []
    for invitation in Invitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True
    ).select_related("run__course"):
        try:
            granted.append(accept_invitation(invitation, user=user, at=at))
        except CourseTeamError:
            continue  # accepted meanwhile through its link
    return granted


def remove_role(role: RunRole, *, by: User) -> None:
    """Take a role away. Refused for the run's last coordinator and for one's own
    coordinator role (someone must be left to run the course). Changes: deletes the row."""
    if role.role == Role.COORDINATOR:
        if role.user_id == by.pk:
            raise CourseTeamError(_("You cannot remove your own coordinator role."))
        others = RunRole.objects.filter(run=role.run_id, role=Role.COORDINATOR).exclude(pk=role.pk)
        if not others.exists():
            raise CourseTeamError(_("A run needs at least one coordinator."))
    with transaction.atomic():
        role.delete()


def withdraw_invitation(invitation: Invitation) -> None:
    """Delete an invitation not used yet (its link stops working)."""
    if invitation.accepted_at is not None:
        raise CourseTeamError(_("This invitation has already been used."))
    invitation.delete()


# ---- modules and topics ----------------------------------------------------------------------


def add_module(run: Run, *, title: str, summary: str, release_week: int) -> Module:
    """Append a module to the run's outline. Changes: one Module (its units follow)."""
    with transaction.atomic():
        last = run.modules.aggregate(last=Max("position"))["last"] or 0
        return Module.objects.create(
            run=run, position=last + 1, title=title, summary=summary, release_week=release_week
        )


def update_module(module: Module, *, title: str, summary: str, release_week: int) -> Module:
    """Change a module's title, summary and release week."""
    with transaction.atomic():
        module.title, module.summary, module.release_week = title, summary, release_week
        module.save(update_fields=["title", "summary", "release_week"])
    return module


def add_topic(module: Module, *, title: str, body: str = "") -> Topic:
    """Append a topic to the module. Changes: one Topic (its units follow)."""
    with transaction.atomic():
        last = module.topics.aggregate(last=Max("position"))["last"] or 0
        return Topic.objects.create(module=module, position=last + 1, title=title, body=body)


def _swap(items: list[Any], index: int, other: int) -> None:
    """Swap the positions of two rows with unique positions (through a free position)."""
    first, second = items[index], items[other]
    model = type(first)
    with transaction.atomic():
        free = max(item.position for item in items) + 1
        model.objects.filter(pk=first.pk).update(position=free)
        model.objects.filter(pk=second.pk).update(position=first.position)
        model.objects.filter(pk=first.pk).update(position=second.position)
        first.position, second.position = second.position, first.position
        # Updates send no signals: save one row so its course's units follow the order.
        first.save(update_fields=["position"])


def move_module(module: Module, *, up: bool) -> bool:
    """Move a module one place up or down in its run's outline. Returns whether it moved.

    Module positions are also the week pages' addresses (`learn/<position>/`) and the keys
    of their translation units; both follow the new order (translation memory keeps the
    translations of unchanged text)."""
    modules = list(Module.objects.filter(run=module.run_id).order_by("position"))
    index = next(i for i, item in enumerate(modules) if item.pk == module.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(modules):
        return False
    _swap(modules, index, other)
    return True


def move_topic(topic: Topic, *, up: bool) -> bool:
    """Move a topic one place up or down within its module. Returns whether it moved."""
    topics = list(Topic.objects.filter(module=topic.module_id).order_by("position"))
    index = next(i for i, item in enumerate(topics) if item.pk == topic.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(topics):
        return False
    _swap(topics, index, other)
    return True
