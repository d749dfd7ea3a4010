"""Factories for the translations app."""

from collections.abc import Mapping

import factory

from cohortkit.courses.models import Course
from cohortkit.translations.models import (
    LanguageVersion,
    SourceUnit,
    State,
    Translation,
    source_hash,
)
from cohortkit.translations.services import sync_units
from tests.factories import CourseFactory


class SourceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceUnit

    course = factory.SubFactory(CourseFactory)
    key = factory.Sequence(lambda n: f"unit.{n}")
    text = factory.Sequence(lambda n: f"Source text {n}.")
    kind = "text"
    source_hash = factory.LazyAttribute(lambda o: source_hash(o.text))
    position = factory.Sequence(lambda n: n)


class TranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Translation

    unit = factory.SubFactory(SourceUnitFactory)
    language = "es"
    text = factory.Sequence(lambda n: f"Texto {n}.")
    state = "translated"
    source_text_at_translation = factory.LazyAttribute(lambda o: o.unit.text)


class LanguageVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageVersion

    course = factory.SubFactory(CourseFactory)
    language = "es"


def publish_translations(
    course: Course, texts: Mapping[str, str], *, language: str = "es"
) -> LanguageVersion:
    """The course's units synced from its content, `language` published, and `texts`
    (unit key → translation) stored as reviewed; every other unit stays untranslated."""
    sync_units(course)
    version = LanguageVersionFactory(course=course, language=language, is_published=True)
    for key, text in texts.items():
        unit = SourceUnit.objects.get(course=course, key=key, is_current=True)
        TranslationFactory(unit=unit, language=language, text=text, state=State.REVIEWED)
    return version
