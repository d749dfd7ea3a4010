"""Forms of peer review: setup and rubric, final work, the review itself, staff actions."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.models import User
from cohortkit.reviews.models import (
    Criterion,
    FeedbackPrompt,
    FinalWork,
    NotSame,
    ReviewStep,
    Spread,
)
from cohortkit.reviews.translation_units import criterion_key, prompt_key

MAX_FILE_BYTES = 25 * 1024 * 1024
FILE_SUFFIXES = {".pdf", ".odp", ".pptx", ".ppt", ".key", ".png", ".jpg", ".jpeg", ".txt", ".md"}


def _is_ambiguous(value: datetime, zone: ZoneInfo) -> bool:
    first = value.replace(tzinfo=zone, fold=0).utcoffset()
    second = value.replace(tzinfo=zone, fold=1).utcoffset()
    return first != second


def _is_imaginary(value: datetime, zone: ZoneInfo) -> bool:
    aware = value.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value


class ZonedDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read in a given zone (the run's), not the viewer's.

    A wall-clock time that does not exist there (clocks go forward) or happens twice
    (clocks go back) is refused with a message naming the zone.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zone = zone

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return value.astimezone(ZoneInfo(self.zone)).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                return value
            naive = value
        else:
            # Parsed as a wall-clock time, never through the viewer's current zone.
            try:
                naive = datetime.fromisoformat(str(value).strip())
            except ValueError as error:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from error
            if timezone.is_aware(naive):
                return naive
        zone = ZoneInfo(self.zone)
        if _is_imaginary(naive, zone):
            raise ValidationError(
                _("%(time)s does not exist in %(zone)s: the clocks go forward then."),
                code="imaginary",
                params={"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": self.zone},
            )
        if _is_ambiguous(naive, zone):
            raise ValidationError(
                _(
                    "%(time)s happens twice in %(zone)s (the clocks go back): "
                    "choose a time an hour earlier or later."
                ),
                code="ambiguous",
                params={"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": self.zone},
            )
        return naive.replace(tzinfo=zone)


class ReviewStepForm(forms.ModelForm):
    not_same = forms.MultipleChoiceField(
        label=_("Never a reviewer who shares the author's"),
        choices=NotSame.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Hard rules. If they cannot all hold, the least important is given up first: "
            "region before home community."
        ),
    )
    spread = forms.ChoiceField(
        label=_("Spread each author's reviewers across"),
        choices=Spread.choices,
        required=False,
        help_text=_("As many different values among each author's reviewers as possible."),
    )

    class Meta:
        model = ReviewStep
        fields = [
            "reviews_per_work",
            "submissions_close_at",
            "reviews_due_at",
            "accepts_late_reviews",
            "is_anonymous",
            "not_same",
            "spread",
            "include_non_submitters",
            "instructions",
        ]

    def __init__(self, *args: Any, zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in [
            ("submissions_close_at", _("Final work due")),
            ("reviews_due_at", _("Reviews due")),
        ]:
            self.fields[name] = ZonedDateTimeField(
                zone=zone,
                label=label,
                help_text=_("Read in the run's reference zone, %(zone)s.") % {"zone": zone},
            )
        self.fields["reviews_per_work"].widget.attrs.update({"min": 1, "max": 10})
        if self.instance.pk and self.instance.is_allocated:
            # The allocation was made under these rules; deadlines and wording may move.
            for name in ["reviews_per_work", "not_same", "spread", "include_non_submitters"]:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: reviewers are allocated.")

    def clean_not_same(self) -> list[str]:
        chosen = set(self.cleaned_data.get("not_same") or [])
        # Most important first: the order of the choices.
        return [value for value in NotSame.values if value in chosen]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        close, due = data.get("submissions_close_at"), data.get("reviews_due_at")
        if close and due and due <= close:
            self.add_error("reviews_due_at", _("Reviews must be due after the final work is due."))
        return data


class LineForm(forms.Form):
    """A line of the rubric, numbered in its formset, so that its heading and the error
    summary (`summary_label`) name it alike."""

    def __init__(self, *args: Any, number: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number = number

    @property
    def summary_label(self) -> str:
        raise NotImplementedError


class CriterionForm(LineForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Criterion"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    scale_max = forms.IntegerField(label=_("Scale from 1 to"), min_value=2, max_value=10, initial=5)

    @property
    def summary_label(self) -> str:
        return gettext("Criterion %(n)s") % {"n": self.number}


class PromptForm(LineForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Question for written feedback"), max_length=500)
    is_required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    @property
    def summary_label(self) -> str:
        return gettext("Question %(n)s") % {"n": self.number}


class BaseLinesFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        """Each line's number, counting from 1 (the empty form has none)."""
        return {"number": None if index is None else index + 1}

    def lines(self) -> list[dict[str, Any]]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


