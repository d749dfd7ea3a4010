"""The reported attack: a translator's Spanish help text for a question carried an htmx
element that withdrew the applicant's application when they opened the form in Spanish."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cohortkit.applications.models import ApplicationForm, ApplicationState, Question
from tests.factories import RunFactory, UserFactory, open_run_window
from tests.factories.applications import ApplicationFactory
from tests.factories.translations import publish_translations
from tests.hostile import live_elements

pytestmark = pytest.mark.django_db
NOW = datetime(2021, 1, 5, 12, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_spanish_help_text_with_htmx_element_is_not_live_on_the_application_form() -> None:
    run = open_run_window(RunFactory(), NOW)
    form = ApplicationForm.objects.create(run=run, privacy_notice="We keep your answers.")
    question = Question.objects.create(
        form=form, label="Why?", help_text="A few sentences.", kind="long"
    )
    withdraw = reverse("applications:withdraw", kwargs={"slug": run.course.slug, "run": run.slug})
    attack = f'Unas frases.<div hx-post="{withdraw}" hx-trigger="load" id="PWNED">x</div>'
    publish_translations(run.course, {f"applications.{run.slug}.q.{question.pk}.help": attack})
    applicant = UserFactory(content_language="es")
    ApplicationFactory(run=run, applicant=applicant)
    client = Client()
    client.force_login(applicant)

    html = client.get(
        reverse("applications:apply", kwargs={"slug": run.course.slug, "run": run.slug})
    ).content.decode()

    assert live_elements(html) == []
    assert "Unas frases.&lt;div hx-post=" in html
    assert run.applications.get().state == ApplicationState.SUBMITTED
