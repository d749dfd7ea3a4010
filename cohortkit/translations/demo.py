"""The demo course in other languages: all of it in Spanish (reviewed), part of it in Arabic.

Arabic shows every state: reviewed units, one unit translated but waiting for review, one
outdated (its English paragraph was edited after translating) and the rest untranslated,
which learners see in English with a "not yet translated" badge. Idempotent.
"""

from datetime import datetime

from django.db import transaction

from cohortkit.accounts.models import User
from cohortkit.courses.demo import Demo
from cohortkit.courses.models import Topic
from cohortkit.translations.demo_texts import ARABIC, spanish_for
from cohortkit.translations.markdown_units import split_units
from cohortkit.translations.models import SourceUnit, State, Translation
from cohortkit.translations.services import (
    review_translation,
    save_translation,
    start_language,
    sync_units,
    update_language_version,
)

# The paragraph edited after the Arabic translation was made (its unit becomes outdated).
EDITED = (
    "Bring your notes to the weekly live session, or share them on the "
    "[talk page](#questions) if you cannot attend."
)
EDITED_TO = (
    "Bring your notes to the weekly live session, or share them on the "
    "[talk page](#questions) if you cannot attend; the facilitators read it every day."
)


@transaction.atomic
def extend_demo(demo: Demo) -> None:
    course = demo.course
    at, translator, reviewer = demo.now, demo.translator, demo.coordinator
    if Translation.objects.filter(unit__course=course, language="es").exists():
        # Loaded before: only units added since (a new source of units) get their Spanish.
        sync_units(course)
        missing = (
            SourceUnit.objects.current().filter(course=course).exclude(translations__language="es")
        )
        Translation.objects.bulk_create(
            _reviewed(unit, "es", spanish_for(unit.text), translator, reviewer, at)
            for unit in missing
        )
        return
    sync_units(course)
    for language in ("es", "ar"):
        version = start_language(course, language=language)
        update_language_version(version, is_published=True, shows_unreviewed=False)
    units = list(SourceUnit.objects.current().filter(course=course).order_by("position"))
    rows = []
    for unit in units:
        rows.append(_reviewed(unit, "es", spanish_for(unit.text), translator, reviewer, at))
        arabic = ARABIC.get(unit.text)
        if arabic is not None:
            row = _reviewed(unit, "ar", arabic, translator, reviewer, at)
            # One unit stays waiting for review, so the editor shows that state too.
            if unit.key == f"run.{demo.completed_run.slug}.m1.t1.body.3":
                row.state, row.reviewer, row.reviewed_at = State.TRANSLATED, None, None
            rows.append(row)
    Translation.objects.bulk_create(rows)
    # Edit one English paragraph after translating: its translations become outdated.
    topic = Topic.objects.get(module__run=demo.completed_run, module__position=1, position=1)
    if EDITED in topic.body:
        topic.body = topic.body.replace(EDITED, EDITED_TO)
        topic.save()
    sync_units(course)
    # Spanish stays complete: translate the edited paragraph again.
    for unit in SourceUnit.objects.filter(course=course, text=spanish_source(EDITED_TO)):
        translation = save_translation(
            unit, language="es", text=spanish_for(unit.text), by=translator, at=at
        )
        review_translation(translation, by=reviewer, at=at)
    demo.created["translations"] = len(rows)


def spanish_source(markdown: str) -> str:
    """The unit text of a one-paragraph Markdown (links as <a1>…</a1>)."""
    return split_units(markdown)[0].text


def _reviewed(
    unit: SourceUnit, language: str, text: str, translator: User, reviewer: User, at: datetime
) -> Translation:
    return Translation(
        unit=unit,
        language=language,
        text=text,
        state=State.REVIEWED,
        source_text_at_translation=unit.text,
        translator=translator,
        translated_at=at,
        reviewer=reviewer,
        reviewed_at=at,
    )
