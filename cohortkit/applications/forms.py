from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohortkit.accounts.forms import LANGUAGE_CHOICES, TimezoneField
from cohortkit.accounts.models import Region
from cohortkit.accounts.timezones import zone_names
from cohortkit.applications import selection
from cohortkit.applications.models import (
    SCORE_MAX,
    SCORE_MIN,
    ApplicationForm,
    ApplicationState,
    Criterion,
    EligibilityRule,
    Experience,
    Outcome,
    Question,
    QuestionKind,
    Quota,
    RuleKind,
    Unreviewed,
)
from cohortkit.applications.queries import quota_value_error
from cohortkit.applications.selection_io import QuotaSyntaxError, parse_quota_line
from cohortkit.applications.translation_units import criterion_key, question_key
from cohortkit.courses.models import Run
from cohortkit.notifications.models import OutboxMessage
from cohortkit.translations.queries import TranslatedText
from cohortkit.translations.templatetags.translations import translated_html

TEXT_LIMIT = 10_000
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


Text = Callable[[str, str], str]  # (unit key, source text) → the text in the reader's language


def _source(key: str, source_text: str) -> str:
    return source_text


def columns(
    questions: list[Question], run: Run | None = None, text: Text = _source
) -> list[tuple[str, str]]:
    """The answers quotas and eligibility rules can name: built-in ones and choice questions;
    with `run` and `text`, the questions named in the reader's content language."""
    built_in = [
        ("region", str(_("Region"))),
        ("experience", str(_("Experience level"))),
        ("language", str(_("Languages"))),
        ("timezone", str(_("Time zone"))),
    ]
    own = [
        (q.key, q.label if run is None else text(question_key(run, q, "label"), q.label))
        for q in questions
        if q.kind in {QuestionKind.CHOICE, QuestionKind.MULTIPLE, QuestionKind.YES_NO}
    ]
    return built_in + own


def question_field(question: Question, run: Run | None = None, text: Text = _source) -> forms.Field:
    """The form field of a coordinator's question; with `run` and `text`, its label, help
    text and choice labels in the reader's content language (answers stay the source's)."""
    if run is None:
        text = _source

    def shown(field: str, source_text: str) -> str:
        if not source_text or run is None:
            return source_text
        shown_text = text(question_key(run, question, field), source_text)
        if isinstance(shown_text, TranslatedText) and shown_text.is_fallback:
            # The source shown instead: its own language and direction, marked.
            return translated_html(shown_text)
        return shown_text

    common: dict[str, Any] = {
        "label": shown("label", question.label),
        "help_text": shown("help", question.help_text),
        "required": question.is_required,
    }
    options = [
        (option, shown(f"option.{number}", option))
        for number, option in enumerate(question.option_list(), start=1)
    ]
    match question.kind:
        case QuestionKind.SHORT:
            return forms.CharField(max_length=300, **common)
        case QuestionKind.LONG:
            return forms.CharField(max_length=TEXT_LIMIT, widget=forms.Textarea, **common)
        case QuestionKind.CHOICE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        case QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
        case QuestionKind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        case QuestionKind.URL:
            return forms.URLField(max_length=500, assume_scheme="https", **common)
        case _:
            return forms.DecimalField(max_digits=12, decimal_places=2, **common)


class ApplyForm(forms.Form):
    """The applicant's form: built-in answers, the coordinator's questions, consent."""

    timezone = TimezoneField(label=_("Time zone"))
    languages = forms.MultipleChoiceField(
        label=_("Languages you can follow a course in"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    wiki_username = forms.CharField(label=_("Wiki username"), max_length=255, required=False)
    home_community = forms.CharField(
        label=_("Home community"),
        max_length=255,
        required=False,
        help_text=_("The local group or project you contribute to most."),
    )
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    experience = forms.ChoiceField(
        label=_("Experience level"), choices=Experience.choices, widget=forms.RadioSelect
    )

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        privacy_notice: str,
        run: Run | None = None,
        text: Text = _source,
        **kwargs: Any,
    ) -> None:
        """With `run` and `text` (the translations' lookup, from the view), the questions
        are shown in the reader's content language; `privacy_notice` is shown as given."""
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.key] = question_field(question, run, text)
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree that my answers are used as described above."),
            help_text=privacy_notice,
        )
        self.timezone_names = zone_names()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            value = cleaned.get(question.key)
            if isinstance(value, Decimal):
                cleaned[question.key] = str(value)
            elif value in (None, "", []):
                cleaned.pop(question.key, None)
        return cleaned


