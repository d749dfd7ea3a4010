"""Storing questions, answering, attempts; exercise texts as translation units."""

from datetime import UTC, datetime

import polib
import pytest
from django.core.exceptions import ValidationError

from cohortkit.exercises.models import Answer, Attempt, Choice, Counting, Exercise, Question
from cohortkit.exercises.questions import SINGLE, ChoiceData, QuestionData
from cohortkit.exercises.services import (
    AnswerRefused,
    ImportProblem,
    answer_question,
    import_questions,
    save_question,
    start_attempt,
)
from cohortkit.translations.exchange import export_file
from cohortkit.translations.models import SourceUnit, State
from cohortkit.translations.services import (
    review_translation,
    save_translation,
    start_language,
    sync_units,
)
from tests.factories import ModuleFactory, UserFactory

pytestmark = pytest.mark.django_db
AT = datetime(2021, 2, 10, 12, tzinfo=UTC)

GIFT = """::One:: What is a partnership? {
=A shared commitment#Yes.
~A contract only#Not only.
####Partners share aims and risks.
}

::Two:: Partners always sign a contract. {F#They may.#Right: not always.}
"""


def test_import_makes_the_modules_exercise_with_every_question_and_choice() -> None:
    module = ModuleFactory()
    exercise, questions = import_questions(module, text=GIFT, file_format="gift")
    assert (exercise.run, exercise.module, exercise.title) == (
        module.run, module, "Check your understanding",
    )  # fmt: skip
    assert [(q.position, q.kind, q.title) for q in questions] == [
        (1, "single", "One"),
        (2, "true-false", "Two"),
    ]
    assert list(Choice.objects.order_by("question__position", "position").values_list(
        "question__position", "position", "text", "weight", "feedback", "truth"
    )) == [
        (1, 1, "A shared commitment", 100.0, "Yes.", None),
        (1, 2, "A contract only", 0.0, "Not only.", None),
        (2, 1, "", 0.0, "They may.", True),
        (2, 2, "", 100.0, "Right: not always.", False),
    ]  # fmt: skip
    # A second file appends to the same exercise.
    again, more = import_questions(module, text=GIFT, file_format="gift")
    assert (again, [q.position for q in more]) == (exercise, [3, 4])


def test_a_file_with_one_bad_question_imports_nothing() -> None:
    module = ModuleFactory()
    bad = GIFT + "\n::Three:: Broken {=a ~b\n"
    with pytest.raises(ImportProblem) as error:
        import_questions(module, text=bad, file_format="gift")
    assert str(error.value) == "Line 9: the answer block is not closed with }."
    assert (Exercise.objects.count(), Question.objects.count()) == (0, 0)


def test_aiken_imports_too() -> None:
    module = ModuleFactory()
    _exercise, questions = import_questions(
        module, text="Pick B\nA. no\nB. yes\nANSWER: B\n", file_format="aiken"
    )
    assert [q.as_data() for q in questions] == [
        QuestionData(
            kind=SINGLE,
            text="Pick B",
            choices=(ChoiceData(text="no", weight=0), ChoiceData(text="yes", weight=100)),
        )
    ]


def test_a_question_that_cannot_be_scored_is_refused() -> None:
    module = ModuleFactory()
    exercise, _ = import_questions(module, text=GIFT, file_format="gift")
    with pytest.raises(ValidationError):
        save_question(
            exercise, data=QuestionData(kind=SINGLE, text="Q", choices=(ChoiceData(text="a"),))
        )


def _exercise(**options: object) -> tuple[Exercise, list[Question]]:
    module = ModuleFactory()
    exercise, questions = import_questions(module, text=GIFT, file_format="gift")
    for name, value in options.items():
        setattr(exercise, name, value)
    exercise.save()
    return exercise, questions


def test_answering_every_question_finishes_the_attempt_with_the_mean_score() -> None:
    _exercise_made, (first, second) = _exercise()
    learner = UserFactory()
    answered = answer_question(first, user=learner, response={"choice": 2}, at=AT)
    assert (answered.answer.score, answered.answer.is_correct, answered.feedback) == (
        0.0, False, ("Not only.",),
    )  # fmt: skip
    assert answered.attempt.finished_at is None
    answered = answer_question(second, user=learner, response={"choice": 2}, at=AT)
    attempt = Attempt.objects.get()
    assert (attempt.number, attempt.finished_at, attempt.score, answered.feedback) == (
        1, AT, 0.5, ("Right: not always.",),
    )  # fmt: skip


