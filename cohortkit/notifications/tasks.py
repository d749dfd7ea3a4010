from django.tasks import task

from cohortkit.notifications.services import send_due_mail, send_message, send_messages


@task()
def task_send_message(message_id: int) -> str | None:
    state = send_message(message_id)
    return str(state) if state else None


@task()
def task_send_messages(message_ids: list[int]) -> int:
    """Send the messages queued together by `queue_mails`; returns how many were sent."""
    return send_messages(message_ids)


@task()
def task_send_due_mail() -> int:
    return send_due_mail()
