from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.learning.deadlines import deadlines_for
from cohortkit.learning.models import (
    Assignment,
    Extension,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from cohortkit.learning.services.mail import course_texts, mail_person
from cohortkit.learning.translation_units import assignment_key


def due_at_for(assignment: Assignment, user: User) -> datetime:
    """The person's due date for the assignment (extensions and self-paced counted)."""
    return deadlines_for(assignment.run, user, [assignment])[assignment.pk]


@transaction.atomic
def save_submission(
    assignment: Assignment,
    *,
    participant: User,
    text: str,
    link: str,
    upload: UploadedFile | None,
    upload_type: str,
    submit: bool,
    at: datetime,
) -> Submission:
    """Save the participant's draft, or hand it in when `submit`.

    Handed-in work is frozen: each hand-in is a new, dated `SubmissionVersion` (the history
    stays) and the submission shows the latest. Saving without handing in changes nothing
    once work is handed in (refused). Handing in (again) after the due date that applies to
    the person (`deadlines`: extensions and self-paced counted) is refused when the
    assignment does not accept late work, and marked late otherwise. Accepted work does not
    change. Sends nothing.
    """
    submission, _created = Submission.objects.select_for_update().get_or_create(
        assignment=assignment, participant=participant
    )
    if submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("This work has been accepted already; it can no longer change."))
    if not submit and submission.status != SubmissionStatus.DRAFT:
        raise ValidationError(
            _(
                "Your work is handed in and stays as it was handed in. To change it, hand in "
                "a new version."
            )
        )
    late = at > due_at_for(assignment, participant)
    if submit and late and not assignment.accepts_late:
        raise ValidationError(
            _(
                "The due date has passed and this assignment does not accept late work. "
                "Your draft is kept; ask the coordinator for an extension."
            )
        )
    if submit and not (text.strip() or link or upload is not None or submission.file):
        raise ValidationError(_("Add some text, a link or a file before handing in."))
    submission.text = text
    submission.link = link
    if upload is not None:
        submission.file_type = upload_type
        submission.file_name = (upload.name or "file")[:255]
        # A new stored file: an earlier version keeps pointing at its own.
        submission.file.save(upload.name or "file", upload, save=False)
    if submit:
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = at
        submission.is_late = late
    submission.save()
    if submit:
        SubmissionVersion.objects.create(
            submission=submission,
            number=submission.versions.count() + 1,
            text=submission.text,
            link=submission.link,
            file=submission.file.name,
            file_name=submission.file_name,
            file_type=submission.file_type,
            submitted_at=at,
            is_late=late,
        )
    return submission


@transaction.atomic
def review_submission(
    submission: Submission, *, status: str, feedback: str, by: User, at: datetime
) -> Submission:
    """Record the facilitator's feedback and status (accepted or needs work) and mail the
    participant."""
    submission.status = status
    submission.feedback = feedback
    submission.feedback_by = by
    submission.feedback_at = at
    submission.save(
        update_fields=["status", "feedback", "feedback_by", "feedback_at", "updated_at"]
    )
    transaction.on_commit(lambda: _mail_feedback(submission))
    return submission


def _mail_feedback(submission: Submission) -> None:
    assignment, person = submission.assignment, submission.participant
    key = assignment_key(assignment, "title")
    texts = course_texts(assignment.run, [person], keys=[key])[person.mail_language]
    mail_person(
        person,
        "feedback",
        {
            "submission": submission,
            "assignment": assignment,
            "assignment_title": texts.text(key, assignment.title),
        },
        kind="learning-feedback",
        run=assignment.run,
    )


@transaction.atomic
def grant_extension(
    assignment: Assignment, *, participant: User, due_at: datetime, by: User
) -> Extension:
    """Give the participant a later due date for the assignment (replacing an earlier
    extension). Sends nothing itself: the support action that calls it tells the person."""
    extension, _created = Extension.objects.update_or_create(
        assignment=assignment,
        participant=participant,
        defaults={"due_at": due_at, "granted_by": by},
    )
    return extension
