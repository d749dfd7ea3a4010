"""State changes of exercises: storing questions (from a form or a GIFT/Aiken file),
starting attempts, answering."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.courses.models import Module
from cohortkit.exercises.aiken import AikenError, parse_aiken
from cohortkit.exercises.gift import GiftError, parse_gift
from cohortkit.exercises.models import Answer, Attempt, Choice, Exercise, Question
from cohortkit.exercises.questions import (
    QuestionData,
    problems,
    score_response,
    with_translated_answers,
)
from cohortkit.exercises.signals import attempt_finished

FORMATS = ("gift", "aiken")


class ImportProblem(ValueError):
    """A file that cannot be imported; `line` names where (0 when it is the whole file)."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class AnswerRefused(Exception):
    """The answer cannot be taken (already answered in this attempt, no attempts left)."""


def parse_questions(text: str, *, file_format: str) -> list[QuestionData]:
    """Every question of a GIFT or Aiken file, or ImportProblem naming the first bad line."""
    try:
        if file_format == "gift":
            questions = parse_gift(text)
        elif file_format == "aiken":
            questions = parse_aiken(text)
        else:
            raise ImportProblem(_("Unknown format “%(format)s”.") % {"format": file_format})
    except (GiftError, AikenError) as error:
        raise ImportProblem(
            _("Line %(line)d: %(problem)s.") % {"line": error.line, "problem": error.message},
            line=error.line,
        ) from error
    if not questions:
        raise ImportProblem(_("The file holds no questions."))
    return questions


def _choices(question: Question, data: QuestionData) -> list[Choice]:
    return [
        Choice(
            question=question,
            position=position,
            text=choice.text,
            weight=choice.weight,
            feedback=choice.feedback,
            match=choice.match,
            number=choice.number,
            tolerance=choice.tolerance,
            truth=choice.truth,
        )
        for position, choice in enumerate(data.choices, start=1)
    ]


@transaction.atomic
def add_questions(exercise: Exercise, questions: Sequence[QuestionData]) -> list[Question]:
    """Append the questions to the exercise, all or none. Two inserts however many (its
    translation units are synced once after commit, through the exercise's save)."""
    for data in questions:
        found = problems(data)
        if found:
            where = f"line {data.line}: " if data.line else ""
            raise ValidationError(where + "; ".join(found))
    start = exercise.questions.aggregate(last=Max("position"))["last"] or 0
    made = Question.objects.bulk_create(
        Question(
            exercise=exercise,
            position=start + number,
            kind=data.kind,
            title=data.title,
            text=data.text,
            explanation=data.explanation,
            case_sensitive=data.case_sensitive,
        )
        for number, data in enumerate(questions, start=1)
    )
    Choice.objects.bulk_create(
        choice
        for question, data in zip(made, questions, strict=True)
        for choice in _choices(question, data)
    )
    exercise.save(update_fields=["updated_at"])
    return made


@transaction.atomic
def import_questions(
    module: Module, *, text: str, file_format: str, title: str = ""
) -> tuple[Exercise, list[Question]]:
    """Read a GIFT or Aiken file into the module's exercise (made, titled `title`, when the
    module has none). Nothing is stored when any question of the file has a problem:
    `ImportProblem` names the line."""
    questions = parse_questions(text, file_format=file_format)
    exercise = Exercise.objects.filter(module=module).order_by("pk").first()
    longest = Exercise._meta.get_field("title").max_length or 0
    if exercise is None and len(title) > longest:
        raise ImportProblem(
            _("The exercise's title is %(length)d characters long; at most %(max)d fit.")
            % {"length": len(title), "max": longest}
        )
    if exercise is None:
        exercise = Exercise.objects.create(
            run=module.run, module=module, title=title or "Check your understanding"
        )
    return exercise, add_questions(exercise, questions)


@transaction.atomic
def save_question(
    exercise: Exercise, *, data: QuestionData, question: Question | None = None
) -> Question:
    """Create a question at the end of the exercise, or change `question` in place: its
    choices are replaced position by position, so answers given before stay readable and
    translation keys stay the same."""
    found = problems(data)
    if found:
        raise ValidationError("; ".join(found))
    if question is None:
        return add_questions(exercise, [data])[0]
    question.kind = data.kind
    question.title = data.title
    question.text = data.text
    question.explanation = data.explanation
    question.case_sensitive = data.case_sensitive
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(_choices(question, data))
    exercise.save(update_fields=["updated_at"])
    return question


@dataclass(frozen=True)
class Answered:
    answer: Answer
    attempt: Attempt
    feedback: tuple[str, ...]


def current_attempt(exercise: Exercise, user: User) -> Attempt | None:
    return Attempt.objects.filter(exercise=exercise, user=user).order_by("-number").first()


@transaction.atomic
def start_attempt(exercise: Exercise, *, user: User, at: datetime) -> Attempt:
    """Open the learner's next attempt; refused while one is open or none is left."""
    last = current_attempt(exercise, user)
    if last is not None and last.finished_at is None:
        raise AnswerRefused(_("Finish the attempt you started first."))
    used = last.number if last else 0
    left = exercise.attempts_left(used)
    if left is not None and left <= 0:
        raise AnswerRefused(_("You have used every attempt at this exercise."))
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                exercise=exercise, user=user, number=used + 1, started_at=at
            )
    except IntegrityError:  # the same person's other tab opened it a moment before
        raise AnswerRefused(_("That attempt has already started.")) from None


@transaction.atomic
def answer_question(
    question: Question,
    *,
    user: User,
    response: Mapping[str, object],
    at: datetime,
    translated_answers: Mapping[int, str] | None = None,
) -> Answered:
    """Score the learner's response on the server and store it in their open attempt (the
    first attempt opens itself). The attempt finishes, with the mean score, when every
    question is answered; `attempt_finished` is sent after commit (learning listens, for
    completion). Refused when the question is already answered in this attempt.
    `translated_answers` (choice position → text) are short answers accepted as well: the
    accepted answers in the learner's content language."""
    exercise = question.exercise
    attempt = current_attempt(exercise, user)
    if attempt is None:
        attempt = start_attempt(exercise, user=user, at=at)
    elif attempt.finished_at is not None:
        raise AnswerRefused(_("This attempt is finished. Start a new one to answer again."))
    data = with_translated_answers(question.as_data(), translated_answers or {})
    scored = score_response(data, response)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                attempt=attempt,
                question=question,
                response=dict(response),
                score=scored.score,
                is_correct=scored.is_correct,
                answered_at=at,
            )
    except IntegrityError:
        raise AnswerRefused(_("You have already answered this question in this attempt.")) from None
    scores = list(Answer.objects.filter(attempt=attempt).values_list("score", flat=True))
    if len(scores) >= exercise.questions.count():
        attempt.finished_at = at
        attempt.score = min(1.0, sum(scores) / len(scores))
        attempt.save(update_fields=["finished_at", "score"])
        transaction.on_commit(
            partial(attempt_finished.send, sender=Attempt, attempt=attempt, run=exercise.run)
        )
    return Answered(answer, attempt, scored.feedback)
