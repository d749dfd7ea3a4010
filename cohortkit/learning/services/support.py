from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.applications.models import Application, ApplicationState
from cohortkit.applications.services import withdraw_application
from cohortkit.courses.models import Role, Run, RunRole, Topic
from cohortkit.courses.permissions import STAFF_ROLES
from cohortkit.learning.models import (
    Assignment,
    HelpKind,
    HelpRequest,
    HelpState,
    ParticipantState,
    ParticipantStatus,
    SupportAction,
    SupportActionKind,
    TopicCompletion,
)
from cohortkit.learning.services.assignments import grant_extension
from cohortkit.learning.services.mail import course_texts, mail_person, person_mail
from cohortkit.learning.translation_units import assignment_key
from cohortkit.notifications.services import queue_mails
from cohortkit.scheduling.services import revoke_calendar_token
from cohortkit.translations.mail import mail_titles

STATE_FOR = {
    SupportActionKind.PAUSE: ParticipantState.PAUSED,
    SupportActionKind.SELF_PACED: ParticipantState.SELF_PACED,
    SupportActionKind.WITHDRAWAL: ParticipantState.WITHDRAWN,
}


def carry_progress(*, user: User, from_run: Run, to_run: Run, at: datetime) -> int:
    """Copy the person's done topics to the same module and topic positions of another
    run; returns how many were copied."""
    done = TopicCompletion.objects.filter(user=user, topic__module__run=from_run).values_list(
        "topic__module__position", "topic__position"
    )
    targets = {
        (t.module.position, t.position): t
        for t in Topic.objects.filter(module__run=to_run).select_related("module")
    }
    copied = 0
    for key in done:
        topic = targets.get(key)
        if topic is not None:
            _obj, created = TopicCompletion.objects.get_or_create(
                user=user, topic=topic, defaults={"done_at": at}
            )
            copied += created
    return copied


@transaction.atomic
def take_support_action(
    run: Run,
    *,
    participant: User,
    kind: SupportActionKind,
    note: str,
    by: User,
    at: datetime,
    assignment: Assignment | None = None,
    due_at: datetime | None = None,
    next_run: Run | None = None,
) -> SupportAction:
    """Help a participant falling behind, record what was done, and mail them.

    extension: a later due date for `assignment`; pause: the participant stops, and with
    `next_run` joins it as a participant with their done topics carried over;
    self-paced: finishes on their own (still a participant, off the at-risk list, with
    their own deadlines from today);
    withdrawal: leaves the run: a confirmed seat is given up and offered down the waitlist
    (the applications app's `withdraw_application`), the participant role ends and with it
    every run page, Q&A, call link and the personal calendar feed; the status row and this
    record stay for staff.
    """
    details: dict[str, object] = {}
    if kind == SupportActionKind.EXTENSION:
        if assignment is None or due_at is None:
            raise ValidationError(_("An extension needs an assignment and a new due date."))
        grant_extension(assignment, participant=participant, due_at=due_at, by=by)
        details = {
            "assignment": assignment.pk,
            "title": assignment.title,
            "due_at": due_at.isoformat(),
        }
    else:
        status, _created = ParticipantStatus.objects.get_or_create(run=run, user=participant)
        status.state = STATE_FOR[kind]
        status.joins_run = next_run if kind == SupportActionKind.PAUSE else None
        if kind == SupportActionKind.SELF_PACED and status.self_paced_at is None:
            status.self_paced_at = at  # their own deadlines count from today
        status.save()
        if kind == SupportActionKind.WITHDRAWAL:
            end_participation(run, user=participant, at=at)
        if kind == SupportActionKind.PAUSE and next_run is not None:
            RunRole.objects.get_or_create(run=next_run, user=participant, role=Role.PARTICIPANT)
            copied = carry_progress(user=participant, from_run=run, to_run=next_run, at=at)
            details = {
                "next_run": next_run.pk,
                "next_run_title": next_run.title,
                "topics_carried": copied,
            }
    action = SupportAction.objects.create(
        run=run, participant=participant, kind=kind, note=note, details=details,
        taken_by=by, taken_at=at,
    )  # fmt: skip
    transaction.on_commit(
        lambda: _mail_support(action, assignment=assignment, due_at=due_at, next_run=next_run)
    )
    return action


def _mail_support(
    action: SupportAction,
    *,
    assignment: Assignment | None,
    due_at: datetime | None,
    next_run: Run | None,
) -> None:
    """Tell the participant what was done, naming the course, the assignment and the next
    run in the language of their mail."""
    run, person = action.run, action.participant
    key = assignment_key(assignment, "title") if assignment is not None else None
    runs = [next_run] if next_run is not None else []
    texts = course_texts(run, [person], runs=runs, keys=[key] if key else [])
    content = texts[person.mail_language]
    mail_person(
        person,
        "support",
        {
            "action": action,
            "assignment": assignment,
            "due_at": due_at,
            "next_run": next_run,
            **mail_titles(run, content),
            "assignment_title": content.text(key, assignment.title) if key and assignment else "",
            "next_run_title": str(content.run(next_run)) if next_run else "",
        },
        kind="learning-support",
        run=run,
    )


