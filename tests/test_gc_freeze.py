"""The web process freezes its long-lived objects out of the collector's way after its
first requests, once each response is closed (cohortkit/gc_freeze.py)."""

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cohortkit.gc_freeze import FREEZE_AFTER, FreezeAfterWarmUp


class Body:
    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter([b"a page"])

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process keeps collecting as before


def test_objects_are_frozen_after_the_first_response_is_closed(unfrozen: None) -> None:
    bodies: list[Body] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Body:
        start_response("200 OK", [])
        bodies.append(Body())
        return bodies[-1]

    wrapped = FreezeAfterWarmUp(app)
    response = wrapped({}, lambda *args: None)
    assert b"".join(response) == b"a page"
    assert gc.get_freeze_count() == 0  # not while the response is being sent

    response.close()  # type: ignore[attr-defined]

    assert bodies[0].closed
    assert gc.get_freeze_count() > 0


def test_only_the_warm_up_requests_freeze(unfrozen: None) -> None:
    wrapped = FreezeAfterWarmUp(lambda environ, start_response: Body())
    frozen_after = []
    for number in range(1, 120):
        response = wrapped({}, lambda *args: None)
        gc.unfreeze()
        response.close()  # type: ignore[attr-defined]
        if gc.get_freeze_count():
            frozen_after.append(number)

    assert frozen_after == [n for n in sorted(FREEZE_AFTER) if n < 120] == [1, 10, 100]


def test_the_web_processes_use_it() -> None:
    from cohortkit import wsgi  # noqa: PLC0415 - loads the WSGI application

    assert isinstance(wsgi.application, FreezeAfterWarmUp)
