"""Applications to a run: the form, answers, eligibility, review, decisions, offers, seats."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, F, Max, Min, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohortkit.accounts.models import Region
from cohortkit.courses.models import Run


class Unreviewed(models.TextChoices):
    """What a confirmed early recording does with applicants nobody has reviewed yet."""

    EXCLUDE = "exclude", _("Leave them out (not selected, marked as not reviewed)")
    WAITLIST = "waitlist", _("Put them at the end of the waitlist, marked as not reviewed")


class ApplicationForm(models.Model):
    """A run's call for applications: privacy terms, review and offer settings."""

    run = models.OneToOneField(Run, on_delete=models.CASCADE, related_name="application_form")
    introduction = models.TextField(_("introduction"), blank=True)
    privacy_notice = models.TextField(
        _("privacy notice"),
        default=_(
            "Your answers are used only to select the participants of this course and are "
            "deleted a set time after the selection."
        ),
    )
    keep_answers_days = models.PositiveIntegerField(
        _("days answers are kept after notification"), default=90
    )
    is_blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Reviewers do not see applicants' names, e-mail or wiki usernames."),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2, validators=[MinValueValidator(2)]
    )
    offer_days = models.PositiveSmallIntegerField(
        _("days to confirm an offer"), default=7, validators=[MinValueValidator(1)]
    )
    lottery_seed = models.BigIntegerField(
        _("lottery seed"), default=0, help_text=_("Breaks exact score ties; recorded.")
    )
    decisions_released_at = models.DateTimeField(_("decisions released"), null=True, blank=True)
    decisions_override_at = models.DateTimeField(
        _("decisions recorded early at"), null=True, blank=True
    )
    decisions_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decisions recorded early by"),
    )
    decisions_override_note = models.CharField(
        _("what was missing when recorded"), max_length=500, blank=True
    )
    decisions_unreviewed = models.CharField(
        _("applicants not reviewed"), max_length=16, choices=Unreviewed.choices, blank=True
    )

    def __str__(self) -> str:
        return str(self.run)

    def purge_on(self) -> date:
        return (self.run.notification_at + timedelta(days=self.keep_answers_days)).date()


class QuestionKind(models.TextChoices):
    SHORT = "short", _("Short text")
    LONG = "long", _("Long text")
    CHOICE = "choice", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes-no", _("Yes or no")
    URL = "url", pgettext_lazy("question kind", "Web address")
    NUMBER = "number", _("Number")


