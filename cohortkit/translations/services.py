"""Changes to translation units, translations and language versions.

Every function here is one transaction. None sends mail or queues tasks.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from cohortkit.accounts.models import User
from cohortkit.courses.models import Course
from cohortkit.translations.models import (
    LanguageVersion,
    SourceUnit,
    State,
    Translation,
    source_hash,
)
from cohortkit.translations.registry import UnitSpec, collect_units

DONE = (State.TRANSLATED, State.REVIEWED)


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    outdated: int = 0  # translations marked outdated
    reused: int = 0  # translations filled from translation memory


@dataclass(frozen=True)
class _Memory:
    text: str
    state: str
    translator_id: int | None
    reviewer_id: int | None
    translated_at: datetime | None
    reviewed_at: datetime | None


def _memory(course: Course) -> dict[tuple[str, str], _Memory]:
    """(source hash, language) → the best known translation of exactly that source text."""
    best: dict[tuple[str, str], _Memory] = {}
    rows = Translation.objects.filter(unit__course=course).exclude(state=State.UNTRANSLATED)
    for row in rows.select_related("unit").order_by("updated_at"):
        if row.state == State.OUTDATED:
            # An outdated translation still translates the source its translator saw.
            key = (source_hash(row.source_text_at_translation), row.language)
            state = State.REVIEWED if row.reviewer_id else State.TRANSLATED
        else:
            key = (row.unit.source_hash, row.language)
            state = State(row.state)
        if key in best and best[key].state == State.REVIEWED and state != State.REVIEWED:
            continue
        best[key] = _Memory(
            row.text,
            state,
            row.translator_id,
            row.reviewer_id if state == State.REVIEWED else None,
            row.translated_at,
            row.reviewed_at if state == State.REVIEWED else None,
        )
    return best


def _apply_memory(translation: Translation, memory: _Memory, source: str) -> None:
    translation.text = memory.text
    translation.state = memory.state
    translation.translator_id = memory.translator_id
    translation.reviewer_id = memory.reviewer_id
    translation.translated_at = memory.translated_at
    translation.reviewed_at = memory.reviewed_at
    translation.source_text_at_translation = source


@transaction.atomic
def sync_units(course: Course) -> SyncReport:
    """Bring the course's SourceUnits in step with its content (every registered source).

    New keys become units; a unit whose text changed gets the new text, and each of its
    translations becomes outdated (the old translation kept in `previous_text` as a
    suggestion, `source_text_at_translation` left as it was for the diff), unless that
    exact new text was already translated elsewhere in the course (translation memory:
    then the known translation is reused). Unchanged units and their translations are
    not touched. Units no longer produced are kept but marked not current. Sends nothing.
    """
    report = SyncReport()
    existing = {unit.key: unit for unit in SourceUnit.objects.filter(course=course)}
    new_units, changed_units, moved_units = _compare_units(
        course, collect_units(course), existing, report
    )
    gone = [unit for unit in existing.values() if unit.is_current]
    for unit in gone:
        unit.is_current = False
        report.removed.append(unit.key)
    if new_units or changed_units:
        _carry_translations(course, new_units, changed_units, report)
    SourceUnit.objects.bulk_update(
        changed_units + moved_units + gone,
        ["text", "source_hash", "kind", "context", "position", "is_current"],
    )
    return report


def _compare_units(
    course: Course,
    specs: list[UnitSpec],
    existing: dict[str, SourceUnit],
    report: SyncReport,
) -> tuple[list[SourceUnit], list[SourceUnit], list[SourceUnit]]:
    """The units to create, those whose text changed and those that only moved (kind,
    context, position or back in the content), each updated in memory; the units matched
    are taken out of `existing`, so what stays there is no longer produced."""
    new_units: list[SourceUnit] = []
    changed_units: list[SourceUnit] = []
    moved_units: list[SourceUnit] = []
    for position, spec in enumerate(specs):
        digest = source_hash(spec.text)
        unit = existing.pop(spec.key, None)
        if unit is None:
            new_units.append(
                SourceUnit(
                    course=course,
                    key=spec.key,
                    text=spec.text,
                    kind=spec.kind,
                    context=spec.context,
                    source_hash=digest,
                    position=position,
                )
            )
            report.created.append(spec.key)
        elif unit.source_hash != digest:
            unit.text, unit.source_hash, unit.is_current = spec.text, digest, True
            unit.kind, unit.context, unit.position = spec.kind, spec.context, position
            changed_units.append(unit)
            report.changed.append(spec.key)
        elif (unit.kind, unit.context, unit.position, unit.is_current) != (
            spec.kind,
            spec.context,
            position,
            True,
        ):
            unit.kind, unit.context, unit.position, unit.is_current = (
                spec.kind,
                spec.context,
                position,
                True,
            )
            moved_units.append(unit)
    return new_units, changed_units, moved_units


def _carry_translations(
    course: Course,
    new_units: list[SourceUnit],
    changed_units: list[SourceUnit],
    report: SyncReport,
) -> None:
    """Create the new units, with the translations memory knows for their texts; a
    changed unit's translations are taken from memory or become outdated."""
    memory = _memory(course)
    languages = {language for _, language in memory}
    SourceUnit.objects.bulk_create(new_units)
    created = [t for unit in new_units for t in _from_memory(unit, languages, memory)]
    updated = []
    by_unit: dict[int, list[Translation]] = defaultdict(list)
    for translation in Translation.objects.filter(unit__in=changed_units):
        by_unit[translation.unit_id].append(translation)
    for unit in changed_units:
        for translation in by_unit[unit.pk]:
            known = memory.get((unit.source_hash, translation.language))
            if _follow_changed_source(translation, known, unit.text, report):
                updated.append(translation)
        untranslated = languages - {t.language for t in by_unit[unit.pk]}
        created += _from_memory(unit, untranslated, memory)
    report.reused += len(created)
    Translation.objects.bulk_create(created)
    Translation.objects.bulk_update(
        updated,
        [
            "text",
            "state",
            "previous_text",
            "source_text_at_translation",
            "translator",
            "reviewer",
            "translated_at",
            "reviewed_at",
        ],
    )


