from datetime import datetime

from django.db import transaction

from cohortkit.accounts.models import User
from cohortkit.courses.models import Module, Run
from cohortkit.learning.models import Reply, TalkPreference, Thread
from cohortkit.learning.services.mail import person_mail
from cohortkit.notifications.services import queue_mails


@transaction.atomic
def start_thread(
    run: Run, *, module: Module | None, author: User, title: str, body: str, at: datetime
) -> Thread:
    """Open a question on the run's (or a module's) talk page. Sends nothing."""
    return Thread.objects.create(
        run=run, module=module, author=author, title=title, body=body,
        created_at=at, last_activity_at=at,
    )  # fmt: skip


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


@transaction.atomic
def set_reply_mail(user: User, *, enabled: bool) -> TalkPreference:
    """Turn the person's reply notices on or off."""
    preference, _created = TalkPreference.objects.update_or_create(
        user=user, defaults={"mail_on_reply": enabled}
    )
    return preference
