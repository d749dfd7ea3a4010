"""Reads of exercises: the counted results per learner (learning's progress and completion
read them), the exercises of a run, and the item analysis per question. Each says how many
queries it makes, whatever the number of people."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from cohortkit.courses.models import Run
from cohortkit.exercises.models import Answer, Attempt, Choice, Counting, Exercise, Kind, Question


def exercises_of(run: Run) -> QuerySet[Exercise]:
    """The run's exercises in module order, with their module (one query)."""
    return (
        Exercise.objects.filter(run=run).select_related("module").order_by("module__position", "pk")
    )


def with_questions(exercises: QuerySet[Exercise]) -> QuerySet[Exercise]:
    """Prefetch questions and choices in order (two more queries)."""
    return exercises.prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("position").prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("position"))
            ),
        )
    )


@dataclass
class Result:
    """What counts of a learner's attempts at one exercise."""

    exercise_id: int
    attempts: int = 0  # finished ones
    score: float | None = None  # 0..1: the best or the last finished attempt
    passed: bool = False

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(100 * self.score)


def _rows(run: Run, user_ids: list[int]) -> list[tuple[int, int, int, float | None, str, int]]:
    """(user, exercise, module, score, counting, pass mark) of finished attempts, oldest
    first: one query."""
    if not user_ids:
        return []
    return list(
        Attempt.objects.filter(exercise__run=run, user_id__in=user_ids, finished_at__isnull=False)
        .order_by("number")
        .values_list(
            "user_id",
            "exercise_id",
            "exercise__module_id",
            "score",
            "exercise__counting",
            "exercise__pass_percent",
        )
    )


def _results(
    rows: Iterable[tuple[int, int, int, float | None, str, int]],
) -> dict[int, dict[int, Result]]:
    found: dict[int, dict[int, Result]] = defaultdict(dict)
    for user_id, exercise_id, _module_id, score, counting, pass_percent in rows:
        if score is None:  # a finished attempt always has one; the column allows none
            continue
        result = found[user_id].setdefault(exercise_id, Result(exercise_id))
        result.attempts += 1
        if counting == Counting.LAST or result.score is None or score > result.score:
            result.score = score
        result.passed = round(100 * result.score, 6) >= pass_percent
    return dict(found)


def results(run: Run, user_ids: Iterable[int]) -> dict[int, dict[int, Result]]:
    """Per user id, per exercise id, the counted result of finished attempts (best or last,
    as each exercise says) and whether it reaches the pass mark. One query."""
    return _results(_rows(run, list(user_ids)))


def module_scores(run: Run, user_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """Per user id, per module id, the mean counted score (per cent) of the module's
    exercises the person finished. One query."""
    rows = _rows(run, list(user_ids))
    module_of = {exercise_id: module_id for _u, exercise_id, module_id, *_rest in rows}
    scores: dict[int, dict[int, int]] = {}
    for user_id, by_exercise in _results(rows).items():
        per_module: dict[int, list[float]] = defaultdict(list)
        for exercise_id, result in by_exercise.items():
            if result.score is not None:
                per_module[module_of[exercise_id]].append(result.score)
        scores[user_id] = {m: round(100 * sum(s) / len(s)) for m, s in per_module.items()}
    return scores


def not_passed(run: Run, user_ids: Iterable[int]) -> dict[int, list[Exercise]]:
    """Per user id, the run's exercises (with questions) not yet passed. Two queries."""
    ids = list(user_ids)
    exercises = list(exercises_of(run).filter(questions__isnull=False).distinct())
    passed = results(run, ids)
    return {
        user_id: [
            e for e in exercises if not passed.get(user_id, {}).get(e.pk, Result(e.pk)).passed
        ]
        for user_id in ids
    }


# Item analysis ---------------------------------------------------------------------------


@dataclass
class WrongPick:
    position: int
    text: str
    count: int


@dataclass
class ItemStats:
    question: Question
    answers: int = 0  # every answer, every attempt
    first_tries: int = 0  # answers given in people's first attempt
    right_first: int = 0
    wrong_picks: list[WrongPick] = field(default_factory=list)

    @property
    def right_first_percent(self) -> int | None:
        return round(100 * self.right_first / self.first_tries) if self.first_tries else None


def item_analysis(exercise: Exercise) -> list[ItemStats]:
    """Per question: how often it was answered, the share right at the first try, and how
    often each wrong choice was picked (choice questions). Three queries."""
    questions = list(
        exercise.questions.order_by("position").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position"))
        )
    )
    stats = {q.pk: ItemStats(q) for q in questions}
    picks: dict[int, Counter[int]] = defaultdict(Counter)
    rows = (
        Answer.objects.filter(question__exercise=exercise)
        .values_list("question_id", "attempt__number", "is_correct", "response")
        .order_by()
    )
    for question_id, number, is_correct, response in rows:
        item = stats[question_id]
        item.answers += 1
        if number == 1:
            item.first_tries += 1
            item.right_first += int(is_correct)
        if isinstance(response, dict):
            chosen = response.get("choices", [response.get("choice")])
            for position in chosen if isinstance(chosen, list) else []:
                try:
                    picks[question_id][int(str(position))] += 1
                except ValueError:
                    continue
    for question in questions:
        if question.kind not in (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE):
            continue
        stats[question.pk].wrong_picks = [
            WrongPick(choice.position, choice.text, picks[question.pk][choice.position])
            for choice in question.choices.all()
            if choice.weight < 100 and not (question.kind == Kind.MULTIPLE and choice.weight > 0)
        ]
    return [stats[q.pk] for q in questions]