def test_a_question_is_answered_once_per_attempt() -> None:
    _exercise_made, (first, _second) = _exercise()
    learner = UserFactory()
    answer_question(first, user=learner, response={"choice": 2}, at=AT)
    with pytest.raises(AnswerRefused):
        answer_question(first, user=learner, response={"choice": 1}, at=AT)
    assert list(Answer.objects.values_list("score", flat=True)) == [0.0]


def test_retries_stop_at_the_attempts_allowed() -> None:
    exercise, questions = _exercise(attempts_allowed=2, counting=Counting.LAST)
    learner = UserFactory()
    for number in (1, 2):
        if number > 1:
            start_attempt(exercise, user=learner, at=AT)
        for question in questions:
            answer_question(question, user=learner, response={"choice": 1}, at=AT)
    with pytest.raises(AnswerRefused):
        start_attempt(exercise, user=learner, at=AT)
    with pytest.raises(AnswerRefused):
        answer_question(questions[0], user=learner, response={"choice": 1}, at=AT)
    assert list(Attempt.objects.values_list("number", "score")) == [(1, 0.5), (2, 0.5)]


def test_exercise_texts_are_translation_units_exchanged_and_outdated_like_the_rest() -> None:
    exercise, (first, _second) = _exercise()
    course = exercise.run.course
    sync_units(course)
    slug = exercise.run.slug
    key = f"exercises.{slug}.question.{first.pk}.choice.1.feedback"
    units = dict(SourceUnit.objects.current().filter(course=course).values_list("key", "text"))
    assert {k: v for k, v in units.items() if k.startswith("exercises.")} == {
        f"exercises.{slug}.exercise.{exercise.pk}.title": "Check your understanding",
        f"exercises.{slug}.question.{first.pk}.text": "What is a partnership?",
        f"exercises.{slug}.question.{first.pk}.explanation": "Partners share aims and risks.",
        f"exercises.{slug}.question.{first.pk}.choice.1.text": "A shared commitment",
        key: "Yes.",
        f"exercises.{slug}.question.{first.pk}.choice.2.text": "A contract only",
        f"exercises.{slug}.question.{first.pk}.choice.2.feedback": "Not only.",
        f"exercises.{slug}.question.{_second.pk}.text": "Partners always sign a contract.",
        f"exercises.{slug}.question.{_second.pk}.choice.1.feedback": "They may.",
        f"exercises.{slug}.question.{_second.pk}.choice.2.feedback": "Right: not always.",
    }
    start_language(course, language="es")
    po = polib.pofile(export_file(course, language="es", file_format="po"))
    assert {e.msgctxt: e.msgid for e in po if e.msgctxt.startswith("exercises.")} == {
        k: v for k, v in units.items() if k.startswith("exercises.")
    }
    unit = SourceUnit.objects.get(course=course, key=key, is_current=True)
    translator = UserFactory()
    review_translation(
        save_translation(unit, language="es", text="Sí.", by=translator, at=AT),
        by=translator,
        at=AT,
    )
    # Editing the feedback outdates its translation.
    data = first.as_data()
    changed = data.choices[0].__class__(**{**data.choices[0].__dict__, "feedback": "Yes!"})
    save_question(
        exercise,
        question=first,
        data=data.__class__(**{**data.__dict__, "choices": (changed, *data.choices[1:])}),
    )
    sync_units(course)
    current = SourceUnit.objects.get(course=course, key=key, is_current=True)
    assert (current.text, current.translations.get(language="es").state) == (
        "Yes!",
        State.OUTDATED,
    )


@pytest.mark.parametrize("file_format", ["xliff", "bundle"])
def test_exercise_texts_travel_in_xliff_and_bundles(file_format: str) -> None:
    exercise, (first, _second) = _exercise()
    course = exercise.run.course
    sync_units(course)
    start_language(course, language="es")
    # A bundle carries translated messages only; the source bundle carries them all.
    language = "en" if file_format == "bundle" else "es"
    exported = export_file(course, language=language, file_format=file_format)
    key = f"exercises.{exercise.run.slug}.question.{first.pk}.explanation"
    assert (key in exported, "Partners share aims and risks." in exported) == (True, True)
