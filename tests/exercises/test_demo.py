"""The demo: every module of every run has a short exercise, in English and Spanish; the
current cohort's answers feed the item analysis."""

import pytest
from django.urls import reverse

from cohortkit.courses.demo import load_demo
from cohortkit.courses.models import Module
from cohortkit.exercises.models import Attempt, Exercise, Question
from cohortkit.exercises.queries import item_analysis
from cohortkit.translations.models import SourceUnit, State

pytestmark = pytest.mark.django_db


def test_each_module_has_a_short_exercise_in_english_and_spanish_and_loading_twice_adds_none(
    client: object,
) -> None:
    demo = load_demo()
    modules = Module.objects.filter(run__course=demo.course)
    assert sorted(
        (e.module.run.slug, e.module.position, e.questions.count())
        for e in Exercise.objects.select_related("module__run")
    ) == sorted((m.run.slug, m.position, 3 if m.position == 8 else 2) for m in modules)
    units = SourceUnit.objects.current().filter(course=demo.course, key__startswith="exercises.")
    assert units.count() > 0
    assert (
        list(units.exclude(translations__language="es", translations__state=State.REVIEWED)) == []
    )
    counts = (Exercise.objects.count(), Question.objects.count(), Attempt.objects.count())
    load_demo()
    assert (Exercise.objects.count(), Question.objects.count(), Attempt.objects.count()) == counts
    # A Spanish-reading participant sees the exercise in Spanish.
    participant = demo.participants[3]  # answers nothing in the demo
    participant.content_language = "es"
    participant.save()
    client.force_login(participant)  # type: ignore[attr-defined]
    exercise = Exercise.objects.get(run=demo.current_run, module__position=2)
    html = client.get(  # type: ignore[attr-defined]
        reverse(
            "exercises:exercise",
            kwargs={"slug": demo.course.slug, "run": demo.current_run.slug, "pk": exercise.pk},
        )
    ).content.decode()
    assert ("¿Cuál de estas es una alianza?" in html, "Una donación puntual" in html) == (
        True,
        True,
    )
    # The cohort answered the released modules: the analysis has figures.
    first = Exercise.objects.get(run=demo.current_run, module__position=1)
    stats = item_analysis(first)
    assert all(item.first_tries > 0 for item in stats)
