"""The languages a person may read course content in, for the profile's choice.

What is on offer: the site's interface languages (settings.LANGUAGES) and whatever the later
apps offer, each through a module `<app>/content_languages.py` with
`offered_languages() -> set[str]` (found through the app registry, as `privacy.py` finds
`personal_data.py`), so accounts imports no later app. Each is labelled in its own name
("Español", "العربية"), as people look for their language.
"""

import importlib
from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.conf import settings
from django.conf.locale import LANG_INFO

LanguageSource = Callable[[], set[str]]


def is_known_language(code: str) -> bool:
    """A language code Django knows by name (LANG_INFO, without its fallback aliases)."""
    info = LANG_INFO.get(code)
    return info is not None and "fallback" not in info


def own_name(code: str) -> str:
    """The language's name for itself, as the interface-language list spells it when it is
    one of the site's languages ("Español"), else Django's, capitalised as a list item."""
    site = dict(settings.LANGUAGES)
    if code in site:
        return str(site[code])
    name = str(LANG_INFO.get(code, {}).get("name_local", code))
    return name[:1].upper() + name[1:]


@cache
def _sources() -> tuple[LanguageSource, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cohortkit."):
            continue
        module_name = f"{config.name}.content_languages"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        found.append(module.offered_languages)
    return tuple(found)


def offered_content_languages() -> list[tuple[str, str]]:
    """(code, own name) for every language on offer, by code."""
    codes = {code for code, _name in settings.LANGUAGES}
    for source in _sources():
        codes |= source()
    return [(code, own_name(code)) for code in sorted(codes) if is_known_language(code)]
