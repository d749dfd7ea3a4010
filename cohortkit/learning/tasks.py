"""Learning tasks: thin functions taking ids (or dates), run by the worker."""

from datetime import date

from django.tasks import task

from cohortkit.learning.services.talk import send_question_digests


@task()
def task_send_question_digests(day: str) -> int:
    """At the end of a UTC day with questions (scheduled by its first question): the staff's
    daily digests of that day. Returns how many mails were queued."""
    return send_question_digests(day=date.fromisoformat(day))
