from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohortkit.learning.models.content import stored_name


class AssignmentKind(models.TextChoices):
    SELF_ASSESSMENT = "self-assessment", _("Self-assessment")
    PARTNER_MAP = "partner-map", _("Partner map")
    VALUE_PROPOSAL = "value-proposal", _("Value proposal")
    THEORY_OF_CHANGE = "theory-of-change", _("Theory of change")
    PITCH = "pitch", _("Pitch")
    OTHER = "other", pgettext_lazy("assignment kind", "Other")


class Assignment(models.Model):
    """Practical work of a run. (The final presentation belongs to the reviews app.)"""

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="assignments")
    module = models.ForeignKey(
        "courses.Module",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("module"),
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=AssignmentKind.choices, default=AssignmentKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), help_text=_("Markdown."))
    due_at = models.DateTimeField(_("due"))
    accepts_late = models.BooleanField(
        _("accept late work"), default=True, help_text=_("Work handed in after the due date.")
    )
    is_required = models.BooleanField(_("required for completion"), default=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("submission status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("submission status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("submission status", "Accepted")
    NEEDS_WORK = "needs-work", pgettext_lazy("submission status", "Needs work")


class Submission(models.Model):
    """One participant's work for one assignment: text, a link and/or a file."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    text = models.TextField(_("your work"), blank=True, help_text=_("Markdown."))
    link = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=stored_name, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Markdown."))
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "participant"], name="learning_submission_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="learning_submission_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.participant}"


class SubmissionVersion(models.Model):
    """One hand-in of a submission, frozen: what was handed in and when. The submission
    itself shows the latest; these keep the history."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("your work"), blank=True)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=stored_name, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("handed in at"))
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="learning_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


class Extension(models.Model):
    """A later due date for one person and one assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions"
    )
    due_at = models.DateTimeField(_("new due date"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "participant"], name="learning_extension_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.participant} → {self.due_at.isoformat()}"
