"""No course text reaches a page as live HTML (issue 10, item 1).

Two walks, each in every interface language:

- every Form class in cohortkit, with the hostile string of tests/hostile.py as every
  field's label, help text and choice, rendered the ways the templates render forms
  (includes/form.html, as_div/as_p/as_ul/as_table), unbound and with errors;
- the pages whose forms show course texts (the application form, the scoring of an
  application, the peer review, the assignment editor, the support page), with the hostile
  string as the source text (a coordinator's) and as its translation in es, fr and ar (a
  translator's): question labels, help texts and choices, the privacy notice and
  introduction, rubric criteria and their descriptions, feedback questions, module and
  assignment titles.

Each asserts that the page shows the string as text and that none of it is a live element.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

import cohortkit
from cohortkit.accounts.models import User
from cohortkit.applications.models import ApplicationForm, Criterion, Question
from cohortkit.applications.translation_units import criterion_key as application_criterion_key
from cohortkit.applications.translation_units import form_key, question_key
from cohortkit.courses.models import Module, Role, Run
from cohortkit.exercises.models import Kind
from cohortkit.exercises.models import Question as ExerciseQuestion
from cohortkit.learning.models import Assignment
from cohortkit.learning.translation_units import assignment_key
from cohortkit.reviews.models import Criterion as RubricCriterion
from cohortkit.reviews.models import FeedbackPrompt
from cohortkit.reviews.translation_units import criterion_key, prompt_key
from cohortkit.translations.models import SourceUnit
from cohortkit.translations.registry import module_key
from cohortkit.translations.services import sync_units
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, UserFactory, open_run_window
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationReviewFactory,
    CriterionFactory,
)
from tests.factories.learning import AssignmentFactory
from tests.factories.reviews import CriterionFactory as RubricCriterionFactory
from tests.factories.reviews import (
    FeedbackPromptFactory,
    FinalWorkFactory,
    ReviewFactory,
    ReviewStepFactory,
)
from tests.factories.translations import LanguageVersionFactory, TranslationFactory
from tests.hostile import HOSTILE, hostile_for, live_elements

LANGUAGES = ["en", "es", "fr", "ar"]
SKIPPED_MODULES = ("migrations", "__main__", "wsgi", "asgi")


def _modules() -> Iterator[str]:
    for module in pkgutil.walk_packages(cohortkit.__path__, "cohortkit."):
        if not any(part in SKIPPED_MODULES for part in module.name.split(".")):
            yield module.name


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_classes() -> list[type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in cohortkit (all its modules imported)."""
    for name in _modules():
        importlib.import_module(name)
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("cohortkit.") and not cls.__name__.endswith("Mixin")
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


@dataclass
class World:
    run: Run
    person: User


# What a form's required keyword arguments are, by name (a new form taking one of these
# needs nothing more); CONSTRUCTORS below gives whole argument sets where a form needs more
# (or where a course text should itself be hostile). A form that cannot be built fails the
# walk until it is listed.
BY_NAME: dict[str, Callable[[World], Any]] = {
    "run": lambda w: w.run,
    "course": lambda w: w.run.course,
    "user": lambda w: w.person,
    "people": lambda w: User.objects.all(),
    "modules": lambda w: [],
    "columns": lambda w: [("region", HOSTILE)],
    "values": lambda w: {"region": [("europe", HOSTILE)]},
    "criteria": lambda w: [],
    "prompts": lambda w: [],
    "questions": lambda w: [],
    "source": lambda w: "Text.",
    "unit_id": lambda w: 1,
    "zone": lambda w: "Asia/Kolkata",
    "request": lambda w: RequestFactory().post("/"),
}


def _question(world: World) -> Question:
    form = ApplicationForm.objects.create(run=world.run)
    return Question.objects.create(form=form, label="Q", kind="choice", options="A\nB")


