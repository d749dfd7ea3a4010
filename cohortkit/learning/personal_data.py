"""What learning holds about a person: progress, submitted work and its files, extensions,
support notes, Q&A posts, preferences, certificates.

Erasing deletes their submissions (with every version and file), extensions, support notes,
requests for help, topic progress and Q&A preferences. Q&A posts stay, naming the tombstone ("Deleted person"),
because others' replies and answers depend on them. The participant status stays (a run's
completion figures). Certificates: kept valid under the printed name when the person chooses
so (verification keeps answering); otherwise revoked with the name removed, so the
verification page says "revoked" and names nobody, and the run's issued count stays right."""

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.db.models.fields.files import FieldFile

from cohortkit.accounts.models import User
from cohortkit.learning.models import (
    Certificate,
    Extension,
    HelpRequest,
    ParticipantStatus,
    Reply,
    Submission,
    SubmissionVersion,
    SupportAction,
    TalkPreference,
    Thread,
    TopicCompletion,
)

COVERS = frozenset(
    {
        "learning.Attachment",
        "learning.Submission",
        "learning.Extension",
        "learning.HelpRequest",
        "learning.Certificate",
        "learning.TopicCompletion",
        "learning.ParticipantStatus",
        "learning.SupportAction",
        "learning.Thread",
        "learning.Reply",
        "learning.TalkPreference",
    }
)

ERASED_REASON = "The holder deleted their account."


def _run(run: Any) -> str:
    return f"{run.course.slug}/{run.slug}"


def _submissions(person: User) -> Any:
    return (
        Submission.objects.filter(participant=person)
        .select_related("assignment__run__course")
        .prefetch_related("versions")
        .order_by("pk")
    )


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "topics_done": [
            {"run": _run(row.topic.module.run), "topic": row.topic.title, "done_at": row.done_at}
            for row in TopicCompletion.objects.filter(user=person)
            .select_related("topic__module__run__course")
            .order_by("done_at", "pk")
        ],
        "participation": [
            {"run": _run(row.run), "state": row.state, "updated_at": row.updated_at}
            for row in ParticipantStatus.objects.filter(user=person)
            .select_related("run__course")
            .order_by("pk")
        ],
        "submissions": [
            {
                "run": _run(item.assignment.run),
                "assignment": item.assignment.title,
                "text": item.text,
                "link": item.link,
                "file": item.file_name,
                "status": item.status,
                "submitted_at": item.submitted_at,
                "is_late": item.is_late,
                "feedback": item.feedback,
                "feedback_at": item.feedback_at,
                "versions": [
                    {
                        "number": v.number,
                        "text": v.text,
                        "link": v.link,
                        "file": v.file_name,
                        "submitted_at": v.submitted_at,
                        "is_late": v.is_late,
                    }
                    for v in item.versions.all()
                ],
            }
            for item in _submissions(person)
        ],
        "extensions": [
            {
                "run": _run(row.assignment.run),
                "assignment": row.assignment.title,
                "due_at": row.due_at,
            }
            for row in Extension.objects.filter(participant=person)
            .select_related("assignment__run__course")
            .order_by("pk")
        ],
        "support": [
            {"run": _run(row.run), "kind": row.kind, "note": row.note, "taken_at": row.taken_at}
            for row in SupportAction.objects.filter(participant=person)
            .select_related("run__course")
            .order_by("taken_at", "pk")
        ],
        "help_requests": [
            {
                "run": _run(row.run),
                "kind": row.kind,
                "message": row.message,
                "state": row.state,
                "asked_at": row.created_at,
                "answered_at": row.decided_at,
                "answer": row.decision_note,
            }
            for row in HelpRequest.objects.filter(participant=person)
            .select_related("run__course")
            .order_by("created_at", "pk")
        ],
        "questions": [
            {
                "run": _run(row.run),
                "title": row.title,
                "body": row.body,
                "created_at": row.created_at,
            }
            for row in Thread.objects.filter(author=person)
            .select_related("run__course")
            .order_by("created_at", "pk")
        ],
        "replies": [
            {
                "run": _run(row.thread.run),
                "question": row.thread.title,
                "body": row.body,
                "created_at": row.created_at,
            }
            for row in Reply.objects.filter(author=person)
            .select_related("thread__run__course")
            .order_by("created_at", "pk")
        ],
        "qa_preferences": [
            {"mail_on_reply": row.mail_on_reply, "question_mail": row.question_mail}
            for row in TalkPreference.objects.filter(user=person)
        ],
        "certificates": [
            {
                "run": _run(row.run),
                "code": row.code,
                "name": row.name,
                "issued_at": row.issued_at,
                "revoked_at": row.revoked_at,
            }
            for row in Certificate.objects.filter(user=person)
            .select_related("run__course")
            .order_by("pk")
        ],
    }


def uploads(person: User) -> list[tuple[str, FieldFile]]:
    """Each stored file once: submissions/<id>/<version or latest>-<their file name>."""
    files: list[tuple[str, FieldFile]] = []
    seen: set[str] = set()
    for item in _submissions(person):
        for version in item.versions.all():
            if version.file and version.file.name not in seen:
                seen.add(version.file.name)
                files.append(
                    (
                        f"submissions/{item.pk}/v{version.number}-"
                        f"{_safe(version.file_name, version.file.name)}",
                        version.file,
                    )
                )
        if item.file and item.file.name not in seen:
            seen.add(item.file.name)
            files.append(
                (f"submissions/{item.pk}/latest-{_safe(item.file_name, item.file.name)}", item.file)
            )
    return files


def _safe(name: str, stored: str) -> str:
    """A file name without folders (a name typed by a person could hold ../)."""
    return PurePath(name.replace("\\", "/")).name or PurePath(stored).name


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    # Deleting rows also deletes their stored files after commit (stored_files.py).
    SubmissionVersion.objects.filter(submission__participant=person).delete()
    Submission.objects.filter(participant=person).delete()
    Extension.objects.filter(participant=person).delete()
    SupportAction.objects.filter(participant=person).delete()
    HelpRequest.objects.filter(participant=person).delete()
    TopicCompletion.objects.filter(user=person).delete()
    TalkPreference.objects.filter(user=person).delete()
    if not keep_certificates:
        Certificate.objects.filter(user=person, revoked_at__isnull=True).update(
            revoked_at=at, revoked_reason=ERASED_REASON
        )
        Certificate.objects.filter(user=person).update(name="")
    # Attachments they uploaded are course content: they stay (`uploaded_by` is the tombstone).
