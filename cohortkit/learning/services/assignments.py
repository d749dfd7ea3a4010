from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.learning.deadlines import deadlines_for
from cohortkit.learning.models import Assignment, Extension, Submission, SubmissionStatus
from cohortkit.learning.services.mail import course_texts, language_of, mail_person
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

    Handing in after the due date (extension counted) is refused when the assignment does
    not accept late work, and marked late otherwise. Accepted work is not changed.
    Sends nothing.
    """
    submission, _created = Submission.objects.get_or_create(
        assignment=assignment, participant=participant
    )
    if submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("This work has been accepted already; it can no longer change."))
    late = at > due_at_for(assignment, participant)
    if submit and late and not assignment.accepts_late:
        raise ValidationError(
            _(
                "The due date has passed and this assignment does not accept late work. "
                "Your draft is kept; ask the coordinator for an extension."
            )
        )
    submission.text = text
    submission.link = link
    if upload is not None:
        submission.file_type = upload_type
        submission.file_name = (upload.name or "file")[:255]
        submission.file.save(upload.name or "file", upload, save=False)
    if submit:
        if not (text.strip() or link or submission.file):
            raise ValidationError(_("Add some text, a link or a file before handing in."))
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = at
        submission.is_late = late
    submission.save()
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
    texts = course_texts(assignment.run, [person], keys=[key])[language_of(person)]
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
