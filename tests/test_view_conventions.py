"""Every view states who may open it and with which methods, one way (docs/architecture.md).

Sign-in: every page asks an anonymous visitor to sign in first (`SignInFirstMiddleware`),
whatever the method, unless its view is marked `@login_not_required`. `PUBLIC` lists those
pages, so opening one to visitors is a deliberate change made here too.

Methods: a function view is decorated with `require_safe` (GET and HEAD: a page, a
download, a feed), `require_POST` (an action) or `require_http_methods(["GET", "HEAD",
"POST"])` (a page with a form). Django's class-based sign-in and password pages declare
theirs by their handlers, and Django's `set_language` checks its own.
"""

import inspect
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse

PUBLIC = {
    "set_language",
    "accounts:signup",
    "accounts:verify",
    "accounts:resend",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "notifications:unsubscribe",
    "courses:home",
    "courses:catalogue",
    "courses:detail",
    "courses:run",
    "courses:invitation",
    "scheduling:run_feed",
    "scheduling:personal_feed",
    "learning:certificate_verify",
    "learning:certificate_pdf",
    "certificates:verify",
    "certificates:pdf",
    "translations:course_text",
    "translations:content_language",
    "wiki_accounts:start",
    "wiki_accounts:callback",
    "wiki_accounts:signup",
}
ALLOWED_METHODS = [["GET", "HEAD"], ["POST"], ["GET", "HEAD", "POST"]]
CHECKS_ITS_OWN_METHODS = {"set_language"}  # Django's view: POST sets, anything else redirects

SAMPLES: dict[type, Any] = {
    converters.IntConverter: 1,
    converters.UUIDConverter: uuid.UUID(int=1),
}


def _views(
    patterns: list[URLPattern | URLResolver], prefix: str = "", parts: tuple[Any, ...] = ()
) -> Iterator[tuple[str, Callable[..., Any], dict[str, Any]]]:
    """(namespace:name, view, sample URL arguments) for every named URL but the admin's."""
    for pattern in patterns:
        found = {**dict(parts), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _views(pattern.url_patterns, namespace, tuple(found.items()))
        elif pattern.name:
            kwargs = {name: SAMPLES.get(type(conv), "x") for name, conv in found.items()}
            yield prefix + pattern.name, pattern.callback, kwargs


def _every_view() -> list[tuple[str, Callable[..., Any], dict[str, Any]]]:
    return list(_views(get_resolver().url_patterns))


def declared_methods(view: Callable[..., Any]) -> list[str] | None:
    """The methods a view's `require_http_methods` (or `require_safe`, `require_POST`)
    allows, found through the decorators' wrappers; a class-based view's handlers; or None
    when it declares none."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        names = [m for m in view_class.http_method_names if m != "options"]
        return [m.upper() for m in names if hasattr(view_class, m)]
    while view is not None:
        if inspect.isfunction(view):
            methods = inspect.getclosurevars(view).nonlocals.get("request_method_list")
            if methods is not None:
                return list(methods)
        view = getattr(view, "__wrapped__", None)
    return None


def test_the_pages_open_to_visitors_are_the_listed_ones() -> None:
    public = {name for name, view, _ in _every_view() if not getattr(view, "login_required", True)}
    assert public == PUBLIC


def test_every_view_declares_its_methods_one_way() -> None:
    undeclared = {
        name: declared_methods(view)
        for name, view, _ in _every_view()
        if name not in CHECKS_ITS_OWN_METHODS
        and getattr(view, "view_class", None) is None
        and declared_methods(view) not in ALLOWED_METHODS
    }
    assert undeclared == {}


def test_a_view_without_a_methods_decorator_is_found() -> None:
    def bare(request: object) -> None: ...

    assert declared_methods(bare) is None


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_asked_to_sign_in_on_every_other_page(method: str) -> None:
    client = Client()
    answers = {}
    for name, _view, kwargs in _every_view():
        if name in PUBLIC:
            continue
        path = reverse(name, kwargs=kwargs)
        response = getattr(client, method)(path)
        answers[name] = (response.status_code, response.get("Location"))
    login = reverse("accounts:login")
    assert answers == {
        name: (302, f"{login}?next={quote(reverse(name, kwargs=kwargs))}")
        for name, _view, kwargs in _every_view()
        if name not in PUBLIC
    }
