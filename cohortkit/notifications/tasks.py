from django.tasks import task

from cohortkit.notifications.services import send_due_mail, send_message


@task()
def task_send_message(message_id: int) -> str | None:
    state = send_message(message_id)
    return str(state) if state else None


@task()
def task_send_due_mail() -> int:
    return send_due_mail()
