"""Reads: what a learner sees in their content language, and progress per language."""

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, trans_real

from cohortkit.accounts import page_cache
from cohortkit.courses.models import Course, Module, Run
from cohortkit.translations import registry
from cohortkit.translations.markdown_units import join_units, split_units
from cohortkit.translations.models import LanguageVersion, SourceUnit, State, Translation


def needs_translation(source_text: str) -> bool:
    """Whether a text has anything to translate: a text with no letters at all (a run
    titled '2027' or '2027-01-11', a number) reads the same in every language."""
    return any(character.isalpha() for character in source_text)


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


def _states(version: LanguageVersion | None) -> Sequence[str]:
    """The translation states learners may see in a published version (none without one)."""
    if version is None:
        return []
    return [State.REVIEWED] + ([State.TRANSLATED] if version.shows_unreviewed else [])


def _visible_rows(
    shown: Q, keys: Collection[str] | None
) -> "QuerySet[Translation, tuple[int, str, str, str, str]]":
    """(course id, language, key, source text, translation) of the current units `shown`
    selects (courses, languages and states), limited to `keys` if given: one query."""
    rows = Translation.objects.filter(shown, unit__is_current=True)
    if keys is not None:
        rows = rows.filter(unit__key__in=keys)
    return rows.values_list("unit__course_id", "language", "unit__key", "unit__text", "text")


def _shown(course: Course, language: str, states: Sequence[str]) -> Q:
    return Q(unit__course=course, language=language, state__in=states)


class TextLookup:
    """The translations of one course in one language that learners may see.

    `TextLookup(course, language)` finds the published version and loads its texts (two
    queries; none in the course's own language). `load_content_texts` builds lookups for many
    courses from one load instead, passing `states` (what the version shows; empty when
    nothing is published), `texts` and, for a list page, the only `keys` it loaded: such a
    lookup loads the rest of its course (one query) the first time another key is asked.
    """

    def __init__(
        self,
        course: Course,
        language: str,
        *,
        states: Sequence[str] | None = None,
        texts: dict[str, tuple[str, str]] | None = None,
        keys: frozenset[str] | None = None,
    ) -> None:
        self.course = course
        self.language = language
        if states is None:
            version = None
            if language != course.language:
                version = LanguageVersion.objects.filter(
                    course=course, language=language, is_published=True
                ).first()
            states, texts, keys = _states(version), None, None
        self.states = states
        self.keys = keys
        # key → (source text, translation)
        self.texts: dict[str, tuple[str, str]] = self._load() if texts is None else texts

    def _load(self) -> dict[str, tuple[str, str]]:
        """Every text of the course learners may see in the language (one query, or none)."""
        if not self.states:
            return {}
        rows = _visible_rows(_shown(self.course, self.language, self.states), None)
        return {key: (source, text) for _course, _language, key, source, text in rows}

    def get(self, key: str, source_text: str) -> TranslatedText:
        if self.keys is not None and key not in self.keys:
            # Loaded for a list page's few texts; this page wants more of the course.
            self.texts, self.keys = self._load(), None
        found = self.texts.get(key)
        # A unit whose source moved on since (not yet synced) must not show a stale text.
        if found and found[0] == source_text:
            return TranslatedText(found[1], language=self.language, is_fallback=False)
        return TranslatedText(
            source_text,
            language=self.course.language,
            is_fallback=self.language != self.course.language and needs_translation(source_text),
        )

    def text(self, key: str, source_text: str) -> str:
        """The translation or the source, as a plain string (for form labels)."""
        return str(self.get(key, source_text))

    def run(self, run: Run) -> TranslatedText:
        """The title of one of the course's runs."""
        return self.get(registry.run_key(run), run.title)

    def module(self, module: Module, field: str = "title") -> TranslatedText:
        """A module's `title` or `summary` (the module's run is read for its key)."""
        return self.get(registry.module_key(module, field), getattr(module, field))

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


def published_versions(courses: Iterable[int]) -> dict[int, dict[str, LanguageVersion]]:
    """Course id → language → its published language version, for each of `courses`
    (ids), kept once for every page until a language version is written
    (`page_cache.shared`). One query when not kept."""
    ids = sorted(set(courses))

    def read() -> dict[int, dict[str, LanguageVersion]]:
        published: dict[int, dict[str, LanguageVersion]] = {pk: {} for pk in ids}
        versions = LanguageVersion.objects.filter(course__in=ids, is_published=True)
        for version in versions.order_by("language"):
            published[version.course_id][version.language] = version
        return published

    key = "published-languages:" + ",".join(map(str, ids))
    return page_cache.shared(key, (LanguageVersion,), read)


def load_content_texts(
    request: HttpRequest, courses: Iterable[Course], *, keys: Collection[str] | None = None
) -> None:
    """Load the translations of every course not yet loaded in this request, each in the
    reader's content language, into the request's cache that `content_texts` (so the
    template tags and `content_lookup`) reads: two queries however many courses (their
    published versions, then the translations of all of them; the second only when some
    course is read in another language than its own; the first is kept for every page,
    `published_versions`). With `keys`, only those units, for a
    list page; a course's lookup loads the rest the first time it is asked for another."""
    cache: dict[int, tuple[TextLookup, list[str]]]
    cache = request.__dict__.setdefault("_cohortkit_translations", {})
    todo = {course.pk: course for course in courses if course.pk not in cache}
    if not todo:
        return
    published = published_versions(todo)
    chosen: dict[int, tuple[str, list[str], Sequence[str]]] = {}
    shown = Q()
    for pk, course in todo.items():
        others = {code: v for code, v in published[pk].items() if code != course.language}
        available = [course.language, *others]
        language = content_language(request, course, available)
        states = _states(others.get(language))
        chosen[pk] = (language, available, states)
        if states:
            shown |= _shown(course, language, states)
    texts: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    if shown:  # some course is read in a published language other than its own
        for course_id, _language, key, source, text in _visible_rows(shown, keys):
            texts[course_id][key] = (source, text)
    loaded = None if keys is None else frozenset(keys)
    for pk, (language, available, states) in chosen.items():
        lookup = TextLookup(todo[pk], language, states=states, texts=texts[pk], keys=loaded)
        cache[pk] = (lookup, available)


def content_texts(request: HttpRequest, course: Course) -> tuple[TextLookup, list[str]]:
    """The course's translations in the reader's content language, and the languages on
    offer: two queries at most (`load_content_texts`), once per request and course. Kept
    on the request, so a view, its template and every template it includes share one load."""
    load_content_texts(request, [course])
    cache: dict[int, tuple[TextLookup, list[str]]] = request.__dict__["_cohortkit_translations"]
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
    """The language's own name for itself (for lists people pick their language from)."""
    info = LANG_INFO.get(code, {})
    return str(info.get("name_local", code))


def language_name_in_interface(code: str) -> str:
    """The language's name in the active interface language, for a sentence about it."""
    info = LANG_INFO.get(code)
    if info is None or "name" not in info:
        return code
    return gettext(str(info["name"]))


def is_bidi(code: str) -> bool:
    return bool(LANG_INFO.get(code, {}).get("bidi", False))
