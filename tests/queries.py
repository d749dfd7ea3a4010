"""Counting the queries a page makes: list pages are tested with one and many rows, and the
counts must be equal (the team's rule). One helper, so every such test counts the same way."""

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def forget_kept_pages() -> None:
    """Drop what the cache keeps between requests: pages kept ready, the signed-in person
    and their session (accounts/page_cache.py, backends.py, sessions.py); so the next
    request renders its page and reads the session and the person, and counts compare."""
    cache.clear()


def page_queries(client: Client, url: str, *, warm: bool = False, **headers: Any) -> int:
    """The number of queries a GET of `url` makes to render its page, from a cache with
    nothing kept (`forget_kept_pages`); the page must answer 200. `warm` loads the page
    once first, uncounted, so what a first request keeps per process is left out."""
    if warm:
        client.get(url, **headers)
    forget_kept_pages()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(context.captured_queries)
