"""Peer review of final work: the step's settings and rubric, the works, the reviews.

The reviews app owns the final work itself (text, link or file). Reviews are created by the
allocation (``services.allocate_reviews``), by repair, by a facilitator reassigning one, or
by a facilitator adding their own. A review's rubric scores and written answers are kept as
JSON keyed by criterion and prompt id: a review has at most a dozen of each, read whole.
"""

import uuid
from datetime import datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohortkit.courses.models import Run


class NotSame(models.TextChoices):
    """Profile fields a reviewer may be required not to share with the author."""

    HOME_COMMUNITY = "home_community", _("Home community")
    REGION = "region", _("Region")


class Spread(models.TextChoices):
    NONE = "", _("No spread")
    REGION = "region", _("Region")
    ZONE_BAND = "zone_band", _("Time-zone band (from the UTC offset)")


class ReviewStep(models.Model):
    """How a run's final work is peer reviewed; one per run, set up by a coordinator."""

    run = models.OneToOneField(Run, on_delete=models.CASCADE, related_name="review_step")
    reviews_per_work = models.PositiveSmallIntegerField(
        _("reviews per work (K)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Each final work gets this many reviews, and each participant gives as many."),
    )
    submissions_close_at = models.DateTimeField(_("final work due"))
    reviews_due_at = models.DateTimeField(_("reviews due"))
    is_anonymous = models.BooleanField(
        _("anonymous review"),
        default=True,
        help_text=_("Authors do not see who reviewed their work."),
    )
    not_same = models.JSONField(
        _("never a reviewer sharing"),
        default=list,
        blank=True,
        help_text=_("Profile fields, most important first."),
    )
    spread = models.CharField(
        _("spread reviewers across"), max_length=16, choices=Spread.choices, blank=True
    )
    include_non_submitters = models.BooleanField(
        _("participants without a final work review too"), default=False
    )
    accepts_late_reviews = models.BooleanField(
        _("accept late reviews"),
        default=True,
        help_text=_("Reviews submitted after they are due are kept and marked late."),
    )
    instructions = models.TextField(_("instructions for the final work"), blank=True)
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    allocated_reviews_per_work = models.PositiveSmallIntegerField(null=True, blank=True)
    allocated_not_same = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peer-review step")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviews_due_at__gt=models.F("submissions_close_at")),
                name="reviews_step_deadlines_ordered",
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_work__gte=1), name="reviews_step_k_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run}: peer review"

    @property
    def zone(self) -> ZoneInfo:
        return self.run.zone

    @property
    def is_allocated(self) -> bool:
        return self.allocated_at is not None

    @property
    def effective_reviews_per_work(self) -> int:
        """K as allocated (a relaxation may have lowered it), else as configured."""
        return self.allocated_reviews_per_work or self.reviews_per_work

    @property
    def effective_not_same(self) -> list[str]:
        return list(self.allocated_not_same if self.is_allocated else self.not_same)

    def accepts_work_at(self, at: datetime) -> bool:
        """Work is accepted until the reviews are due; after the close it counts as late."""
        return at < self.reviews_due_at

    def not_same_labels(self) -> list[str]:
        return [str(NotSame(value).label) for value in self.not_same if value in NotSame.values]


class Criterion(models.Model):
    """One rubric line: scored from 1 to ``scale_max``, weighted in the overall score."""

    step = models.ForeignKey(ReviewStep, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("scale from 1 to"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
    )

    class Meta:
        ordering = ["step", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gte=2) & Q(scale_max__lte=10),
                name="reviews_criterion_scale",
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="reviews_criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.title


class FeedbackPrompt(models.Model):
    """A question the reviewer answers in writing."""

    step = models.ForeignKey(ReviewStep, on_delete=models.CASCADE, related_name="prompts")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=500)
    is_required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["step", "position", "pk"]
        verbose_name = _("feedback prompt")

    def __str__(self) -> str:
        return self.text


class WorkState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("final work state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("final work state", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("final work state", "Withdrawn")


class FinalWorkQuerySet(models.QuerySet["FinalWork"]):
    def submitted(self) -> "FinalWorkQuerySet":
        return self.filter(state=WorkState.SUBMITTED)


def work_file_name(instance: "FinalWork", filename: str) -> str:
    """A generated stored name: the author's file name never reaches storage (reviewers are
    anonymous to the author and the author to them). Only the extension is kept."""
    suffix = PurePath(filename).suffix[:8].lower()
    if not suffix[1:].isalnum():
        suffix = ""
    return f"reviews/works/{uuid.uuid4().hex}{suffix}"


class FinalWork(models.Model):
    """A participant's final presentation: text, a link, a file, or any of them."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="final_works")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="final_works"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=work_file_name, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=WorkState.choices, default=WorkState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted after the deadline"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FinalWorkQuerySet.as_manager()

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("final work")
        constraints = [
            models.UniqueConstraint(fields=["run", "author"], name="reviews_work_one_per_author"),
            models.CheckConstraint(
                condition=~Q(state=WorkState.SUBMITTED) | Q(submitted_at__isnull=False),
                name="reviews_work_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.author}"

    @property
    def is_submitted(self) -> bool:
        return self.state == WorkState.SUBMITTED

    @property
    def has_content(self) -> bool:
        return bool(self.text.strip() or self.link or self.file)

    @property
    def download_name(self) -> str:
        """The neutral name the file is served under: `work-<id>.<ext>`."""
        return f"work-{self.pk}{PurePath(self.file.name or '').suffix.lower()}"


class ReviewState(models.TextChoices):
    ASSIGNED = "assigned", _("To do")
    SUBMITTED = "submitted", pgettext_lazy("review state", "Submitted")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewQuerySet(models.QuerySet["Review"]):
    def active(self) -> "ReviewQuerySet":
        return self.exclude(state=ReviewState.CANCELLED)

    def submitted(self) -> "ReviewQuerySet":
        return self.filter(state=ReviewState.SUBMITTED)

    def counted(self) -> "ReviewQuerySet":
        """Submitted and not flagged as unfair: what the aggregates use."""
        return self.filter(state=ReviewState.SUBMITTED, is_flagged=False)


class Review(models.Model):
    """One reviewer's review of one work; its rubric scores and answers, draft or submitted."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="peer_reviews")
    work = models.ForeignKey(FinalWork, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_reviews"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.ASSIGNED
    )
    is_by_staff = models.BooleanField(_("by a facilitator"), default=False)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    answers = models.JSONField(_("written feedback"), default=dict, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"))
    saved_at = models.DateTimeField(_("draft saved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    is_flagged = models.BooleanField(_("flagged as unfair"), default=False)
    flag_note = models.TextField(_("why it was flagged"), blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("peer review")
        constraints = [
            # Never the same pair twice: at most one live review per (work, reviewer).
            models.UniqueConstraint(
                fields=["work", "reviewer"],
                condition=~Q(state="cancelled"),
                name="reviews_review_one_live_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(state="submitted") | Q(submitted_at__isnull=False),
                name="reviews_review_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["run", "reviewer", "state"], name="reviews_by_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.work}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ReviewState.SUBMITTED

    @property
    def is_open(self) -> bool:
        return self.state == ReviewState.ASSIGNED