@transaction.atomic
def end_participation(run: Run, *, user: User, at: datetime) -> None:
    """End the person's participation: their application is withdrawn (a confirmed seat is
    given up and offered down the waitlist, by the applications app), their participant
    role ends and so does their personal calendar feed. Sends what the waitlist promotion
    sends."""
    application = (
        Application.objects.filter(run=run, applicant=user)
        .exclude(state=ApplicationState.WITHDRAWN)
        .select_related("run", "applicant")
        .first()
    )
    if application is not None:
        withdraw_application(application, at=at)
    RunRole.objects.filter(run=run, user=user, role=Role.PARTICIPANT).delete()
    revoke_calendar_token(run, user, at=at)


@transaction.atomic
def enrol_self_paced(run: Run, *, user: User, at: datetime) -> RunRole:
    """Add the person as a participant of a run open for self-guided study (no seats, no
    sessions), studying at their own pace from `at`: their deadlines count from that day
    (`learning.deadlines`). Refused for any other run. Sends nothing."""
    if not (run.is_self_paced and at >= run.ends_at):
        raise ValidationError(_("This run is not open for self-guided study."))
    role, created = RunRole.objects.get_or_create(run=run, user=user, role=Role.PARTICIPANT)
    if created:
        ParticipantStatus.objects.update_or_create(
            run=run,
            user=user,
            defaults={"state": ParticipantState.SELF_PACED, "self_paced_at": at, "joins_run": None},
        )
    return role


def next_run_of(run: Run) -> Run | None:
    """The course's next run, the one a deferral continues in (None when none is set up)."""
    return (
        Run.objects.filter(course=run.course, starts_on__gt=run.starts_on)
        .order_by("starts_on", "pk")
        .first()
    )


def run_staff(run: Run) -> list[User]:
    """The run's facilitators and coordinators, each once."""
    return list(
        User.objects.filter(run_roles__run=run, run_roles__role__in=STAFF_ROLES)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def ask_for_help(
    run: Run, *, participant: User, kind: HelpKind, message: str, at: datetime
) -> HelpRequest:
    """Record a participant's "I can't keep up" (pause, deferral to the next run, or
    finishing self-paced) and, after commit, mail the run's facilitators and coordinators,
    each in their language, with the address of "People falling behind" where they answer.
    Refused while the person has a request waiting, or a deferral with no next run."""
    if HelpRequest.objects.filter(run=run, participant=participant, state=HelpState.OPEN).exists():
        raise ValidationError(_("You have asked already; the team will answer soon."))
    if kind == HelpKind.DEFER and next_run_of(run) is None:
        raise ValidationError(_("There is no next run to continue in yet; choose another way."))
    request = HelpRequest.objects.create(
        run=run, participant=participant, kind=kind, message=message, created_at=at
    )
    staff = run_staff(run)

    def notify() -> None:
        texts = course_texts(run, staff)
        queue_mails(
            person_mail(
                person,
                "help_request",
                {
                    "help": request,
                    "asker": participant,
                    **mail_titles(run, texts[person.mail_language]),
                },
                kind="learning-help-request",
                run=run,
                key=f"learning-help-{request.pk}-{person.pk}",
            )
            for person in staff
        )

    transaction.on_commit(notify)
    return request


ACTION_FOR = {
    HelpKind.PAUSE: SupportActionKind.PAUSE,
    HelpKind.DEFER: SupportActionKind.PAUSE,
    HelpKind.SELF_PACED: SupportActionKind.SELF_PACED,
}


@transaction.atomic
def answer_help_request(
    help_request: HelpRequest, *, accept: bool, note: str, by: User, at: datetime
) -> HelpRequest:
    """Accept or decline a participant's request, with a note to them.

    Accepting does what was asked through `take_support_action` (which records it and mails
    the participant): a pause; a pause continuing in the next run (a deferral); or
    finishing self-paced (own deadlines from today, no live-session obligations). Declining
    mails the participant the note. Refused once answered."""
    if help_request.state != HelpState.OPEN:
        raise ValidationError(_("This request has been answered already."))
    run = help_request.run
    if accept:
        next_run = next_run_of(run) if help_request.kind == HelpKind.DEFER else None
        if help_request.kind == HelpKind.DEFER and next_run is None:
            raise ValidationError(_("There is no next run to continue in yet."))
        take_support_action(
            run,
            participant=help_request.participant,
            kind=ACTION_FOR[HelpKind(help_request.kind)],
            note=note,
            by=by,
            at=at,
            next_run=next_run,
        )
    help_request.state = HelpState.ACCEPTED if accept else HelpState.DECLINED
    help_request.decided_by = by
    help_request.decided_at = at
    help_request.decision_note = note
    help_request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if not accept:
        transaction.on_commit(
            lambda: mail_person(
                help_request.participant,
                "help_declined",
                {
                    "help": help_request,
                    **_titles(run, help_request.participant),
                },
                kind="learning-help-declined",
                run=run,
                key=f"learning-help-declined-{help_request.pk}",
            )
        )
    return help_request


def _titles(run: Run, person: User) -> dict[str, str]:
    return mail_titles(run, course_texts(run, [person])[person.mail_language])