CONSTRUCTORS: dict[str, Callable[[World], dict[str, Any]]] = {
    "cohortkit.accounts.forms.SetPasswordForm": lambda w: {"user": w.person},
    "cohortkit.applications.forms.ApplyForm": lambda w: {
        "questions": [_question(w)],
        "privacy_notice": HOSTILE,
        "run": w.run,
    },
    "cohortkit.applications.forms.ReviewForm": lambda w: {
        "criteria": [CriterionFactory(run=w.run, name=hostile_for(Criterion, "name"))],
        "run": w.run,
    },
    "cohortkit.reviews.forms.ReviewForm": lambda w: {
        "criteria": [
            RubricCriterionFactory(
                step=ReviewStepFactory(run=w.run), title=hostile_for(RubricCriterion, "title")
            )
        ],
        "prompts": [],
    },
    "cohortkit.exercises.forms.AnswerForm": lambda w: {
        "question": ExerciseQuestion(kind=Kind.SINGLE, text=HOSTILE),
        "labels": [HOSTILE, HOSTILE],
    },
}


def _kwargs(cls: type[forms.BaseForm], world: World) -> dict[str, Any]:
    name = f"{cls.__module__}.{cls.__qualname__}"
    if name in CONSTRUCTORS:
        return CONSTRUCTORS[name](world)
    kwargs = {}
    for parameter in inspect.signature(cls.__init__).parameters.values():
        required = parameter.default is parameter.empty and parameter.kind in (
            parameter.KEYWORD_ONLY,
            parameter.POSITIONAL_OR_KEYWORD,
        )
        if required and parameter.name != "self":
            if parameter.name not in BY_NAME:
                pytest.fail(f"{name} needs “{parameter.name}”: add it to BY_NAME or CONSTRUCTORS")
            kwargs[parameter.name] = BY_NAME[parameter.name](world)
    return kwargs


def _build(cls: type[forms.BaseForm], kwargs: dict[str, Any], data: dict[str, str] | None) -> Any:
    name = f"{cls.__module__}.{cls.__qualname__}"
    try:
        return cls(data=data, **kwargs)
    except TypeError as error:
        pytest.fail(f"{name} needs arguments: list them in CONSTRUCTORS ({error})")


def _hostile(form: forms.BaseForm) -> forms.BaseForm:
    """The form with the hostile string as every field's label, help text and choice."""
    for field in form.fields.values():
        field.label = f"{HOSTILE} label"
        field.help_text = HOSTILE
        if isinstance(field, forms.ChoiceField):
            field.choices = [("a", f"{HOSTILE} one"), ("b", f"{HOSTILE} two")]
    return form


def _renderings(form: forms.BaseForm) -> list[str]:
    return [
        render_to_string("includes/form.html", {"form": form}),
        form.as_div(),
        form.as_p(),
        form.as_ul(),
        form.as_table(),
    ]


def test_the_walk_finds_the_forms_of_every_app() -> None:
    apps = {cls.__module__.split(".")[1] for cls in form_classes()}
    assert {"accounts", "applications", "learning", "reviews", "scheduling", "translations"} <= apps


