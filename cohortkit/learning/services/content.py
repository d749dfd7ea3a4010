from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run, Topic
from cohortkit.learning.models import Attachment, TopicCompletion


@transaction.atomic
def save_topic(topic: Topic, *, title: str, body: str) -> Topic:
    """Store a topic's new title and Markdown body (translations see the changed units
    through `updated_at`). Sends nothing."""
    topic.title = title
    topic.body = body
    topic.save(update_fields=["title", "body", "updated_at"])
    return topic


@transaction.atomic
def store_attachment(run: Run, *, upload: UploadedFile, content_type: str, by: User) -> Attachment:
    """Store an already checked upload under a generated name. Sends nothing."""
    attachment = Attachment(
        run=run,
        uploaded_by=by,
        original_name=(upload.name or "file")[:255],
        content_type=content_type,
        size=upload.size or 0,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def mark_topic(topic: Topic, *, user: User, done: bool, at: datetime) -> bool:
    """Mark a topic done (or not done again) for the person; returns the new state."""
    if done:
        TopicCompletion.objects.get_or_create(user=user, topic=topic, defaults={"done_at": at})
    else:
        TopicCompletion.objects.filter(user=user, topic=topic).delete()
    return done
