"""Factories for the translations app."""

import factory

from cohortkit.translations.models import LanguageVersion, SourceUnit, Translation, source_hash
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
