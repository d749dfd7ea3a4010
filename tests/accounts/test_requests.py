import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from cohortkit.accounts.requests import signed_in_person
from tests.factories import UserFactory


def test_the_signed_in_person_is_the_requests_user(db: None) -> None:
    request = RequestFactory().get("/")
    request.user = person = UserFactory()
    assert signed_in_person(request) == person


def test_an_anonymous_request_has_no_person_and_is_refused() -> None:
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in_person(request)
