"""The coordinator's setup forms, posted as a browser sends them, and their services."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.applications import services
from cohortkit.applications.models import (
    Application,
    ApplicationForm,
    Criterion,
    EligibilityRule,
    Question,
    Quota,
)
from cohortkit.notifications.models import MailState, OutboxMessage
from tests.applications.browser_form import form_data
from tests.factories import RunFactory, UserFactory, open_run_window
from tests.factories.applications import ApplicationFactory, CriterionFactory

NOW = datetime(2021, 1, 5, 12, tzinfo=UTC)


@pytest.fixture
def run(db: None):
    return RunFactory()


@pytest.fixture
def coordinator(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return client


def setup_url(run) -> str:
    return reverse("applications:setup", kwargs={"slug": run.course.slug, "run": run.slug})


def selection_url(run) -> str:
    return reverse("applications:selection", kwargs={"slug": run.course.slug, "run": run.slug})


def test_posting_the_settings_form_saves_the_settings(run, coordinator: Client) -> None:
    data = form_data(coordinator.get(setup_url(run)).content.decode(), section="settings")
    data.update({"offer_days": "5", "reviewers_per_application": "3", "lottery_seed": "42"})
    response = coordinator.post(setup_url(run), data)
    assert response.status_code == 302
    form = ApplicationForm.objects.get(run=run)
    assert (form.offer_days, form.reviewers_per_application, form.lottery_seed) == (5, 3, 42)


def test_settings_that_break_a_rule_are_refused_and_kept_on_the_page(
    run, coordinator: Client
) -> None:
    data = form_data(coordinator.get(setup_url(run)).content.decode(), section="settings")
    data["reviewers_per_application"] = "1"
    response = coordinator.post(setup_url(run), data)
    assert response.status_code == 400
    assert not ApplicationForm.objects.filter(run=run).exists()


def test_posting_questions_creates_the_form_and_saves_then_deletes_a_question(
    run, coordinator: Client
) -> None:
    data = form_data(coordinator.get(setup_url(run)).content.decode(), section="questions")
    data.update(
        {
            "questions-0-label": "Which wiki do you edit?",
            "questions-0-kind": "choice",
            "questions-0-options": "Wikipedia\nWiktionary",
            "questions-0-position": "1",
        }
    )
    assert coordinator.post(setup_url(run), data).status_code == 302
    question = Question.objects.get(form__run=run)
    assert (question.label, question.kind, question.option_list()) == (
        "Which wiki do you edit?",
        "choice",
        ["Wikipedia", "Wiktionary"],
    )
    data = form_data(coordinator.get(setup_url(run)).content.decode(), section="questions")
    data["questions-0-DELETE"] = "on"
    assert coordinator.post(setup_url(run), data).status_code == 302
    assert list(Question.objects.filter(form__run=run)) == []


def test_posting_rules_saves_them_and_applies_them_to_submitted_applications(
    run, coordinator: Client
) -> None:
    europe = ApplicationFactory(run=run, region="europe")
    africa = ApplicationFactory(run=run, region="africa")
    data = form_data(coordinator.get(setup_url(run)).content.decode(), section="rules")
    data.update(
        {
            "rules-0-column": "region",
            "rules-0-allowed_text": "africa\n",
            "rules-0-reason": "The course is for Africa this year.",
        }
    )
    assert coordinator.post(setup_url(run), data).status_code == 302
    assert list(EligibilityRule.objects.filter(run=run).values_list("column", "allowed")) == [
        ("region", ["africa"])
    ]
    verdicts = {
        a.pk: (a.is_eligible, a.eligibility_reason) for a in Application.objects.filter(run=run)
    }
    assert verdicts == {
        europe.pk: (False, "The course is for Africa this year."),
        africa.pk: (True, ""),
    }


def test_posting_quotas_saves_them(run, coordinator: Client) -> None:
    data = {
        "quotas-TOTAL_FORMS": "1",
        "quotas-INITIAL_FORMS": "0",
        "quotas-0-kind": "at_least",
        "quotas-0-column": "region",
        "quotas-0-value": "africa",
        "quotas-0-count": "3",
    }
    assert coordinator.post(selection_url(run), data).status_code == 302
    assert list(Quota.objects.filter(run=run).values_list("kind", "column", "value", "count")) == [
        ("at_least", "region", "africa", 3)
    ]


def test_a_refused_rubric_saves_nothing_of_the_batch(run) -> None:
    kept = CriterionFactory(run=run, name="Motivation", weight=Decimal("1"))
    kept.weight = Decimal("0.5")
    with pytest.raises(services.ApplicationError) as refused:
        services.save_criteria(
            run, changed=[kept, Criterion(name="Fit", weight=Decimal("0.4"))], deleted=[]
        )
    assert str(refused.value) == "The weights add up to 0.900; they must add up to 1."
    assert list(run.criteria.values_list("name", "weight")) == [("Motivation", Decimal("1"))]


def test_rules_of_another_run_are_never_deleted_through_this_run(run) -> None:
    other = EligibilityRule.objects.create(
        run=RunFactory(), column="region", allowed=["africa"], reason="Africa only."
    )
    services.save_eligibility_rules(run, changed=[], deleted=[other])
    assert EligibilityRule.objects.filter(pk=other.pk).exists()


def draft(run, state: str) -> OutboxMessage:
    return OutboxMessage.objects.create(
        run=run, recipient="a@example.org", subject="Old", body="Old body", kind="x",
        state=state, send_at=NOW,
    )  # fmt: skip


def test_only_a_draft_message_can_be_edited(run) -> None:
    editable, queued = draft(run, MailState.DRAFT), draft(run, MailState.QUEUED)
    services.edit_draft_message(editable, subject="New", body="New body")
    with pytest.raises(services.ApplicationError):
        services.edit_draft_message(queued, subject="New", body="New body")
    assert list(OutboxMessage.objects.order_by("pk").values_list("subject", "body")) == [
        ("New", "New body"),
        ("Old", "Old body"),
    ]


def test_the_outbox_page_refuses_to_edit_a_queued_message(run, coordinator: Client) -> None:
    queued = draft(run, MailState.QUEUED)
    url = reverse(
        "applications:message",
        kwargs={"slug": run.course.slug, "run": run.slug, "pk": queued.pk},
    )
    response = coordinator.post(url, {"subject": "New", "body": "New body"})
    assert response.status_code == 400
    assert "Only drafts can be edited" in response.content.decode()
    queued.refresh_from_db()
    assert (queued.subject, queued.body) == ("Old", "Old body")


def test_the_submit_service_refuses_an_unverified_address(run) -> None:
    open_run_window(run, NOW)
    person = UserFactory(email_verified_at=None)
    with pytest.raises(services.EmailNotVerified):
        services.submit_application(run=run, applicant=person, data={}, at=NOW)
    assert not Application.objects.filter(applicant=person).exists()


def test_an_untouched_new_row_is_skipped_when_saved_rules_are_edited(
    run, coordinator: Client
) -> None:
    rule = EligibilityRule.objects.create(
        run=run, column="region", allowed=["africa"], reason="Africa only."
    )
    data = form_data(coordinator.get(setup_url(run)).content.decode(), section="rules")
    assert (data["rules-TOTAL_FORMS"], data["rules-1-column"]) == ("2", "")
    data["rules-0-reason"] = "Africa only, this year."
    assert coordinator.post(setup_url(run), data).status_code == 302
    assert list(EligibilityRule.objects.values_list("pk", "reason")) == [
        (rule.pk, "Africa only, this year.")
    ]


def test_one_filled_quota_row_saves_beside_an_untouched_one(run, coordinator: Client) -> None:
    data = form_data(
        coordinator.get(selection_url(run)).content.decode(), containing="quotas-TOTAL_FORMS"
    )
    assert data["quotas-TOTAL_FORMS"] == "2"
    data.update(
        {
            "quotas-0-kind": "at_least",
            "quotas-0-column": "region",
            "quotas-0-value": "africa",
            "quotas-0-count": "1",
        }
    )
    assert coordinator.post(selection_url(run), data).status_code == 302
    assert list(Quota.objects.values_list("kind", "column", "value", "count")) == [
        ("at_least", "region", "africa", 1)
    ]


def test_errors_are_summarised_at_the_top_and_headings_keep_the_saved_name(
    run, coordinator: Client
) -> None:
    rule = EligibilityRule.objects.create(
        run=run, column="region", allowed=["africa"], reason="Africa only."
    )
    data = form_data(coordinator.get(setup_url(run)).content.decode(), section="rules")
    data.update({"rules-0-reason": "Typed, not saved", "rules-0-allowed_text": ""})
    data.update({"rules-1-column": "experience", "rules-1-reason": "Some experience."})
    response = coordinator.post(setup_url(run), data)
    page = response.content.decode()
    assert response.status_code == 400
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    assert page.index('id="error-summary"') < page.index("<section")
    assert 'role="alert" tabindex="-1"' in page
    assert summary.count("<li>") == 2
    assert (
        '<a href="#id_rules-0-allowed_text"><bdi>Africa only.</bdi>, Allowed answers or wiki groups</a>'
        in summary
    )
    assert '<a href="#id_rules-1-allowed_text">New, Allowed answers or wiki groups</a>' in summary
    assert "<legend><bdi>Africa only.</bdi></legend>" in page
    assert "<legend><bdi>Typed, not saved</bdi></legend>" not in page
    assert 'value="Typed, not saved"' in page
    assert list(EligibilityRule.objects.values_list("pk", "reason")) == [(rule.pk, "Africa only.")]


def choice_question(run) -> Question:
    form = ApplicationForm.objects.create(run=run)
    return Question.objects.create(
        form=form, label="Which wiki?", kind="choice", options="Wikipedia\nWiktionary"
    )


def test_a_quota_value_outside_the_questions_choices_is_refused_naming_the_allowed_ones(
    run, coordinator: Client
) -> None:
    data = form_data(
        coordinator.get(selection_url(run)).content.decode(), containing="quotas-TOTAL_FORMS"
    )
    data.update(
        {
            "quotas-0-kind": "at_least",
            "quotas-0-column": "region",
            "quotas-0-value": "North America",
            "quotas-0-count": "1",
        }
    )
    response = coordinator.post(selection_url(run), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "“North America” is not one of the answers allowed here: Africa (africa), Asia and "
        "the Pacific (asia-pacific), Europe (europe), Latin America and the Caribbean "
        "(latin-america), Middle East and North Africa (middle-east), North America "
        "(north-america)."
    ) in page
    assert '<option value="North America" selected>North America</option>' in page
    assert not Quota.objects.exists()


def test_the_quota_value_list_follows_the_chosen_question(run, coordinator: Client) -> None:
    question = choice_question(run)
    page = coordinator.get(selection_url(run)).content.decode()
    assert f'hx-get="{selection_url(run)}"' in page
    assert 'hx-target="#id_quotas-0-value"' in page
    assert '<optgroup label="Which wiki?">' in page
    refreshed = coordinator.get(
        selection_url(run), {"quotas-0-column": question.key}, headers={"HX-Request": "true"}
    ).content.decode()
    expected = (
        '<select name="quotas-0-value" required id="id_quotas-0-value"> <option value="" '
        'selected>Choose a value</option> <option value="Wikipedia">Wikipedia</option> '
        '<option value="Wiktionary">Wiktionary</option> </select>'
    )
    assert " ".join(refreshed.split()) == expected


def test_the_quota_service_checks_the_value_against_the_question(run) -> None:
    question = choice_question(run)
    with pytest.raises(services.ApplicationError) as refused:
        services.save_quotas(
            run, changed=[Quota(kind="at_least", column=question.key, value="Wikidata", count=1)]
        )
    assert str(refused.value) == (
        "“Wikidata” is not one of the answers allowed here: Wikipedia (Wikipedia), "
        "Wiktionary (Wiktionary)."
    )
    services.save_quotas(
        run, changed=[Quota(kind="at_least", column=question.key, value="Wiktionary", count=1)]
    )
    assert list(Quota.objects.values_list("column", "value")) == [(question.key, "Wiktionary")]
