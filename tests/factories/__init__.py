"""Factories with no surprising defaults: a run accepts applications only when told to."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import factory

from cohortkit.accounts.models import User
from cohortkit.courses.models import Course, Module, Role, Run, RunRole, Topic

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    timezone = "UTC"
    email_verified_at = datetime(2020, 1, 1, tzinfo=UTC)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A course."
    audience = "Volunteers."
    weekly_hours = Decimal("6")
    contact_email = "course@example.org"
    is_published = True


class RunFactory(factory.django.DjangoModelFactory):
    """A run whose window closed long ago, starting 2021-02-01 for 8 weeks (as in 2021)."""

    class Meta:
        model = Run

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Run {n}")
    slug = factory.Sequence(lambda n: f"run-{n}")
    timezone = "UTC"
    capacity = 40
    applications_open_at = datetime(2020, 12, 15, tzinfo=UTC)
    applications_close_at = datetime(2021, 1, 14, 23, 59, tzinfo=UTC)
    notification_at = datetime(2021, 1, 18, 12, tzinfo=UTC)
    onboarding_at = datetime(2021, 1, 25, 15, tzinfo=UTC)
    starts_on = date(2021, 2, 1)
    weeks = 8


def open_run_window(run: Run, at: datetime, *, days: int = 10) -> Run:
    """Move the run's window so that it is open at `at` and closes `days` later."""
    run.applications_open_at = at - timedelta(days=1)
    run.applications_close_at = at + timedelta(days=days)
    run.notification_at = run.applications_close_at + timedelta(days=4)
    run.onboarding_at = run.notification_at + timedelta(days=7)
    run.starts_on = (run.onboarding_at + timedelta(days=7)).date()
    run.save()
    return run


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    run = factory.SubFactory(RunFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Module {n}")
    release_week = 0


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Topic {n}")
    body = "Some *text*."


class RunRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunRole

    run = factory.SubFactory(RunFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PARTICIPANT