def draft_data(data: QueryDict, questions: list[Question]) -> dict[str, Any]:
    """What the applicant typed, unvalidated, so a draft loses nothing."""
    draft: dict[str, Any] = {}
    for name in ("timezone", "wiki_username", "home_community", "region", "experience"):
        if name in data:
            draft[name] = data.get(name, "")[:255]
    if "languages" in data or "timezone" in data:
        draft["languages"] = [code[:16] for code in data.getlist("languages")][:30]
    for question in questions:
        if question.kind == QuestionKind.MULTIPLE:
            values = [value[:300] for value in data.getlist(question.key)]
            if values:
                draft[question.key] = values
        elif data.get(question.key):
            draft[question.key] = data[question.key][:TEXT_LIMIT]
    return draft


class FormSettingsForm(forms.ModelForm):
    class Meta:
        model = ApplicationForm
        fields = [
            "introduction",
            "privacy_notice",
            "keep_answers_days",
            "is_blind_review",
            "reviewers_per_application",
            "offer_days",
            "lottery_seed",
        ]


class SavedLabelMixin:
    """Remembers the row's saved name before the posted data changes the instance, so a
    formset's headings show what is saved, not what was typed."""

    def remember_saved_label(self) -> None:
        instance = self.instance  # type: ignore[attr-defined]
        self.saved_label = str(instance) if instance.pk else ""


