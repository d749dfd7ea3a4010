"""Exercises: importing a GIFT file of 1,000 questions, and answering at constant queries.

    .venv/bin/python bench/bench_exercises.py [--questions 1000] [--repeat 3]

1. Writes a GIFT bank of N questions (every type in turn, with feedback, weights and
   explanations), then times `import_questions` into a module of a new course, as the
   import page and `cohortkit exercises import` run it: parsing, checking, storing every
   question and choice in one transaction, and the translation units' sync that runs when
   it commits (the target: under 2 s for 1,000, all of it).
2. Answers an exercise page through the test client, as a participant with htmx, on an
   exercise of 2 and of 40 questions, and counts the queries of one answer and of the page:
   the same however many questions.

Prints the best of ``--repeat`` runs and the ratio to the target. Works on a temporary
SQLite database (as a small site runs); var/ and DATABASE_URL are left alone.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
SCRATCH = tempfile.TemporaryDirectory(prefix="bench-exercises-")
os.environ["COHORTKIT_VAR_DIR"] = SCRATCH.name
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohortkit.settings")
django.setup()

from datetime import UTC, date, datetime  # noqa: E402 — after django.setup()
from decimal import Decimal  # noqa: E402 — after django.setup()

import time_machine  # noqa: E402 — after django.setup()
from django.conf import settings  # noqa: E402 — after django.setup()
from django.core.cache import cache  # noqa: E402 — after django.setup()
from django.core.management import call_command  # noqa: E402 — after django.setup()
from django.db import connection, reset_queries, transaction  # noqa: E402 — after django.setup()
from django.test import Client  # noqa: E402 — after django.setup()
from django.test.utils import CaptureQueriesContext  # noqa: E402 — after django.setup()
from django.urls import reverse  # noqa: E402 — after django.setup()

from cohortkit.accounts.models import User  # noqa: E402 — after django.setup()
from cohortkit.courses.models import Course, Module, Role, Run, RunRole  # noqa: E402 — after django.setup()
from cohortkit.exercises.gift import write_gift  # noqa: E402 — after django.setup()
from cohortkit.exercises.questions import (  # noqa: E402 — after django.setup()
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ChoiceData,
    QuestionData,
)
from cohortkit.exercises.services import import_questions  # noqa: E402 — after django.setup()
from cohortkit.translations.models import SourceUnit  # noqa: E402 — after django.setup()

TARGET_IMPORT = 2.0
IN_RUN = datetime(2021, 2, 20, 12, tzinfo=UTC)


def bank(count: int) -> list[QuestionData]:
    made = []
    for n in range(count):
        kind = [SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERIC, MATCHING][n % 6]
        text = f"Question {n}: which is right about partnership {n} {{and: escapes}}?"
        if kind == SINGLE:
            choices = [ChoiceData(text=f"Right {n}", weight=100, feedback="Yes, because."),
                       ChoiceData(text=f"Wrong {n}", feedback="No: read again."),
                       ChoiceData(text=f"Half {n}", weight=50)]  # fmt: skip
        elif kind == MULTIPLE:
            choices = [ChoiceData(text=f"A {n}", weight=50), ChoiceData(text=f"B {n}", weight=50),
                       ChoiceData(text=f"C {n}", weight=-100, feedback="Not this one.")]  # fmt: skip
        elif kind == TRUE_FALSE:
            choices = [ChoiceData(truth=True, weight=100, feedback="Right."),
                       ChoiceData(truth=False, feedback="It is true.")]  # fmt: skip
        elif kind == SHORT:
            choices = [
                ChoiceData(text=f"answer {n}", weight=100),
                ChoiceData(text=f"close {n}", weight=50),
            ]
        elif kind == NUMERIC:
            choices = [ChoiceData(number=n + 0.5, tolerance=0.1, weight=100)]
        else:
            choices = [
                ChoiceData(text=f"left {n} {i}", match=f"right {i}", weight=100) for i in range(3)
            ]
        made.append(QuestionData(kind=kind, text=text, title=f"Q{n}", explanation=f"Because {n}.",
                                 choices=tuple(choices)))  # fmt: skip
    return made


def setup() -> tuple[Run, User]:
    course = Course.objects.create(
        title="Bench", slug="bench", summary="s", audience="a", weekly_hours=Decimal(2),
        contact_email="bench@example.org", is_published=True,
    )  # fmt: skip
    run = Run.objects.create(
        course=course, title="2021", slug="2021", capacity=40, starts_on=date(2021, 2, 1),
        applications_open_at=datetime(2020, 12, 1, tzinfo=UTC),
        applications_close_at=datetime(2021, 1, 1, tzinfo=UTC),
        notification_at=datetime(2021, 1, 5, tzinfo=UTC),
    )  # fmt: skip
    learner = User.objects.create_user(
        username="l@example.org", email="l@example.org", password=None
    )
    RunRole.objects.create(run=run, user=learner, role=Role.PARTICIPANT)
    return run, learner


def fresh_module(number: int) -> Module:
    """A module of a new course (its own units), made and synced before the clock starts."""
    course = Course.objects.create(
        title=f"Import {number}", slug=f"import-{number}", summary="s", audience="a",
        weekly_hours=Decimal(2), contact_email="bench@example.org", is_published=True,
    )  # fmt: skip
    run = Run.objects.create(
        course=course, title="2021", slug="2021", capacity=40, starts_on=date(2021, 2, 1),
        applications_open_at=datetime(2020, 12, 1, tzinfo=UTC),
        applications_close_at=datetime(2021, 1, 1, tzinfo=UTC),
        notification_at=datetime(2021, 1, 5, tzinfo=UTC),
    )  # fmt: skip
    return Module.objects.create(run=run, position=1, title="Module 1")


def time_import(text: str, repeat: int) -> tuple[float, float, float, int]:
    """Best of `repeat` imports, each into a new course, as one request or command does it:
    the transaction (parse, check, store) and the translation-unit sync that runs when it
    commits. Returns (total, stored, synced, units) of the best run."""
    best = (float("inf"), 0.0, 0.0, 0)
    for attempt in range(repeat):
        module = fresh_module(attempt)
        start = time.perf_counter()
        with transaction.atomic():
            import_questions(module, text=text, file_format="gift")
            stored = time.perf_counter()
        done = time.perf_counter()  # the on-commit sync has run when atomic() returns
        units = SourceUnit.objects.filter(course=module.run.course, is_current=True).count()
        if done - start < best[0]:
            best = (done - start, stored - start, done - stored, units)
    return best


def answer_queries(run: Run, learner: User, size: int, position: int) -> tuple[int, int]:
    module = Module.objects.create(run=run, position=position, title=f"Answers {size}")
    exercise, questions = import_questions(module, text=write_gift(bank(size)), file_format="gift")
    client = Client()
    client.force_login(learner)
    kwargs = {"slug": run.course.slug, "run": run.slug, "pk": exercise.pk}
    question = next(q for q in questions if q.kind == SINGLE)
    url = reverse("exercises:answer", kwargs={**kwargs, "question": question.pk})
    with time_machine.travel(IN_RUN, tick=False):
        cache.clear()
        reset_queries()  # the import filled the query log; counts are differences within it
        with CaptureQueriesContext(connection) as answering:
            response = client.post(
                url, {f"q{question.pk}-choice": "1"}, headers={"HX-Request": "true"}
            )
            assert response.status_code == 200, response.status_code
        reset_queries()
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("exercises:exercise", kwargs=kwargs)).status_code == 200
    return len(answering), len(page)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    run, learner = setup()
    text = write_gift(bank(options.questions))
    lines = text.count("\n")
    total, stored, synced, units = time_import(text, options.repeat)
    print(f"import of {options.questions} GIFT questions ({lines} lines, {len(text) // 1024} KiB) "
          f"with the translation-unit sync after commit: {total:.2f} s (target "
          f"{TARGET_IMPORT:.0f} s, ratio {total / TARGET_IMPORT:.2f}); parse, check and store "
          f"{stored:.2f} s, commit and sync of {units:,} units {synced:.2f} s")  # fmt: skip
    small = answer_queries(run, learner, 2, 1)
    big = answer_queries(run, learner, 40, 2)
    print(f"answering one question (htmx) / the exercise page: {small[0]} / {small[1]} queries "
          f"with 2 questions, {big[0]} / {big[1]} with 40")  # fmt: skip
    assert small == big, "answering must not cost more queries with more questions"


if __name__ == "__main__":
    main()