@pytest.mark.django_db
@pytest.mark.parametrize("cls", form_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_form_shows_hostile_labels_help_texts_and_choices_as_text(
    cls: type[forms.BaseForm],
) -> None:
    world = World(run=RunFactory(), person=UserFactory())
    kwargs = _kwargs(cls, world)
    for language in LANGUAGES:
        with translation.override(language):
            for data in (None, {}):  # unbound, and bound with every error shown
                form = _hostile(_build(cls, kwargs, data))
                for html in _renderings(form):
                    assert live_elements(html) == [], (cls, language)
                    if form.visible_fields():
                        assert "&lt;div hx-post=" in html, (cls, language)


# The pages, with course texts the hostile string in the source and in every translation.

NOW = datetime(2021, 1, 5, 12, tzinfo=UTC)


@dataclass
class Course:
    cast: Cast
    pages: dict[str, tuple[str, str]]  # page → (role, url)


def _url(run: Run, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": run.course.slug, "run": run.slug, **kwargs})


@pytest.fixture
def hostile_course(cast: Cast) -> Course:
    run = open_run_window(cast.run, NOW)
    # Markdown texts: a paragraph each (an HTML block is not a unit to translate).
    notice = f"Our notice: {HOSTILE}"
    form = ApplicationForm.objects.create(
        run=run, introduction=notice, privacy_notice=f"{notice}\n\n{notice}"
    )
    question = Question.objects.create(
        form=form,
        label=hostile_for(Question, "label"),
        help_text=HOSTILE,
        kind="choice",
        options=f"{HOSTILE}\nB",
    )
    Question.objects.create(
        form=form, label=hostile_for(Question, "label"), help_text=HOSTILE, kind="long"
    )
    criterion = CriterionFactory(run=run, name=hostile_for(Criterion, "name"))
    application = ApplicationFactory(run=run, applicant=cast.other_participant)
    scoring = ApplicationReviewFactory(application=application, reviewer=cast.reviewer)
    step = ReviewStepFactory(run=run)
    RubricCriterionFactory(
        step=step, title=hostile_for(RubricCriterion, "title"), description=HOSTILE
    )
    FeedbackPromptFactory(step=step, text=hostile_for(FeedbackPrompt, "text"))
    author = UserFactory()
    RunRoleFactory(run=run, user=author, role=Role.PARTICIPANT)
    review = ReviewFactory(work=FinalWorkFactory(run=run, author=author), reviewer=cast.participant)
    ModuleFactory(run=run, title=hostile_for(Module, "title"))
    AssignmentFactory(run=run, title=hostile_for(Assignment, "title"))
    sync_units(run.course)
    keys = {
        question_key(run, question, "help"),
        form_key(run, "privacy") + ".1",
        application_criterion_key(run, criterion),
        criterion_key(step, step.criteria.get(), "description"),
        prompt_key(step, step.prompts.get()),
        module_key(run.modules.get(), "title"),
        assignment_key(run.assignments.get(), "title"),
    }
    units = SourceUnit.objects.filter(course=run.course, is_current=True)
    assert keys <= set(units.values_list("key", flat=True))
    for language in LANGUAGES[1:]:
        LanguageVersionFactory(course=run.course, language=language, is_published=True)
        for unit in units:
            TranslationFactory(unit=unit, language=language, text=HOSTILE, state="reviewed")
    return Course(
        cast,
        {
            "application form": ("participant", _url(run, "applications:apply")),
            "scoring an application": (
                "reviewer",
                _url(run, "applications:review", pk=scoring.pk),
            ),
            "peer review": ("participant", _url(run, "reviews:review", pk=review.pk)),
            "assignment editor": ("facilitator", _url(run, "learning:assignment_new")),
            "support page": (
                "coordinator",
                _url(run, "learning:support_person", user_id=cast.participant.pk),
            ),
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@time_machine.travel(NOW, tick=False)
def test_form_pages_show_hostile_course_texts_and_translations_as_text(
    hostile_course: Course, language: str
) -> None:
    seen = {}
    for page, (role, url) in hostile_course.pages.items():
        person = hostile_course.cast.users()[role]
        assert person is not None
        person.content_language = language
        person.interface_language = language
        person.save()
        response = hostile_course.cast.client_for(role).get(url)
        html = response.content.decode()
        seen[page] = (response.status_code, live_elements(html), html.count("&lt;div hx-post="))
    assert {page: found[:2] for page, found in seen.items()} == {
        page: (200, []) for page in hostile_course.pages
    }
    assert [page for page, found in seen.items() if found[2] == 0] == []


def test_no_page_template_or_module_marks_text_safe_but_the_sanitiser() -> None:
    """Pages (.html) never use |safe, |safeseq or autoescape off (plain-text mail templates
    may); only learning/markdown.py calls mark_safe, right after sanitising."""
    root = Path(cohortkit.__file__).parent
    templates = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.html"))
        if any(bad in path.read_text() for bad in ("|safe", "autoescape off"))
    ]
    modules = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if "mark_safe(" in path.read_text() or "SafeString(" in path.read_text()
    ]
    assert (templates, modules) == ([], ["learning/markdown.py"])