class QuestionForm(SavedLabelMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["position", "label", "kind", "help_text", "options", "is_required"]
        widgets = {"options": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.remember_saved_label()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        options = [line for line in (cleaned.get("options") or "").splitlines() if line.strip()]
        if kind in {QuestionKind.CHOICE, QuestionKind.MULTIPLE} and len(options) < 2:
            self.add_error("options", _("A choice question needs at least two options."))
        return cleaned


class CriterionForm(SavedLabelMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["position", "name", "weight"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.remember_saved_label()


class CriterionFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        total = sum(
            (
                form.cleaned_data.get("weight") or Decimal(0)
                for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ),
            Decimal(0),
        )
        if total and total != Decimal(1):
            raise ValidationError(
                _("The weights add up to %(total)s; they must add up to 1."),
                params={"total": total},
            )


class ColumnChoiceMixin(SavedLabelMixin):
    def set_columns(self, choices: list[tuple[str, str]]) -> None:
        # A blank first choice: an untouched "New" row then has not changed and is skipped.
        self.fields["column"] = forms.ChoiceField(  # type: ignore[attr-defined]
            label=_("Answer"), choices=[("", _("Choose an answer")), *choices]
        )
        self.remember_saved_label()


class RuleForm(ColumnChoiceMixin, forms.ModelForm):
    """An eligibility rule: an answer among the allowed ones, or a wiki figure (at least N
    edits, an account at least N days old, one of the groups given one a line)."""

    allowed_text = forms.CharField(
        label=_("Allowed answers or wiki groups"),
        help_text=_(
            "One a line, as stored: for example intermediate, advanced, or en; for a wiki "
            "group rule, group names such as autoconfirmed or sysop."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    class Meta:
        model = EligibilityRule
        fields = ["kind", "column", "minimum", "reason"]
        help_texts = {
            "minimum": _("For a wiki rule: the number of edits, or of days."),
        }

    def __init__(self, *args: Any, columns: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_columns(columns)
        self.fields["column"].required = False
        if self.instance.pk:
            self.fields["allowed_text"].initial = "\n".join(self.instance.allowed)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        kind = data.get("kind")
        lines = [line.strip() for line in data.get("allowed_text", "").splitlines()]
        data["allowed"] = [line for line in lines if line]
        if kind == RuleKind.ANSWER and not data.get("column"):
            self.add_error("column", _("Choose the answer this rule looks at."))
        if kind in {RuleKind.ANSWER, RuleKind.WIKI_GROUP} and not data["allowed"]:
            self.add_error(
                "allowed_text",
                _("Give at least one allowed answer.")
                if kind == RuleKind.ANSWER
                else _("Give at least one wiki group."),
            )
        if kind in {RuleKind.WIKI_EDITS, RuleKind.WIKI_AGE} and data.get("minimum") is None:
            self.add_error("minimum", _("Give the number of edits or days this rule asks for."))
        return data

    def save(self, commit: bool = True) -> EligibilityRule:
        kind = self.cleaned_data["kind"]
        self.instance.allowed = (
            self.cleaned_data["allowed"] if kind in {RuleKind.ANSWER, RuleKind.WIKI_GROUP} else []
        )
        if kind != RuleKind.ANSWER:
            self.instance.column = ""
        if kind not in {RuleKind.WIKI_EDITS, RuleKind.WIKI_AGE}:
            self.instance.minimum = None
        return super().save(commit)


class QuotaForm(ColumnChoiceMixin, forms.ModelForm):
    """A quota; its value is chosen among the answers of the chosen question. The value list
    follows the question with htmx (`refresh_url`); without JavaScript it lists every
    question's answers in groups and the value is checked against the chosen question."""

    value = forms.CharField(label=_("Value"), max_length=200)

    class Meta:
        model = Quota
        fields = ["kind", "column", "value", "count"]

    def __init__(
        self,
        *args: Any,
        columns: list[tuple[str, str]],
        values: dict[str, list[tuple[str, str]]],
        refresh_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_columns(columns)
        self.values = values
        names = dict(columns)
        if self.is_bound:
            column = self.data.get(self.add_prefix("column"), "")
            current = self.data.get(self.add_prefix("value"), "")
        else:
            column = self.initial.get("column", "")
            current = self.initial.get("value", "")
        choices: list[Any]
        if column in values:
            choices = [("", _("Choose a value")), *values[column]]
        else:
            # Every question's answers but the ~600 time zones, shown once one is chosen.
            choices = [("", _("Choose the answer first"))] + [
                (names.get(key, key), options)
                for key, options in values.items()
                if key != "timezone"
            ]
        known = {value for value, _label in values.get(column, [])}
        if current and current not in known:
            choices.insert(1, (current, current))  # what was typed stays on the page
        self.fields["value"].widget = forms.Select(choices=choices)
        if refresh_url:
            self.fields["column"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": f"#id_{self.add_prefix('value')}",
                    "hx-swap": "outerHTML",
                }
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        column, value = cleaned.get("column"), cleaned.get("value")
        if column and value:
            problem = quota_value_error(column, value, self.values)
            if problem:
                self.add_error("value", problem)
        return cleaned


class WhatIfForm(forms.Form):
    """A what-if on the selection page (GET): other seats, extra quotas; nothing is saved."""

    seats = forms.IntegerField(label=_("Seats"), min_value=0, max_value=100_000, required=False)
    quotas = forms.CharField(
        label=_("Extra quotas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: at-least region=africa:5 or at-most experience=advanced:10."),
    )

    def clean_quotas(self) -> list[selection.Quota]:
        parsed = []
        for number, line in enumerate(self.cleaned_data["quotas"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                parsed.append(parse_quota_line(line))
            except QuotaSyntaxError:
                raise ValidationError(
                    _("Line %(number)s, “%(line)s”, is not like at-least region=africa:5."),
                    params={"number": number, "line": line.strip()},
                ) from None
        return parsed


class RecordOverrideForm(forms.Form):
    """Recording decisions before the window closed or every review was in: confirmed, with
    what happens to the applicants nobody reviewed."""

    unreviewed = forms.ChoiceField(
        label=_("Applicants nobody has reviewed"),
        choices=Unreviewed.choices,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I record the decisions now, knowing what is missing."),
    )


class OverrideEligibilityForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Eligibility"),
        choices=[
            ("rules", _("As the rules say")),
            ("eligible", _("Eligible")),
            ("not-eligible", _("Not eligible")),
        ],
    )
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("verdict") != "rules" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why you override the rules."))
        return cleaned

    @property
    def eligible(self) -> bool | None:
        return {"rules": None, "eligible": True, "not-eligible": False}[
            self.cleaned_data["verdict"]
        ]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        run: Run | None = None,
        text: Text = _source,
        **kwargs: Any,
    ) -> None:
        """With `run` and `text` (the translations' lookup, from the view), the criteria
        named in the reader's content language."""
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name
                if run is None
                else text(criterion_key(run, criterion), criterion.name),
                help_text=_("Weight %(weight)s; 1 is weak, 5 is excellent.")
                % {"weight": criterion.weight.normalize()},
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "score-choice"}),
            )
        self.order_fields([f"score_{c.pk}" for c in criteria] + ["comment"])

    @property
    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class DecisionOverrideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Why"), max_length=500)


class ListFilterForm(forms.Form):
    search = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any")), *ApplicationState.choices]
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any")), *Region.choices]
    )
    experience = forms.ChoiceField(
        label=_("Experience level"),
        required=False,
        choices=[("", _("Any")), *Experience.choices],
    )
    eligible = forms.ChoiceField(
        label=_("Eligible"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Yes")), ("no", _("No"))],
    )
    outcome = forms.ChoiceField(
        label=pgettext_lazy("selection", "Outcome"),
        required=False,
        choices=[("", _("Any")), *Outcome.choices],
    )


class MessageForm(forms.ModelForm):
    class Meta:
        model = OutboxMessage
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
