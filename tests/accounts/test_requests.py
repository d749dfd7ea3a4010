import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from cohortkit.accounts.requests import person_or_none, signed_in_person
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


def test_person_or_none_is_the_person_or_none_for_a_visitor(db: None) -> None:
    signed_in, visitor = RequestFactory().get("/"), RequestFactory().get("/")
    signed_in.user, visitor.user = UserFactory(), AnonymousUser()
    assert (person_or_none(signed_in), person_or_none(visitor)) == (signed_in.user, None)
