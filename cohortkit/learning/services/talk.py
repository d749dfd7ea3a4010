from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q

from cohortkit.accounts.models import User
from cohortkit.courses.models import Module, Role, Run
from cohortkit.learning.models import QuestionMail, Reply, TalkPreference, Thread
from cohortkit.learning.services.mail import course_texts, person_mail
from cohortkit.notifications.services import Mail, queue_mails
from cohortkit.translations.mail import mail_titles

STAFF = (Role.COORDINATOR, Role.FACILITATOR)


def digest_day(at: datetime) -> date:
    """The digest a question created at `at` belongs to: its day in UTC (one digest a day
    for everyone; the mail shows each question's time in the reader's zone)."""
    return at.astimezone(UTC).date()


def digest_sent_at(day: date) -> datetime:
    """When the digest of `day` goes out: the end of that UTC day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def _staff_choosing(run: Run, choices: list[QuestionMail], *, exclude: int | None) -> list[User]:
    """The run's facilitators and coordinators whose question-mail choice is in `choices`
    (no preference row means the default, the daily digest)."""
    wanted = Q(talk_preference__question_mail__in=choices)
    if QuestionMail.DAILY in choices:
        wanted |= Q(talk_preference__isnull=True)
    people = User.objects.filter(wanted, run_roles__run=run, run_roles__role__in=STAFF)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    return list(people.distinct().order_by("pk"))


@transaction.atomic
def start_thread(
    run: Run, *, module: Module | None, author: User, title: str, body: str, at: datetime
) -> Thread:
    """Open a question on the run's talk page (about a module, or general).

    After commit, the run's staff who chose an e-mail for each question get one, and the
    daily digest of the question's day is scheduled (once a day: by its first question)."""
    thread = Thread.objects.create(
        run=run, module=module, author=author, title=title, body=body,
        created_at=at, last_activity_at=at,
    )  # fmt: skip
    recipients = _staff_choosing(run, [QuestionMail.EACH], exclude=author.pk)
    day = digest_day(at)
    start = datetime.combine(day, time.min, tzinfo=UTC)
    first_of_day = not Thread.objects.filter(
        created_at__gte=start, created_at__lt=digest_sent_at(day), pk__lt=thread.pk
    ).exists()

    def notify() -> None:
        if recipients:
            texts = course_texts(run, recipients)
            queue_mails(
                person_mail(
                    person,
                    "question",
                    {
                        "thread": thread,
                        "author": author,
                        **mail_titles(run, texts[person.mail_language]),
                    },
                    kind="learning-question",
                    run=run,
                    key=f"learning-question-{thread.pk}-{person.pk}",
                )
                for person in recipients
            )
        if first_of_day:
            from cohortkit.learning.tasks import task_send_question_digests  # noqa: PLC0415 — tasks import this module: a top-level import is a cycle

            task_send_question_digests.using(run_after=digest_sent_at(day)).enqueue(day.isoformat())

    transaction.on_commit(notify)
    return thread


@transaction.atomic
def send_question_digests(*, day: date) -> int:
    """Queue, for each run that got questions on `day` (UTC), one mail to each of its
    facilitators and coordinators who chose the daily digest, listing the questions (their
    own left out). Keyed per run, person and day, so running it twice sends nothing more.
    Returns how many mails were queued (or were already)."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    threads = list(
        Thread.objects.filter(
            created_at__gte=start, created_at__lt=digest_sent_at(day), is_hidden=False
        )
        .select_related("run__course", "author")
        .order_by("run", "created_at", "pk")
    )
    by_run: dict[int, list[Thread]] = defaultdict(list)
    for thread in threads:
        by_run[thread.run_id].append(thread)
    mails: list[Mail] = []
    for questions in by_run.values():
        run = questions[0].run
        people = _staff_choosing(run, [QuestionMail.DAILY], exclude=None)
        if not people:
            continue
        texts = course_texts(run, people)
        for person in people:
            listed = [thread for thread in questions if thread.author_id != person.pk]
            if not listed:
                continue
            mails.append(
                person_mail(
                    person,
                    "question_digest",
                    {
                        "threads": listed,
                        "day": day,
                        **mail_titles(run, texts[person.mail_language]),
                    },
                    kind="learning-question-digest",
                    run=run,
                    key=f"learning-question-digest-{run.pk}-{person.pk}-{day.isoformat()}",
                )
            )
    queue_mails(mails)
    return len(mails)


def wants_reply_mail(user: User) -> bool:
    preference = TalkPreference.objects.filter(user=user).first()
    return preference is None or preference.mail_on_reply


@transaction.atomic
def reply_to_thread(thread: Thread, *, author: User, body: str, at: datetime) -> Reply:
    """Add a reply and, after commit, mail everyone else in the thread (the asker and
    earlier repliers) who has not turned reply mail off."""
    reply = Reply.objects.create(thread=thread, author=author, body=body, created_at=at)
    thread.last_activity_at = at
    thread.save(update_fields=["last_activity_at"])
    people: set[int | None] = {thread.author_id} | set(
        thread.replies.exclude(author=None).values_list("author_id", flat=True)
    )
    people.discard(author.pk)
    people.discard(None)
    # No preference row means reply mail is on; one query whoever is in the thread.
    recipients = list(
        User.objects.filter(pk__in=[pk for pk in people if pk is not None]).exclude(
            talk_preference__mail_on_reply=False
        )
    )

    def notify() -> None:
        queue_mails(
            person_mail(
                person,
                "reply",
                {"thread": thread, "reply": reply, "author": author},
                kind="learning-reply",
                run=thread.run,
                key=f"learning-reply-{reply.pk}-{person.pk}",
            )
            for person in recipients
        )

    transaction.on_commit(notify)
    return reply


@transaction.atomic
def mark_answered(thread: Thread, *, answered: bool) -> Thread:
    """Set or clear the thread's answered mark. Sends nothing."""
    thread.is_answered = answered
    thread.save(update_fields=["is_answered"])
    return thread


@transaction.atomic
def hide_post(post: Thread | Reply, *, reason: str, by: User) -> Thread | Reply:
    """Hide a thread or reply from participants, keeping it (and why) for staff."""
    post.is_hidden = True
    post.hidden_reason = reason
    post.hidden_by = by
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    return post


def question_mail_of(user: User) -> QuestionMail:
    preference = TalkPreference.objects.filter(user=user).first()
    return QuestionMail(preference.question_mail) if preference else QuestionMail.DAILY


@transaction.atomic
def set_reply_mail(
    user: User, *, enabled: bool, question_mail: QuestionMail | None = None
) -> TalkPreference:
    """Turn the person's reply notices on or off and, when given, set how they hear of new
    questions as staff. Sends nothing."""
    defaults: dict[str, object] = {"mail_on_reply": enabled}
    if question_mail is not None:
        defaults["question_mail"] = question_mail
    preference, _created = TalkPreference.objects.update_or_create(user=user, defaults=defaults)
    return preference
