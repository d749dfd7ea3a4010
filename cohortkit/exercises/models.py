"""Automatically checked exercises: an exercise per module (or topic), its questions and
choices, and each learner's attempts and answers.

A question's choices carry everything scoring needs (`weight` in per cent of the question,
the accepted texts of a short answer, the number and tolerance of a numeric answer, the
right-hand side of a matching pair, the truth value of a true/false choice). Answers store
what the learner gave by choice *position*, so editing a question keeps old answers
readable. Scoring is `scoring.py`'s, from the same data the GIFT and Aiken formats carry.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohortkit.exercises.questions import TITLE_MAX, ChoiceData, QuestionData


class Kind(models.TextChoices):
    SINGLE = "single", _("Multiple choice (one answer)")
    MULTIPLE = "multiple", _("Multiple answers")
    TRUE_FALSE = "true-false", _("True or false")
    SHORT = "short", _("Short answer")
    NUMERIC = "numeric", _("Numeric")
    MATCHING = "matching", _("Matching")


class Counting(models.TextChoices):
    BEST = "best", _("The best attempt counts")
    LAST = "last", _("The last attempt counts")


class Exercise(models.Model):
    """A short set of questions at the end of a module (or one of its topics)."""

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="exercises")
    module = models.ForeignKey("courses.Module", on_delete=models.CASCADE, related_name="exercises")
    topic = models.ForeignKey(
        "courses.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exercises",
        help_text=_("Optional: the topic it belongs to, within the module."),
    )
    title = models.CharField(_("title"), max_length=200)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 for no limit.")
    )
    counting = models.CharField(
        _("which attempt counts"), max_length=8, choices=Counting.choices, default=Counting.BEST
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (per cent)"), default=70, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_percent__lte=100), name="exercises_pass_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def attempts_left(self, used: int) -> int | None:
        """Attempts still open after `used`; None when there is no limit."""
        if not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - used)


class Question(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    text = models.TextField(_("question"))
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown to everyone after answering.")
    )
    case_sensitive = models.BooleanField(
        _("case matters"), default=False, help_text=_("Short answers only.")
    )

    class Meta:
        ordering = ["exercise", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "position"], name="exercises_question_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]

    def as_data(self) -> QuestionData:
        """The question as scoring and the file formats see it (reads `choices`, so
        prefetch them for many questions)."""
        return QuestionData(
            kind=self.kind,
            text=self.text,
            title=self.title,
            explanation=self.explanation,
            case_sensitive=self.case_sensitive,
            choices=tuple(
                ChoiceData(
                    text=c.text,
                    weight=c.weight,
                    feedback=c.feedback,
                    match=c.match,
                    number=c.number,
                    tolerance=c.tolerance,
                    truth=c.truth,
                )
                for c in self.choices.all()
            ),
        )


class Choice(models.Model):
    """One option, accepted answer, number or matching pair of a question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"), blank=True)
    weight = models.FloatField(
        _("weight (per cent)"),
        default=0,
        help_text=_("The share of the question's score this choice earns; negative takes away."),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    match = models.TextField(_("matches"), blank=True)
    number = models.FloatField(_("number"), null=True, blank=True)
    tolerance = models.FloatField(_("tolerance"), default=0)
    truth = models.BooleanField(_("true or false"), null=True, blank=True)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="exercises_choice_position"
            ),
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="exercises_tolerance_gte_0"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    """One pass of a learner through an exercise; finished when every question is answered."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)  # 0..1, when finished

    class Meta:
        ordering = ["exercise", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "user", "number"], name="exercises_attempt_number"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="exercises_attempt_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.exercise} #{self.number}"

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(100 * self.score)


class Answer(models.Model):
    """A learner's answer to one question in one attempt, scored on the server."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    response = models.JSONField(_("response"))
    score = models.FloatField(_("score"))  # 0..1
    is_correct = models.BooleanField(_("correct"))
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="exercises_answer_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="exercises_answer_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.question_id}"