CriterionFormSet: type[BaseLinesFormSet] = forms.formset_factory(
    CriterionForm, formset=BaseLinesFormSet, extra=1, can_delete=True, max_num=12
)  # type: ignore[assignment]  # formset_factory is typed as returning BaseFormSet
PromptFormSet: type[BaseLinesFormSet] = forms.formset_factory(
    PromptForm, formset=BaseLinesFormSet, extra=1, can_delete=True, max_num=8
)  # type: ignore[assignment]  # as above


def criterion_initial(step: ReviewStep | None) -> list[dict[str, Any]]:
    if step is None:
        return []
    return [
        {"id": c.pk, "title": c.title, "description": c.description, "weight": c.weight,
         "scale_max": c.scale_max}
        for c in step.criteria.all()
    ]  # fmt: skip


def prompt_initial(step: ReviewStep | None) -> list[dict[str, Any]]:
    if step is None:
        return []
    return [{"id": p.pk, "text": p.text, "is_required": p.is_required} for p in step.prompts.all()]


class FinalWorkForm(forms.ModelForm):
    class Meta:
        model = FinalWork
        fields = ["title", "text", "link", "file"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "text": _("Your presentation as text, or notes that go with your slides."),
            "link": _("For example, slides or a video on a site your reviewers can open."),
            "file": _("PDF, slides (ODP, PPTX, Keynote), an image or text; at most 25 MB."),
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size") and getattr(upload, "content_type", None):
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError(
                    _("The file is %(size)s MB; at most 25 MB is accepted."),
                    params={"size": round(upload.size / 1024 / 1024, 1)},
                )
            if PurePath(upload.name).suffix.lower() not in FILE_SUFFIXES:
                raise ValidationError(
                    _("“%(name)s” is not a kind of file we accept (%(kinds)s)."),
                    params={"name": upload.name, "kinds": ", ".join(sorted(FILE_SUFFIXES))},
                )
        return upload


class ReviewForm(forms.Form):
    """Rubric scores and written answers; all are required only when submitting.

    `text(key, source)` gives a criterion's or prompt's text in the reader's content
    language (the view passes the translations' lookup); without it, the source text.
    """

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        prompts: list[FeedbackPrompt],
        submitting: bool = False,
        text: Callable[[str, str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria, self.prompts = criteria, prompts
        for criterion in criteria:
            title, description = criterion.title, criterion.description
            if text is not None:
                title = text(criterion_key(criterion.step, criterion, "title"), title)
                description = text(
                    criterion_key(criterion.step, criterion, "description"), description
                )
            self.fields[f"score-{criterion.pk}"] = forms.TypedChoiceField(
                label=title,
                help_text=description,
                choices=[(n, str(n)) for n in range(1, criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=submitting,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score for this criterion.")},
            )
        for prompt in prompts:
            label = (
                prompt.text if text is None else text(prompt_key(prompt.step, prompt), prompt.text)
            )
            self.fields[f"answer-{prompt.pk}"] = forms.CharField(
                label=label,
                required=submitting and prompt.is_required,
                widget=forms.Textarea(attrs={"rows": 5}),
                max_length=20000,
                error_messages={"required": _("Write an answer to this question.")},
            )

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score-{c.pk}"] for c in self.criteria]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"answer-{p.pk}"] for p in self.prompts]

    def scores(self) -> dict[str, int | None]:
        return {str(c.pk): self.cleaned_data.get(f"score-{c.pk}") for c in self.criteria}

    def answers(self) -> dict[str, str]:
        return {str(p.pk): self.cleaned_data.get(f"answer-{p.pk}") or "" for p in self.prompts}

    @staticmethod
    def initial_from(scores: dict[str, int], answers: dict[str, str]) -> dict[str, Any]:
        initial: dict[str, Any] = {f"score-{key}": value for key, value in scores.items()}
        initial.update({f"answer-{key}": value for key, value in answers.items()})
        return initial


class AllocateForm(forms.Form):
    relax = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReassignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("New reviewer"), queryset=User.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = people  # type: ignore[attr-defined]


class FlagForm(forms.Form):
    is_flagged = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why is this review unfair?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_flagged") and not (data.get("note") or "").strip():
            self.add_error("note", _("Say briefly why the review is unfair."))
        return data
