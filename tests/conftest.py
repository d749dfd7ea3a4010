"""Shared fixtures: the six roles of the access rule, and fast password hashing."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, Run
from tests.factories import RunFactory, RunRoleFactory, UserFactory

# CI shares a two-core machine with other work: an example's wall time says nothing about
# correctness, so no property test fails on hypothesis's 200 ms deadline. Speed is measured
# in bench/, not in tests.
hypothesis_settings.register_profile("cohortkit", deadline=None)
hypothesis_settings.load_profile("cohortkit")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    # PBKDF2 costs ~0.3 s a check here; tests are about behaviour, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Throttling counts live in the cache: one test's failed sign-ins must not lock the next
    # test's client out (the local-memory cache outlives a test).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_version_files(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    # The versions of kept pages (accounts/page_cache.py) live in files in VAR_DIR, which
    # every pytest-xdist worker shares: a write in another worker's test between two
    # requests here would drop a kept page at random. Each test gets its own, as each web
    # machine would.
    settings.VAR_DIR = tmp_path_factory.mktemp("var")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _english_to_start_with() -> Iterator[None]:
    # LocaleMiddleware activates a request's language in the thread and leaves it there; a
    # test that requested a Spanish page must not leave the next test speaking Spanish.
    translation.activate("en")
    yield
    translation.deactivate()


@dataclass
class Cast:
    """A run, another run, and one person for each role of the access rule."""

    run: Run
    other_run: Run
    participant: User
    other_participant: User
    reviewer: User
    facilitator: User
    coordinator: User

    def users(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "participant": self.participant,
            "other_participant": self.other_participant,
            "reviewer": self.reviewer,
            "facilitator": self.facilitator,
            "coordinator": self.coordinator,
        }

    def client_for(self, role: str) -> Client:
        client = Client()
        user = self.users()[role]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def cast(db: None) -> Cast:
    run = RunFactory()
    other_run = RunFactory(course=run.course)
    people = {}
    for name, role, target in [
        ("participant", Role.PARTICIPANT, run),
        ("other_participant", Role.PARTICIPANT, other_run),
        ("reviewer", Role.REVIEWER, run),
        ("facilitator", Role.FACILITATOR, run),
        ("coordinator", Role.COORDINATOR, run),
    ]:
        user = UserFactory(display_name=name.replace("_", " ").title())
        RunRoleFactory(run=target, user=user, role=role)
        people[name] = user
    return Cast(run=run, other_run=other_run, **people)


ROLES = ["anonymous", "participant", "other_participant", "reviewer", "facilitator", "coordinator"]


@pytest.fixture
def user(db: None) -> User:
    return UserFactory()
