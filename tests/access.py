"""Helpers shared by the access tests (tests/**/test_*access*.py).

Each access-test module declares `URL_NAMES`, the view names (namespace:name) it tests for
every role, and checks with `view_names` that the URLs its tables request resolve to exactly
those names; tests/test_url_access_coverage.py compares the union with the URL map.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db.models import Model
from django.urls import resolve


def view_names(urls: Iterable[str]) -> set[str]:
    """The namespaced view names the URLs resolve to (a query string is ignored)."""
    return {resolve(urlsplit(url).path).view_name for url in urls}


def snapshot(*models: type[Model]) -> dict[str, list[dict[str, object]]]:
    """Every row of the models, to compare before and after requests that must change nothing."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in models
    }
