"""The languages a person may read course content in, for the profile's choice, and the
language a page is answered in.

What is on offer: the site's interface languages (settings.LANGUAGES) and whatever the later
apps offer, each through a module `<app>/content_languages.py` with
`offered_languages() -> set[str]` (found through `discovery.discover`), so accounts imports
no later app. Each is labelled in its own name ("Español", "العربية").
"""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

from cohortkit.accounts.discovery import discover


def page_language() -> str:
    """The interface language the page is answered in (LocaleMiddleware's choice: the
    profile's, the cookie's or the browser's), else English: the language of mail sent on a
    page's behalf to someone whose own is not known (sign-up, a new link, a reset)."""
    return translation.get_language() or "en"


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


def offered_content_languages() -> list[tuple[str, str]]:
    """(code, own name) for every language on offer, by code."""
    codes = {code for code, _name in settings.LANGUAGES}
    for module in discover("content_languages"):
        codes |= module.offered_languages()
    return [(code, own_name(code)) for code in sorted(codes) if is_known_language(code)]
