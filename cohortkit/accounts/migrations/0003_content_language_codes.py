"""The course content language was free text ("Spanish" saved, and did nothing): keep what
names a language as its code ("Spanish", "español", "ES", "pt_BR" → es, es, es, pt-br) and
clear what names none. Going back leaves the codes, which the old free text accepted too."""

import unicodedata

from django.conf.locale import LANG_INFO
from django.db import migrations


def _known(code: str) -> bool:
    info = LANG_INFO.get(code)
    return info is not None and "fallback" not in info


def _plain(text: str) -> str:
    # Without accents and vowel marks, so "espanol" and "العربية" match "español" and
    # Django's "العربيّة".
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def content_language_code(text: str) -> str:
    """The language code that `text` names, or "" when it names none."""
    value = _plain(text).replace("_", "-")
    if not value:
        return ""
    for candidate in (value, value.split("-")[0]):
        if _known(candidate):
            return candidate
    for code, info in LANG_INFO.items():
        if "fallback" in info:
            continue
        names = {_plain(str(info.get("name", ""))), _plain(str(info.get("name_local", "")))}
        if value in names:
            return code
    return ""


def codes_for_names(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    for person in User.objects.exclude(content_language="").only("content_language"):
        code = content_language_code(person.content_language)
        if code != person.content_language:
            person.content_language = code
            person.save(update_fields=["content_language"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_privacy_requests")]

    operations = [migrations.RunPython(codes_for_names, migrations.RunPython.noop)]
