"""Factories for applications: a submitted, eligible application unless told otherwise."""

from datetime import UTC, datetime
from decimal import Decimal

import factory

from cohortkit.applications.models import (
    Application,
    ApplicationForm,
    ApplicationReview,
    ApplicationState,
    Criterion,
    Decision,
    Offer,
    Outcome,
)
from tests.factories import RunFactory, UserFactory

SUBMITTED_AT = datetime(2021, 1, 2, 12, tzinfo=UTC)


class ApplicationFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationForm

    run = factory.SubFactory(RunFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    run = factory.SubFactory(RunFactory)
    applicant = factory.SubFactory(UserFactory)
    state = ApplicationState.SUBMITTED
    contact_email = factory.LazyAttribute(lambda o: o.applicant.email)
    timezone = "UTC"
    languages = factory.LazyFunction(lambda: ["en"])
    region = "europe"
    experience = "intermediate"
    consent_at = SUBMITTED_AT
    submitted_at = SUBMITTED_AT
    is_eligible = True


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    run = factory.SubFactory(RunFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")


class ApplicationReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationReview

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory)
    outcome = Outcome.SELECTED
    lottery_seed = 0
    decided_at = SUBMITTED_AT


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    application = factory.SubFactory(ApplicationFactory)
    offered_at = datetime(2021, 1, 18, 12, tzinfo=UTC)
    respond_by = datetime(2021, 1, 25, 12, tzinfo=UTC)
