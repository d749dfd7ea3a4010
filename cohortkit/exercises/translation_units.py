"""The exercises app's translation units: every text a learner reads in an exercise.

Found by the translations app's registry (`cohortkit/translations/registry.py`); this
module is the only place the exercises app names it. Keys, per run:

- `exercises.<run-slug>.exercise.<pk>.title`: the exercise's title;
- `exercises.<run-slug>.question.<pk>.text` and `.explanation`: a question and the
  explanation shown after answering;
- `exercises.<run-slug>.question.<pk>.choice.<position>.text`, `.feedback` and `.match`:
  a choice (or accepted answer, or matching pair), its feedback, a pair's right-hand side.

Questions are keyed by primary key and choices by position within their question, so
reordering questions or editing a question's choices in place keeps every key.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from cohortkit.courses.models import Course, Run
from cohortkit.exercises.models import Choice, Exercise, Question
from cohortkit.translations.registry import UnitSpec

SAVED_WITH = {
    Exercise: "run__course",
    Question: "exercise__run__course",
    Choice: "question__exercise__run__course",
}


def exercise_key(run: Run, exercise: Exercise) -> str:
    return f"exercises.{run.slug}.exercise.{exercise.pk}.title"


def question_key(run: Run, question: Question, field: str) -> str:
    return f"exercises.{run.slug}.question.{question.pk}.{field}"


def choice_key(run: Run, question: Question, choice: Choice, field: str) -> str:
    return f"exercises.{run.slug}.question.{question.pk}.choice.{choice.position}.{field}"


def units(course: Course) -> Iterator[UnitSpec]:
    exercises = (
        Exercise.objects.filter(run__course=course)
        .select_related("run", "module")
        .order_by("run__starts_on", "run__pk", "module__position", "pk")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("position").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("position"))
                ),
            )
        )
    )
    for exercise in exercises:
        run = exercise.run
        where = f"Run {run.slug} > module {exercise.module.position} > exercise"
        yield UnitSpec(exercise_key(run, exercise), exercise.title, "title", f"{where}: title")
        for question in exercise.questions.all():
            qwhere = f"{where} > question {question.position}"
            yield UnitSpec(question_key(run, question, "text"), question.text, "text", qwhere)
            yield UnitSpec(
                question_key(run, question, "explanation"),
                question.explanation,
                "text",
                f"{qwhere}: explanation shown after answering",
            )
            for choice in question.choices.all():
                cwhere = f"{qwhere} > choice {choice.position}"
                yield UnitSpec(
                    choice_key(run, question, choice, "text"), choice.text, "text", cwhere
                )
                yield UnitSpec(
                    choice_key(run, question, choice, "match"),
                    choice.match,
                    "text",
                    f"{cwhere}: the matching answer",
                )
                yield UnitSpec(
                    choice_key(run, question, choice, "feedback"),
                    choice.feedback,
                    "text",
                    f"{cwhere}: feedback when chosen",
                )
