"""Forms: a learner's answer (fields per question type), the exercise's settings, one
question with its choices, and a question file to import."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohortkit.courses.models import Module, Run, Topic
from cohortkit.exercises.models import Exercise, Kind, Question
from cohortkit.exercises.questions import (
    TITLE_MAX,
    ChoiceData,
    QuestionData,
    matching_targets,
    problems,
)
from cohortkit.exercises.services import FORMATS


class AnswerForm(forms.Form):
    """The fields one question needs, labelled in the reader's language; `response()`
    gives what `score_response` takes. Nothing here says which answer is right."""

    def __init__(
        self,
        *args: Any,
        question: Question,
        labels: list[str],
        targets: list[tuple[str, str]] | None = None,
        order: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        self.question = question
        # Choices are offered in `order` (positions, 1-based) under their display number.
        self.order = order or list(range(1, len(labels) + 1))
        options = [(str(n), labels[position - 1]) for n, position in enumerate(self.order, 1)]
        kind = question.kind
        if kind in (Kind.SINGLE, Kind.TRUE_FALSE):
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your answer"),
                choices=options,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
        elif kind == Kind.MULTIPLE:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Choose every right answer"),
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one answer.")},
            )
        elif kind in (Kind.SHORT, Kind.NUMERIC):
            self.fields["text"] = forms.CharField(
                label=_("Your answer") if kind == Kind.SHORT else _("Your answer (a number)"),
                max_length=500,
                error_messages={"required": _("Type an answer.")},
            )
        else:
            # Targets are offered by index in a fixed order that says nothing about pairs.
            self.targets = [source for source, _label in targets or []]
            target_options = [("", _("Choose…"))] + [
                (str(n), label) for n, (_source, label) in enumerate(targets or [])
            ]
            for n, label in enumerate(labels, start=1):
                self.fields[f"pair_{n}"] = forms.ChoiceField(
                    label=label,
                    choices=target_options,
                    error_messages={"required": _("Match every item.")},
                )

    def response(self) -> dict[str, object]:
        data = self.cleaned_data
        kind = self.question.kind
        if kind in (Kind.SINGLE, Kind.TRUE_FALSE):
            return {"choice": self.order[int(data["choice"]) - 1]}
        if kind == Kind.MULTIPLE:
            return {"choices": sorted(self.order[int(n) - 1] for n in data["choices"])}
        if kind in (Kind.SHORT, Kind.NUMERIC):
            return {"text": data["text"]}
        return {
            "pairs": {
                name.removeprefix("pair_"): self.targets[int(value)]
                for name, value in data.items()
                if name.startswith("pair_")
            }
        }


def targets_for(question: Question) -> list[str]:
    return matching_targets(question.as_data())


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = ["module", "topic", "title", "attempts_allowed", "counting", "pass_percent"]

    def __init__(self, *args: Any, run: Run, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run = run
        self.fields["module"].queryset = Module.objects.filter(run=run)  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.filter(module__run=run)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        module, topic = cleaned.get("module"), cleaned.get("topic")
        if module and topic and topic.module_id != module.pk:
            self.add_error("topic", _("Choose a topic of the module, or none."))
        return cleaned

    def save(self, commit: bool = True) -> Exercise:
        self.instance.run = self.run
        return super().save(commit)


CHOICE_ROWS = 6
TRUTH = [("true", _("True")), ("false", _("False"))]


class QuestionForm(forms.Form):
    """A question and up to six rows of choices; which row fields count depends on the
    type (choice text and right/weight for choices, accepted answers, numbers with a
    tolerance, or the two sides of a matching pair)."""

    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    title = forms.CharField(
        label=_("Title (for the course team)"), max_length=TITLE_MAX, required=False
    )
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    explanation = forms.CharField(
        label=_("Explanation shown after answering"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    case_sensitive = forms.BooleanField(label=_("Short answers: case matters"), required=False)
    truth = forms.ChoiceField(
        label=_("True or false: the right answer"), choices=TRUTH, required=False
    )
    feedback_true = forms.CharField(label=_("Feedback for “true”"), required=False)
    feedback_false = forms.CharField(label=_("Feedback for “false”"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, CHOICE_ROWS + 1):
            self.fields[f"choice_{n}_text"] = forms.CharField(
                label=_("Choice %(n)d: text, accepted answer or left side") % {"n": n},
                required=False,
            )
            self.fields[f"choice_{n}_weight"] = forms.FloatField(
                label=_("Choice %(n)d: share of the score (%%)") % {"n": n},
                required=False,
                min_value=-100,
                max_value=100,
                help_text=_("100 for the right choice; shares for multiple answers."),
            )
            self.fields[f"choice_{n}_feedback"] = forms.CharField(
                label=_("Choice %(n)d: feedback when chosen") % {"n": n}, required=False
            )
            self.fields[f"choice_{n}_match"] = forms.CharField(
                label=_("Choice %(n)d: matching right side") % {"n": n}, required=False
            )
            self.fields[f"choice_{n}_number"] = forms.FloatField(
                label=_("Choice %(n)d: number") % {"n": n}, required=False
            )
            self.fields[f"choice_{n}_tolerance"] = forms.FloatField(
                label=_("Choice %(n)d: tolerance") % {"n": n}, required=False, min_value=0
            )

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, object]:
        data = question.as_data()
        initial: dict[str, object] = {
            "kind": data.kind,
            "title": data.title,
            "text": data.text,
            "explanation": data.explanation,
            "case_sensitive": data.case_sensitive,
        }
        if data.kind == Kind.TRUE_FALSE:
            for choice in data.choices:
                initial[f"feedback_{str(choice.truth).lower()}"] = choice.feedback
                if choice.weight >= 100:
                    initial["truth"] = str(choice.truth).lower()
            return initial
        for n, choice in enumerate(data.choices[:CHOICE_ROWS], start=1):
            initial.update(
                {
                    f"choice_{n}_text": choice.text,
                    f"choice_{n}_weight": choice.weight,
                    f"choice_{n}_feedback": choice.feedback,
                    f"choice_{n}_match": choice.match,
                    f"choice_{n}_number": choice.number,
                    f"choice_{n}_tolerance": choice.tolerance,
                }
            )
        return initial

    def rows(self) -> list[list[forms.BoundField]]:
        names = ("text", "weight", "feedback", "match", "number", "tolerance")
        return [[self[f"choice_{n}_{name}"] for name in names] for n in range(1, CHOICE_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        self._name_fields(cleaned)
        if self.errors:
            return cleaned
        self.data_question = self._question(cleaned)
        found = problems(self.data_question)
        if found:
            raise ValidationError(
                _("This question cannot be checked: %(problems)s.") % {"problems": "; ".join(found)}
            )
        return cleaned

    def _name_fields(self, cleaned: dict[str, Any]) -> None:
        """The usual mistakes, each on the field to correct (what `problems` would say about
        the whole question in GIFT's words)."""
        kind = cleaned["kind"]
        if kind == Kind.TRUE_FALSE:
            if not cleaned.get("truth"):
                self.add_error("truth", _("Choose whether the statement is true or false."))
            return
        rows = [
            n
            for n in range(1, CHOICE_ROWS + 1)
            if cleaned.get(f"choice_{n}_text", "").strip()
            or cleaned.get(f"choice_{n}_number") is not None
        ]
        name_in_rows = {
            Kind.NUMERIC: self._name_numbers,
            Kind.SHORT: self._name_accepted_answers,
            Kind.MATCHING: self._name_pairs,
        }.get(kind, self._name_choices)
        name_in_rows(cleaned, rows)

    def _name_numbers(self, cleaned: dict[str, Any], rows: list[int]) -> None:
        for n in rows:
            if cleaned.get(f"choice_{n}_number") is None:
                self.add_error(f"choice_{n}_number", _("Give the number of this answer."))
        if not rows:
            self.add_error("choice_1_number", _("Give the right number."))

    def _name_accepted_answers(self, cleaned: dict[str, Any], rows: list[int]) -> None:
        if not rows:
            self.add_error("choice_1_text", _("Give at least one accepted answer."))

    def _name_pairs(self, cleaned: dict[str, Any], rows: list[int]) -> None:
        for n in rows:
            if not cleaned.get(f"choice_{n}_match", "").strip():
                self.add_error(f"choice_{n}_match", _("Give the right side of this pair."))
        for n in range(1, CHOICE_ROWS + 1):
            if n not in rows and cleaned.get(f"choice_{n}_match", "").strip():
                self.add_error(f"choice_{n}_text", _("Give the left side of this pair."))
        if len(rows) < 2:
            self.add_error(
                f"choice_{_first_empty(rows)}_text",
                _("A matching question needs at least two pairs."),
            )

    def _name_choices(self, cleaned: dict[str, Any], rows: list[int]) -> None:
        """Single and multiple choice: at least two choices, and right ones worth 100."""
        if len(rows) < 2:
            self.add_error(f"choice_{_first_empty(rows)}_text", _("Give at least two choices."))
            return
        kind = cleaned["kind"]
        first = f"choice_{rows[0]}"
        weights = [cleaned.get(f"choice_{n}_weight") or 0.0 for n in rows]
        if kind == Kind.SINGLE and not any(w >= 100 for w in weights):
            self.add_error(f"{first}_weight", _("Give the right choice a share of 100."))
        elif kind == Kind.MULTIPLE and sum(w for w in weights if w > 0) < 99.9:
            self.add_error(
                f"{first}_weight", _("The shares of the right choices must add up to 100.")
            )

    def _question(self, cleaned: dict[str, Any]) -> QuestionData:
        kind = cleaned["kind"]
        choices: list[ChoiceData] = []
        if kind == Kind.TRUE_FALSE:
            right = cleaned.get("truth") == "true"
            choices = [
                ChoiceData(
                    truth=True, weight=100 if right else 0, feedback=cleaned["feedback_true"]
                ),
                ChoiceData(
                    truth=False, weight=0 if right else 100, feedback=cleaned["feedback_false"]
                ),
            ]
        else:
            for n in range(1, CHOICE_ROWS + 1):
                text = cleaned.get(f"choice_{n}_text", "").strip()
                number = cleaned.get(f"choice_{n}_number")
                if not text and number is None:
                    continue
                weight = cleaned.get(f"choice_{n}_weight")
                default = 100.0 if kind in (Kind.SHORT, Kind.NUMERIC, Kind.MATCHING) else 0.0
                choices.append(
                    ChoiceData(
                        text=text if kind != Kind.NUMERIC else "",
                        weight=default if weight is None else weight,
                        feedback=cleaned.get(f"choice_{n}_feedback", "").strip(),
                        match=cleaned.get(f"choice_{n}_match", "").strip()
                        if kind == Kind.MATCHING
                        else "",
                        number=number if kind == Kind.NUMERIC else None,
                        tolerance=(cleaned.get(f"choice_{n}_tolerance") or 0.0)
                        if kind == Kind.NUMERIC
                        else 0.0,
                    )
                )
        return QuestionData(
            kind=kind,
            text=cleaned["text"].strip(),
            title=cleaned["title"].strip(),
            explanation=cleaned["explanation"].strip(),
            case_sensitive=cleaned["case_sensitive"],
            choices=tuple(choices),
        )


def _first_empty(rows: list[int]) -> int:
    """The first choice row the author left empty."""
    return next(n for n in range(1, CHOICE_ROWS + 1) if n not in rows)


class ImportForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[(f, f.upper() if f == "gift" else f.title()) for f in FORMATS]
    )
    file = forms.FileField(label=_("Question file"))

    def __init__(self, *args: Any, run: Run, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(run=run)  # type: ignore[attr-defined]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2_000_000:
            raise ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
