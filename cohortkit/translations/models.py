"""Translation units of a course, their translations per language, and language versions.

A `SourceUnit` is one piece of text a learner reads (a title, a paragraph, a list item),
with a stable key. `sync_units` (services.py) keeps the units in step with the content; a
`Translation` is the text of one unit in one language with its state. A `LanguageVersion`
is a language of a course that staff publish for learners.
"""

import hashlib

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_language(code: str) -> None:
    """A language Django knows (LANG_INFO has about a hundred, with names and direction)."""
    info = LANG_INFO.get(code)
    if info is None or "fallback" in info:
        raise ValidationError(
            _("“%(code)s” is not a language code we know (for example es, fr, ar, pt-br)."),
            params={"code": code},
            code="unknown_language",
        )


class State(models.TextChoices):
    UNTRANSLATED = "untranslated", _("Untranslated")
    TRANSLATED = "translated", _("Translated")
    REVIEWED = "reviewed", _("Reviewed")
    OUTDATED = "outdated", _("Outdated")


class SourceUnitQuerySet(models.QuerySet["SourceUnit"]):
    def current(self) -> "SourceUnitQuerySet":
        return self.filter(is_current=True)


class SourceUnit(models.Model):
    """One translatable piece of a course's text in the course's source language.

    Units whose text disappeared from the course stay (is_current=False) so that their
    translations still serve as translation memory if the same text comes back.
    """

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="translation_units"
    )
    key = models.CharField(_("key"), max_length=255)
    text = models.TextField(_("source text"))
    kind = models.CharField(_("kind"), max_length=32)
    context = models.CharField(_("context"), max_length=500, blank=True)
    source_hash = models.CharField(max_length=64)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_current = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceUnitQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position"]
        verbose_name = _("translation unit")
        verbose_name_plural = _("translation units")
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="translations_unit_key"),
        ]
        indexes = [models.Index(fields=["course", "source_hash"])]

    def __str__(self) -> str:
        return self.key


class Translation(models.Model):
    """A unit's text in one language, with its state in the translate-review cycle."""

    unit = models.ForeignKey(SourceUnit, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=16, validators=[validate_language])
    text = models.TextField(_("translation"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.UNTRANSLATED
    )
    previous_text = models.TextField(
        _("previous translation"),
        blank=True,
        help_text=_("The translation before the source changed, offered as a suggestion."),
    )
    source_text_at_translation = models.TextField(
        _("source when translated"),
        blank=True,
        help_text=_("The source text the translator saw, to show how the source changed since."),
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    translated_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "language"], name="translations_translation_unique"
            ),
            models.CheckConstraint(
                condition=Q(state="untranslated") | ~Q(text=""),
                name="translations_translation_has_text",
            ),
        ]
        indexes = [models.Index(fields=["language", "state"])]

    def __str__(self) -> str:
        return f"{self.unit.key} [{self.language}]"


class LanguageVersion(models.Model):
    """A language of a course: translators work on it; staff publish it for learners."""

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="language_versions"
    )
    language = models.CharField(_("language"), max_length=16, validators=[validate_language])
    is_published = models.BooleanField(_("published for learners"), default=False)
    shows_unreviewed = models.BooleanField(
        _("show translations not yet reviewed"),
        default=False,
        help_text=_("Otherwise learners see only reviewed text and the source elsewhere."),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reviewed_language_versions",
        verbose_name=_("designated reviewers"),
        help_text=_("Besides the course's coordinators and facilitators."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "language"]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(fields=["course", "language"], name="translations_version"),
        ]

    def __str__(self) -> str:
        return f"{self.course} [{self.language}]"
