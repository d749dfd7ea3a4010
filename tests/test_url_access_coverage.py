"""Every URL of the project has an access test for each role (admin: excluded).

The access-test modules (tests/**/test_*access*.py, and translations' test_views.py, which
holds that app's access tests) each declare `URL_NAMES`; each of them also checks that the
URLs its tables request resolve to exactly those names, so a declaration cannot claim a URL
nobody requests.
"""

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).parent
EXTRA_MODULES = [TESTS / "translations" / "test_views.py"]
EXCLUDED_NAMESPACES = ("admin:",)


def _access_modules() -> list[ModuleType]:
    paths = sorted({*TESTS.glob("**/test_*access*.py"), *EXTRA_MODULES} - {Path(__file__)})
    names = [".".join(path.relative_to(TESTS.parent).with_suffix("").parts) for path in paths]
    return [importlib.import_module(name) for name in names]


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace)
        elif pattern.name:
            yield prefix + pattern.name


def url_names(urlconf: str | None = None) -> set[str]:
    """Every named URL of the URL map, as namespace:name, without the admin's."""
    return {
        name
        for name in _walk(get_resolver(urlconf).url_patterns)
        if not name.startswith(EXCLUDED_NAMESPACES)
    }


def declared_names() -> set[str]:
    return set().union(*(module.URL_NAMES for module in _access_modules()))


def uncovered(urls: set[str], declared: set[str]) -> dict[str, list[str]]:
    """URL names without an access test, and declared names that no URL has (stale)."""
    return {"untested": sorted(urls - declared), "unknown": sorted(declared - urls)}


def test_every_access_module_declares_the_url_names_it_tests() -> None:
    modules = _access_modules()
    assert [m.__name__ for m in modules if not isinstance(getattr(m, "URL_NAMES", None), set)] == []


def test_every_url_name_has_an_access_test_for_each_role() -> None:
    assert uncovered(url_names(), declared_names()) == {"untested": [], "unknown": []}


def test_a_url_name_without_an_access_test_is_reported() -> None:
    declared = declared_names()
    assert "accounts:login" in uncovered(url_names(), declared - {"accounts:login"})["untested"]
    assert uncovered(url_names(), declared | {"accounts:gone"})["unknown"] == ["accounts:gone"]
