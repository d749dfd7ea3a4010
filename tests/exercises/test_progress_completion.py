"""Exercise scores in learning's progress and completion rules, for cohort and self-paced
learners alike; a self-paced learner's certificate with no staff action."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.courses.models import Role, Run, RunRole
from cohortkit.exercises.models import Counting, Exercise
from cohortkit.exercises.services import answer_question, import_questions, start_attempt
from cohortkit.learning.models import Certificate, LearningPolicy
from cohortkit.learning.queries import completion, progress_for, progress_grid
from cohortkit.learning.services.support import enrol_self_paced
from cohortkit.notifications.models import OutboxMessage
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, UserFactory
from tests.queries import forget_kept_pages

pytestmark = pytest.mark.django_db
TWO = "::A:: One? {=yes ~no}\n\n::B:: Two? {=yes ~no}\n"
AT = datetime(2026, 3, 6, 12, tzinfo=UTC)


def _run_with_exercise(**options: object) -> tuple[Run, Exercise]:
    run = RunFactory(is_self_paced=True, starts_on=date(2021, 2, 1))
    LearningPolicy.objects.create(run=run, requires_all_topics=False, requires_assignments=False)
    exercise, _ = import_questions(ModuleFactory(run=run, position=1), text=TWO, file_format="gift")
    Exercise.objects.filter(pk=exercise.pk).update(**options)
    exercise.refresh_from_db()
    return run, exercise


def _attempt(exercise: Exercise, user: object, answers: list[int], *, again: bool = False) -> None:
    if again:
        start_attempt(exercise, user=user, at=AT)  # type: ignore[arg-type]
    for question, choice in zip(exercise.questions.order_by("position"), answers, strict=True):
        answer_question(question, user=user, response={"choice": choice}, at=AT)  # type: ignore[arg-type]


def _member(run: Run) -> object:
    user = UserFactory()
    role = RunRoleFactory(run=run, user=user, role=Role.PARTICIPANT)
    RunRole.objects.filter(pk=role.pk).update(created_at=datetime(2021, 1, 20, tzinfo=UTC))
    return user


def test_completion_needs_every_exercise_passed_at_its_mark() -> None:
    run, exercise = _run_with_exercise()
    member = _member(run)
    assert [(c.is_complete, c.missing) for c in completion(run)] == [
        (False, ["1 exercise not passed yet"])
    ]
    _attempt(exercise, member, [1, 2])  # 50%: below the 70% pass mark
    assert [c.missing for c in completion(run)] == [["1 exercise not passed yet"]]
    _attempt(exercise, member, [1, 1], again=True)
    assert [(c.is_complete, c.missing) for c in completion(run)] == [(True, [])]


def test_the_rule_can_be_switched_off() -> None:
    run, _exercise = _run_with_exercise()
    _member(run)
    LearningPolicy.objects.filter(run=run).update(requires_exercises=False)
    fresh = Run.objects.get(pk=run.pk)
    assert [(c.is_complete, c.missing) for c in completion(fresh)] == [(True, [])]


@pytest.mark.parametrize(("counting", "expected"), [(Counting.BEST, 100), (Counting.LAST, 50)])
def test_the_best_or_the_last_attempt_counts_in_progress(counting: str, expected: int) -> None:
    run, exercise = _run_with_exercise(counting=counting)
    member = _member(run)
    _attempt(exercise, member, [1, 1])
    _attempt(exercise, member, [1, 2], again=True)
    progress = progress_for(run, member, at=AT)  # type: ignore[arg-type]
    [(shown, result)] = progress.modules[0].exercises
    assert (shown, result.percent if result else None, result.passed if result else None) == (
        exercise, expected, expected >= 70,
    )  # fmt: skip
    _modules, _page, rows = progress_grid(run)
    assert [(row.person, row.scores) for row in rows] == [(member, [expected])]


def test_a_self_paced_learner_earns_the_certificate_by_passing_the_exercise_with_no_staff_action(
    django_capture_on_commit_callbacks: object,
) -> None:
    run, exercise = _run_with_exercise()
    learner = UserFactory()
    enrol_self_paced(run, user=learner, at=AT)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _attempt(exercise, learner, [1, 2])
    assert Certificate.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _attempt(exercise, learner, [1, 1], again=True)
    certificate = Certificate.objects.get()
    assert (certificate.run, certificate.user, certificate.issued_at) == (run, learner, AT)
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [learner.email]


def test_a_cohort_member_passing_waits_for_the_coordinator(
    django_capture_on_commit_callbacks: object,
) -> None:
    run, exercise = _run_with_exercise()
    member = _member(run)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _attempt(exercise, member, [1, 1])
    assert (Certificate.objects.count(), [c.is_complete for c in completion(run)]) == (0, [True])


def test_the_grid_shows_exercise_scores_in_constant_queries(client: object) -> None:
    run, exercise = _run_with_exercise()
    coordinator = UserFactory()
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    _attempt(exercise, _member(run), [1, 1])
    client.force_login(coordinator)  # type: ignore[attr-defined]
    url = reverse("learning:grid", kwargs={"slug": run.course.slug, "run": run.slug})
    with time_machine.travel(AT, tick=False):
        forget_kept_pages()
        with CaptureQueriesContext(connection) as one:
            html = client.get(url).content.decode()  # type: ignore[attr-defined]
        for _ in range(10):
            _attempt(exercise, _member(run), [1, 2])
        forget_kept_pages()
        with CaptureQueriesContext(connection) as many:
            client.get(url)  # type: ignore[attr-defined]
    assert ("exercise 100%" in html, len(one)) == (True, len(many))
