"""The run home page gathers links from every app.

An app that has pages for a run defines `run_links(request, run, roles)` in its module
`<app>/navigation.py`, returning `Link`s for what the person may open. The courses app
never imports the other apps by name: it finds these functions through the app registry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest

from cohortkit.accounts.discovery import discover
from cohortkit.courses.models import Role, Run


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    section: str = "course"  # "course" for everyone in the run, "staff" for staff tools
    note: str = ""


LinkProvider = Callable[[HttpRequest, Run, frozenset[Role]], list[Link]]


@cache
def link_providers() -> tuple[LinkProvider, ...]:
    providers = []
    for module in discover("navigation"):
        if module.__name__ == __name__:  # this module gathers the others' links
            continue
        provider = getattr(module, "run_links", None)
        if provider is not None:
            providers.append(provider)
    return tuple(providers)


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    return [link for provider in link_providers() for link in provider(request, run, roles)]
