"""Reads: what a learner sees in their content language, and progress per language."""

from collections import Counter
from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import trans_real

from cohortkit.courses.models import Course
from cohortkit.translations.markdown_units import join_units, split_units
from cohortkit.translations.models import LanguageVersion, SourceUnit, State, Translation


class TranslatedText(str):
    """A text with where it came from: `is_fallback` when it is the source shown instead."""

    language: str
    is_fallback: bool

    def __new__(cls, text: str, *, language: str, is_fallback: bool) -> "TranslatedText":
        value = super().__new__(cls, text)
        value.language = language
        value.is_fallback = is_fallback
        return value


def published_languages(course: Course) -> list[str]:
    """The course's source language, then its published language versions (one query)."""
    others = LanguageVersion.objects.filter(course=course, is_published=True).exclude(
        language=course.language
    )
    return [course.language, *others.values_list("language", flat=True)]


class TextLookup:
    """The translations of one course in one language that learners may see (one query)."""

    def __init__(self, course: Course, language: str) -> None:
        self.course = course
        self.language = language
        self.texts: dict[str, tuple[str, str]] = {}  # key → (source text, translation)
        if language == course.language:
            return
        version = LanguageVersion.objects.filter(
            course=course, language=language, is_published=True
        ).first()
        if version is None:
            return
        states = [State.REVIEWED] + ([State.TRANSLATED] if version.shows_unreviewed else [])
        rows = Translation.objects.filter(
            unit__course=course, unit__is_current=True, language=language, state__in=states
        ).values_list("unit__key", "unit__text", "text")
        self.texts = {key: (source, text) for key, source, text in rows}

    def get(self, key: str, source_text: str) -> TranslatedText:
        found = self.texts.get(key)
        # A unit whose source moved on since (not yet synced) must not show a stale text.
        if found and found[0] == source_text:
            return TranslatedText(found[1], language=self.language, is_fallback=False)
        return TranslatedText(
            source_text,
            language=self.course.language,
            is_fallback=self.language != self.course.language,
        )

    def text(self, key: str, source_text: str) -> str:
        """The translation or the source, as a plain string (for form labels)."""
        return str(self.get(key, source_text))

    def markdown(self, key: str, markdown: str) -> TranslatedText:
        """The Markdown with each translated unit (`<key>.1`, `<key>.2`, …) replaced;
        is_fallback if any unit is not translated."""
        units = split_units(markdown)
        texts = [self.get(f"{key}.{n}", unit.text) for n, unit in enumerate(units, start=1)]
        replaced = join_units(markdown, [str(text) for text in texts])
        # Entirely in the source language: say so, so that lang and dir follow.
        untouched = all(text.is_fallback for text in texts)
        return TranslatedText(
            replaced,
            language=self.course.language if untouched else self.language,
            is_fallback=any(text.is_fallback for text in texts),
        )


def translated_text(course: Course, key: str, source_text: str, language: str) -> tuple[str, bool]:
    """The unit's text in `language` as learners may see it, and whether it is the source
    instead (not translated, not reviewed, version unpublished, or the source changed)."""
    text = TextLookup(course, language).get(key, source_text)
    return str(text), text.is_fallback


def _matches(code: str, available: list[str]) -> str | None:
    code = code.lower().replace("_", "-")
    for candidate in (code, code.split("-")[0]):
        for language in available:
            if language.lower() == candidate:
                return language
    return None


def content_language(request: HttpRequest, course: Course, available: list[str]) -> str:
    """The language to show the course's content in: the profile's content language, then
    the one chosen on the page (session), then the browser's Accept-Language, then the
    interface language; the course's own language if none of these is available."""
    user = getattr(request, "user", None)
    wishes = []
    if user is not None and user.is_authenticated and user.content_language:
        wishes.append(user.content_language)
    if hasattr(request, "session"):
        wishes.append(request.session.get("content_language", ""))
    header = request.headers.get("accept-language", "")
    wishes += [code for code, _ in trans_real.parse_accept_lang_header(header) if code != "*"]
    wishes.append(getattr(request, "LANGUAGE_CODE", ""))
    for wish in wishes:
        if wish and (match := _matches(wish, available)):
            return match
    return course.language


def content_texts(request: HttpRequest, course: Course) -> tuple[TextLookup, list[str]]:
    """The course's translations in the reader's content language, and the languages on
    offer: three queries at most, once per request and course. Kept on the request, so a
    view, its template and every template it includes share one load."""
    cache: dict[int, tuple[TextLookup, list[str]]]
    cache = request.__dict__.setdefault("_cohortkit_translations", {})
    if course.pk not in cache:
        available = published_languages(course)
        language = content_language(request, course, available)
        cache[course.pk] = (TextLookup(course, language), available)
    return cache[course.pk]


def content_lookup(request: HttpRequest, course: Course) -> TextLookup:
    """The course's translations in the reader's content language (`content_texts`), for
    texts a view puts in a form rather than a template (question labels, rubric lines)."""
    return content_texts(request, course)[0]


@dataclass(frozen=True)
class Progress:
    language: str
    total: int
    translated: int
    reviewed: int
    outdated: int

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.reviewed - self.outdated

    @property
    def percent_done(self) -> int:
        return round(100 * (self.translated + self.reviewed) / self.total) if self.total else 0

    @property
    def percent_reviewed(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 0


def progress_by_language(course: Course, languages: list[str]) -> dict[str, Progress]:
    """Counts of units per state for each language (two queries)."""
    total = SourceUnit.objects.current().filter(course=course).count()
    rows = (
        Translation.objects.filter(unit__course=course, unit__is_current=True)
        .values_list("language", "state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: Counter[tuple[str, str]] = Counter(
        {(language, state): count for language, state, count in rows}
    )
    return {
        language: Progress(
            language,
            total,
            counts[(language, State.TRANSLATED)],
            counts[(language, State.REVIEWED)],
            counts[(language, State.OUTDATED)],
        )
        for language in languages
    }


def language_name(code: str) -> str:
    info = LANG_INFO.get(code, {})
    return str(info.get("name_local", code))


def is_bidi(code: str) -> bool:
    return bool(LANG_INFO.get(code, {}).get("bidi", False))