class Question(models.Model):
    """A coordinator's own question on the application form."""

    form = models.ForeignKey(ApplicationForm, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    options = models.TextField(
        _("options"), blank=True, help_text=_("For choice questions: one option a line.")
    )
    is_required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["form", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        """The key of the answer in `Application.answers` and the column name for quotas."""
        return f"q{self.pk}"

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Experience(models.TextChoices):
    NEW = "new", _("New: less than a year of contributions")
    INTERMEDIATE = "intermediate", _("Intermediate: one to five years")
    ADVANCED = "advanced", _("Advanced: more than five years")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def submitted(self) -> "ApplicationQuerySet":
        return self.filter(state=ApplicationState.SUBMITTED)

    def eligible(self) -> "ApplicationQuerySet":
        return self.submitted().filter(
            Q(eligibility_override=True) | Q(eligibility_override__isnull=True, is_eligible=True)
        )

    def with_scores(self) -> "ApplicationQuerySet":
        """Annotate the mean review score, the number of reviews and their spread."""
        done = Q(reviews__submitted_at__isnull=False)
        return self.annotate(
            mean_score=Avg("reviews__score", filter=done),
            review_count=Count("reviews", filter=done),
            assigned_count=Count("reviews"),
            score_spread=Max("reviews__score", filter=done) - Min("reviews__score", filter=done),
        )


class Application(models.Model):
    """One person's application to one run: built-in answers, own answers, consent, state."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    wiki_username = models.CharField(_("wiki username"), max_length=255, blank=True)
    home_community = models.CharField(_("home community"), max_length=255, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    experience = models.CharField(
        _("experience level"), max_length=16, choices=Experience.choices, blank=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("privacy consent given"), null=True, blank=True)
    purge_on = models.DateField(_("answers deleted on"), null=True, blank=True)
    purged_at = models.DateTimeField(_("answers deleted at"), null=True, blank=True)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    is_eligible = models.BooleanField(_("eligible by the rules"), null=True, blank=True)
    eligibility_reason = models.CharField(_("eligibility reason"), max_length=500, blank=True)
    eligibility_override = models.BooleanField(_("eligibility override"), null=True, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=500, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    override_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "applicant"], name="applications_one_per_person_per_run"
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.SUBMITTED)
                | Q(submitted_at__isnull=False, consent_at__isnull=False),
                name="applications_submitted_has_time_and_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.run}"

    @property
    def eligible(self) -> bool | None:
        """The coordinator's override if any, else the rules' verdict."""
        if self.eligibility_override is not None:
            return self.eligibility_override
        return self.is_eligible

    def attributes(self) -> dict[str, Any]:
        """The answers quotas and eligibility rules look at, by column name."""
        values: dict[str, Any] = {
            "region": self.region,
            "experience": self.experience,
            "timezone": self.timezone,
            "language": frozenset(self.languages or []),
        }
        for key, answer in (self.answers or {}).items():
            values[key] = frozenset(answer) if isinstance(answer, list) else str(answer)
        return values


class RuleKind(models.TextChoices):
    ANSWER = "answer", _("An answer is one of the allowed answers")
    WIKI_EDITS = "wiki-edits", _("At least this many edits on the run's wikis")
    WIKI_AGE = "wiki-age", _("A wiki account at least this many days old")
    WIKI_GROUP = "wiki-group", _("In one of these groups on a run's wiki")


class EligibilityRule(models.Model):
    """Screening: the answer in `column` must be one of `allowed`; or, from the verified wiki
    account's figures on the run's wikis, at least `minimum` edits, an account at least
    `minimum` days old when applications close, or one of the groups in `allowed`. When not
    met, `reason` applies."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="eligibility_rules")
    kind = models.CharField(
        _("rule"), max_length=16, choices=RuleKind.choices, default=RuleKind.ANSWER
    )
    column = models.CharField(_("answer"), max_length=64, blank=True)
    allowed = models.JSONField(_("allowed answers"), default=list, blank=True)
    minimum = models.PositiveIntegerField(_("at least"), null=True, blank=True)
    reason = models.CharField(_("reason when not met"), max_length=300)

    class Meta:
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return self.reason


class Criterion(models.Model):
    """One line of the review rubric; a run's weights sum to 1."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )

    class Meta:
        ordering = ["run", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=1), name="applications_criterion_weight"
            )
        ]

    def __str__(self) -> str:
        return self.name


SCORE_MIN, SCORE_MAX = 1, 5


class ApplicationReview(models.Model):
    """A reviewer's assignment to an application and, once submitted, their scores."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_reviews"
    )
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    score = models.FloatField(_("weighted score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="applications_one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(score__isnull=False),
                name="applications_submitted_review_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} / {self.application}"


class QuotaKind(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class Quota(models.Model):
    """At least / at most `count` selected people whose answer in `column` is `value`."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="quotas")
    kind = models.CharField(_("kind"), max_length=16, choices=QuotaKind.choices)
    column = models.CharField(_("answer"), max_length=64)
    value = models.CharField(_("value"), max_length=200)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return _("%(kind)s %(count)s whose “%(column)s” is “%(value)s”") % {
            "kind": self.get_kind_display(),
            "count": self.count,
            "column": self.column,
            "value": self.value,
        }


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    NOT_SELECTED = "not-selected", _("Not selected")


class Decision(models.Model):
    """The outcome for one application, why, and its place on the waitlist."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    waitlist_rank = models.PositiveIntegerField(_("waitlist rank"), null=True, blank=True)
    reason_code = models.CharField(_("reason"), max_length=64, blank=True)
    reason_quota = models.CharField(_("quota"), max_length=300, blank=True)
    note = models.CharField(_("coordinator's reason"), max_length=500, blank=True)
    lottery_seed = models.BigIntegerField(_("lottery seed"))
    lottery_rank = models.PositiveIntegerField(_("lottery rank"), null=True, blank=True)
    is_override = models.BooleanField(_("set by a coordinator"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["application"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=Outcome.WAITLISTED) | Q(waitlist_rank__isnull=True),
                name="applications_rank_only_on_waitlist",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.outcome}"

    @property
    def reason(self) -> str:
        """Why, in the reader's language: the coordinator's note or the selector's reason."""
        if self.note:
            return self.note
        return reason_text(self.reason_code, self.reason_quota)


def reason_text(code: str, quota: str | None = None) -> str:
    """The selector's reason code as a sentence in the active language."""
    template = REASONS.get(code)
    return str(template) % {"quota": quota or ""} if template else code


REASONS = {
    "selected_by_score": _("Selected by score."),
    "selected_for_quota": _("Selected to meet the quota %(quota)s."),
    "selected_after_quota": _("Selected by score once the quotas were met."),
    "waitlisted_quota_full": _("Waitlisted: the quota %(quota)s was full."),
    "waitlisted_displaced_by_quota": _(
        "Waitlisted: the seat went to someone needed for the quota %(quota)s."
    ),
    "waitlisted_by_score": _("Waitlisted: a lower score than those selected."),
    "not_eligible": _("Not selected: not eligible."),
    "not_reviewed": _("Not selected: not reviewed when the decisions were recorded."),
    "waitlisted_not_reviewed": _(
        "Waitlisted after everyone reviewed: not reviewed when the decisions were recorded."
    ),
    "promoted": _("Offered a seat freed by someone else."),
}


class OfferState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Offer(models.Model):
    """A seat offered to an applicant, to confirm or decline by `respond_by`."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="offer")
    state = models.CharField(
        _("state"), max_length=16, choices=OfferState.choices, default=OfferState.OPEN
    )
    offered_at = models.DateTimeField(_("offered"))
    respond_by = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(respond_by__gt=F("offered_at")), name="applications_offer_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.state}"


class Seats(models.Model):
    """The counter row behind the seat limit: `confirmed` never passes `capacity`.

    Confirmations raise `confirmed` with a conditional UPDATE (... WHERE confirmed <
    capacity), which serialises on the row on PostgreSQL and on the write lock of an
    IMMEDIATE transaction on SQLite; the check constraint is the last line of defence.
    """

    run = models.OneToOneField(Run, on_delete=models.CASCADE, related_name="seats")
    capacity = models.PositiveIntegerField()
    confirmed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "seats"
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed__lte=F("capacity")), name="applications_seats_not_over"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.confirmed}/{self.capacity}"