def _from_memory(
    unit: SourceUnit, languages: set[str], memory: dict[tuple[str, str], _Memory]
) -> list[Translation]:
    """New translations of `unit` into those of `languages` that memory knows its text in."""
    created = []
    for language in languages:
        known = memory.get((unit.source_hash, language))
        if known:
            translation = Translation(unit=unit, language=language)
            _apply_memory(translation, known, unit.text)
            created.append(translation)
    return created


def _follow_changed_source(
    translation: Translation, known: _Memory | None, source: str, report: SyncReport
) -> bool:
    """Reuse what memory knows of the new source, or mark a done translation outdated
    (its text kept as the suggestion); False when the translation stays as it is."""
    if known:
        _apply_memory(translation, known, source)
        report.reused += 1
        return True
    if translation.state in DONE:
        translation.state = State.OUTDATED
        translation.previous_text = translation.text
        report.outdated += 1
        return True
    return False


@transaction.atomic
def save_translation(
    unit: SourceUnit, *, language: str, text: str, by: User, at: datetime
) -> Translation:
    """Store `text` as the unit's translation into `language` (blank: untranslated).

    The state becomes translated, except that saving the unchanged text of a reviewed
    translation keeps it reviewed. Records who translated it against which source.
    """
    translation, _ = Translation.objects.select_for_update().get_or_create(
        unit=unit, language=language
    )
    if not text.strip():
        translation.text, translation.state = "", State.UNTRANSLATED
        translation.reviewer, translation.reviewed_at = None, None
    elif not (translation.state == State.REVIEWED and translation.text == text):
        translation.text, translation.state = text, State.TRANSLATED
        translation.translator, translation.translated_at = by, at
        translation.reviewer, translation.reviewed_at = None, None
        translation.source_text_at_translation = unit.text
    translation.save()
    return translation


@transaction.atomic
def review_translation(translation: Translation, *, by: User, at: datetime) -> Translation:
    """Approve a translated unit: learners of a published version now see it. Sends nothing."""
    if translation.state != State.TRANSLATED:
        raise ValueError("only translated units can be reviewed")
    translation.state = State.REVIEWED
    translation.reviewer, translation.reviewed_at = by, at
    translation.previous_text = ""
    translation.save(update_fields=["state", "reviewer", "reviewed_at", "previous_text"])
    return translation


@transaction.atomic
def start_language(course: Course, *, language: str) -> LanguageVersion:
    """Open a language of the course for translation (not published). Idempotent."""
    version, _ = LanguageVersion.objects.get_or_create(course=course, language=language)
    return version


@transaction.atomic
def update_language_version(
    version: LanguageVersion, *, is_published: bool, shows_unreviewed: bool
) -> LanguageVersion:
    """Publish or withdraw a language for learners, and choose whether they see unreviewed
    translations. Sends nothing."""
    version.is_published, version.shows_unreviewed = is_published, shows_unreviewed
    version.save(update_fields=["is_published", "shows_unreviewed"])
    return version


@transaction.atomic
def choose_content_language(user: User, *, language: str) -> None:
    """Remember the language the person wants course content in (their profile)."""
    user.content_language = language
    user.save(update_fields=["content_language"])
