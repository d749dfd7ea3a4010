"""Finding each app's module of a given name, so an app extends through the app registry
without importing the later apps by name: accounts' `personal_data.py`, the courses app's
`navigation.py`, `dashboard.py`, `run_copy.py` and `demo.py`, translations'
`translation_units.py`. It lives in accounts, the first app, so every app may use it."""

import importlib
from functools import cache
from types import ModuleType

from django.apps import apps


@cache
def discover(module_name: str) -> tuple[ModuleType, ...]:
    """Each cohortkit app's `<app>.<module_name>` module that exists, in INSTALLED_APPS order.
    A missing module is skipped; an import error inside one that exists is raised."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cohortkit."):
            continue
        name = f"{config.name}.{module_name}"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return tuple(found)
