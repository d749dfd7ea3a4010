"""The translations app's part in copying a run (see courses/services.py): every language
version of the source run's units is copied to the copied run's units.

Run-scoped unit keys carry the run's slug and, for some objects, their id
(`run.<slug>.m1.t2.title`, `learning.<slug>.assignment.<pk>.title`); each app's
`copy_run` says how its keys move, as prefix → prefix. Translation memory (sync_units)
already fills units whose exact text was translated and current; this copies the rest as
they were (drafts, outdated ones with their previous text), each unit's text being the same.
"""

from collections.abc import Mapping

from cohortkit.courses.models import Run
from cohortkit.translations.models import SourceUnit, Translation
from cohortkit.translations.services import sync_units

COPIED_FIELDS = (
    "text",
    "state",
    "previous_text",
    "source_text_at_translation",
    "translator_id",
    "reviewer_id",
    "translated_at",
    "reviewed_at",
)


def _moved_key(key: str, prefixes: list[tuple[str, str]]) -> str | None:
    for old, new in prefixes:  # longest first: an object's own prefix before its run's
        if key == old or (old.endswith(".") and key.startswith(old)):
            return new + key[len(old) :]
    return None


def copy_translations(source: Run, target: Run, prefixes: Mapping[str, str]) -> int:
    """Returns how many translations were copied (beyond translation memory's)."""
    course = target.course
    sync_units(course)
    ordered = sorted(prefixes.items(), key=lambda pair: len(pair[0]), reverse=True)
    units = {unit.key: unit for unit in SourceUnit.objects.filter(course=course)}
    pairs = {}
    for key, unit in units.items():
        moved = _moved_key(key, ordered)
        if moved is None or moved not in units or units[moved].text != unit.text:
            continue
        pairs[unit.pk] = units[moved]
    have = set(
        Translation.objects.filter(unit__in=pairs.values()).values_list("unit_id", "language")
    )
    copies = []
    for translation in Translation.objects.filter(unit_id__in=pairs):
        to = pairs[translation.unit_id]
        if (to.pk, translation.language) in have:
            continue
        copies.append(
            Translation(
                unit=to,
                language=translation.language,
                **{name: getattr(translation, name) for name in COPIED_FIELDS},
            )
        )
    Translation.objects.bulk_create(copies)
    return len(copies)
